import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadConfig } from "./config.ts";
import { DEFAULT_INTERVIEW_NOTICE } from "./interviews.ts";

describe("recorded interviews in the config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-config-interviews-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const load = (yaml: string) => {
    const file = join(dir, `c${n++}.yaml`);
    writeFileSync(file, yaml);
    return { file, config: () => loadConfig({ FULCRUM_CONFIG: file }) };
  };

  it("defaults to pocketsphinx, the local analysis engine, 240 minutes, 180 days of retention and no question sets", () => {
    const c = loadConfig({});
    assert.deepEqual(c.interviews, { engine: "pocketsphinx", analysisEngine: "local", maxMinutes: 240, retentionDays: 180, postings: [] });
  });

  it("reads analysisEngine ai from the file and refuses any other engine, naming the field", () => {
    assert.equal(load("interviews:\n  analysisEngine: ai\n").config().interviews?.analysisEngine, "ai");
    assert.throws(() => load("interviews:\n  analysisEngine: gpt\n").config(), /interviews\.analysisEngine/);
  });

  it("takes the candidate notice from the file, and refuses one too short to explain and ask consent", () => {
    const own = load("interviews:\n  notice: |\n    We use software to transcribe your answers and match them to our questions. Reply NO to opt out.\n");
    assert.match(own.config().interviews!.notice ?? "", /^We use software to transcribe/);
    assert.match(DEFAULT_INTERVIEW_NOTICE, /consent/i);
    const short = load("interviews:\n  notice: AI is used.\n");
    assert.throws(short.config, (e: Error) => e.message.includes(`${short.file}: interviews.notice`) && /ask for consent/.test(e.message));
  });

  it("reads question sets per posting and stage with a rubric, triage thresholds and a tool's media hosts", () => {
    const c = load(
      [
        "tools:",
        "  willo:",
        "    mediaHosts: [media.willo.example, '*.cdn.willo.example']",
        "interviews:",
        "  retentionDays: 90",
        "  postings:",
        "    - posting: Account Executive",
        "      stage: Video Interview",
        "      questions:",
        "        - { id: q1, text: Tell me about your pipeline. }",
        "      rubric: { score: true, competencies: [{ id: pipeline, label: Builds pipeline, keywords: [pipeline] }] }",
        "      triage: { strongAt: 75, weakBelow: 40 }",
      ].join("\n"),
    ).config();
    assert.deepEqual(c.tools?.willo?.mediaHosts, ["media.willo.example", "*.cdn.willo.example"]);
    assert.equal(c.interviews?.retentionDays, 90);
    const p = c.interviews!.postings[0]!;
    assert.equal(p.stage, "Video Interview");
    assert.deepEqual(p.questions, [{ id: "q1", text: "Tell me about your pipeline." }]);
    assert.equal(p.rubric?.competencies[0]?.weight, 1);
    assert.deepEqual(p.triage, { strongAt: 75, weakBelow: 40, tagPrefix: "interview" });
  });

  it("refuses an empty question set, a duplicate id, crossed thresholds, an unknown engine and a bad media host, naming the path", () => {
    const empty = load("interviews:\n  postings:\n    - posting: p1\n      questions: []\n");
    assert.throws(empty.config, (e: Error) => e.message.includes(`${empty.file}: interviews.postings[0].questions`) && /question set is empty/.test(e.message));
    const dup = load("interviews:\n  postings:\n    - posting: p1\n      questions: [{ id: a, text: Tell me more. }, { id: a, text: Walk me through it. }]\n");
    assert.throws(dup.config, /interviews\.postings\[0\]\.questions\[1\]\.id.*duplicate question id "a"/);
    const crossed = load(
      "interviews:\n  postings:\n    - posting: p1\n      questions: [{ id: a, text: Tell me more. }]\n      triage: { strongAt: 40, weakBelow: 60 }\n",
    );
    assert.throws(crossed.config, /interviews\.postings\[0\]\.triage\.weakBelow.*weakBelow must not be above strongAt/);
    assert.throws(load("interviews:\n  engine: vosk\n").config, /interviews\.engine: "vosk" is not valid/);
    assert.throws(load("interviews:\n  retentionDays: 0\n").config, /interviews\.retentionDays/);
    assert.throws(load("tools:\n  willo:\n    mediaHosts: ['https://media.example/x']\n").config, /tools\.willo\.mediaHosts\[0\]/);
  });
});
