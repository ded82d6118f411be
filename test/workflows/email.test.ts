/**
 * E-mail over SMTP end to end: `fulcrum serve` on the built-in sandbox, the talent-pool nurture
 * workflow drafts a personal e-mail when a candidate is archived for a non-hired reason, and
 * approving it through the REST API sends it through a real SMTP server (smtp-server) with the
 * credentials of FULCRUM_SMTP_URL. Without SMTP settings, approving is refused and the draft stays.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { SMTPServer } from "smtp-server";
import { loadConfig } from "../../src/config/index.ts";
import { createLogger, silentLogger } from "../../src/observability/index.ts";
import { createPostgresDatabase, testEngines } from "../../src/store/testing.ts";
import { startServer, type RunningServer } from "../../src/cli/commands/serve.ts";
import { createNotifier } from "../../src/engine/runs/runtime.ts";
import { createApiToken } from "../../src/server/api/tokens.ts";
import { resumeFor } from "./harness.ts";
import { runFulcrum } from "../support/fulcrum-cli.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

const ADMIN = "email-admin-token-0123456789";
const SMTP_USER = "fulcrum-mailer";
const SMTP_PASSWORD = "s3cret/pa:ss@word";

interface Received {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

/** A real SMTP server on a free loopback port that keeps what it receives. */
async function startSmtp(options: { auth: boolean }): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, done) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return done(null, { user: auth.username });
      return done(new Error("invalid credentials"));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.server.address() as AddressInfo).port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Starts `fulcrum serve` on the built-in sandbox with `extra` settings; on PostgreSQL in a fresh database. */
async function serve(kind: string, extra: NodeJS.ProcessEnv, logs?: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-wf-email-"));
  const env: NodeJS.ProcessEnv = { FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", FULCRUM_ADMIN_TOKEN: ADMIN, ...extra };
  let dropDb: (() => Promise<void>) | undefined;
  if (kind === "postgres") {
    const created = await createPostgresDatabase();
    dropDb = created.drop;
    env.DATABASE_URL = created.url;
    env.FULCRUM_SECRET_KEY = randomBytes(32).toString("hex");
  }
  const logger = logs
    ? createLogger({ level: "trace", destination: new Writable({ write: (chunk, _enc, cb) => void (logs.push(String(chunk)), cb()) }) })
    : silentLogger;
  const running = await startServer({ config: loadConfig(env), logger });
  // Built-in workflows start in shadow, on the sandbox too: the team switches nurture to auto
  // (its e-mail still waits for a person); one admin asks, a second approves (four eyes).
  const asked = await fetch(`${running.url}/api/workflows/talent-pool-nurture`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify({ mode: "auto" }),
  });
  if (asked.status !== 202) throw new Error(`could not ask to switch talent-pool-nurture to auto: ${asked.status} ${await asked.text()}`);
  const { change } = (await asked.json()) as { change: { id: number } };
  const approver = (await createApiToken(running.ctx.db, "second admin", "admin")).token;
  const switched = await fetch(`${running.url}/api/workflows/talent-pool-nurture/changes/${change.id}/approve`, {
    method: "POST",
    headers: { authorization: `Bearer ${approver}` },
  });
  if (switched.status !== 200) throw new Error(`could not approve switching talent-pool-nurture to auto: ${switched.status} ${await switched.text()}`);
  return {
    running,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    async stop() {
      await running.stop({ timeoutMs: 2000 });
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function api(
  running: RunningServer,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${running.url}/api${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${ADMIN}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The text/plain part of a raw message, quoted-printable decoded, with LF line ends. */
function plainText(raw: string): string {
  const part = raw.split(/Content-Type: text\/plain[^\r\n]*\r\n/)[1] ?? "";
  const body = part.slice(part.indexOf("\r\n\r\n") + 4).split(/\r\n--/)[0]!;
  const bytes = body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8").replace(/\r\n/g, "\n");
}

/** Polls until `probe` gives a value (the run goes through webhooks and job workers). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A candidate applies in the sandbox and is archived for a non-hired reason; resolves with the drafted e-mail proposal. */
async function archiveForNurture(running: RunningServer, name: string): Promise<{ opportunityId: string; email: string; proposal: Record<string, any> }> {
  const sandbox = running.sandbox!;
  const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`;
  const { opportunityId } = sandbox.actions.applyToPosting(posting.id, {
    name,
    email,
    resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
  });
  const reason = sandbox.state.archiveReasons.find((r) => r.type !== "hired")!;
  sandbox.triggerArchive(opportunityId, reason.id);
  const proposal = await eventually("the nurture e-mail proposal", async () =>
    (await api(running, "/proposals?workflow=talent-pool-nurture&status=pending&limit=200")).body.proposals.find(
      (p: { opportunityId: string; stepId: string }) => p.opportunityId === opportunityId && p.stepId === "email",
    ),
  );
  return { opportunityId, email, proposal };
}

describe("the runtime's notifier", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp({ auth: false });
  });
  after(async () => smtp?.close());

  it("refuses to send over a connection that is not upgraded to TLS when TLS is required (the default)", async () => {
    const notify = createNotifier({
      smtp: { host: "127.0.0.1", port: smtp.port, secure: false, requireTls: true, allowSelfSigned: false, from: "f@example.org" },
    });
    await assert.rejects(notify("email", "a@example.org", { title: "t", text: "x" }));
    assert.equal(smtp.received.length, 0, "nothing was sent in the clear");
  });

  it("sends to every address of a comma-separated list", async () => {
    const notify = createNotifier({
      smtp: { host: "127.0.0.1", port: smtp.port, secure: false, requireTls: false, allowSelfSigned: false, from: "f@example.org" },
    });
    await notify("email", "a@example.org, b@example.org", { title: "Hello", text: "x" });
    assert.deepEqual(smtp.received.at(-1)!.to.sort(), ["a@example.org", "b@example.org"]);
  });

  it("says what to set when the server has no SMTP settings", async () => {
    await assert.rejects(createNotifier()("email", "a@example.org", { title: "t", text: "x" }), (e: unknown) => {
      assert.match((e as Error).message, /FULCRUM_SMTP_URL/);
      assert.equal((e as { retryable?: boolean }).retryable, false);
      return true;
    });
  });
});

for (const e of ENGINES) {
  describe(`nurture e-mail over SMTP end to end on ${e.kind}`, { skip: e.skip }, () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let server: Awaited<ReturnType<typeof serve>>;
    const logs: string[] = [];

    before(async () => {
      smtp = await startSmtp({ auth: true });
      server = await serve(
        e.kind,
        {
          FULCRUM_SMTP_URL: `smtp://${encodeURIComponent(SMTP_USER)}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${smtp.port}`,
          FULCRUM_SMTP_FROM: "Fulcrum Demo Co <talent@example.org>",
          // The test's SMTP server offers no STARTTLS.
          FULCRUM_SMTP_REQUIRE_TLS: "false",
        },
        logs,
      );
    });
    after(async () => {
      await server?.stop();
      await smtp?.close();
    });

    it("sends the drafted e-mail once a person approves it, and only then", async () => {
      const { running } = server;
      const { email, proposal } = await archiveForNurture(running, "Mail Person");
      assert.equal(proposal.action.channel, "email");
      assert.equal(proposal.action.to, email);
      assert.equal(smtp.received.length, 0, "nothing is sent before approval");

      const approved = await api(running, `/proposals/${proposal.id}/approve`, { method: "POST", body: {} });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      const applied = await eventually("the e-mail proposal to be applied", async () => {
        const p = (await api(running, `/proposals/${proposal.id}`)).body.proposal;
        if (p.status === "failed") throw new Error(`the e-mail failed: ${p.error}`);
        return p.status === "applied" ? p : undefined;
      });
      assert.deepEqual(applied.result, { sent: true });

      assert.equal(smtp.received.length, 1);
      const mail = smtp.received[0]!;
      assert.equal(mail.user, SMTP_USER, "the URL's credentials were used");
      assert.equal(mail.from, "talent@example.org");
      assert.deepEqual(mail.to, [email]);
      assert.match(mail.raw, new RegExp(`^Subject: ${escapeRegExp(String(proposal.action.subject))}\r$`, "m"), "the drafted subject");
      assert.ok(plainText(mail.raw).includes(String(proposal.action.message).trim()), "the drafted body, as approved");

      const run = (await api(running, `/runs/${proposal.runId}`)).body.run;
      assert.equal(run.status, "succeeded");
      assert.ok(!logs.join("").includes(SMTP_PASSWORD), "the SMTP password never reaches a log");
    });
  });

  describe(`nurture e-mail without SMTP settings on ${e.kind}`, { skip: e.skip }, () => {
    let server: Awaited<ReturnType<typeof serve>>;
    before(async () => {
      server = await serve(e.kind, {});
    });

    // The CLI shares the server's database only on PostgreSQL (serve holds the embedded one).
    it("is refused from the command line too, before anything is recorded", { skip: e.kind === "pglite" && "serve holds the embedded database" }, async () => {
      const { running } = server;
      const { proposal } = await archiveForNurture(running, "Unmailed Commandline");
      const cli = await runFulcrum(["proposals", "approve", String(proposal.id), "--as", "ops"], {
        DATABASE_URL: server.databaseUrl,
        FULCRUM_DATA_DIR: server.dataDir,
      });
      assert.equal(cli.code, 1);
      assert.match(cli.stderr, /sends an e-mail, but e-mail is not configured on this server: set FULCRUM_SMTP_URL/);
      const after = (await api(running, `/proposals/${proposal.id}`)).body.proposal;
      assert.equal(after.status, "pending");
      assert.equal(after.decidedBy, null);
    });
    after(async () => server?.stop());

    it("refuses the approval with what to configure, and keeps the draft pending", async () => {
      const { running } = server;
      const { proposal } = await archiveForNurture(running, "Unmailed Person");
      const refused = await api(running, `/proposals/${proposal.id}/approve`, { method: "POST", body: {} });
      assert.equal(refused.status, 409);
      assert.match(JSON.stringify(refused.body), /e-mail is not configured on this server: set FULCRUM_SMTP_URL and FULCRUM_SMTP_FROM/);
      const after = (await api(running, `/proposals/${proposal.id}`)).body.proposal;
      assert.equal(after.status, "pending");
      assert.deepEqual(after.action, proposal.action, "the draft is unchanged");
      assert.equal(after.decidedBy, null);
      // Rejecting still works: only sending needs SMTP.
      const rejected = await api(running, `/proposals/${proposal.id}/reject`, { method: "POST", body: { reason: "not now" } });
      assert.equal(rejected.status, 200);
    });
  });
}
