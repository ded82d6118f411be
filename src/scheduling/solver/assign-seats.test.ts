import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assignSeats } from "./assign-seats.ts";

/** Every feasible assignment's existence by enumeration, to compare with the matching. */
function exists(need: number[], candidates: number[][], capacity: number[]): boolean {
  const load = capacity.map(() => 0);
  const fill = (s: number, k: number, from: number, chosen: number[]): boolean => {
    if (s === need.length) return true;
    if (k === need[s]) return fill(s + 1, 0, 0, []);
    const list = candidates[s]!;
    for (let i = from; i < list.length; i++) {
      const p = list[i]!;
      if (load[p]! >= capacity[p]! || chosen.includes(p)) continue;
      load[p]!++;
      const ok = fill(s, k + 1, i + 1, [...chosen, p]);
      load[p]!--;
      if (ok) return true;
    }
    return false;
  };
  return fill(0, 0, 0, []);
}

describe("assignSeats", () => {
  it("moves an earlier session's interviewer to make room (an augmenting path)", () => {
    // Greedy would give s0 person 0 and leave s1 (who can only have 0) empty.
    const result = assignSeats([1, 1], [[0, 1], [0]], [1, 1]);
    assert.deepEqual(result, { ok: true, seats: [[1], [0]] });
  });

  it("never seats one person twice in a session and respects capacity", () => {
    const result = assignSeats(
      [2, 2],
      [
        [0, 1, 2],
        [0, 1, 2],
      ],
      [2, 1, 1],
    );
    assert.equal(result.ok, true);
    if (!result.ok) return;
    for (const seats of result.seats) assert.equal(new Set(seats).size, seats.length);
    const load = [0, 0, 0];
    for (const seats of result.seats) for (const p of seats) load[p]!++;
    assert.ok(load.every((n, p) => n <= [2, 1, 1][p]!));
  });

  it("reports the sessions and people of a shortage", () => {
    const result = assignSeats([1, 2, 1], [[0], [0, 1], [2]], [1, 1, 1]);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.sessions, [0, 1]);
    assert.deepEqual(result.interviewers, [0, 1]);
  });

  it("agrees with enumeration on 2,000 seeded random instances", () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let feasible = 0;
    for (let n = 0; n < 2000; n++) {
      const S = 1 + Math.floor(rnd() * 4);
      const P = 1 + Math.floor(rnd() * 5);
      const need = Array.from({ length: S }, () => 1 + Math.floor(rnd() * 2));
      const candidates = need.map(() => Array.from({ length: P }, (_, p) => p).filter(() => rnd() < 0.6));
      const capacity = Array.from({ length: P }, () => Math.floor(rnd() * 3));
      const got = assignSeats(need, candidates, capacity);
      assert.equal(got.ok, exists(need, candidates, capacity), JSON.stringify({ need, candidates, capacity }));
      if (!got.ok) {
        // The reported sets are a Hall violator: their need exceeds what those people can give them.
        const seatsNeeded = got.sessions.reduce((sum, s) => sum + need[s]!, 0);
        const canGive = got.interviewers.reduce((sum, p) => sum + Math.min(capacity[p]!, got.sessions.filter((s) => candidates[s]!.includes(p)).length), 0);
        assert.ok(seatsNeeded > canGive, JSON.stringify({ need, candidates, capacity, got }));
        // and nobody outside the set could help them
        for (const s of got.sessions)
          for (const p of candidates[s]!) assert.ok(got.interviewers.includes(p), JSON.stringify({ need, candidates, capacity, got }));
      }
      if (got.ok) {
        feasible++;
        got.seats.forEach((seats, s) => {
          assert.equal(seats.length, need[s]);
          assert.equal(new Set(seats).size, seats.length);
          for (const p of seats) assert.ok(candidates[s]!.includes(p));
        });
      }
    }
    assert.ok(feasible > 200 && feasible < 1800, `${feasible} feasible`);
  });
});
