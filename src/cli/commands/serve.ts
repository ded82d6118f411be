/**
 * `fulcrum serve` (what `npm start` runs): the start-up composition of the whole service.
 * config → database (+ migrations) → connections → job queue → inbox → [sandbox] → HTTP server,
 * then prints where everything is. SIGTERM/SIGINT stop it gracefully: no new requests, intakes in
 * flight committed, jobs in flight finished (up to a timeout), then the database closed.
 *
 * Order matters: the engine registers its inbox processor before the inbox starts processing, and
 * what needs the listening server (the sandbox's webhooks, the console's first admin) comes after it.
 */
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Command } from "commander";
import { serve } from "@hono/node-server";
import { auditAnchorSettings, loadConfig, type Config } from "../../config/index.ts";
import { createLogger, type Logger } from "../../observability/index.ts";
import { migrate, openDatabase, startEmbeddedMaintenance, type Database } from "../../store/index.ts";
import {
  createEngineRuntime,
  createInbox,
  createJobQueue,
  createSecretBox,
  loadSecretKey,
  openConnections,
  type ConnectionRegistry,
  type Inbox,
  type JobQueue,
} from "../../engine/index.ts";
import { createApp, ensureBootstrapToken, ensureFirstAdmin, firstAdminBanner, type AppContext } from "../../server/index.ts";
import type { Sandbox } from "../../sandbox/index.ts";
import { holdEmbeddedDatabase } from "../engine-session.ts";
import { anchorKeyFrom, startAuditAnchoring } from "../../governance/index.ts";
import { calendarsConfigSchema } from "../../calendars/index.ts";

/** The running service, as `startServer` returns it. */
export interface RunningServer {
  ctx: AppContext;
  /** Base URL of the HTTP server. */
  url: string;
  /** Where Lever should deliver webhooks for the default connection. */
  webhookUrl: string;
  /** The built-in Lever sandbox, when it was started (no Lever credentials configured). */
  sandbox: Sandbox | null;
  registry: ConnectionRegistry;
  /** Graceful stop: stops accepting, finishes jobs in flight (up to `timeoutMs`), closes the database. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

export interface StartServerOptions {
  config: Config;
  logger?: Logger;
  /** Seconds pg-boss waits between supervision passes (lost jobs are retried there). */
  superviseIntervalSeconds?: number;
}

async function startBuiltInSandbox(config: Config, logger: Logger) {
  let mod: typeof import("../../sandbox/index.ts");
  try {
    mod = await import("../../sandbox/index.ts");
  } catch (error) {
    throw new Error(
      `the built-in Lever sandbox could not be loaded (${(error as Error).message}); set LEVER_API_KEY to use a real Lever account, or FULCRUM_SANDBOX=off`,
    );
  }
  // The built-in sandbox is a local demo: Fulcrum runs beside it on plain http, so `fulcrum
  // webhooks install --url http://127.0.0.1:…` must work against it (loopback hosts only; real
  // Lever and the sandbox's default both require https).
  const sandbox = await mod.startSandbox({ port: config.sandbox.port, seed: 1, allowHttpLoopbackWebhooks: true, calendars: true });
  logger.info({ url: sandbox.url }, "built-in Lever sandbox started");
  // With no calendar connection configured, the demo organisation's calendars are the sandbox's
  // Google and Graph imitations, so panels can be scheduled with no set-up.
  if (sandbox.calendars && (config.calendars?.connections.length ?? 0) === 0) {
    config.calendars = calendarsConfigSchema.parse({ ...config.calendars, ...mod.sandboxCalendarsConfig(sandbox.calendars) });
    logger.info({ url: sandbox.calendars.url }, "built-in calendar sandbox (Google Calendar and Microsoft Graph) connected");
  }
  return sandbox;
}

/**
 * The job queue as `serve` runs it, started. Jobs left active by a server that was killed come back
 * by their heartbeat within about 30 s on PostgreSQL (other processes may still be working there);
 * the embedded database belongs to this process alone, so its leftovers are retried at once.
 */
export async function startServeJobQueue(db: Database, logger: Logger, superviseIntervalSeconds?: number): Promise<JobQueue> {
  const queue = createJobQueue({
    db,
    logger,
    recoverAtStart: db.kind === "pglite",
    ...(superviseIntervalSeconds ? { superviseIntervalSeconds } : {}),
  });
  await queue.start();
  return queue;
}

/** Starts every part of the service for `config`. Used by `fulcrum serve` and end-to-end tests. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // The embedded database serves one process at a time; the pid file tells other commands so.
  const release = holdEmbeddedDatabase(config);
  let db: Database;
  try {
    db = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "db") });
  } catch (error) {
    release();
    throw error;
  }
  const closers: (() => Promise<void>)[] = [];
  try {
    await migrate(db);
    const opened = await openConnections(config, logger, { db });
    const registry = opened.registry;
    // The chain head, signed, into a folder outside the database: now, on a schedule, and at stop,
    // so a rewrite of the audit trail by someone with database access no longer matches it.
    const anchorSettings = auditAnchorSettings(config);
    const secretKey = loadSecretKey(config);
    const anchoring = startAuditAnchoring({
      db,
      logger,
      dir: anchorSettings.dir,
      key: anchorKeyFrom(secretKey.key),
      intervalMs: anchorSettings.intervalSeconds * 1000,
    });
    closers.push(() => anchoring.stop());

    const queue = await startServeJobQueue(db, logger, options.superviseIntervalSeconds);
    closers.push(() => queue.stop({ graceful: false, timeoutMs: 1000 }));
    const inbox: Inbox = createInbox({ db, queue, logger, replayWindowSeconds: config.webhook.replayWindowSeconds });
    await inbox.start();
    // The embedded database has no autovacuum and no checkpointer of its own.
    const maintenance = db.kind === "pglite" ? startEmbeddedMaintenance(db, { logger }) : undefined;
    if (maintenance) closers.push(() => maintenance.stop());

    const sandbox = config.sandbox.enabled ? await startBuiltInSandbox(config, logger) : null;
    if (sandbox) {
      closers.push(() => sandbox.close());
      // The sandbox is the default connection when no Lever account is configured. It listens on
      // loopback over http, which no other connection may use: exactly its origin is allowed.
      registry.allowOrigin(sandbox.url);
      // Writes that need perform_as (panels booked by a proposal or the candidate's booking page)
      // are made as the demo organisation's first super admin.
      const admin = [...sandbox.state.users.values()].find((u) => u.accessRole === "super admin" && u.deactivatedAt === null && u.email);
      await registry.add(
        {
          id: "default",
          name: "Built-in Lever sandbox",
          environment: "custom",
          baseUrl: sandbox.url,
          apiKey: sandbox.apiKey,
          ...(admin ? { performAs: admin.email! } : {}),
        },
        { source: "config", replace: true },
      );
    }

    const ctx: AppContext = { config, db, logger, queue, inbox, connections: registry, connectionRegistry: registry };
    if (sandbox?.activity) ctx.sandboxActivity = sandbox.activity;

    // The workflow engine (createEngineRuntime, serve variant) registers its inbox processor and job workers
    // here, before the inbox starts processing.
    const engineRuntime = await createEngineRuntime({
      kind: "serve",
      config,
      db,
      logger,
      queue,
      inbox,
      client: (id) => registry.client(id),
      connectionIds: async () => (await registry.list()).map((c) => c.id),
      // An API-key connection has no such setting (oauthSettings refuses it): its key decides, and
      // the gateway falls back to the plain list when Lever answers 403.
      confidential: async (id) =>
        registry.oauthSettings(id).then(
          (s) => s.confidential !== false,
          () => true,
        ),
      isSandboxConnection: (id) => sandbox !== null && id === "default",
      calendarSecrets: { box: createSecretBox(secretKey.key, { previous: secretKey.previous }) },
    });
    closers.push(async () => engineRuntime.close());
    ctx.engine = engineRuntime.engine;
    ctx.workflows = engineRuntime.workflows;
    if (config.adminToken) await ensureBootstrapToken(db, config.adminToken);

    await inbox.startProcessing({ concurrency: 8 });

    const app = createApp(ctx);
    const server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
      s.once("error", reject);
    });
    const address = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
    const webhookUrl = `${config.publicUrl ?? url}/webhooks/lever`;

    if (sandbox) {
      // Subscribe the sandbox's webhooks (settings-page style) to us and keep their tokens.
      const tokens = sandbox.subscribeAllWebhooks(webhookUrl);
      for (const [event, token] of Object.entries(tokens)) {
        await registry.storeWebhookToken("default", { event, token });
      }
      // The demo organisation's day: applications, stage moves, phone screens, on a timer when
      // asked (`fulcrum serve` asks for every 20 s unless told otherwise) and on the console's click.
      if (sandbox.activity) {
        const every = config.sandbox.activitySeconds;
        if (every) {
          sandbox.activity.start(every, (error) => logger.warn({ err: error }, "a burst of demo activity in the sandbox failed"));
          logger.info({ everySeconds: every }, "demo activity in the sandbox started");
        }
      }
    }

    // From here on the server listens: what needs its URL comes next.
    // The console's first admin: with no account yet, one is made and its password shown once.
    const firstAdmin = await ensureFirstAdmin(db);
    if (firstAdmin) process.stdout.write(firstAdminBanner(firstAdmin, `${config.publicUrl ?? url}/`) + "\n");

    let stopping: Promise<void> | undefined;
    const stop = (stopOptions: { timeoutMs?: number } = {}) => {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        engineRuntime.close();
        await inbox.drain();
        await queue.stop({ graceful: true, timeoutMs: stopOptions.timeoutMs ?? 30_000 });
        await maintenance?.stop();
        // After the jobs: the last anchor covers every record they appended.
        await anchoring.stop();
        if (sandbox) await sandbox.close();
        await db.close();
        release();
      })();
      return stopping;
    };
    return {
      ctx,
      url,
      webhookUrl,
      sandbox,
      registry,
      stop,
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    await db.close().catch(() => {});
    release();
    throw error;
  }
}

/** Seconds between bursts of the demo organisation's activity when neither FULCRUM_SANDBOX_ACTIVITY nor the config file says. */
export const DEFAULT_SANDBOX_ACTIVITY_SECONDS = 20;

/**
 * What `fulcrum serve` adds to the loaded configuration: a demo that shows something, so the
 * sandbox's organisation is busy unless told otherwise (tests calling startServer get no activity).
 */
export function withServeDefaults(config: Config): Config {
  if (config.sandbox.activitySeconds === undefined) config.sandbox.activitySeconds = DEFAULT_SANDBOX_ACTIVITY_SECONDS;
  return config;
}

export function register(program: Command): void {
  program
    .command("serve")
    .description("Run Fulcrum: webhook intake, job workers, console and API on one port (what `npm start` runs).")
    .option("--port <port>", "port to listen on (default: PORT or 4100)")
    .addHelpText(
      "after",
      `
Uses the embedded database in <FULCRUM_DATA_DIR>/db (default .fulcrum/db), or the PostgreSQL server
at DATABASE_URL. Without Lever credentials (LEVER_API_KEY or a config file) it also starts the
built-in Lever sandbox with a demo organisation, connects to it and subscribes to its webhooks;
with no calendar connection configured it also serves imitations of Google Calendar and Microsoft
Graph holding three weeks of the demo people's calendars, and connects to those.
The demo organisation stays busy: every FULCRUM_SANDBOX_ACTIVITY seconds (default 20; off stops
it) a new application arrives, candidates move on (some into interview stages) and a phone screen
is held and its feedback written, each as the sandbox's signed webhooks; "Simulate activity" on
the console's Start page does one round at once.
SIGTERM or Ctrl-C stops it gracefully: jobs in flight finish (up to 30 s) before it exits.
It writes a signed anchor of the audit chain head into FULCRUM_AUDIT_ANCHOR_DIR (default
<FULCRUM_DATA_DIR>/audit-anchors) at start, every FULCRUM_AUDIT_ANCHOR_INTERVAL seconds (900) and at
stop; \`fulcrum audit verify\` checks the chain against them.

Examples:
  fulcrum serve
  PORT=8080 DATABASE_URL=postgres://fulcrum@db/fulcrum FULCRUM_SECRET_KEY=… fulcrum serve
`,
    )
    .action(async (opts: { port?: string }) => {
      const env = opts.port ? { ...process.env, PORT: opts.port } : process.env;
      const config = withServeDefaults(loadConfig(env));
      const logger = createLogger({ level: config.logLevel });
      for (const warning of config.warnings ?? []) logger.warn(warning);
      const running = await startServer({ config, logger });
      const lines = [
        `Fulcrum is running`,
        `  console:      ${running.url}/`,
        `  webhooks:     ${running.webhookUrl}`,
        `  health:       ${running.url}/healthz   metrics: ${running.url}/metrics`,
        `  database:     ${config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded, in ${join(config.dataDir, "db")}`}`,
        `  audit anchors: ${auditAnchorSettings(config).dir} (every ${auditAnchorSettings(config).intervalSeconds} s and at stop)`,
      ];
      if (running.sandbox) {
        lines.push(`  Lever sandbox: ${running.sandbox.url}`, `  sandbox API key: ${running.sandbox.apiKey}`);
        if (running.sandbox.activity?.everySeconds)
          lines.push(
            `  demo activity: a new application, stage moves and a phone screen every ${running.sandbox.activity.everySeconds} s (FULCRUM_SANDBOX_ACTIVITY=off stops it)`,
          );
        if (running.sandbox.calendars) lines.push(`  calendar sandbox: ${running.sandbox.calendars.url} (Google Calendar and Microsoft Graph)`);
      }
      process.stdout.write(lines.join("\n") + "\n");
      const shutdown = (signal: string) => {
        logger.info({ signal }, "stopping: finishing jobs in flight");
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, "error while stopping");
            process.exit(1);
          },
        );
      };
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      process.once("SIGINT", () => shutdown("SIGINT"));
    });
}
