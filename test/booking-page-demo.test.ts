/**
 * Candidate self-scheduling end to end on the demo organisation: `fulcrum serve` with the built-in
 * Lever sandbox and its calendars (Google and Graph imitations), PostgreSQL, and an SMTP sink. The
 * interview-scheduling workflow (selfSchedule: email) e-mails the candidate a link once a person
 * approves the e-mail; the candidate opens it, books the whole panel (events in the sandbox
 * calendars, the invite in the sink, the panel and a note in the Lever sandbox), moves it, and
 * cancels it, all from the same link. The interview reminder reaches the sink at its timer with the
 * reschedule link, and the move is made from that link.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../src/cli/commands/serve.ts";
import { loadConfig } from "../src/config/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { startSmtpSink, type SmtpSink } from "../src/scheduling/booking/testing.ts";
import { createApiToken } from "../src/server/api/tokens.ts";
import { createPostgresDatabase, testEngines } from "../src/store/testing.ts";
import { resumeFor } from "./workflows/harness.ts";
import { onFreePort } from "../test/support/free-port.ts";

const postgres = (await testEngines()).find((e) => e.kind === "postgres");
const skip = !postgres ? "PostgreSQL is not reachable" : postgres.skip;
const ADMIN = "booking-demo-admin-token-0123456789";

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every row of every table the service wrote (its own schema and the job queue's), as text, to grep for a secret. */
async function databaseText(db: RunningServer["ctx"]["db"]): Promise<string> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
  );
  assert.ok(tables.length > 10, "the dump sees the service's tables");
  const parts: string[] = [];
  for (const t of tables) {
    const { rows } = await db.query<{ text: string | null }>(`select string_agg(t::text, ' ') as text from ${t.name} t`);
    parts.push(rows[0]?.text ?? "");
  }
  return parts.join("\n");
}

/** The text/plain part of a raw message, quoted-printable decoded. */
function plainText(raw: string): string {
  const part = raw.split(/Content-Type: text\/plain[^\r\n]*\r\n/)[1] ?? raw;
  const body = part.slice(part.indexOf("\r\n\r\n") + 4).split(/\r\n--/)[0]!;
  const bytes = body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8").replace(/\r\n/g, "\n");
}

describe("a candidate books, moves and cancels their panel from the e-mailed link on the demo organisation", { skip }, () => {
  let running: RunningServer;
  let smtp: SmtpSink;
  let dataDir: string;
  let dropDb: () => Promise<void>;

  const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const res = await fetch(`${running.url}/api${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${init.token ?? ADMIN}`, ...(init.body ? { "content-type": "application/json" } : {}) },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  before(async () => {
    smtp = await startSmtpSink();
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-booking-demo-"));
    // The built-in workflow with self-scheduling by e-mail (a file with its id replaces it), and no notice period.
    const workflows = join(dataDir, "workflows");
    mkdirSync(workflows);
    const builtIn = readFileSync(new URL("../workflows/interview-scheduling.yaml", import.meta.url), "utf8");
    const edited = builtIn.replace(/selfSchedule: "off"/, 'selfSchedule: "email"').replace(/cancelNoticeHours: 24/, "cancelNoticeHours: 0");
    assert.notEqual(edited, builtIn);
    writeFileSync(join(workflows, "interview-scheduling.yaml"), edited);
    // The reminders, armed 14 days before (the longest offset), so the booked panel's reminder is due at once.
    const reminders = readFileSync(new URL("../workflows/interview-reminders.yaml", import.meta.url), "utf8");
    const soon = reminders.replace(/offsets: "24h, 1h"/, 'offsets: "14d"').replace(/before: 24h \}/, "before: 14d }");
    assert.notEqual(soon.replace(/before: 14d \}/, ""), reminders.replace(/before: 24h \}/, ""));
    writeFileSync(join(workflows, "interview-reminders.yaml"), soon);
    const created = await createPostgresDatabase();
    dropDb = created.drop;
    running = await onFreePort((port) =>
      startServer({
        config: loadConfig({
          FULCRUM_DATA_DIR: dataDir,
          PORT: String(port),
          FULCRUM_SANDBOX_PORT: "0",
          FULCRUM_ADMIN_TOKEN: ADMIN,
          DATABASE_URL: created.url,
          FULCRUM_SECRET_KEY: randomBytes(32).toString("hex"),
          FULCRUM_PUBLIC_URL: `http://127.0.0.1:${port}`,
          FULCRUM_WORKFLOWS_DIR: workflows,
          FULCRUM_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          FULCRUM_SMTP_FROM: "Northwind Recruiting <recruiting@northwind-demo.example>",
          FULCRUM_SMTP_REQUIRE_TLS: "false",
          FULCRUM_LOG_LEVEL: "silent",
        }),
        logger: silentLogger,
      }),
    );
    // The workflow runs in assist: one admin asks, a second approves.
    const asked = await api("/workflows/interview-scheduling", { method: "PATCH", body: { mode: "assist" } });
    if (asked.status === 202) {
      const approver = (await createApiToken(running.ctx.db, "second admin", "admin")).token;
      const ok = await api(`/workflows/interview-scheduling/changes/${asked.body.change.id}/approve`, { method: "POST", token: approver });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    } else assert.equal(asked.status, 200, JSON.stringify(asked.body));
  });

  after(async () => {
    await running?.stop({ timeoutMs: 2000 });
    await smtp?.close();
    await dropDb?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("walks the candidate from the approved e-mail to a booked panel, then moves and cancels it", async () => {
    const sandbox = running.sandbox!;
    const calendars = sandbox.calendars!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.hiringManager && p.content.lists.length > 0)!;
    const email = "paula.panel@mail.example";
    const { opportunityId } = sandbox.actions.applyToPosting(posting.id, {
      name: "Paula Panel",
      email,
      resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
    });
    sandbox.triggerStageChange(opportunityId, sandbox.state.stages.find((s) => s.text === "On-site Interview")!.id);

    // The e-mail with the link waits for a person; no time is proposed for booking instead.
    const proposal = await eventually("the e-mail with the booking link", async () => {
      const list = (await api("/proposals?workflow=interview-scheduling&limit=200")).body.proposals as {
        opportunityId: string;
        stepId: string;
        id: number;
        action: Record<string, unknown>;
        status: string;
      }[];
      const mine = list.filter((p) => p.opportunityId === opportunityId);
      const unschedulable = mine.find((p) => p.stepId === "unschedulable");
      if (unschedulable) throw new Error(`nothing fits on the demo calendars: ${String(unschedulable.action.message)}`);
      return mine.find((p) => p.stepId === "invite");
    });
    const all = (await api("/proposals?workflow=interview-scheduling&limit=200")).body.proposals as { opportunityId: string; stepId: string }[];
    assert.equal(all.filter((p) => p.opportunityId === opportunityId && p.stepId === "book").length, 0, "the candidate picks: no booking is proposed");
    assert.equal(proposal.action.to, email);
    // The proposal a person reads and edits holds a placeholder, not the link.
    assert.match(String(proposal.action.message), /\[booking link\]/);
    assert.doesNotMatch(String(proposal.action.message), /\/book\//);
    assert.equal(smtp.inbox.filter((m) => m.to.includes(email)).length, 0, "nothing is sent before approval");
    const approved = await api(`/proposals/${proposal.id}/approve`, { method: "POST", body: {} });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const mail = await eventually("the e-mail in the sink", async () => smtp.inbox.find((m) => m.to.includes(email)));
    const text = plainText(mail.raw);
    assert.match(text, /Hello Paula,/);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/book\/[A-Za-z0-9_-]{43})/.exec(text)?.[1];
    assert.ok(link, `the e-mail carries the link: ${text}`);
    assert.ok(link.startsWith(running.url), "the link points at this server's public address");
    // The token is nowhere in the database in clear: not in the run's output, the proposal, the jobs or the audit trail.
    const token = link.slice(-43);
    const dump = await databaseText(running.ctx.db);
    assert.ok(dump.includes("[booking link]"), "the dump holds the placeholder the proposal showed");
    assert.ok(!dump.includes(token), "the database holds no working booking link");

    // The page: whole-panel options, first name only.
    const page = await (await fetch(link)).text();
    assert.match(page, /Hello Paula,/);
    assert.doesNotMatch(page, /Panel|paula\.panel@/, "nothing about the candidate beyond the first name");
    const starts = [...page.matchAll(/name="start" value="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(starts.length >= 2, "at least two options");
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${link}${path}`, { method: "POST", redirect: "manual", body: new URLSearchParams(form) });

    const fulcrumEvents = () => [...calendars.store.events.values()].filter((e) => e.status === "confirmed" && e.title.includes("Paula Panel"));
    const booked = await post("/book", { start: starts[0]! });
    assert.equal(booked.status, 303);
    assert.match(booked.headers.get("location")!, /notice=booked/);
    assert.ok(fulcrumEvents().length >= 1, "the panel's events are in the sandbox calendars");
    assert.equal(fulcrumEvents()[0]!.start, Date.parse(starts[0]!));
    assert.ok(
      smtp.inbox.some((m) => m.to.includes(email) && m.raw.includes("METHOD:REQUEST")),
      "the invite went to the candidate",
    );
    const panels = () => [...sandbox.state.panels.values()].filter((p) => p.opportunityId === opportunityId);
    assert.equal(panels().length, 1, "one Lever panel");
    const notes = () => [...sandbox.state.notes.values()].filter((n) => n.opportunityId === opportunityId).map((n) => JSON.stringify(n.fields));
    assert.ok(notes().length >= 1, "a note in Lever");
    assert.match(await (await fetch(link)).text(), /Your interview/);

    // The reminder goes out at its timer, no approval needed, with the reschedule link.
    const reminder = await eventually("the candidate's reminder in the sink", async () => {
      const texts = smtp.inbox.filter((x) => x.to.includes(email) && !x.raw.includes("METHOD:")).map((x) => plainText(x.raw));
      return texts.find((t) => t.includes("A reminder that your interview"));
    }).catch(async (error: Error) => {
      const runs = await running.ctx.db.query(
        "select r.status, r.error, s.step_id, s.status as step, left(s.output::text, 400) as output from workflow_runs r left join workflow_steps s on s.run_id = r.id where r.workflow_id = 'interview-reminders' order by r.id, s.id",
      );
      const events = await running.ctx.db.query("select event, count(*)::int as n from inbox_events group by event");
      throw new Error(`${error.message}; reminder runs: ${JSON.stringify(runs.rows)}; inbox: ${JSON.stringify(events.rows)}`);
    });
    assert.match(reminder, /A reminder that your interview is (today|tomorrow|on \w+day|in \d+ days): \w+day \d+ \w+, \d\d:\d\d–\d\d:\d\d \(/);
    const fromReminder = /Reschedule or cancel here: (http:\/\/127\.0\.0\.1:\d+\/book\/[A-Za-z0-9_-]{43})/.exec(reminder)?.[1];
    assert.ok(fromReminder, `the reminder carries the reschedule link: ${reminder}`);
    // The step's output is stored once the step is done, a moment after the e-mail went.
    const stored = await eventually("the reminder run's recorded text", async () => {
      const { rows } = await running.ctx.db.query<{ text: string }>(
        "select coalesce(string_agg(s.output::text, ' '), '') as text from workflow_steps s join workflow_runs r on r.id = s.run_id where r.workflow_id = 'interview-reminders'",
      );
      return rows[0]!.text.includes("booking link, sent in the e-mail only") ? rows[0]!.text : undefined;
    });
    assert.ok(!stored.includes(fromReminder.slice(-43)), "the reminder runs keep no working link");
    const audit = await running.ctx.db.query<{ n: number }>(
      "select count(*)::int as n from audit_records where kind = 'scheduling.reminded' and data::text like $1",
      [`%${fromReminder.slice(-43)}%`],
    );
    assert.equal(audit.rows[0]!.n, 0, "nor does the audit trail");

    // Moving: the next option, from the link in the reminder.
    const again = await (await fetch(fromReminder)).text();
    assert.match(again, /Your interview/);
    const other = /name="start" value="([^"]+)"/.exec(again)![1]!;
    const moved = await fetch(`${fromReminder}/book`, { method: "POST", redirect: "manual", body: new URLSearchParams({ start: other }) });
    assert.match(moved.headers.get("location")!, /notice=moved/);
    assert.equal(Math.min(...fulcrumEvents().map((e) => e.start)), Date.parse(other), "the events moved");
    assert.equal(panels().length, 1, "still one Lever panel");

    // Cancelling: events gone, the invite cancelled, the panel removed, a note says so.
    const cancelled = await post("/cancel", {});
    assert.match(cancelled.headers.get("location")!, /notice=cancelled/);
    assert.equal(fulcrumEvents().length, 0, "the events are gone from the sandbox calendars");
    assert.ok(
      smtp.inbox.some((m) => m.to.includes(email) && m.raw.includes("METHOD:CANCEL")),
      "the candidate's invite was cancelled",
    );
    assert.equal(panels().filter((p) => p.canceledAt === null).length, 0, "no live Lever panel");
    assert.ok(
      notes().some((n) => n.includes("cancelled by the candidate")),
      "Lever has the cancellation note",
    );
    const done = await (await fetch(link)).text();
    assert.doesNotMatch(done, /name="start"/, "a cancelled link books nothing more");
  });
});
