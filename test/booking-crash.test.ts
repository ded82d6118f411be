/**
 * Crash safety of panel booking (issue 13, section 8): a worker process books a panel and is
 * killed with SIGKILL part-way — after the calendar events (and after the candidate's invite),
 * before the Lever panel — then started again. Afterwards there is exactly one event per session,
 * one invite, one Lever panel and one note: nothing lost, nothing written twice.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { hasWriteMarker } from "../src/lever/index.ts";
import { inviteUid } from "../src/scheduling/index.ts";
import { hasRadicale, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "../src/scheduling/booking/testing.ts";
import { startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { migrate, openDatabase } from "../src/store/index.ts";
import { createPostgresDatabase, testEngines } from "../src/store/testing.ts";

const WORKER = join(import.meta.dirname, "support", "booking-worker.ts");
const started: ChildProcess[] = [];

/** Runs the worker until it prints a line starting with `until`; resolves with that line. */
function runWorker(env: NodeJS.ProcessEnv, until: string): { child: ChildProcess; line: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [WORKER], { env: { ...process.env, ...env, FULCRUM_LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not print ${until} in time; stderr: ${stderr}`)), 90_000);
    createInterface({ input: child.stdout! }).on("line", (l) => {
      if (l.startsWith(until)) {
        clearTimeout(timer);
        resolve(l);
      }
    });
    void exited.then((code) => setTimeout(() => reject(new Error(`worker exited (${code}) before ${until}; stderr: ${stderr}`)), 50));
  });
  return { child, line, exited };
}

const engines = await testEngines();
const skip = hasRadicale ? false : "radicale is not installed (Debian package `radicale`): the booking crash test is skipped";

describe("booking crash safety", { skip }, () => {
  let sandbox: Sandbox;
  let radicale: Radicale;
  let smtp: SmtpSink;
  let dir: string;
  const people: { leverUserId: string; email: string; calendarUrl: string }[] = [];
  let opportunities: string[];
  let performAs: string;

  before(async () => {
    sandbox = await startSandbox({ seed: 5, rateLimit: false, candidates: 12 });
    radicale = await startRadicale();
    smtp = await startSmtpSink();
    dir = mkdtempSync(join(tmpdir(), "fulcrum-booking-crash-"));
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null);
    performAs = users.find((u) => u.accessRole === "super admin")!.id;
    for (const [n, u] of users.slice(0, 2).entries()) people.push({ leverUserId: u.id, email: u.email, calendarUrl: await radicale.makeCalendar(`crash${n}`) });
    opportunities = [...sandbox.state.opportunities.values()].filter((o) => o.applications.length > 0).map((o) => o.id);
  });
  after(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    radicale?.stop();
    await smtp?.close();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cases = engines.flatMap((e, n) => (["events", "invite"] as const).map((stop, m) => ({ engine: e, stop, slot: n * 2 + m })));
  for (const { engine, stop, slot } of cases) {
    it(`on ${engine.kind}: killed with SIGKILL after the ${stop === "events" ? "calendar events" : "candidate's invite"}, before the Lever panel; the rerun makes one event per session, one invite, one panel`, {
      skip: engine.skip,
      timeout: 200_000,
    }, async () => {
      const env: NodeJS.ProcessEnv = {
        SANDBOX_URL: sandbox.url,
        SANDBOX_KEY: sandbox.apiKey,
        PERFORM_AS: performAs,
        RADICALE_URL: radicale.url,
        PEOPLE: JSON.stringify(people),
        SMTP_PORT: String(smtp.port),
      };
      let drop: (() => Promise<void>) | undefined;
      if (engine.kind === "postgres") {
        const created = await createPostgresDatabase();
        drop = created.drop;
        env.DATABASE_URL = created.url;
      } else env.WORKER_DATA_DIR = join(dir, `db-${slot}`);
      const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.WORKER_DATA_DIR! });
      await migrate(db);
      await db.close();

      const day = `2026-08-${String(3 + slot).padStart(2, "0")}`;
      const opportunityId = opportunities[slot]!;
      const panelKey = `${opportunityId}:crash:${slot}`;
      env.BOOKING = JSON.stringify({
        opportunityId,
        panelKey,
        candidate: { name: "Crash Candidate", email: `crash${slot}@mail.example`, timezone: "Europe/Paris" },
        sessions: [
          {
            id: "one",
            title: "First",
            start: `${day}T08:00:00Z`,
            end: `${day}T09:00:00Z`,
            interviewers: [{ leverUserId: people[0]!.leverUserId, email: people[0]!.email }],
          },
          {
            id: "two",
            title: "Second",
            start: `${day}T09:15:00Z`,
            end: `${day}T10:00:00Z`,
            interviewers: [{ leverUserId: people[1]!.leverUserId, email: people[1]!.email }],
          },
        ],
      });
      try {
        const first = runWorker({ ...env, STOP_AT: stop }, "STOPPED");
        assert.equal(await first.line, `STOPPED ${stop}`);
        first.child.kill("SIGKILL");
        await first.exited;
        const panelsOf = () =>
          [...sandbox.state.panels.values()].filter((p) => p.opportunityId === opportunityId && hasWriteMarker(p.note, `fulcrum:book:${panelKey}:panel`));
        assert.equal(panelsOf().length, 0, "killed before the Lever panel");

        const second = runWorker(env, "DONE");
        const result = JSON.parse((await second.line).slice(5)) as { panelId: string; events: unknown[] };
        await second.exited;

        const eventsOn = async (person: number) => {
          const out: string[] = [];
          for (const href of await radicale.objects(people[person]!.calendarUrl)) {
            const text = await (
              await fetch(`${radicale.url}${href}`, { headers: { authorization: `Basic ${Buffer.from("alice:wonderland").toString("base64")}` } })
            ).text();
            if (text.includes(`DTSTART:${day.replaceAll("-", "")}`)) out.push(href);
          }
          return out;
        };
        assert.equal((await eventsOn(0)).length, 1, "one event for the first session");
        assert.equal((await eventsOn(1)).length, 1, "one event for the second session");
        assert.equal(result.events.length, 2);
        assert.equal(smtp.inbox.filter((m) => m.to.includes(`crash${slot}@mail.example`)).length, 1, "one invite");
        assert.ok(smtp.inbox.some((m) => m.raw.includes(inviteUid(panelKey).slice(0, 20))));
        const panels = panelsOf();
        assert.equal(panels.length, 1, "one Lever panel");
        assert.equal(panels[0]!.id, result.panelId);
        const notes = [...sandbox.state.notes.values()].filter(
          (n) => n.opportunityId === opportunityId && n.fields.some((f) => String(f.value).startsWith("Panel scheduled for")),
        );
        assert.equal(notes.length, 1, "one note");
      } finally {
        await drop?.();
      }
    });
  }
});
