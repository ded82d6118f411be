import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { solvePanel } from "../index.ts";
import { minizincAvailable, solveWithMinizinc } from "./minizinc-oracle.ts";
import { generateRequest } from "./testing.ts";

const available = minizincAvailable();

describe("solvePanel against MiniZinc + Gecode", {
  skip: available ? false : "minizinc with the Gecode solver is not installed (Debian package minizinc)",
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-minizinc-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the same optimum (or the same infeasibility) on a handful of seeded instances", async () => {
    const size = { days: 2, interviewers: 6, sessions: 3, granularityMinutes: [15, 30], sessionMinutes: [30, 45, 60], maxNeed: 2, poolSlack: 2, busyPerDay: 3 };
    let scheduled = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const request = generateRequest(seed * 31, size);
      const ours = solvePanel(request);
      const oracle = await solveWithMinizinc(request, dir, `r${seed}`, 60_000);
      const label = JSON.stringify({ seed, ours: [ours.status, ours.firstStart, ours.totalGapMinutes], oracle });
      assert.notEqual(oracle.status, "unknown", label);
      assert.equal(ours.status, oracle.status, label);
      if (ours.status === "scheduled") {
        scheduled++;
        assert.equal(Date.parse(ours.firstStart!), oracle.firstStart, label);
        assert.equal(ours.totalGapMinutes, oracle.totalGapMinutes, label);
      }
    }
    assert.ok(scheduled >= 2 && scheduled <= 7, `${scheduled} of 8 scheduled`);
  });
});
