/**
 * The engine's tasks as `fulcrum serve` builds them from the loaded configuration, on a real
 * database: what the config file says reaches the tasks, not only what the environment says.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../config/index.ts";
import { linkTokenContext } from "../../scheduling/index.ts";
import { createBookingLinkStore, createBookingStore } from "../../store/index.ts";
import { createSecretBox } from "../connections/index.ts";
import { StepFailure } from "../errors.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import type { LeverGateway } from "../ports.ts";
import { configuredTasks, withBookingLinks } from "./runtime.ts";

const START = "2027-01-12T14:30:00Z";

for (const engine of await testEngines()) {
  describe(`the configured tasks on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let dir: string;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      dir = mkdtempSync(join(tmpdir(), "fulcrum-runtime-tasks-"));
      // A panel Fulcrum booked, starting in an hour: its 1 h reminder is due.
      const p = {
        opportunityId: "opp-1",
        panelKey: "opp-1:onsite",
        candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "Europe/Lisbon" },
        sessions: [
          {
            id: "hm",
            title: "Hiring manager",
            start: START,
            end: new Date(Date.parse(START) + 45 * 60_000).toISOString(),
            interviewers: [{ leverUserId: "u1", email: "hm@example.com" }],
          },
        ],
      };
      const bookings = createBookingStore(t.db);
      await bookings.hold({ panelKey: p.panelKey, connectionId: "default", opportunityId: p.opportunityId, paramsHash: "h", params: p }, [
        { interviewer: "hm@example.com", sessionId: "hm", start: START, end: p.sessions[0]!.end },
      ]);
      await bookings.recordPanel(p.panelKey, "panel-1");
      await bookings.setStatus(p.panelKey, "booked");
    });
    after(async () => {
      await t?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Runs a task as serve builds it over a config file with `fileText`, `before` the panel; returns the addresses mailed. */
    async function runTask(
      name: string,
      fileText: string,
      task: "scheduling.reminder" | "scheduling.mitigate",
      params: Record<string, unknown>,
      beforeMs: number,
    ): Promise<{ sent: string[]; output: Record<string, unknown> }> {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, fileText);
      const config = loadConfig({ FULCRUM_CONFIG: file, FULCRUM_DATA_DIR: dir });
      const sent: string[] = [];
      const realNow = Date.now;
      // The task reads the clock.
      Date.now = () => Date.parse(START) - beforeMs;
      try {
        const tasks = configuredTasks(config, { notify: async (_channel, to) => void sent.push(to) });
        const output = await tasks[task]!({
          with: params,
          context: {},
          fetch: async () => ({}),
          ai: undefined,
          lever: {} as LeverGateway,
          traceId: "trace",
          event: { panelId: "panel-1", interviewId: "int-1", opportunityId: "opp-1" },
          connectionId: "default",
          dryRun: false,
          db: t.db,
          startWorkflow: async () => null,
        });
        return { sent, output };
      } finally {
        Date.now = realNow;
      }
    }

    it("sends no reminder under a shadow mode ceiling set only in the config file, and sends it without one", async () => {
      assert.equal(process.env.FULCRUM_MODE_CEILING, undefined, "the environment sets no ceiling in this test");
      const remind = (n: string, text: string) => runTask(n, text, "scheduling.reminder", { offsets: "24h, 1h", send: "auto" }, 3_600_000);
      const shadow = await remind("shadow", "modeCeiling: shadow\n");
      assert.deepEqual(shadow.sent, [], "nothing is sent under the file's shadow ceiling");
      assert.match(String((shadow.output.candidate as Record<string, unknown>).reason), /mode ceiling is shadow/);
      const open = await remind("auto", "modeCeiling: auto\n");
      assert.ok(open.sent.includes("casey@mail.example"), `the same reminder goes out without it: ${JSON.stringify(open.output)}`);
    });

    it("puts the candidate's booking link into an e-mail only as it is sent, and sends nothing when the link cannot be opened", async () => {
      const box = createSecretBox(randomBytes(32));
      const requestKey = "opp-9:st-onsite:trace-9";
      const { token } = await createBookingLinkStore(t.db).create({
        connectionId: "default",
        opportunityId: "opp-9",
        requestKey,
        request: { opportunityId: "opp-9" },
        expiresAt: new Date(Date.now() + 86_400_000),
        seal: (tk) => box.seal(tk, linkTokenContext("default", requestKey)),
      });
      const sent: { to: string; text: string }[] = [];
      const notify = withBookingLinks(async (_c, to, m) => void sent.push({ to, text: m.text }), { db: t.db, box, publicUrl: "https://fulcrum.example/" });
      const text = "Hello Ana,\n\npick a time here:\n[booking link]\n";
      await notify("email", "ana@mail.example", { title: "Choose a time", text, bookingLink: { connectionId: "default", requestKey } });
      assert.deepEqual(sent, [{ to: "ana@mail.example", text: `Hello Ana,\n\npick a time here:\nhttps://fulcrum.example/book/${token}\n` }]);

      // Another key cannot open it, and an unknown link is not made up: nothing goes out, the step says why.
      const wrongKey = withBookingLinks(async (_c, to, m) => void sent.push({ to, text: m.text }), {
        db: t.db,
        box: createSecretBox(randomBytes(32)),
        publicUrl: "https://fulcrum.example/",
      });
      await assert.rejects(
        wrongKey("email", "ana@mail.example", { title: "t", text, bookingLink: { connectionId: "default", requestKey } }),
        (e: Error) => e instanceof StepFailure && /booking link could not be opened/.test(e.message),
      );
      await assert.rejects(
        notify("email", "ana@mail.example", { title: "t", text, bookingLink: { connectionId: "default", requestKey: "nope" } }),
        (e: Error) => e instanceof StepFailure && /no longer exists/.test(e.message),
      );
      assert.equal(sent.length, 1);
      // A placeholder with no link to fill it (a run stored before links were sealed, a link made again
      // since) is never sent as the literal "[booking link]": the step says why.
      await assert.rejects(
        notify("email", "ana@mail.example", { title: "t", text }),
        (e: Error) => e instanceof StepFailure && /placeholder but no booking link/.test(e.message),
      );
      assert.equal(sent.length, 1);
      // A message with no placeholder (a person took it out) goes as written.
      await notify("email", "ana@mail.example", { title: "t", text: "No link here.", bookingLink: { connectionId: "default", requestKey } });
      assert.equal(sent.at(-1)!.text, "No link here.");
    });

    it("sends no extra reminder for a high no-show risk under a shadow mode ceiling set only in the config file", async () => {
      const params = { level: "high", mitigations: "extraReminder", extraReminder: "3h", offsets: "24h, 1h", send: "auto" };
      const mitigate = (n: string, text: string) => runTask(n, text, "scheduling.mitigate", params, 3 * 3_600_000);
      const shadow = await mitigate("extra-shadow", "modeCeiling: shadow\n");
      assert.deepEqual(shadow.sent, []);
      assert.match(String((shadow.output.extraReminder as Record<string, unknown>).reason), /mode ceiling is shadow/);
      const open = await mitigate("extra-auto", "modeCeiling: assist\n");
      assert.deepEqual(open.sent, ["casey@mail.example"], JSON.stringify(open.output));
    });
  });
}
