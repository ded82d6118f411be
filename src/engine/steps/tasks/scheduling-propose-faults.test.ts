/**
 * `scheduling.propose` when a calendar API is down or rate-limited: the step asks the queue to retry
 * instead of proposing without that interviewer, and once no retry is left it proposes without
 * them, names them, and raises a policy flag so an auto booking waits for a person. Real parts: the
 * Lever sandbox through the Lever gateway, the sandbox's Google Calendar imitation and its faults.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { calendarsConfigSchema, type CalendarsConfig } from "../../../calendars/index.ts";
import { schedulingConfigSchema, type SchedulingConfig } from "../../../config/index.ts";
import { createLeverClient } from "../../../lever/index.ts";
import { startCalendarSandbox, startSandbox, type CalendarSandbox, type Sandbox } from "../../../sandbox/index.ts";
import { leverGateway } from "../lever-gateway.ts";
import type { RunContext, TaskInput } from "../../ports.ts";
import { schedulingProposeTask } from "./scheduling.ts";

describe("scheduling.propose with a calendar API answering 503 or 429", () => {
  let sandbox: Sandbox;
  let cal: CalendarSandbox;
  let calendars: CalendarsConfig;
  let scheduling: SchedulingConfig;
  let input: (o: { lastAttempt?: boolean }) => TaskInput;
  let pool: { id: string; email: string; name: string }[];

  before(async () => {
    sandbox = await startSandbox({ seed: 31, rateLimit: false, candidates: 6 });
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null && u.email && u.accessRole !== "super admin");
    pool = users.slice(0, 3).map((u) => ({ id: u.id, email: u.email.toLowerCase(), name: u.name }));
    cal = await startCalendarSandbox({ seed: 12, demo: false, people: pool });
    // One attempt per call inside the client, so the sandbox's faults reach the step at once.
    // Person 1 is on Microsoft 365, the others on Google Workspace.
    calendars = calendarsConfigSchema.parse({
      connections: [cal.googleConnection({ domains: [pool[0]!.email.split("@")[1]!], maxAttempts: 1 }), cal.graphConnection({ maxAttempts: 1 })],
      identities: [{ lever: pool[1]!.email, connection: "sandbox-graph" }],
    });
    scheduling = schedulingConfigSchema.parse({
      panels: [{ stage: "On-site Interview", sessions: [{ id: "tech", title: "Technical", minutes: 60, need: 1, pool: pool.map((p) => p.email) }] }],
    });
    const admin = [...sandbox.state.users.values()].find((u) => u.accessRole === "super admin")!.id;
    const gateway = leverGateway(
      createLeverClient({
        baseUrl: sandbox.url,
        auth: { kind: "apiKey", apiKey: sandbox.apiKey },
        connectionId: "default",
        performAs: admin,
        retryBaseMs: 5,
        retryMaxMs: 50,
      }),
    );
    const opp = [...sandbox.state.opportunities.values()].find((o) => o.applications.length > 0)!;
    const stage = sandbox.state.stages.find((s) => s.text === "On-site Interview")!;
    const context: RunContext = {
      opportunity: (await gateway.getOpportunity(opp.id)) as RunContext["opportunity"],
      stages: await gateway.listStages!(),
    };
    input = (o) => ({
      with: { stage: stage.id, timezone: "Europe/London" },
      context,
      fetch: async () => context,
      ai: undefined,
      lever: gateway,
      traceId: "trace-faults",
      event: { toStageId: stage.id },
      connectionId: "default",
      dryRun: true,
      db: undefined as never,
      startWorkflow: async () => null,
      ...o,
    });
  });
  after(async () => {
    await cal?.close();
    await sandbox?.close();
  });

  const propose = () => schedulingProposeTask({ calendars, scheduling });

  it("fails as retryable while retries are left, naming whose calendar could not be read", async () => {
    for (const fault of [{ unavailableNext: 100 }, { rateLimitStorm: true, retryAfterSeconds: 1 }]) {
      Object.assign(cal.faults, fault, { match: /events|getSchedule/ });
      await assert.rejects(propose()(input({ lastAttempt: false })), (e: Error & { retryable?: boolean }) => {
        assert.equal(e.retryable, true);
        assert.match(e.message, /could not be read/);
        assert.ok(
          pool.some((p) => e.message.includes(p.name)),
          e.message,
        );
        return true;
      });
      for (const k of Object.keys(cal.faults)) delete cal.faults[k as keyof typeof cal.faults];
    }
  });

  it("after the last retry, proposes without the unreadable interviewer, names them and flags the proposal for a person", async () => {
    // Only Microsoft Graph is down: the second person's calendar.
    cal.faults.unavailableNext = 100;
    cal.faults.match = /getSchedule/;
    const out = await propose()(input({ lastAttempt: true }));
    for (const k of Object.keys(cal.faults)) delete cal.faults[k as keyof typeof cal.faults];
    assert.equal(out.feasible, true, JSON.stringify(out.reason));
    assert.deepEqual(
      (out.unreadableCalendars as { name: string }[]).map((u) => u.name),
      [pool[1]!.name],
    );
    const flags = out.flags as string[];
    assert.equal(flags.length, 1);
    assert.match(flags[0]!, new RegExp(`${pool[1]!.name}.*could not be read after every retry.*a person must check`));
    assert.match((out.reasons as string[])[0]!, /could not be read after every retry/);
    const seated = (out.booking as { sessions: { interviewers: { email: string }[] }[] }).sessions.flatMap((s) => s.interviewers.map((i) => i.email));
    assert.ok(!seated.includes(pool[1]!.email), "the unread interviewer is not seated");
  });

  it("with every calendar readable, nothing is flagged", async () => {
    const out = await propose()(input({ lastAttempt: false }));
    assert.equal(out.feasible, true);
    assert.deepEqual([out.flags, out.unreadableCalendars], [[], []]);
  });
});
