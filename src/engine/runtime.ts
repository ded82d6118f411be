/**
 * One factory for the engine's runtimes, so `serve`, the console's dry runs, `fulcrum workflows
 * test` and `fulcrum proposals approve` build the engine one way:
 *
 * - `serve`: the whole engine over the job queue, its workers, schedules and watchers;
 * - `dry-run`: steps run in this process when asked, every action recorded in shadow, no message
 *   sent, and (unless asked) no timer armed — a dry run writes nothing outside its own run;
 * - `decide-only`: records a person's decision on a proposal and enqueues the step for the
 *   server's workers; it reads no workflow and calls no Lever.
 *
 * @example
 * const dry = await createEngineRuntime({ kind: "dry-run", db, workflows, lever, ai });
 * const [runId] = await dry.run(event);
 */
import type { Config } from "../config/index.ts";
import type { Logger } from "../observability/index.ts";
import type { Database } from "../store/index.ts";
import type { EngineEvent } from "./workflows/index.ts";
import type { JobQueue } from "./queue/index.ts";
import type { AiStepRunner, AuditSink, LeverGateway, StepDispatcher } from "./ports.ts";
import {
  createInlineDispatcher,
  createQueueDispatcher,
  createWorkflowEngine,
  defineEngineQueues,
  refuseUnsendableEmail,
  startEngineRuntime,
  type EngineRuntime,
  type EngineRuntimeOptions,
  type WorkflowEngine,
  type WorkflowSource,
} from "./runs/index.ts";
import { builtInTasks, readResumeWithScreening } from "./steps/index.ts";
import { engineServices, type ProposalService } from "./services.ts";

/** `fulcrum serve`'s engine: see `startEngineRuntime`. Call before `inbox.startProcessing()`. */
export interface ServeRuntimeOptions extends EngineRuntimeOptions {
  kind: "serve";
}

export interface DryRunRuntimeOptions {
  kind: "dry-run";
  db: Database;
  workflows: WorkflowSource;
  lever: (connectionId: string) => LeverGateway | Promise<LeverGateway>;
  ai: AiStepRunner;
  /** The built-in tasks' settings (other hiring tools, calendars and scheduling). */
  tasks?: Parameters<typeof builtInTasks>[0] | undefined;
  audit?: AuditSink | undefined;
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
  /**
   * Arms the run's timers in this process's queue, where they fire when due as `run` drains it.
   * Off by default: arming a timer re-times a real run's timer of the same key in a shared database.
   */
  armTimers?: boolean | undefined;
}

/** Runs events as dry runs: each `run` starts the matching runs and runs their steps to the end. */
export interface DryRunRuntime {
  /** The ids of the dry runs the event started (none when no workflow matches). */
  run(event: EngineEvent): Promise<number[]>;
}

export interface DecideOnlyRuntimeOptions {
  kind: "decide-only";
  db: Database;
  /** The queue the server's workers read; the approved step is enqueued there. */
  queue: JobQueue;
  /** The mode ceiling, and SMTP settings: an e-mail is refused up front where it cannot be sent. */
  config: Pick<Config, "smtp" | "modeCeiling">;
}

export function createEngineRuntime(options: ServeRuntimeOptions): Promise<EngineRuntime>;
export function createEngineRuntime(options: DryRunRuntimeOptions): Promise<DryRunRuntime>;
export function createEngineRuntime(options: DecideOnlyRuntimeOptions): Promise<ProposalService>;
/** Builds the engine for one of its three uses (see the file's comment). */
export async function createEngineRuntime(
  options: ServeRuntimeOptions | DryRunRuntimeOptions | DecideOnlyRuntimeOptions,
): Promise<EngineRuntime | DryRunRuntime | ProposalService> {
  if (options.kind === "serve") return startEngineRuntime(options);
  if (options.kind === "dry-run") return dryRunRuntime(options);
  return decideOnlyRuntime(options);
}

function dryRunRuntime(o: DryRunRuntimeOptions): DryRunRuntime {
  return {
    async run(event) {
      // One engine and in-process queue per run, so dry runs can go side by side.
      const inline = createInlineDispatcher(o.db);
      const dispatcher: StepDispatcher = o.armTimers ? inline.dispatcher : { ...inline.dispatcher, enqueueTimer: async () => {} };
      const engine = createWorkflowEngine({
        db: o.db,
        workflows: o.workflows,
        lever: o.lever,
        dispatcher,
        modeCeiling: "shadow",
        ai: o.ai,
        tasks: builtInTasks(o.tasks),
        readResume: readResumeWithScreening,
        notify: async () => {
          throw new Error("a dry run sends no message");
        },
        audit: o.audit,
        logger: o.logger,
        now: o.now,
      });
      const ids = await engine.handleEvent(event, { dryRun: true });
      await inline.drain(engine);
      return ids;
    },
  };
}

async function decideOnlyRuntime(o: DecideOnlyRuntimeOptions): Promise<ProposalService> {
  await defineEngineQueues(o.queue);
  // Only the decision is used: it records it and enqueues the step for the server's workers,
  // which apply it. No workflow is read and Lever is never called here.
  const engine: WorkflowEngine = refuseUnsendableEmail(
    createWorkflowEngine({
      db: o.db,
      workflows: { list: () => [], get: () => undefined },
      lever: () => {
        throw new Error("the CLI does not call Lever; the server applies approved proposals");
      },
      dispatcher: createQueueDispatcher(o.queue, o.db),
      modeCeiling: o.config.modeCeiling,
    }),
    { config: o.config, db: o.db },
  );
  return engineServices(engine).proposals;
}
