/**
 * Why nothing fits: the first rule, in the order a coordinator would check them, that no schedule
 * can meet: the window and grid, then each session alone (its pool's working hours, events and
 * buffer), then the order and largest gap between sessions, then who sits where (maxSessions and
 * distinct interviewers, from the Hall violator the matching found).
 */
import type { SolverTime } from "./availability.ts";
import { MINUTE_MS } from "./local-time.ts";
import { isoUtc, type NormalisedRequest } from "./request.ts";

/** The first failed assignment the search met: the placed sessions' grid points and the blocking sets. */
export interface AssignmentFailure {
  starts: number[];
  sessions: number[];
  interviewers: number[];
  /** Per session, who was free to sit it. */
  candidates: number[][];
}

const LIST = 8;

function list(items: string[]): string {
  return items.length <= LIST ? items.join("; ") : `${items.slice(0, LIST).join("; ")}; and ${items.length - LIST} more`;
}

/** A sentence naming what blocks a request the search found infeasible. */
export function explainInfeasible(
  n: NormalisedRequest,
  time: SolverTime,
  count: Int32Array[],
  rem: Int32Array[],
  failure: AssignmentFailure | undefined,
): string {
  const { request } = n;
  const { grid, dayOf, days } = time;
  const tz = request.candidate.timezone;
  if (grid.length === 0)
    return `the window ${request.window.start} to ${request.window.end} holds no start time on the ${request.granularityMinutes}-minute grid in ${tz}`;
  const fits = (s: number, g: number): boolean => grid[g]! + request.sessions[s]!.minutes <= days[dayOf[g]!]!.limit;
  const windowFrom = grid[0]!;
  const windowTo = days[days.length - 1]!.limit;

  for (let s = 0; s < request.sessions.length; s++) {
    const session = request.sessions[s]!;
    let possible = false;
    for (let g = 0; g < grid.length && !possible; g++) possible = count[s]![g]! >= session.need && fits(s, g);
    if (possible) continue;
    const members = n.pools[s]!.map((p) => {
      const person = request.interviewers[p]!;
      const work = time.working[p]!.map(([a, b]) => [Math.max(a, windowFrom), Math.min(b, windowTo)] as const).filter(([a, b]) => b > a);
      if (work.length === 0) return `${person.id}: no working hours in the window`;
      if (!work.some(([a, b]) => b - a >= session.minutes)) return `${person.id}: working hours never hold ${session.minutes} minutes in the window`;
      let free = 0;
      const ends = time.freeEnd[p]!;
      for (let g = 0; g < grid.length; g++) if (ends[g]! >= grid[g]! + session.minutes && fits(s, g)) free++;
      if (free === 0)
        return `${person.id}: busy, tentative or out of office (or within the ${request.bufferMinutes}-minute buffer of such an event) whenever working`;
      return `${person.id}: free at ${free} start time${free === 1 ? "" : "s"}`;
    });
    return `session "${session.id}" needs ${session.need} of its pool free for ${session.minutes} minutes at one start time on the ${request.granularityMinutes}-minute grid, within one day in ${tz} and the window, and that never happens: ${list(members)}`;
  }

  // Each session fits alone; find the first one that can never follow its predecessor.
  let reach = new Uint8Array(grid.length);
  for (let g = 0; g < grid.length; g++) reach[g] = count[0]![g]! >= request.sessions[0]!.need && fits(0, g) ? 1 : 0;
  for (let s = 1; s < request.sessions.length; s++) {
    const prev = request.sessions[s - 1]!;
    const session = request.sessions[s]!;
    const next = new Uint8Array(grid.length);
    let any = false;
    for (let g = 0; g < grid.length; g++) {
      if (!reach[g]) continue;
      const end = grid[g]! + prev.minutes;
      for (let j = g + 1; j < days[dayOf[g]!]!.last; j++) {
        if (grid[j]! < end) continue;
        if (grid[j]! > end + request.maxGapMinutes) break;
        if (count[s]![j]! >= session.need && fits(s, j)) {
          next[j] = 1;
          any = true;
        }
      }
    }
    if (!any) {
      return `session "${session.id}" can never start within maxGapMinutes (${request.maxGapMinutes}) after session "${prev.id}" ends on the same day in ${tz} with ${session.need} of its pool free${s > 1 ? " (when the sessions before it run in order)" : ""}`;
    }
    reach = next;
  }

  if (failure) {
    const names = failure.sessions.map((s) => `"${request.sessions[s]!.id}"`);
    const seats = failure.sessions.reduce((sum, s) => sum + request.sessions[s]!.need, 0);
    const people = failure.interviewers.map((p) => `${request.interviewers[p]!.id} (maxSessions ${n.capacity[p]})`);
    // What those people can give these sessions: each at most once per session, at most their maxSessions.
    const can = failure.interviewers.reduce(
      (sum, p) => sum + Math.min(n.capacity[p]!, failure.sessions.filter((s) => failure.candidates[s]!.includes(p)).length),
      0,
    );
    const at =
      failure.starts.length > 0
        ? ` at the earliest times that fit otherwise (first session ${isoUtc(time.originMs + grid[failure.starts[0]!]! * MINUTE_MS)})`
        : "";
    return `who sits where cannot be filled${at}: session${names.length === 1 ? "" : "s"} ${names.join(", ")} need ${seats} seats (distinct interviewers within a session), but the free members of their pools can fill at most ${can}: ${people.length ? people.join(", ") : "nobody is free"}`;
  }
  // Each boundary can be met alone but no chain meets all with the rem table; say so plainly.
  if (rem[0]!.every((v) => v >= 0x3fffffff))
    return `no day in ${tz} fits all ${request.sessions.length} sessions in order within maxGapMinutes (${request.maxGapMinutes}) with enough of each pool free`;
  return "no schedule meets every rule";
}
