/**
 * `npm run bench:interview-analysis` (issue 14, section 3): how well each question of the set is
 * found in the labelled interviews of `bench/corpus/interviews/` — a question counts as correct when
 * asked/not-asked is right and, when asked, the answer span overlaps the labelled one by at least
 * half. Prints the local engine's accuracy over all interviews, over those it was tuned on, and over
 * the held-out ones written after tuning (and per batch of them: the newest batch was written
 * before the matcher's latest changes and never tuned against); then the same with every transcript
 * as the offline recogniser would print it (lower case, no punctuation, no speakers); then the same
 * for the configured AI provider (the usual
 * FULCRUM_AI_* settings or fulcrum.config.yaml) when there is one.
 */
import { performance } from "node:perf_hooks";
import { createAi, DEFAULT_AI_CONFIG } from "../src/ai/index.ts";
import { loadConfig } from "../src/config/index.ts";
import {
  analyzeInterview,
  asRecogniserWouldPrint,
  analyzeInterviewWithProvider,
  interviewAiOptions,
  loadLabelledCorpus,
  scoreQuestions,
  type InterviewAnalysis,
  type LabelledInterview,
} from "../src/interviews/index.ts";
import { silentLogger } from "../src/observability/index.ts";

const corpus = loadLabelledCorpus();

interface Tally {
  correct: number;
  total: number;
}

async function measure(name: string, run: (i: LabelledInterview) => Promise<InterviewAnalysis> | InterviewAnalysis): Promise<number> {
  const all: Tally = { correct: 0, total: 0 };
  const tuned: Tally = { correct: 0, total: 0 };
  const held: Tally = { correct: 0, total: 0 };
  const rounds = new Map<number, Tally>();
  const misses: string[] = [];
  const engines = new Set<string>();
  const started = performance.now();
  for (const interview of corpus) {
    const analysis = await run(interview);
    engines.add(analysis.summary.engine + (analysis.summary.fallbackReason ? ` (fallback: ${analysis.summary.fallbackReason})` : ""));
    const s = scoreQuestions(analysis.questions, interview.labels);
    const round = interview.heldOut && interview.round !== undefined ? (rounds.get(interview.round) ?? { correct: 0, total: 0 }) : undefined;
    if (round) rounds.set(interview.round!, round);
    for (const t of [all, interview.heldOut ? held : tuned, ...(round ? [round] : [])]) {
      t.correct += s.correct;
      t.total += s.total;
    }
    misses.push(
      ...s.misses.map(
        (m) =>
          `${interview.name}/${m.id} ${m.reason}${m.overlap !== undefined ? ` (${(m.overlap * 100).toFixed(0)} %)` : ""}${interview.heldOut ? " [held out]" : ""}`,
      ),
    );
  }
  const ms = performance.now() - started;
  const pct = (t: Tally) => (t.total ? `${((t.correct / t.total) * 100).toFixed(1)} % (${t.correct}/${t.total})` : "n/a");
  console.log(`\n${name} — engine: ${[...engines].join(", ")}`);
  console.log(`  accuracy, all (${corpus.length}):       ${pct(all)}`);
  console.log(`  accuracy, tuning set (${corpus.filter((i) => !i.heldOut).length}): ${pct(tuned)}`);
  console.log(`  accuracy, held out (${corpus.filter((i) => i.heldOut).length}):   ${pct(held)}`);
  for (const [n, t] of [...rounds].sort(([a], [b]) => a - b))
    console.log(`    held out, round ${n} (${corpus.filter((i) => i.heldOut && i.round === n).length}):  ${pct(t)}`);
  console.log(`  time: ${ms.toFixed(0)} ms for ${corpus.length} interviews`);
  if (misses.length) console.log(`  misses:\n    ${misses.join("\n    ")}`);
  return all.correct / all.total;
}

console.log(`bench:interview-analysis — ${corpus.length} labelled interviews, ${corpus.reduce((n, i) => n + i.questions.length, 0)} questions`);
const local = await measure("local engine", (i) => analyzeInterview(i.transcript, i.questions));
// The offline recogniser prints no punctuation and names no speakers: the same interviews as it would hand them over.
await measure("local engine, transcripts as a recogniser prints them", (i) => analyzeInterview(asRecogniserWouldPrint(i.transcript), i.questions));
const aiConfig = loadConfig().ai ?? DEFAULT_AI_CONFIG;
if (aiConfig.provider !== "none") {
  const ai = createAi({ config: { ai: aiConfig }, logger: silentLogger, ...interviewAiOptions });
  await measure(`AI provider ${aiConfig.provider}`, (i) => analyzeInterviewWithProvider(ai, i.transcript, i.questions));
} else {
  console.log("\nAI provider: none configured (set FULCRUM_AI_PROVIDER and its key to measure one on the same set)");
}
process.exitCode = local >= 0.9 ? 0 : 1;
