import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fairnessAudit, fisherExactTwoSided, median, scoringRates, selectionRates, twoProportionZ, type FairnessRecord } from "./fairness.ts";

function people(n: number, selected: number, sex: string | null, race: string | null): FairnessRecord[] {
  return Array.from({ length: n }, (_, i) => ({ sex, race, selected: i < selected }));
}

// The DCWP rule's example: 40 of 100 Hispanic or Latino female applicants selected → 40 %.
const SAMPLE: FairnessRecord[] = [
  ...people(100, 40, "Female", "Hispanic or Latino"),
  ...people(100, 60, "Male", "White"),
  ...people(50, 25, "Female", "White"),
  ...people(3, 1, "Male", "Asian"),
  ...people(7, 5, null, "Decline to self-identify"),
];

const close = (actual: number | null | undefined, expected: number, digits = 4) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 10 ** -digits, `${actual} ≠ ${expected}`);

describe("selection rates (LL144 §5-300, four-fifths rule)", () => {
  it("reproduces the rule's worked example and the intersectional impact ratios", () => {
    const r = selectionRates(SAMPLE, "intersection");
    const hf = r.groups.find((g) => g.group === "Female × Hispanic or Latino")!;
    assert.equal(hf.rate, 0.4);
    assert.equal(r.referenceGroup, "Male × White");
    close(hf.impactRatio, 0.4 / 0.6);
    assert.equal(hf.flagged, true);
    assert.equal(hf.significance?.test, "fisher-exact");
    close(hf.significance?.pValue, 0.0070595, 6);
    const wf = r.groups.find((g) => g.group === "Female × White")!;
    close(wf.impactRatio, 0.5 / 0.6);
    assert.equal(wf.flagged, false);
    close(wf.significance?.pValue, 0.2950163, 6); // exact rational computation, done independently
  });

  it("counts unknown categories and excludes categories under 2 % from impact ratios, still reporting them", () => {
    const r = selectionRates(SAMPLE, "intersection");
    assert.equal(r.total, 260);
    assert.equal(r.unknown, 7);
    const asian = r.groups.find((g) => g.group === "Male × Asian")!;
    assert.equal(asian.excluded, true);
    assert.equal(asian.impactRatio, null);
    assert.equal(asian.n, 3);
    close(asian.rate, 1 / 3);
    assert.match(asian.exclusionReason!, /under 2 % .*3 of 253/);
  });

  it("reports sex and race separately, with the same unknowns counted", () => {
    const [sex, race, both] = fairnessAudit(SAMPLE, "selection");
    assert.deepEqual([sex!.dimension, race!.dimension, both!.dimension], ["sex", "race", "intersection"]);
    const female = sex!.groups.find((g) => g.group === "Female")!;
    assert.equal(female.n, 150);
    close(female.impactRatio, 65 / 150 / (61 / 103));
    assert.equal(female.flagged, true);
    close(female.significance?.pValue, 0.0151468, 6);
    assert.equal(sex!.unknown, 7);
    assert.equal(race!.unknown, 7, "'Decline to self-identify' counts as unknown");
  });
});

describe("scoring rates", () => {
  it("counts only scores strictly above the whole sample's median and shows ties at the median", () => {
    const records: FairnessRecord[] = [
      ...[10, 20, 30, 40, 50].map((score) => ({ sex: "Female", score })),
      ...[50, 50, 60, 70, 80].map((score) => ({ sex: "Male", score })),
      { sex: null, score: 50 },
    ];
    const r = scoringRates(records, "sex", { minShare: 0 });
    assert.equal(r.median, 50);
    const f = r.groups.find((g) => g.group === "Female")!;
    const m = r.groups.find((g) => g.group === "Male")!;
    assert.deepEqual([f.positives, f.atMedian, m.positives, m.atMedian], [0, 1, 3, 2]);
    assert.equal(f.impactRatio, 0);
    assert.equal(f.flagged, true);
    close(f.significance?.pValue, 0.1666667, 6);
    assert.equal(r.unknown, 1);
  });
});

describe("statistics", () => {
  it("computes the median of odd and even samples", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
  });

  it("uses the two-proportion z-test for large samples", () => {
    const r = selectionRates([...people(1500, 600, "Female", null), ...people(1500, 750, "Male", null)], "sex");
    const f = r.groups.find((g) => g.group === "Female")!;
    assert.equal(f.significance?.test, "two-proportion-z");
    assert.ok(f.significance!.pValue < 1e-6);
    close(twoProportionZ(50, 100, 50, 100), 1);
    close(fisherExactTwoSided(3, 7, 9, 1), 0.0197666, 6);
  });
});
