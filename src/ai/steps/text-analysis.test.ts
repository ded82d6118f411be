import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { extractiveSummary, findMentions, sentences } from "./text-analysis.ts";

const TEXT = `Priya Raman — Backend Engineer
Built a k8s platform serving 40 services for 3 million users.
Enjoys hiking.
• Led a team of five engineers through a Postgres migration
• Wrote the on-call handbook`;

describe("text analysis", () => {
  it("splits sentences and bullets with offsets that point back into the text", () => {
    for (const s of sentences(TEXT)) assert.equal(TEXT.slice(s.start, s.end), s.text);
    assert.ok(sentences(TEXT).some((s) => s.text === "Wrote the on-call handbook"));
  });

  it("finds mentions through synonyms, quoting exact sentences", () => {
    const hits = findMentions(TEXT, ["Kubernetes", "PostgreSQL"]);
    assert.deepEqual(
      hits.map((h) => h.sentence.text).sort(),
      ["Built a k8s platform serving 40 services for 3 million users.", "Led a team of five engineers through a Postgres migration"].sort(),
    );
    assert.deepEqual(findMentions(TEXT, ["Rust"]), []);
  });

  it("summarises by picking the most informative sentences in their original order", () => {
    const summary = extractiveSummary(TEXT, { maxSentences: 2, focus: ["leadership"] });
    assert.match(summary, /^Built a k8s platform.*Led a team of five engineers/);
    assert.ok(!summary.includes("hiking"));
  });
});
