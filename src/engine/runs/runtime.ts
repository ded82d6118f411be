/**
 * Start-up of the workflow engine inside `fulcrum serve`: loads (and watches) the workflow files,
 * builds the engine over the real Lever clients, AI layer, audit trail and notifications, hands
 * inbox events to it, and starts its job workers, the workflows' cron schedules and the daily
 * interview retention sweep.
 */
import type { Config, SmtpSettings } from "../../config/index.ts";
import type { Logger } from "../../observability/index.ts";
import type { Database } from "../../store/index.ts";
import type { CalendarSecrets } from "../../calendars/index.ts";
import type { JobQueue } from "../queue/index.ts";
import type { Inbox, InboxEvent } from "../inbox/index.ts";
import { createAi, createEmbedder, DEFAULT_AI_CONFIG, NonRetriableError, savedPromptsDir, type Ai } from "../../ai/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { sendEmail, sendSlack, sendTeams } from "../../notify/index.ts";
import { interviewAiOptions } from "../../interviews/index.ts";
import { getProposal } from "../proposals/index.ts";
import { formatProblem, opportunityIdOf, WorkflowSet, type EngineEvent } from "../workflows/index.ts";
import { createModeCeiling } from "../policy/index.ts";
import { BOOKING_LINK_PLACEHOLDER, fillBookingLink, openStoredBookingLink } from "../../scheduling/index.ts";
import { startCalendarWatch } from "./calendar-watch.ts";
import { startInterviewSweep } from "./interview-sweep.ts";
import { loadSecretKey } from "../connections/index.ts";
import {
  builtInTasks,
  createPanelBooker,
  createPanelRebooker,
  forgetInterviewTranscripts,
  forgetToolCandidates,
  leverGateway,
  readResumeWithScreening,
  startBackfillWorker,
  updateScreeningIndex,
} from "../steps/index.ts";
import { createQueueDispatcher, startEngineWorkers } from "./dispatch.ts";
import { createWorkflowEngine, type WorkflowEngine } from "./engine.ts";
import { EngineError, StepFailure } from "../errors.ts";
import type { AiStepRunner, LeverGateway, Notifier, ResumeReader } from "../ports.ts";

export const SCHEDULE_QUEUE = "workflow.schedule";

/** A job of SCHEDULE_QUEUE: the workflow to start and, optionally, the tick's time (ISO; default the job's creation). */
export interface ScheduleTick {
  workflowId: string;
  at?: string | undefined;
}

function tickTime(at: unknown): number | undefined {
  const t = typeof at === "string" ? Date.parse(at) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** The key of a workflow's n-th schedule trigger (the first keeps the bare workflow id, so existing schedules keep their key). */
export function scheduleKey(workflowId: string, index: number): string {
  return index === 0 ? workflowId : `${workflowId}/${index + 1}`;
}

/**
 * Makes SCHEDULE_QUEUE's pg-boss schedules exactly the schedule triggers of `workflows`: each
 * trigger has its own key (so two triggers of one workflow never overwrite each other), a changed
 * expression or time zone is updated, and the schedule of a removed trigger or workflow is dropped.
 * Unchanged schedules are not rewritten. Every process computes the same set from the same files.
 * Returns the schedules pg-boss refused (a bad expression or time zone), each naming its workflow;
 * the others are registered all the same.
 */
export async function reconcileSchedules(queue: JobQueue, workflows: readonly { id: string; triggers: readonly unknown[] }[]): Promise<string[]> {
  const wanted = new Map<string, { workflowId: string; cron: string; tz: string }>();
  for (const w of workflows) {
    const schedules = w.triggers.filter((t): t is { schedule: string; timezone?: string } => typeof t === "object" && t !== null && "schedule" in t);
    schedules.forEach((t, i) => wanted.set(scheduleKey(w.id, i), { workflowId: w.id, cron: t.schedule.trim(), tz: t.timezone ?? "UTC" }));
  }
  const problems: string[] = [];
  const existing = await queue.boss.getSchedules(SCHEDULE_QUEUE);
  for (const s of existing) if (!wanted.has(s.key)) await queue.boss.unschedule(SCHEDULE_QUEUE, s.key);
  for (const [key, w] of wanted) {
    const had = existing.find((s) => s.key === key);
    if (had && had.cron === w.cron && had.timezone === w.tz && (had.data as { workflowId?: string } | undefined)?.workflowId === w.workflowId) continue;
    try {
      await queue.schedule(SCHEDULE_QUEUE, w.cron, { workflowId: w.workflowId }, { key, tz: w.tz });
    } catch (error) {
      problems.push(`workflow ${w.workflowId}: schedule "${w.cron}" (${w.tz}) was not registered: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Turns an inbox row into the engine's event. The run key is the inbox's dedupe key, so a replay never starts a second run. */
export function engineEventFromInbox(ev: InboxEvent): EngineEvent {
  const payload = (ev.payload ?? {}) as { data?: Record<string, unknown>; triggeredAt?: number; event?: string };
  const tool = ev.source === "lever" ? undefined : ev.source.replace(/^tool:/, "");
  return {
    key: `${ev.source}:${ev.dedupeKey}`,
    inboxId: ev.id,
    connectionId: ev.connectionId,
    source: ev.source === "lever" ? "lever" : "tool",
    tool,
    name: ev.event,
    triggeredAt: ev.triggeredAt?.getTime() ?? ev.receivedAt.getTime(),
    data: ev.source === "lever" ? (payload.data ?? {}) : ((payload as Record<string, unknown>) ?? {}),
    traceId: ev.traceId,
  };
}

/** Adapts the AI layer to the engine's AI step port. */
export function aiStepRunner(ai: Ai): AiStepRunner {
  return async (req) => {
    const [stepType] = req.prompt.split("@");
    try {
      const r = await ai.runAiStep<Record<string, unknown>>(stepType!, req.input, {
        prompt: req.prompt.includes("@") ? req.prompt : undefined,
        provider: req.provider as never,
        model: req.model,
        onOpen: req.onUnavailable === "wait" ? "wait" : "fallback",
        context: { traceId: req.traceId, actor: "workflow" },
      });
      return {
        output: r.output,
        meta: {
          engine: r.meta.engine,
          provider: r.meta.provider,
          model: r.meta.model ?? undefined,
          prompt: r.meta.prompt,
          inputHash: r.meta.inputHash,
          tokens: r.meta.tokens?.total,
          costUsd: r.meta.costUsd ?? undefined,
          latencyMs: r.meta.latencyMs,
          ...(r.meta.fallbackReason ? { fallbackReason: r.meta.fallbackReason } : {}),
        },
      };
    } catch (error) {
      if (error instanceof NonRetriableError) throw new StepFailure(error.message);
      throw error;
    }
  };
}

/** Why an e-mail step cannot be sent on a server without SMTP settings. */
export const EMAIL_NOT_CONFIGURED =
  "e-mail is not configured on this server: set FULCRUM_SMTP_URL and FULCRUM_SMTP_FROM (see the README's configuration) and restart; the draft stays in the proposal";

/**
 * Slack and Teams through the notify module, and e-mail over SMTP with the server's SMTP settings
 * (`config.smtp`). Without them an e-mail step fails with a step failure saying so. `to` of an
 * e-mail may list several addresses separated by commas.
 */
export function createNotifier(o: { smtp?: SmtpSettings | undefined } = {}): Notifier {
  return async (channel, to, message) => {
    if (channel === "slack") return void (await sendSlack(to, message));
    if (channel === "teams") return void (await sendTeams(to, message));
    if (!o.smtp) throw new StepFailure(EMAIL_NOT_CONFIGURED);
    const recipients = to
      .split(/[,;]/)
      .map((a) => a.trim())
      .filter(Boolean);
    try {
      await sendEmail(o.smtp, { to: recipients.length === 1 ? recipients[0]! : recipients, title: message.title, text: message.text });
    } catch (error) {
      // A message that does not validate (empty subject, too long) will not get better on a retry.
      if (error instanceof TypeError) throw new StepFailure(`e-mail not sent: ${error.message}`);
      throw error;
    }
  };
}

/**
 * A notifier that puts the candidate's self-scheduling link where a message says `[booking link]`
 * (the message names the link; its token is opened from the sealed copy only now, so neither the
 * proposal nor the run keeps a working link). When the link cannot be opened, nothing is sent.
 */
export function withBookingLinks(
  notify: Notifier,
  o: { db: Database; box: CalendarSecrets["box"] | undefined; publicUrl: string | undefined; now?: (() => number) | undefined },
): Notifier {
  return async (channel, to, { bookingLink, ...message }) => {
    if (!message.text.includes(BOOKING_LINK_PLACEHOLDER)) return notify(channel, to, message);
    // Never send the literal placeholder: a run stored before links were sealed, or whose link was made again since, has none to fill it.
    if (!bookingLink)
      throw new StepFailure(
        `not sent: the message holds the ${BOOKING_LINK_PLACEHOLDER} placeholder but no booking link to fill it with (make a new link, or take the placeholder out of the message)`,
      );
    const link = await openStoredBookingLink(o.db, bookingLink, { box: o.box, publicUrl: o.publicUrl, now: new Date(o.now?.() ?? Date.now()) });
    if (!link.url) throw new StepFailure(`not sent: the message should carry the candidate's booking link, but ${link.reason}`);
    return notify(channel, to, { ...message, text: fillBookingLink(message.text, link.url) });
  };
}

/** The built-in tasks over the loaded configuration (the config file and the environment). */
export function configuredTasks(
  config: Config,
  o: { calendarSecrets?: CalendarSecrets | undefined; allowHosts?: readonly string[] | undefined; notify: Notifier },
): ReturnType<typeof builtInTasks> {
  return builtInTasks({
    tools: config.tools,
    scheduling: {
      calendars: config.calendars,
      scheduling: config.scheduling,
      secrets: o.calendarSecrets,
      publicUrl: config.publicUrl,
      // The environment's ceiling, else the config file's: reminders go out under neither when it is shadow.
      modeCeiling: config.modeCeiling,
    },
    interviews: { interviews: config.interviews, insecureHosts: o.allowHosts, maxUntrustedChars: config.ai?.maxUntrustedChars },
    notify: o.notify,
  });
}

export interface EngineRuntimeOptions {
  config: Config;
  db: Database;
  logger: Logger;
  queue: JobQueue;
  inbox: Inbox;
  /** Lever client per connection (the connection registry). */
  client(connectionId: string): Promise<Parameters<typeof leverGateway>[0]>;
  /** Connection ids, for schedules. */
  connectionIds(): Promise<string[]>;
  /**
   * Whether a connection may read confidential records (an OAuth connection's `confidential`
   * setting); true when absent. Lists then ask Lever for confidential records too.
   */
  confidential?: ((connectionId: string) => Promise<boolean>) | undefined;
  /** True for the built-in sandbox connection. */
  isSandboxConnection?: ((id: string) => boolean) | undefined;
  readResume?: ResumeReader | undefined;
  ai?: Ai | undefined;
  notify?: Notifier | undefined;
  /** Hosts the signed HTTP step may reach over http or on private addresses (tests only). */
  allowHosts?: readonly string[] | undefined;
  /** Opens calendar secrets sealed with the service's key (`fulcrum calendars seal`). */
  calendarSecrets?: CalendarSecrets | undefined;
}

export interface EngineRuntime {
  engine: WorkflowEngine;
  workflows: WorkflowSet;
  /** Brings the cron schedules in line with the loaded workflows (done at start and after every reload). */
  syncSchedules(): Promise<void>;
  close(): void;
}

/** Builds and starts the engine. Call before `inbox.startProcessing()`. */
export async function startEngineRuntime(o: EngineRuntimeOptions): Promise<EngineRuntime> {
  const workflows = new WorkflowSet({ userDir: o.config.workflowsDir, tools: Object.keys(o.config.tools ?? {}) });
  const report = (problems: ReturnType<WorkflowSet["problems"]>) => {
    for (const p of problems) o.logger.error({ file: p.file, line: p.line, field: p.field }, `workflow file problem: ${formatProblem(p)}`);
  };
  report(workflows.problems());
  workflows.onReload(report);
  workflows.watch();
  o.logger.info({ workflows: workflows.list().map((w) => w.workflow.id) }, "workflows loaded");

  const audit = createAuditTrail(o.db);
  // The interview analysis's step type and prompt are registered beside the built-in ones.
  // Prompt versions saved from the console (and approved) live in the data folder, read last so they win.
  const ai =
    o.ai ??
    createAi({
      config: { ai: o.config.ai ?? DEFAULT_AI_CONFIG },
      logger: o.logger,
      audit,
      ...interviewAiOptions,
      promptDirs: [...interviewAiOptions.promptDirs, savedPromptsDir(o.config.dataDir)],
    });
  const gateways = new Map<string, LeverGateway>();
  const notify = withBookingLinks(o.notify ?? createNotifier({ smtp: o.config.smtp }), {
    db: o.db,
    box: o.calendarSecrets?.box,
    publicUrl: o.config.publicUrl,
  });
  const engine = createWorkflowEngine({
    db: o.db,
    workflows,
    lever: async (id) => {
      let g = gateways.get(id);
      if (!g) gateways.set(id, (g = leverGateway(await o.client(id), { confidential: await o.confidential?.(id) })));
      return g;
    },
    dispatcher: createQueueDispatcher(o.queue, o.db),
    // Read live: the console can lower the ceiling without a restart (never above the environment's).
    modeCeiling: createModeCeiling(o.db, o.config.modeCeiling),
    ai: aiStepRunner(ai),
    tasks: configuredTasks(o.config, { calendarSecrets: o.calendarSecrets, allowHosts: o.allowHosts, notify }),
    readResume: o.readResume ?? readResumeWithScreening,
    notify,
    audit,
    isSandboxConnection: o.isSandboxConnection,
    autoArchive: o.config.policy?.autoArchive === true,
    allowHosts: o.allowHosts,
    tools: o.config.tools,
    book: createPanelBooker({ db: o.db, calendars: o.config.calendars, smtp: o.config.smtp, publicUrl: o.config.publicUrl, secrets: o.calendarSecrets }),
    rebook: createPanelRebooker({ db: o.db, calendars: o.config.calendars, smtp: o.config.smtp, publicUrl: o.config.publicUrl, secrets: o.calendarSecrets }),
    logger: o.logger,
  });
  const indexHook = { db: o.db, client: o.client, workflows: () => engine.effectiveWorkflows(), logger: o.logger };
  o.inbox.registerEventProcessor(async (event) => {
    const engineEvent = engineEventFromInbox(event);
    await engine.handleEvent(engineEvent);
    // The rediscovery index follows Lever too (archive, stage, hire, deletion); never fails the event.
    await updateScreeningIndex(indexHook, engineEvent);
    // A deleted candidate's tool records go whatever workflows run (a failure retries the event).
    const deleted = engineEvent.source === "lever" && engineEvent.name === "candidateDeleted" ? opportunityIdOf(engineEvent) : undefined;
    if (deleted) {
      await forgetToolCandidates(o.db, engineEvent.connectionId, deleted);
      await forgetInterviewTranscripts(o.db, engineEvent.connectionId, deleted);
    }
  });
  await startEngineWorkers(o.queue, o.db, engine);
  // Booked panels' calendars are read for declines, cancellations and moves on a schedule.
  let pushKey: Buffer | undefined;
  const push = { publicUrl: o.config.publicUrl, secretKey: () => (pushKey ??= loadSecretKey(o.config).key) };
  await startCalendarWatch({ db: o.db, queue: o.queue, inbox: o.inbox, calendars: o.config.calendars, secrets: o.calendarSecrets, push, logger: o.logger });
  // Backfills of the rediscovery index asked for over the API run here, in the background.
  await startBackfillWorker({ db: o.db, queue: o.queue, client: o.client, logger: o.logger, embedder: () => createEmbedder({ config: o.config }) });
  // Interview transcripts past their retention period go daily, whether or not new interviews arrive.
  await startInterviewSweep({ db: o.db, queue: o.queue, interviews: o.config.interviews, logger: o.logger });

  // Cron schedules: one per schedule trigger, each tick starting the workflow for every connection.
  await o.queue.define(SCHEDULE_QUEUE, { retryLimit: 2 });
  await o.queue.work<ScheduleTick>(SCHEDULE_QUEUE, { concurrency: 1 }, async (job) => {
    // The tick's minute, not the clock's when the job runs: a retry, or a tick that waited for a
    // worker, must find the runs it already started (run keys are per workflow, connection and key).
    const at = tickTime(job.data.at) ?? (await o.queue.getJob(job.id))?.createdOn.getTime() ?? Date.now();
    const minute = Math.floor(at / 60_000);
    const failed: string[] = [];
    for (const connectionId of await o.connectionIds()) {
      try {
        await engine.handleEvent({
          key: `schedule:${minute}`,
          connectionId,
          source: "schedule",
          name: "schedule",
          triggeredAt: minute * 60_000,
          data: {},
          traceId: crypto.randomUUID().replaceAll("-", ""),
          workflowId: job.data.workflowId,
        });
      } catch (error) {
        // One connection's failure must not cost the others their run; the retry redoes only what is missing.
        failed.push(connectionId);
        o.logger.warn({ workflowId: job.data.workflowId, connectionId, err: (error as Error).message }, "scheduled run could not start");
      }
    }
    if (failed.length > 0) throw new Error(`scheduled runs of ${job.data.workflowId} could not start for connection(s) ${failed.join(", ")}`);
  });
  // Kept in step with the files: a schedule added, changed or removed takes effect on reload.
  let syncing: Promise<void> = Promise.resolve();
  const syncSchedules = (): Promise<void> =>
    (syncing = syncing
      .catch(() => {})
      .then(async () => {
        for (const problem of await reconcileSchedules(
          o.queue,
          workflows.list().map((l) => l.workflow),
        ))
          o.logger.error(problem);
      }));
  workflows.onReload(() => void syncSchedules().catch((error: Error) => o.logger.error({ err: error.message }, "workflow schedules could not be updated")));
  await syncSchedules();
  return { engine: refuseUnsendableEmail(engine, o), workflows, syncSchedules, close: () => workflows.close() };
}

/**
 * Approving an e-mail proposal where e-mail cannot be sent is refused up front (409), so the
 * proposal stays pending with its draft instead of failing later in a job. The server's API and
 * `fulcrum proposals approve` both go through this (they read the same configuration).
 */
export function refuseUnsendableEmail(
  engine: WorkflowEngine,
  o: { config: Pick<Config, "smtp">; db: Database; notify?: Notifier | undefined },
): WorkflowEngine {
  if (o.config.smtp || o.notify) return engine;
  return {
    ...engine,
    async decideProposal(id, input) {
      if (input.decision === "approve") {
        const p = await getProposal(o.db, id);
        if (p && p.status === "pending" && p.kind === "notify" && p.action.channel === "email") {
          throw new EngineError("conflict", `proposal ${id} sends an e-mail, but ${EMAIL_NOT_CONFIGURED}`);
        }
      }
      return engine.decideProposal(id, input);
    },
  };
}
