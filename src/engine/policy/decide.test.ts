import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { capMode, decide, type Mode } from "./decide.ts";

const ok = { confidence: 0.95, minConfidence: 0.8, flags: [], excludedPostings: [] };

describe("policy decide", () => {
  it("records only in shadow, whatever the guards say", () => {
    assert.equal(decide("shadow", ok, "auto").outcome, "record");
  });
  it("waits for a person in assist", () => {
    assert.equal(decide("assist", ok, "auto").outcome, "propose");
  });
  it("applies in auto when every guard passes", () => {
    const d = decide("auto", ok, "auto");
    assert.equal(d.outcome, "apply");
    assert.equal(d.mode, "auto");
  });
  it("falls back to assist when confidence is below the threshold", () => {
    const d = decide("auto", { ...ok, confidence: 0.5 }, "auto");
    assert.equal(d.outcome, "propose");
    assert.match(d.reasons.join(" "), /confidence 0\.50 is below 0\.80/);
  });
  it("applies at exactly the threshold", () => {
    assert.equal(decide("auto", { ...ok, confidence: 0.8 }, "auto").outcome, "apply");
  });
  it("falls back to assist on a policy flag", () => {
    const d = decide("auto", { ...ok, flags: ["hidden-text"] }, "auto");
    assert.equal(d.outcome, "propose");
    assert.match(d.reasons.join(" "), /hidden-text/);
  });
  it("falls back to assist for an excluded posting", () => {
    assert.equal(decide("auto", { ...ok, postingId: "p1", excludedPostings: ["p1"] }, "auto").outcome, "propose");
  });
  it("treats a NaN confidence as failing the guard", () => {
    assert.equal(decide("auto", { ...ok, confidence: Number.NaN }, "auto").outcome, "propose");
  });
  it("lets the ceiling cap every mode", () => {
    const modes: Mode[] = ["shadow", "assist", "auto"];
    for (const m of modes) {
      assert.equal(decide(m, ok, "shadow").outcome, "record");
      assert.notEqual(decide(m, ok, "assist").outcome, "apply");
    }
    assert.equal(capMode("auto", "assist"), "assist");
    assert.equal(capMode("shadow", "auto"), "shadow");
  });
});
