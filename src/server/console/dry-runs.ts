/**
 * Dry runs for replay on history: the workflow engine wired as `fulcrum serve` wires it (same
 * database, workflows, Lever reads, tasks and resume parser), but with its steps run in this
 * process, every action recorded in shadow, and the AI layer loading the prompt files as they are
 * now — optionally with one prompt pinned to a saved version. This is how `fulcrum workflows test`
 * runs a workflow too; the difference is that replays keep their runs (marked `dry_run`) in
 * Fulcrum's database, so they can be compared and opened in the console.
 */
import { BUILT_IN_PROMPTS_DIR, type Ai } from "../../ai/index.ts";
import type { Logger } from "../../observability/index.ts";
import type { Database } from "../../store/index.ts";
import {
  aiStepRunner,
  createEngineRuntime,
  type AiStepRunner,
  type AuditSink,
  type EngineEvent,
  type LeverGateway,
  type WorkflowSource,
} from "../../engine/index.ts";
import type { ToolConfig } from "../../config/index.ts";

/** A prompt pinned to one saved version for every step that asks for it by name. */
export interface PromptPin {
  name: string;
  version: string;
}

export interface DryRunner {
  /** Runs the event as a dry run of `workflowId` until its steps have run; the run's id, or undefined when the workflow no longer matches the event. */
  run(event: EngineEvent, workflowId: string): Promise<number | undefined>;
  /** The prompt names the dry runs asked the AI layer for. */
  readonly promptsAsked: ReadonlySet<string>;
}

/** Makes dry runners, each with its own AI layer (prompts read from disk now) and optional pin. */
export type DryRunnerFactory = (pin?: PromptPin) => DryRunner;

export interface DryRunDeps {
  db: Database;
  workflows: WorkflowSource;
  lever: (connectionId: string) => Promise<LeverGateway>;
  /** An AI layer over these prompt folders (the AI configuration of the server). */
  ai: (promptDirs: string[]) => Ai;
  /** Saved prompt versions (the data folder's), read after the built-in ones so they win. */
  promptsDir: string;
  audit?: AuditSink | undefined;
  logger?: Logger | undefined;
  /** Other hiring tools by id (the config file's `tools:`): a dry run applies their pseudonym rules as the live run would. */
  tools?: Readonly<Record<string, ToolConfig>> | undefined;
}

// Dry runs of one event are told apart by the time in their run key (`…:dry:<ms>`); a clock that
// never gives the same millisecond twice lets two of them start side by side.
let lastTick = 0;
const uniqueNow = () => (lastTick = Math.max(Date.now(), lastTick + 1));

/** Builds dry runners over the server's parts. */
export function dryRunners(deps: DryRunDeps): DryRunnerFactory {
  return (pin) => {
    const base = aiStepRunner(deps.ai(deps.promptsDir === BUILT_IN_PROMPTS_DIR ? [deps.promptsDir] : [BUILT_IN_PROMPTS_DIR, deps.promptsDir]));
    const promptsAsked = new Set<string>();
    // Steps name a prompt (`resume-evidence`) or a version of it (`resume-evidence@v1`); a pin
    // replaces either with the pinned version, so tasks that name their prompt in code follow it too.
    const ai: AiStepRunner = (req) => {
      const name = req.prompt.split("@")[0]!;
      promptsAsked.add(name);
      return base(pin && name === pin.name ? { ...req, prompt: `${name}@${pin.version}` } : req);
    };
    return {
      promptsAsked,
      async run(event, workflowId) {
        // The runtime gives each run its own engine and queue, so dry runs can go side by side, and
        // arms no timer: arming one re-times the real run's timer of the same key.
        const dry = await createEngineRuntime({
          kind: "dry-run",
          db: deps.db,
          workflows: deps.workflows,
          lever: deps.lever,
          ai,
          tasks: { tools: deps.tools },
          audit: deps.audit,
          logger: deps.logger,
          now: uniqueNow,
        });
        const ids = await dry.run({ ...event, workflowId });
        return ids[0];
      },
    };
  };
}
