/**
 * `npm run bench:speaker-roles` (issue 14, section 3, "who speaks"): how often each utterance of a
 * transcript that names no speakers is given to the right speaker, on the labelled interviews of
 * `bench/corpus/interviews/` (each cue's speaker comes from the hand-written source). Every
 * transcript is read twice: as written, and as a recogniser prints it (lower case, no punctuation,
 * no speakers), which is what the offline engine hands the analysis. Prints, beside each other, the
 * question rule (an utterance that asks is the interviewer's, everything else the candidate's, plus
 * an acknowledgement right before a question) and the role model of `role-model.ts`, over the
 * studied interviews (which the model was fitted on) and the rounds written blind by other hands.
 *
 * `-- --fit` refits the model's weights by logistic regression on the studied interviews and prints
 * them, to paste into `ROLE_WEIGHTS` (the figures above are always for the weights in the code).
 */
import {
  interviewerOdds,
  isAcknowledgement,
  isQuestionUtterance,
  loadLabelledCorpus,
  mostLikelyRoles,
  ROLE_FEATURES,
  recogniserStyle,
  utteranceFeatures,
  words,
  type Role,
} from "../src/interviews/index.ts";

/** Interviews from this round on were written blind, by writers who never saw the matcher. */
const FIRST_BLIND_ROUND = 8;

interface Case {
  texts: string[];
  roles: Role[];
  blind: boolean;
}

const cases: Case[] = [];
for (const interview of loadLabelledCorpus()) {
  if (!interview.roles) throw new Error(`${interview.name}: labels.json has no roles; run node bench/corpus/interviews/generate.ts`);
  const segments = interview.transcript.segments;
  if (segments.length !== interview.roles.length) throw new Error(`${interview.name}: ${segments.length} segments but ${interview.roles.length} roles`);
  const roles = [...interview.roles].map((r): Role => (r === "I" ? "interviewer" : "candidate"));
  const blind = (interview.round ?? 0) >= FIRST_BLIND_ROUND;
  cases.push({ texts: segments.map((s) => s.text), roles, blind });
  cases.push({ texts: segments.map((s) => recogniserStyle(s.text)), roles, blind });
}

function questionRule(texts: readonly string[]): Role[] {
  const roles = texts.map((t): Role => (isQuestionUtterance(t) ? "interviewer" : "candidate"));
  for (let i = 0; i + 1 < roles.length; i++)
    if (roles[i] === "candidate" && roles[i + 1] === "interviewer" && words(texts[i]!).length <= 8 && isAcknowledgement(texts[i]!)) roles[i] = "interviewer";
  return roles;
}

if (process.argv.includes("--fit")) {
  const examples = cases.filter((c) => !c.blind).flatMap((c) => c.texts.map((t, i) => ({ x: utteranceFeatures(t), y: c.roles[i] === "interviewer" ? 1 : 0 })));
  const weights = new Array<number>(ROLE_FEATURES.length).fill(0);
  // Batch gradient descent on the log loss, a light L2 penalty on all but the bias.
  for (let step = 0; step < 3000; step++) {
    const gradient = new Array<number>(weights.length).fill(0);
    for (const e of examples) {
      const error = interviewerOdds(e.x, weights) - e.y;
      for (let k = 0; k < weights.length; k++) gradient[k]! += error * e.x[k]!;
    }
    for (let k = 0; k < weights.length; k++) weights[k]! -= 0.5 * (gradient[k]! / examples.length + (k ? 0.01 * weights[k]! : 0));
  }
  console.log(`fitted on ${examples.length} studied utterances (${(examples.filter((e) => e.y).length / examples.length).toFixed(2)} the interviewer's):`);
  for (const [k, name] of ROLE_FEATURES.entries()) console.log(`  ${name.padEnd(30)} ${weights[k]!.toFixed(2)}`);
  console.log(`ROLE_WEIGHTS = [${weights.map((w) => w.toFixed(2)).join(", ")}]`);
}

console.log(`bench:speaker-roles — ${cases.length / 2} interviews, each as written and as a recogniser prints it`);
for (const blind of [false, true]) {
  for (const style of ["as written", "recogniser style"] as const) {
    const set = cases.filter((c, i) => c.blind === blind && (i % 2 === 0) === (style === "as written"));
    let total = 0;
    let rule = 0;
    let model = 0;
    for (const c of set) {
      const byRule = questionRule(c.texts);
      const byModel = mostLikelyRoles(c.texts);
      total += c.roles.length;
      rule += c.roles.filter((r, i) => byRule[i] === r).length;
      model += c.roles.filter((r, i) => byModel[i] === r).length;
    }
    const pct = (n: number) => `${((n / total) * 100).toFixed(1)} %`;
    console.log(
      `  ${blind ? "blind rounds" : "studied     "} ${style.padEnd(16)} ${String(total).padStart(5)} utterances: question rule ${pct(rule)}, role model ${pct(model)} (errors × ${((total - model) / Math.max(1, total - rule)).toFixed(2)})`,
    );
  }
}
