import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { adverseImpactVerdict, explainVerdict } from "./adverse-impact.ts";
import { selectionRates, type FairnessRecord } from "./fairness.ts";

function people(n: number, selected: number, sex: string): FairnessRecord[] {
  return Array.from({ length: n }, (_, i) => ({ sex, race: null, selected: i < selected }));
}

const verdictOf = (records: FairnessRecord[], group: string) => {
  const g = selectionRates(records, "sex").groups.find((x) => x.group === group)!;
  return adverseImpactVerdict({ n: g.n, impactRatio: g.impactRatio, pValue: g.significance?.pValue ?? null, excluded: g.excluded });
};

describe("which impact ratios deserve a flag", () => {
  it("never flags a group of one, even at ratio 0 with p = 1.000", () => {
    // Given one woman, not selected, among 30 men of whom one was selected (she is 3 % of the data).
    const records = [...people(30, 1, "Male"), ...people(1, 0, "Female")];
    const g = selectionRates(records, "sex").groups.find((x) => x.group === "Female")!;
    assert.equal(g.flagged, true, "the raw four-fifths check alone would flag her");
    assert.equal(g.significance?.pValue.toFixed(3), "1.000");
    // Then the verdict says there is too little data instead.
    assert.equal(verdictOf(records, "Female"), "too-little-data");
    assert.match(explainVerdict("too-little-data", 1), /too little data: 1 person/);
  });

  it("never flags a group of one even when the test alone would call it significant", () => {
    assert.equal(adverseImpactVerdict({ n: 1, impactRatio: 0, pValue: 0.0099, excluded: false }), "too-little-data");
  });

  it("flags a large, skewed sample", () => {
    // 60 % of 400 men selected, 30 % of 400 women: ratio 0.5, p far below 0.05.
    const records = [...people(400, 240, "Male"), ...people(400, 120, "Female")];
    assert.equal(verdictOf(records, "Female"), "adverse");
    assert.equal(verdictOf(records, "Male"), "within");
  });

  it("says 'not significant' when a ratio below 0.8 could be chance", () => {
    // 3 of 10 against 5 of 10: ratio 0.6, Fisher p ≈ 0.65.
    const records = [...people(10, 5, "Male"), ...people(10, 3, "Female")];
    assert.equal(verdictOf(records, "Female"), "not-significant");
  });

  it("keeps Local Law 144's small-category exclusion and says so", () => {
    assert.equal(adverseImpactVerdict({ n: 3, impactRatio: null, pValue: null, excluded: true }), "excluded");
    assert.match(explainVerdict("excluded", 3), /under 2%.*Local Law 144/);
  });

  it("has no verdict without an impact ratio", () => {
    assert.equal(adverseImpactVerdict({ n: 50, impactRatio: null, pValue: null, excluded: false }), "no-ratio");
  });
});
