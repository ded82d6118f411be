import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LABELLED_CORPUS_DIR } from "../../interviews/index.ts";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>`, run by the binary's main() in this process (a process per command costs seconds). */
function fulcrum(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No AI provider from the environment: --ai must fall back to the local engine.
  return runFulcrumMain(args, { env: { ...process.env, FULCRUM_LOG_LEVEL: "silent", FULCRUM_AI_PROVIDER: "none" } });
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "fulcrum-interview-analyze-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("fulcrum interview analyze", () => {
  it("prints questions with exactly id, text, asked and answer, plus summary, metrics and flags", async () => {
    const r = await fulcrum([
      "interview",
      "analyze",
      join(LABELLED_CORPUS_DIR, "engineer.srt"),
      "--questions",
      join(LABELLED_CORPUS_DIR, "engineer.questions.json"),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      questions: Record<string, unknown>[];
      summary: { engine: string; notAsked: string[] };
      metrics: { kind: string };
      flags: unknown[];
    };
    assert.deepEqual(Object.keys(out).sort(), ["flags", "metrics", "questions", "summary"]);
    for (const q of out.questions) assert.deepEqual(Object.keys(q), ["id", "text", "asked", "answer"]);
    const debug = out.questions.find((q) => q.id === "q-debug") as { asked: { start: number; end: number; quote: string }; answer: { quote: string } };
    assert.deepEqual(Object.keys(debug.asked), ["start", "end", "quote"]);
    assert.match(debug.answer.quote, /^The worst one was a memory leak/);
    assert.deepEqual(out.summary.notAsked, ["q-design", "q-salary"]);
    assert.equal(out.metrics.kind, "descriptive");
  });

  it("adds rubric evidence and stated feelings when asked, and falls back to the local engine under --ai without a provider", async () => {
    const rubric = join(dir, "rubric.yaml");
    writeFileSync(
      rubric,
      "score: true\ncompetencies:\n  - id: pipeline\n    label: Builds pipeline\n    keywords: [prospecting, pipeline]\n    questions: [q-pipeline]\n",
    );
    const r = await fulcrum([
      "interview",
      "analyze",
      join(LABELLED_CORPUS_DIR, "sales.json"),
      "--questions",
      join(LABELLED_CORPUS_DIR, "sales.questions.yaml"),
      "--rubric",
      rubric,
      "--stated-feelings",
      "--ai",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      summary: { engine: string };
      evidence: { competencies: { status: string }[]; score: { advisory: boolean } };
      statedFeelings: { quote: string }[];
    };
    assert.equal(out.summary.engine, "local");
    assert.equal(out.evidence.competencies[0]!.status, "met");
    assert.equal(out.evidence.score.advisory, true);
    assert.ok(out.statedFeelings.some((f) => /frustrated/.test(f.quote)));
  });

  it("says clearly when the question set is empty, the transcript is empty or not English", async () => {
    const empty = join(dir, "empty.yaml");
    writeFileSync(empty, "[]\n");
    const vtt = join(LABELLED_CORPUS_DIR, "nurse.vtt");
    let r = await fulcrum(["interview", "analyze", vtt, "--questions", empty]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /fulcrum: questions-empty: empty\.yaml: the question set is empty/);

    const questions = join(LABELLED_CORPUS_DIR, "nurse.questions.yaml");
    const blank = join(dir, "blank.json");
    writeFileSync(blank, '{"segments":[]}');
    r = await fulcrum(["interview", "analyze", blank, "--questions", questions]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /fulcrum: empty-transcript: /);

    const spanish = join(dir, "es.srt");
    writeFileSync(
      spanish,
      "1\n00:00:01,000 --> 00:00:06,000\n¿Puede hablarme de un conflicto con un compañero de trabajo?\n\n2\n00:00:06,500 --> 00:00:15,000\nSí, claro. Tuvimos un desacuerdo sobre la planificación del proyecto y buscamos juntos una solución que funcionara para todos.\n",
    );
    r = await fulcrum(["interview", "analyze", spanish, "--questions", questions]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /fulcrum: wrong-language: .*English only/);
  });

  it("prints the analysis but fails as nothing-matched when none of the set's questions is found", async () => {
    // Another posting's question set: the transcript is fine, the set is not what was asked.
    const other = join(dir, "other-set.yaml");
    writeFileSync(
      other,
      '- id: q-forklift\n  text: Which forklift licences are current?\n- id: q-mast\n  text: "Mast chains, hydraulic leaks and tyre wear: which checks come first?"\n',
    );
    const r = await fulcrum(["interview", "analyze", join(LABELLED_CORPUS_DIR, "nurse.vtt"), "--questions", other]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /fulcrum: nothing-matched: none of the 2 questions of the set was found in the transcript: check the recording and the question set/,
    );
    const out = JSON.parse(r.stdout) as { questions: { asked: unknown }[]; summary: { notAsked: string[] } };
    assert.deepEqual(out.summary.notAsked, ["q-forklift", "q-mast"]);
    assert.ok(out.questions.every((q) => q.asked === null));
  });

  it("documents the contract in --help", async () => {
    const r = await fulcrum(["interview", "analyze", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /"asked": \{ "start", "end", "quote" \} \| null/);
    assert.match(r.stdout, /questions-empty, questions-invalid, empty-transcript, wrong-language/);
  });
});
