import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { barFrom, barsFrom, DEFAULT_REJECT_BELOW, recommend } from "./recommendation.ts";

describe("the screening's recommendation", () => {
  it("advances a strong match at or above the advance bar with every must-have met", () => {
    assert.equal(recommend({ score: 75, tier: "strong", missingMustHaves: [] }).recommendation, "advance");
    assert.equal(recommend({ score: 90, tier: "strong", missingMustHaves: [] }, { advanceAt: 85 }).recommendation, "advance");
  });

  it("rejects when a must-have is missing, whatever the score, and names it", () => {
    const r = recommend({ score: 60, tier: "possible", missingMustHaves: ["Work authorisation"] });
    assert.equal(r.recommendation, "reject");
    assert.match(r.why, /missing must-have: Work authorisation/);
  });

  it("rejects below the reject bar (default 40) and holds at it", () => {
    assert.equal(DEFAULT_REJECT_BELOW, 40);
    assert.equal(recommend({ score: 39, tier: "weak", missingMustHaves: [] }).recommendation, "reject");
    assert.equal(recommend({ score: 40, tier: "weak", missingMustHaves: [] }).recommendation, "hold");
    assert.equal(recommend({ score: 49, tier: "weak", missingMustHaves: [] }, { rejectBelow: 50 }).recommendation, "reject");
  });

  it("holds everything between the bars, including a strong tier under a raised advance bar", () => {
    assert.equal(recommend({ score: 60, tier: "possible", missingMustHaves: [] }).recommendation, "hold");
    const r = recommend({ score: 80, tier: "strong", missingMustHaves: [] }, { advanceAt: 85 });
    assert.equal(r.recommendation, "hold");
    assert.match(r.why, /between the reject bar 40 and the advance bar 85/);
  });

  it("reads bars given as numbers or as rendered template text, and ignores anything else", () => {
    assert.equal(barFrom(30), 30);
    assert.equal(barFrom("45"), 45);
    assert.equal(barFrom(""), undefined);
    assert.equal(barFrom("{{ settings.rejectBelow }}"), undefined);
    assert.equal(barFrom(140), undefined);
  });

  it('reads the advance bar the same way as the reject bar, so a templated advanceAt of "90" holds a strong 80', () => {
    const bars = barsFrom({ advanceAt: "90", rejectBelow: "30" });
    assert.deepEqual(bars, { advanceAt: 90, rejectBelow: 30 });
    assert.equal(recommend({ score: 80, tier: "strong", missingMustHaves: [] }, bars).recommendation, "hold");
    assert.deepEqual(barsFrom({ advanceAt: "soon" }), { advanceAt: undefined, rejectBelow: undefined });
  });
});
