/**
 * Replay on history: runs a workflow as dry runs — shadow, nothing written to Lever — over the last
 * N events it ran on, and shows side by side where the proposals differ, step by step. Two ways:
 *
 * - as it is saved now (workflow file and prompt files), beside what each run first proposed;
 * - with one prompt pinned to a saved version (`prompts/<name>/<version>.md`, including versions
 *   saved from the console), beside a dry run of the same event with the current version — the
 *   one the workflow's latest run used, or the latest saved when no run has used the prompt. Both
 *   sides run now on the same data, so the only difference between them is the prompt.
 */
import { latestPromptUsed, proposalsOfRun, recentRealRuns, type ProposalBrief } from "../../engine/index.ts";
import type { Queryable } from "../../store/index.ts";
import type { DryRunnerFactory } from "./dry-runs.ts";
import { BUILT_IN_PROMPTS_DIR } from "../../ai/index.ts";
import { listPrompts } from "./workflow-files.ts";
import type { PromptChoice, ReplayOutcome, ReplayResult, ReplayRow, ReplayStep } from "../../contract/console-api.ts";

export type { PromptChoice, ReplayResult, ReplayRow, ReplayStep };

export class ReplayError extends Error {
  override readonly name = "ReplayError";
}

function describe(ps: ProposalBrief[]): string {
  return ps.length ? ps.map((p) => `${p.step_id}: ${p.summary}`).join("; ") : "no proposal";
}

/** The text a person reads to see what differs: a note's or message's body, else the action. */
function detail(action: unknown): string {
  const a = (action ?? {}) as Record<string, unknown>;
  for (const key of ["body", "text", "message"]) if (typeof a[key] === "string") return a[key];
  return JSON.stringify(action, null, 2);
}

/** Step by step; with `leftWaiting`, a step the left side has not reached yet is not a difference. */
function compare(left: ProposalBrief[], right: ProposalBrief[], leftWaiting = false): ReplayStep[] {
  const ids = [...new Set([...left, ...right].map((p) => p.step_id))].sort();
  return ids.map((stepId) => {
    const l = left.find((p) => p.step_id === stepId);
    const r = right.find((p) => p.step_id === stepId);
    const unlike = JSON.stringify(l?.action ?? null) !== JSON.stringify(r?.action ?? null);
    const edited = l?.edits !== null && l?.edits !== undefined && typeof l.edits === "object" && Object.keys(l.edits).length > 0;
    const because = !unlike ? undefined : edited ? ("edited" as const) : leftWaiting && !l ? ("waiting" as const) : undefined;
    return {
      stepId,
      current: l?.summary ?? null,
      replayed: r?.summary ?? null,
      ...(unlike ? { currentDetail: l && detail(l.action), replayedDetail: r && detail(r.action) } : {}),
      differs: unlike && because === undefined,
      ...(because ? { because } : {}),
    };
  });
}

/** A run still waiting whose steps so far match is the same: only steps it has not reached make it `waiting`. */
function outcomeOf(steps: ReplayStep[]): ReplayOutcome {
  if (steps.some((s) => s.differs)) return "differs";
  if (steps.some((s) => s.because === "edited")) return "edited";
  if (steps.some((s) => s.because === "waiting")) return "waiting";
  return "same";
}

function countOutcomes(rows: ReplayRow[]): Record<ReplayOutcome, number> {
  const counts: Record<ReplayOutcome, number> = { same: 0, differs: 0, edited: 0, waiting: 0 };
  for (const r of rows) counts[r.outcome]++;
  return counts;
}

/** The sentence a replay with a pinned prompt carries when the local engine answered instead of a model. */
export const LOCAL_ENGINE_NOTE =
  "No AI provider is configured, so the AI steps ran on the local engine, which does not read prompt text: a prompt edit cannot change what it proposes. Configure a provider (Settings) to see the prompt's effect.";

/** The version of prompt `name` the workflow's latest run used, else the latest approved. */
async function currentVersion(
  db: Queryable,
  workflowId: string,
  name: string,
  versions: string[],
  pending: string[],
): Promise<{ version: string; why: string } | null> {
  const used = (await latestPromptUsed(db, workflowId, name))?.split("@")[1];
  if (used && versions.includes(used)) return { version: used, why: "used by this workflow's latest run" };
  const latest = versions.filter((v) => !pending.includes(v)).at(-1);
  return latest ? { version: latest, why: "the latest approved version" } : null;
}

/** Every saved prompt with its versions and the one a replay compares against, this workflow's first. */
export async function promptChoices(db: Queryable, workflowId: string, promptsDir?: string): Promise<PromptChoice[]> {
  const choices: PromptChoice[] = [];
  for (const p of listPrompts(promptsDir ?? BUILT_IN_PROMPTS_DIR)) {
    const current = await currentVersion(db, workflowId, p.name, p.versions, p.pending);
    choices.push({ name: p.name, versions: p.versions, current, usedByWorkflow: current?.why.startsWith("used") === true });
  }
  return choices.sort((a, b) => Number(b.usedByWorkflow) - Number(a.usedByWorkflow) || a.name.localeCompare(b.name));
}

/** Runs `fn` over the items, at most `limit` at a time, keeping their order. */
async function inOrder<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Replays the workflow's last `last` real runs. `prompt` (`name@version`) pins that prompt to a
 * saved version and compares with the current version; without it, the workflow as saved now is
 * compared with what each run first proposed.
 *
 * @example
 * const result = await replayOnHistory(db, dryRunners(deps), { workflowId: "application-screening", last: 20, prompt: "resume-evidence@v2" });
 * console.log(`${result.rows.filter((r) => r.differs).length} of ${result.rows.length} differ`);
 */
export async function replayOnHistory(
  db: Queryable,
  runners: DryRunnerFactory,
  input: { workflowId: string; last: number; prompt?: string | undefined },
  options: { promptsDir?: string | undefined; concurrency?: number | undefined; localEngine?: boolean | undefined } = {},
): Promise<ReplayResult> {
  const runs = await recentRealRuns(db, input.workflowId, input.last);
  if (runs.length === 0) throw new ReplayError(`workflow "${input.workflowId}" has no runs to replay yet`);
  const concurrency = options.concurrency ?? 2;
  const eventId = (run: (typeof runs)[number]) => String(run.inbox_event_id ?? run.event.key);
  // `baselineIsRun`: the left side is what the run itself proposed, so a run still waiting has not
  // proposed its later steps yet, and a proposal a person edited shows their edit, not the workflow.
  const row = (run: (typeof runs)[number], left: ProposalBrief[], right: ProposalBrief[] | undefined, missing: string, baselineIsRun: boolean): ReplayRow => {
    const waiting = baselineIsRun && (run.status === "waiting" || run.status === "running");
    const steps = compare(left, right ?? [], waiting);
    const outcome: ReplayOutcome = right === undefined ? "differs" : outcomeOf(steps);
    return {
      eventId: eventId(run),
      candidate: run.name ?? undefined,
      current: describe(left),
      candidateVersion: right === undefined ? missing : describe(right),
      differs: outcome === "differs",
      outcome,
      steps,
    };
  };
  const noMatch = "the workflow no longer matches this event";

  if (!input.prompt) {
    const runner = runners();
    const rows = await inOrder(runs, concurrency, async (run) => {
      const dry = await runner.run(run.event, input.workflowId);
      return row(run, await proposalsOfRun(db, Number(run.id)), dry === undefined ? undefined : await proposalsOfRun(db, dry), noMatch, true);
    });
    return { baseline: "What it first proposed", replayed: "As saved now", counts: countOutcomes(rows), rows };
  }

  const at = input.prompt.indexOf("@");
  const [name, version] = at > 0 ? [input.prompt.slice(0, at), input.prompt.slice(at + 1)] : [input.prompt, ""];
  const saved = listPrompts(options.promptsDir ?? BUILT_IN_PROMPTS_DIR).find((p) => p.name === name);
  if (!saved) throw new ReplayError(`there is no prompt "${name}"`);
  if (!saved.versions.includes(version))
    throw new ReplayError(`there is no saved version "${version}" of prompt "${name}" (saved: ${saved.versions.join(", ")})`);
  const current = (await currentVersion(db, input.workflowId, name, saved.versions, saved.pending))!;
  const left = runners({ name, version: current.version });
  const right = runners({ name, version });
  const rows = await inOrder(runs, concurrency, async (run) => {
    const [a, b] = await Promise.all([left.run(run.event, input.workflowId), right.run(run.event, input.workflowId)]);
    if (a === undefined) return { ...row(run, [], [], noMatch, false), current: noMatch, candidateVersion: noMatch, differs: false, outcome: "same" as const };
    return row(run, await proposalsOfRun(db, a), b === undefined ? undefined : await proposalsOfRun(db, b), noMatch, false);
  });
  const promptUsed = left.promptsAsked.has(name) || right.promptsAsked.has(name);
  return {
    baseline: `${name}@${current.version} (current: ${current.why})`,
    replayed: `${name}@${version} (picked)`,
    pinned: { name, version, current: current.version },
    promptUsed,
    counts: countOutcomes(rows),
    ...(options.localEngine && promptUsed ? { note: LOCAL_ENGINE_NOTE } : {}),
    rows,
  };
}
