/**
 * The workflow engine wired as `fulcrum serve` wires it, against the Lever sandbox: real database
 * (PGlite or PostgreSQL), real job queue and inbox, the real Lever client, the AI layer with its
 * local engines (or a mock model), the screening parser and the audit trail.
 */
import { randomBytes } from "node:crypto";
import { loadConfig, type Config } from "../../src/config/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { openTestDatabase, type TestDatabase } from "../../src/store/testing.ts";
import type { DatabaseKind } from "../../src/store/index.ts";
import { createJobQueue, type JobQueue } from "../../src/engine/queue/index.ts";
import { createInbox, type Inbox } from "../../src/engine/inbox/index.ts";
import { createLeverClient, type LeverClient } from "../../src/lever/index.ts";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.ts";
import type { Ai } from "../../src/ai/index.ts";
import { startEngineRuntime, type EngineRuntime } from "../../src/engine/runs/runtime.ts";
import { createSecretBox, parseSecretKey } from "../../src/engine/connections/index.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";

export interface Harness {
  t: TestDatabase;
  sandbox: Sandbox;
  queue: JobQueue;
  inbox: Inbox;
  runtime: EngineRuntime;
  config: Config;
  adminUserId: string;
  /** The Lever client the engine uses (the sandbox's API, performing as the admin). */
  client: LeverClient;
  /** Stores the sandbox's latest events of these names in the inbox, as the webhook intake would. */
  deliver(names?: string[]): Promise<number>;
  /** Waits until no run is running (waiting runs wait for people and count as settled). */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The modes a team trying the built-in workflows on the sandbox chooses in the console: they run in
 * auto (language-check in assist); each file's `modes` and `sandbox:` block still lower single
 * actions (stage moves, e-mail, messages wait for a person). Workflows start in shadow otherwise.
 */
export const SANDBOX_TRIAL_MODES: Readonly<Record<string, "shadow" | "assist" | "auto">> = {
  "application-screening": "auto",
  "approval-brief": "auto",
  "assessment-results": "auto",
  "feedback-follow-up": "auto",
  "hr-handoff": "auto",
  "interview-packet": "auto",
  "language-check": "assist",
  "talent-pool-nurture": "auto",
};

export async function startHarness(
  kind: DatabaseKind,
  options: {
    env?: Record<string, string>;
    ai?: Ai;
    sandboxSeed?: number;
    allowHosts?: string[];
    workflowModes?: Readonly<Record<string, "shadow" | "assist" | "auto">>;
  } = {},
): Promise<Harness> {
  const t = await openTestDatabase(kind);
  // Stored as a person's choice is once applied (PATCH /api/workflows/:id; a raise after a second person approved it).
  for (const [id, mode] of Object.entries(options.workflowModes ?? SANDBOX_TRIAL_MODES)) {
    await t.db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ($1, $2, 'user:trial')", [id, mode]);
  }
  const sandbox = await startSandbox({ port: 0, seed: options.sandboxSeed ?? 3, rateLimit: false, candidates: 12 });
  const config = loadConfig({ FULCRUM_SANDBOX: "off", FULCRUM_LOG_LEVEL: "silent", ...options.env });
  const queue = createJobQueue({ db: t.db, logger: silentLogger });
  await queue.start();
  const inbox = createInbox({ db: t.db, queue, logger: silentLogger });
  await inbox.start();
  const adminUserId = sandbox.demo!.userIdsByName.get("Dana Whitfield")!;
  const client = createLeverClient({
    baseUrl: sandbox.url,
    auth: { kind: "apiKey", apiKey: sandbox.apiKey },
    connectionId: "default",
    performAs: adminUserId,
    maxRetries: 1,
    retryBaseMs: 10,
  });
  const runtime = await startEngineRuntime({
    config,
    db: t.db,
    logger: silentLogger,
    queue,
    inbox,
    client: async () => client,
    connectionIds: async () => ["default"],
    isSandboxConnection: () => true,
    // As serve does: calendar secrets sealed with FULCRUM_SECRET_KEY open with it.
    ...(config.secretKey ? { calendarSecrets: { box: createSecretBox(parseSecretKey(config.secretKey, "FULCRUM_SECRET_KEY")) } } : {}),
    ...(options.ai ? { ai: options.ai } : {}),
    ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
  });
  await inbox.startProcessing({ concurrency: 4 });
  let delivered = 0;

  return {
    t,
    sandbox,
    queue,
    inbox,
    runtime,
    config,
    adminUserId,
    client,
    async deliver(names) {
      let n = 0;
      for (const ev of sandbox.events.slice(delivered)) {
        if (names && !names.includes(ev.event)) continue;
        await inbox.storeEvent({
          connectionId: "default",
          source: "lever",
          event: ev.event,
          dedupeKey: ev.id,
          triggeredAt: new Date(ev.triggeredAt),
          payload: { id: ev.id, event: ev.event, triggeredAt: ev.triggeredAt, token: randomBytes(8).toString("hex"), data: ev.data },
        });
        n++;
      }
      delivered = sandbox.events.length;
      return n;
    },
    async settle(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const open = await t.db.query<{ n: number }>(
          "select (select count(*)::int from inbox_events where status in ('received', 'processing')) + (select count(*)::int from workflow_runs where status = 'running') as n",
        );
        if (open.rows[0]!.n === 0) return;
        if (Date.now() > until) throw new Error("runs did not settle in time");
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      runtime.close();
      await queue.stop({ graceful: false, timeoutMs: 1000 });
      await sandbox.close();
      await t.drop();
    },
  };
}

/** A plain-text resume that meets a posting's listed requirements, with optional extra lines. */
export function resumeFor(postingContent: { lists: { text: string; content: string }[] }, extra: string[] = []): Uint8Array {
  const items = postingContent.lists.flatMap((l) => [...l.content.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "")));
  const text = [
    "Alex Example",
    "Senior engineer",
    "",
    "Experience",
    "Staff Engineer, Northwind Systems, January 2016 - present",
    ...items.map((i) => `- ${i}`),
    ...extra,
    "",
    "Education",
    "BSc Computer Science, University of Somewhere, 2011 - 2015",
  ].join("\n");
  return new TextEncoder().encode(text);
}

/** The notes the sandbox holds on one opportunity. */
export function notesOf(h: Harness, opportunityId: string) {
  return [...h.sandbox.state.notes.values()].filter((n) => (n as { opportunityId?: string }).opportunityId === opportunityId);
}

/**
 * A candidate applies to a published posting, then enters the Phone Screen stage: the
 * interview-packet workflow runs on the move. Resolves to the opportunity and its packet proposals.
 */
export async function candidateEntersPhoneScreen(h: Harness, name: string) {
  const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
  const { opportunityId: opp } = h.sandbox.actions.applyToPosting(posting.id, {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`,
    resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
  });
  await h.deliver(["applicationCreated"]);
  await h.settle();
  h.sandbox.actions.moveStage(opp, h.sandbox.state.stages.find((s) => s.text === "Phone Screen")!.id);
  await h.deliver(["candidateStageChange"]);
  await h.settle();
  const packets = (await listProposals(h.t.db, { workflowId: "interview-packet", limit: 500 })).filter((p) => p.opportunityId === opp);
  return { opp, packets };
}
