/**
 * `npm start` schedules panels on the demo organisation with no set-up: `fulcrum serve` with the
 * built-in Lever sandbox and its calendars (the Google Calendar and Microsoft Graph imitations),
 * PostgreSQL and an SMTP sink. A demo candidate who enters the on-site stage gets a proposal with
 * 2–3 options from the demo people's calendars; approving the first books it: events with a Meet
 * or Teams link in the imitations, the invite in the sink, the panel and a note in the Lever sandbox.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../src/cli/commands/serve.ts";
import { loadConfig } from "../src/config/index.ts";
import { demoGraphPeople } from "../src/sandbox/calendars/index.ts";
import { silentLogger } from "../src/observability/index.ts";
import { startSmtpSink, type SmtpSink } from "../src/scheduling/booking/testing.ts";
import { createApiToken } from "../src/server/api/tokens.ts";
import { createPostgresDatabase, testEngines } from "../src/store/testing.ts";
import { resumeFor } from "./workflows/harness.ts";
import { onFreePort } from "../test/support/free-port.ts";

const postgres = (await testEngines()).find((e) => e.kind === "postgres");
const skip = !postgres ? "PostgreSQL is not reachable" : postgres.skip;
const ADMIN = "scheduling-demo-admin-token-0123456789";

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Proposal {
  id: number;
  opportunityId: string;
  stepId: string;
  status: string;
  action: Record<string, any>;
  evidence: { booking?: { sessions: unknown[] } }[];
}

describe("interview scheduling on the demo organisation with no set-up", { skip }, () => {
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
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-scheduling-demo-"));
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
          FULCRUM_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          FULCRUM_SMTP_FROM: "Northwind Recruiting <recruiting@northwind-demo.example>",
          FULCRUM_SMTP_REQUIRE_TLS: "false",
          FULCRUM_LOG_LEVEL: "silent",
        }),
        logger: silentLogger,
      }),
    );
    // The workflow is built in assist; a team trying it on the sandbox keeps it there (a raise needs two admins).
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

  it("proposes 2–3 options for a demo candidate entering the on-site stage; approving one books it into the Google and Graph imitations, the invite and Lever", async () => {
    const sandbox = running.sandbox!;
    const calendars = sandbox.calendars!;
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.hiringManager && p.content.lists.length > 0)!;
    const email = "nadia.onsite@mail.example";
    const { opportunityId } = sandbox.actions.applyToPosting(posting.id, {
      name: "Nadia Onsite",
      email,
      resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
    });
    sandbox.triggerStageChange(opportunityId, sandbox.state.stages.find((s) => s.text === "On-site Interview")!.id);

    const proposal = await eventually("a booking proposal", async () => {
      const list = (await api("/proposals?workflow=interview-scheduling&limit=200")).body.proposals as Proposal[];
      const mine = list.filter((p) => p.opportunityId === opportunityId);
      const unschedulable = mine.find((p) => p.stepId === "unschedulable");
      if (unschedulable) throw new Error(`nothing fits on the demo calendars: ${String(unschedulable.action.message)}`);
      return mine.find((p) => p.stepId === "book");
    });
    assert.equal(proposal.status, "pending", "assist: a person approves the booking");
    const options = [proposal.action.booking, ...proposal.evidence.map((e) => e.booking)].filter(Boolean);
    assert.ok(options.length >= 2 && options.length <= 3, `2–3 options, got ${options.length}`);
    const chosen = proposal.action.booking as { sessions: { start: string; end: string; interviewers: { email: string }[] }[] };
    const interviewers = new Set(chosen.sessions.flatMap((s) => s.interviewers.map((i) => i.email.toLowerCase())));
    assert.ok(interviewers.size >= 1);
    const panels = () => [...sandbox.state.panels.values()].filter((p) => p.opportunityId === opportunityId);
    assert.equal(panels().length, 0, "nothing is booked before approval");

    const approved = await api(`/proposals/${proposal.id}/approve`, { method: "POST", body: {} });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));

    const events = await eventually("the panel's events in the calendar imitations", async () => {
      const mine = [...calendars.store.events.values()].filter((e) => e.status === "confirmed" && e.title.includes("Nadia Onsite"));
      return mine.length >= 1 && panels().length === 1 ? mine : undefined;
    });
    assert.equal(Math.min(...events.map((e) => e.start)), Date.parse(chosen.sessions[0]!.start), "the approved option's time");
    // Each event carries its video link from the provider that holds it: Meet on Google, Teams on Graph.
    for (const e of events) {
      const onGraph = (demoGraphPeople as readonly string[]).includes(calendars.store.person(e.organizer)?.name ?? "");
      assert.ok(e.conference?.joinUrl, `a video link on "${e.title}"`);
      assert.equal(e.conference.type, onGraph ? "teamsForBusiness" : "hangoutsMeet");
      assert.ok((e.privateProperties && Object.keys(e.privateProperties).length > 0) || e.transactionId, "an idempotency key rides on the event");
    }
    assert.ok(
      smtp.inbox.some((m) => m.to.includes(email) && m.raw.includes("METHOD:REQUEST")),
      "the candidate's invite is in the sink",
    );
    const panel = panels()[0]!;
    assert.equal(panel.externallyManaged, true);
    const notes = () => [...sandbox.state.notes.values()].filter((n) => n.opportunityId === opportunityId).map((n) => JSON.stringify(n.fields));
    // The note is the booking's last write.
    await eventually("the note in Lever", async () => (notes().some((n) => n.includes("Panel scheduled for")) ? true : undefined), 20_000);
    // The run ends: the booking step succeeded.
    await eventually(
      "the run to finish",
      async () => {
        const { rows } = await running.ctx.db.query<{ status: string }>(
          "select status from workflow_runs where workflow_id = 'interview-scheduling' and opportunity_id = $1",
          [opportunityId],
        );
        return rows[0]?.status === "succeeded" || rows[0]?.status === "completed" ? rows[0].status : undefined;
      },
      20_000,
    );
  });
});
