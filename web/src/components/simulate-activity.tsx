/**
 * "Simulate activity" on the Start page (built-in sandbox only, admins and recruiters): one round
 * of the demo organisation's day now — a new application, candidates moving on (some into an
 * interview stage, where scheduling proposes times), a phone screen and its feedback — arriving as
 * the sandbox's webhooks like any other change. Says how often it happens by itself.
 */
import { useState } from "react";
import type { SandboxBurst } from "../../../src/contract/console-api.ts";
import { post, type User } from "../api.ts";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function SimulateActivity({ user, everySeconds }: { user: User; everySeconds: number | null | undefined }) {
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  if (user.role !== "admin" && user.role !== "recruiter") {
    return <p className="muted">An admin or a recruiter can simulate activity in the sandbox.</p>;
  }
  const run = async () => {
    setBusy(true);
    try {
      const b = await post<SandboxBurst>("/console/api/sandbox/activity");
      const parts = [
        plural(b.applications, "application", "applications"),
        plural(b.stageMoves, "stage move", "stage moves"),
        plural(b.interviews, "phone screen", "phone screens"),
      ];
      setSaid({ ok: true, text: `Sent ${parts.join(", ")}. Their webhooks arrive in a moment; proposals follow as workflows run.` });
    } catch (error) {
      setSaid({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="simulate-activity">
      <p>
        {everySeconds
          ? `The sandbox sends a new application, stage moves and a phone screen every ${everySeconds} seconds by itself.`
          : "The sandbox's own activity is off (FULCRUM_SANDBOX_ACTIVITY); simulate a round by hand."}
      </p>
      <button type="button" onClick={run} disabled={busy} aria-describedby="simulate-note">
        {busy ? "Simulating…" : "Simulate activity"}
      </button>{" "}
      <span id="simulate-note" className="muted">
        one round now: an application, stage moves, a phone screen with feedback
      </span>
      <p role="status" className={said?.ok === false ? "error" : "muted"}>
        {said?.text ?? ""}
      </p>
    </div>
  );
}
