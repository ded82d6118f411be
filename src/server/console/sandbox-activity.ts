/**
 * "Simulate activity" on the console's Start page: one burst of the built-in sandbox's demo
 * activity now (an application, stage moves, a phone screen and its feedback), each arriving as
 * the sandbox's signed webhooks like any other change. Admins and recruiters may; without the
 * sandbox's demo organisation it answers 404 saying so.
 */
import type { Hono } from "hono";
import type { DemoActivity } from "../../sandbox/index.ts";
import type { ConsoleGuard } from "./routes.ts";
import { HttpError } from "../http-error.ts";
import type { SandboxBurst } from "../../contract/console-api.ts";

export type SandboxActivityPort = Pick<DemoActivity, "burst" | "everySeconds">;

export function mountSandboxActivity(api: Hono, guard: ConsoleGuard, activity: SandboxActivityPort | undefined): void {
  api.post("/sandbox/activity", async (c) => {
    const g = await guard(c, "sandbox:simulate");
    if (g instanceof Response) return g;
    if (!activity)
      throw new HttpError(
        404,
        "not_available",
        "Simulated activity needs the built-in Lever sandbox with its demo organisation; this deployment is connected to Lever.",
      );
    const burst = await activity.burst();
    // Counts only: the new people's names and contact details stay in the sandbox and in Lever's webhooks.
    return c.json({
      applications: burst.applications.length,
      stageMoves: burst.stageMoves.length,
      interviews: burst.interviews.length,
      feedback: burst.feedback.length,
      everySeconds: activity.everySeconds,
    } satisfies SandboxBurst);
  });
}
