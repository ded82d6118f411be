import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MockLanguageModelV4 } from "ai/test";
import { createAi, DEFAULT_AI_CONFIG } from "../ai/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { parseResume } from "./parse-resume.ts";
import { NoRequirementsError, screenApplication, type ResumeEvidenceRunner, type ScreeningResume } from "./screen-application.ts";
import { activeRubric, scoresForPosting } from "./store.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

const asOf = { year: 2026, month: 10 };
const connectionId = "c1";
const posting = {
  id: "posting-platform",
  text: "Platform Engineer",
  content: { description: "", lists: [{ text: "Requirements", content: "<li>TypeScript</li><li>Systems programming background</li>" }] },
};
const RESUME = [
  "Alex Example",
  "Senior engineer",
  "",
  "Experience",
  "Staff Engineer, Northwind Ltd, January 2016 - present",
  "- Built payment services in TypeScript handling two million transactions a day.",
  "- Wrote C++.",
  "",
  "Education",
  "BSc Computer Science, University of Somewhere, 2011 - 2015",
].join("\n");

async function resume(): Promise<ScreeningResume> {
  const parsed = await parseResume(new TextEncoder().encode(RESUME), { filename: "resume.txt", mime: "text/plain", asOf });
  return { id: "resume-1", filename: "resume.txt", status: parsed.status, parsed };
}

/** The AI layer's resume-evidence step on the AI SDK's mock model, answering `reply`. */
function modelEvidence(reply: unknown): ResumeEvidenceRunner {
  const usage = {
    inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: 10, text: 10, reasoning: undefined },
  };
  const model = new MockLanguageModelV4({
    doGenerate: { content: [{ type: "text", text: JSON.stringify(reply) }], finishReason: { unified: "stop", raw: undefined }, usage, warnings: [] },
  });
  const ai = createAi({ config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", openaiApiKey: "sk-test" } }, models: { openai: () => model } });
  return async (input) => {
    const { output, meta } = await ai.runAiStep<Awaited<ReturnType<ResumeEvidenceRunner>>["output"]>("resume-evidence", input);
    return { output, meta: { ...meta } };
  };
}

for (const engine of ENGINES) {
  describe(`screening an application on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine.kind);
    });
    after(async () => t?.drop());

    it("scores the resume against the posting's requirements, saves them as a rubric version and records the score", async () => {
      const out = await screenApplication({ db: t.db, connectionId, posting, opportunity: { id: "opp-1" }, resume: await resume(), asOf });
      assert.equal(typeof out.score, "number");
      assert.match(String(out.note), /^Fulcrum screening: \d+\/100/);
      assert.match(String(out.note), /scored by Fulcrum's code/);
      assert.equal((await activeRubric(t.db, connectionId, posting.id))?.source, "posting");
      assert.ok((await scoresForPosting(t.db, connectionId, posting.id)).some((r) => r.opportunityId === "opp-1" && r.score === out.score));
    });

    it("never counts a quote the AI layer rejected as evidence, but lowers the confidence and flags it", async () => {
      // "C++." is too short for the AI layer's quote check to prove anything, so it drops the
      // quote; the scorer's own check would let it through, and the model calls it a match.
      const evidence = modelEvidence({
        criteria: [
          { id: "typescript", found: true, quotes: ["Built payment services in TypeScript"], explanation: "Uses TypeScript." },
          { id: "systems-programming-background", found: true, quotes: ["C++."], explanation: "Systems work in C++." },
        ],
      });
      const out = await screenApplication({
        db: t.db,
        connectionId,
        posting,
        opportunity: { id: "opp-2" },
        resume: await resume(),
        evidence,
        dryRun: true,
        asOf,
      });
      const reasons = out.reasons as string[];
      assert.match(reasons.find((r) => r.includes("Systems programming background"))!, /^✗/, reasons.join("\n"));
      assert.ok(!JSON.stringify(out.evidence).includes("C++."), JSON.stringify(out.evidence));
      assert.ok((out.flags as string[]).includes("unverified-quotes"));
      assert.match(String(out.note), /1 proposed quote\(s\) were not found in the resume/);
      assert.equal((out.meta as { engine?: string }).engine, "model");
    });

    it("recommends a review, not a score, when there is no resume", async () => {
      const out = await screenApplication({ db: t.db, connectionId, posting, opportunity: { id: "opp-3" }, resume: null, asOf });
      assert.equal(out.recommendation, "review");
      assert.deepEqual(out.flags, ["no-resume"]);
    });

    it("refuses a posting with no requirements, naming it, and saves nothing", async () => {
      const empty = { id: "posting-empty", text: "Mystery Role", content: { description: "", lists: [] } };
      await assert.rejects(
        screenApplication({ db: t.db, connectionId, posting: empty, opportunity: { id: "opp-4" }, resume: await resume(), asOf }),
        (e: unknown) => e instanceof NoRequirementsError && /posting-empty \("Mystery Role"\) has no requirements/.test(e.message),
      );
      assert.equal(await activeRubric(t.db, connectionId, "posting-empty"), undefined);
    });
  });
}
