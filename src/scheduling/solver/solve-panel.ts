/**
 * The exact panel solver (issue 13, section 4). First starts are tried in time order, so the first
 * one with any feasible schedule is optimal for the primary objective; for it, a branch and bound
 * over the later sessions' starts (bounded below by an exact per-day table of the least remaining
 * gap, ignoring who sits where) finds the least total gap; who sits where is a b-matching
 * (assign-seats.ts), checked at every node with the later sessions relaxed to "free at any time
 * they can still start", so no assignment is ever missed and hopeless branches stop early; and
 * completions are remembered (see `complete`).
 */
import { assignSeats } from "./assign-seats.ts";
import { buildSolverTime, type SolverTime } from "./availability.ts";
import { isoUtc, normaliseRequest, type NormalisedRequest, type PanelAnswer, type ScheduledSession } from "./request.ts";
import { explainInfeasible, type AssignmentFailure } from "./explain.ts";
import { MINUTE_MS } from "./local-time.ts";

/** Options of `solvePanel`. */
export interface SolveOptions {
  /** How many alternatives to return beside the optimum (default 0). */
  alternatives?: number;
  /** Alternatives at other start times (default), or at most one per day. */
  alternativesOn?: "start" | "day";
  /**
   * The most wall-clock time the search may take, in milliseconds (default `DEFAULT_TIME_LIMIT_MS`).
   * When it runs out before the optimum is proven the answer has status "error" and a `reason`
   * saying so, never a schedule that may not be optimal.
   */
  timeLimitMs?: number;
  /** The most memory, in bytes (estimated), the remembered completions may hold before they are forgotten (default 256 MiB). */
  memoBytes?: number;
}

/** The default time limit of one request's search: 10 s. */
export const DEFAULT_TIME_LIMIT_MS = 10_000;
const DEFAULT_MEMO_BYTES = 256 * 1024 * 1024;

/** Thrown inside the search when the time limit is reached; caught by `solvePanel`. */
class TimeLimitReached extends Error {}

/** One schedule: per session its grid index and interviewers (indices). */
interface Found {
  starts: number[];
  seats: number[][];
  gap: number;
}

const INF = 0x3fffffff;

/** The search state shared by every first start. */
class PanelSearch {
  readonly S: number;
  readonly minutes: number[];
  readonly need: number[];
  /** count[s][g]: pool members of s free for its whole length from grid point g. */
  readonly count: Int32Array[];
  /** rem[s][g]: least gap of sessions s.. when s starts at g (assignment ignored), INF if none. */
  readonly rem: Int32Array[];
  /** dayAny[d][s]: members of s's pool free for it at some grid point of day d. */
  readonly dayAny: number[][][] = [];
  /**
   * usable[s][k][g]: how many grid points before g the k-th member of s's pool is free for s at,
   * counting only starts from which the rest of the panel can follow (rem finite): a range query
   * then tells whether someone could sit a later session anywhere it can still start.
   */
  readonly usable: Int32Array[][];
  firstFailure: AssignmentFailure | undefined;
  nodes = 0;
  /** performance.now() past which the search gives up (checked every 256 nodes). */
  deadline = Infinity;
  /** The estimated bytes the memo may hold before it is cleared. */
  memoBytesLimit = DEFAULT_MEMO_BYTES;
  private memoBytes = 0;

  readonly n: NormalisedRequest;
  readonly time: SolverTime;

  constructor(n: NormalisedRequest, time: SolverTime) {
    this.n = n;
    this.time = time;
    const { sessions, maxGapMinutes } = n.request;
    this.S = sessions.length;
    this.minutes = sessions.map((s) => s.minutes);
    this.need = sessions.map((s) => s.need);
    const { grid, dayOf, days, freeEnd } = time;
    const G = grid.length;
    this.count = sessions.map((session, s) => {
      const c = new Int32Array(G);
      for (const p of n.pools[s]!) {
        const ends = freeEnd[p]!;
        for (let g = 0; g < G; g++) if (ends[g]! >= grid[g]! + session.minutes) c[g]!++;
      }
      return c;
    });
    this.rem = sessions.map(() => new Int32Array(G).fill(INF));
    for (let s = this.S - 1; s >= 0; s--) {
      const rem = this.rem[s]!;
      const count = this.count[s]!;
      for (let g = 0; g < G; g++) {
        const day = days[dayOf[g]!]!;
        const end = grid[g]! + this.minutes[s]!;
        if (count[g]! < this.need[s]! || end > day.limit) continue;
        if (s === this.S - 1) {
          rem[g] = 0;
          continue;
        }
        const next = this.rem[s + 1]!;
        let best = INF;
        for (let j = lowerBound(grid, end, g, day.last); j < day.last && grid[j]! <= end + maxGapMinutes; j++) {
          if (next[j]! < INF) best = Math.min(best, grid[j]! - end + next[j]!);
        }
        rem[g] = best;
      }
    }
    this.usable = sessions.map((session, s) =>
      n.pools[s]!.map((p) => {
        const ends = freeEnd[p]!;
        const rem = this.rem[s]!;
        const prefix = new Int32Array(G + 1);
        for (let g = 0; g < G; g++) prefix[g + 1] = prefix[g]! + (rem[g]! < INF && ends[g]! >= grid[g]! + session.minutes ? 1 : 0);
        return prefix;
      }),
    );
    for (const day of days) {
      this.dayAny.push(
        sessions.map((session, s) =>
          n.pools[s]!.filter((p) => {
            const ends = freeEnd[p]!;
            for (let g = day.first; g < day.last; g++) if (ends[g]! >= grid[g]! + session.minutes) return true;
            return false;
          }),
        ),
      );
    }
  }

  /** Who is free for session s starting at grid point g. */
  freeAt(s: number, g: number): number[] {
    const end = this.time.grid[g]! + this.minutes[s]!;
    return this.n.pools[s]!.filter((p) => this.time.freeEnd[p]![g]! >= end);
  }

  /** Seats for sessions placed at `starts` (the rest relaxed to their day), or the failure. */
  seat(starts: number[], day: number): ReturnType<typeof assignSeats> {
    const placed = starts.length;
    const { grid, days } = this.time;
    const maxGap = this.n.request.maxGapMinutes;
    let earliest = placed > 0 ? grid[starts[placed - 1]!]! + this.minutes[placed - 1]! : 0;
    let slack = 0;
    const candidates = this.need.map((_, s) => {
      if (s < placed) return this.freeAt(s, starts[s]!);
      if (placed === 0) return this.dayAny[day]![s]!;
      // Session s can still start only within [earliest, earliest + slack] after the last placed one.
      slack += maxGap;
      const { first, last } = days[day]!;
      const lo = lowerBound(grid, earliest, first, last);
      const hi = lowerBound(grid, earliest + slack + 1, lo, last);
      earliest += this.minutes[s]!;
      const usable = this.usable[s]!;
      return this.n.pools[s]!.filter((_, k) => usable[k]![hi]! > usable[k]![lo]!);
    });
    const seated = assignSeats(this.need, candidates, this.n.capacity);
    if (!seated.ok) this.firstFailure ??= { starts: [...starts], sessions: seated.sessions, interviewers: seated.interviewers, candidates };
    return seated;
  }

  /** The least-gap schedule whose first session starts at grid point g0, or undefined. */
  bestFrom(g0: number): Found | undefined {
    if (this.rem[0]![g0]! >= INF) return undefined;
    const day = this.time.dayOf[g0]!;
    const starts = [g0];
    const best = this.complete(starts, day);
    if (!best) return undefined;
    const all = [g0, ...best.suffix];
    const seated = assignSeats(
      this.need,
      all.map((g, s) => this.freeAt(s, g)),
      this.n.capacity,
    );
    if (!seated.ok) throw new Error("panel solver: a schedule found feasible could not be seated (a bug)");
    return { starts: all, seats: seated.seats, gap: best.gap };
  }

  /** Interned free sets: setIds[s][g] names the set of pool members free for session s at g. */
  private readonly setIds: Int32Array[] = [];
  private readonly setNames = new Map<string, number>();
  /** Least-gap completions already worked out (see `complete`); null when there is none. */
  private readonly memo = new Map<string, { gap: number; suffix: number[] } | null>();

  private setId(s: number, g: number): number {
    const ids = (this.setIds[s] ??= new Int32Array(this.time.grid.length).fill(-1));
    if (ids[g]! < 0) {
      const name = this.freeAt(s, g).join(",");
      let id = this.setNames.get(name);
      if (id === undefined) this.setNames.set(name, (id = this.setNames.size));
      ids[g] = id;
    }
    return ids[g]!;
  }

  /**
   * The least total gap of the sessions after the last placed one (and their starts), given the
   * placed `starts`, or null when no completion seats everyone. Exact, so it is remembered: whether
   * and how the rest can follow depends on the earlier sessions only through who was free for them,
   * so the key is the last session's start plus the free sets of the ones before it, which many
   * different earlier placements share (free sets change at few times of a day).
   */
  private complete(starts: number[], day: number): { gap: number; suffix: number[] } | null {
    const s = starts.length - 1;
    const g = starts[s]!;
    let key = `${s}:${g}`;
    for (let j = 0; j < s; j++) key += `,${this.setId(j, starts[j]!)}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    if ((++this.nodes & 255) === 0 && performance.now() > this.deadline) throw new TimeLimitReached();
    let best: { gap: number; suffix: number[] } | null = null;
    if (this.seat(starts, day).ok) {
      if (s === this.S - 1) {
        best = { gap: 0, suffix: [] };
      } else {
        const { grid, days } = this.time;
        const last = days[day]!.last;
        const end = grid[g]! + this.minutes[s]!;
        const next = this.rem[s + 1]!;
        const options: [number, number][] = [];
        for (let j = lowerBound(grid, end, g, last); j < last && grid[j]! <= end + this.n.request.maxGapMinutes; j++) {
          if (next[j]! < INF) options.push([j, grid[j]! - end]);
        }
        options.sort((a, b) => a[1] + next[a[0]]! - (b[1] + next[b[0]]!) || a[0] - b[0]);
        for (const [j, step] of options) {
          // Children come in order of their lower bound: once it reaches the best, none can beat it.
          if (best && step + next[j]! >= best.gap) break;
          starts.push(j);
          const rest = this.complete(starts, day);
          starts.pop();
          if (rest && (!best || step + rest.gap < best.gap)) best = { gap: step + rest.gap, suffix: [j, ...rest.suffix] };
          if (best && best.gap === this.rem[s]![g]) break;
        }
      }
    }
    // A bound on memory (entries and their estimated bytes: key string, suffix, map overhead);
    // forgetting only costs time.
    const bytes = 2 * key.length + (best ? 48 + 8 * best.suffix.length : 0) + 80;
    if (this.memo.size >= 2_000_000 || this.memoBytes + bytes > this.memoBytesLimit) {
      this.memo.clear();
      this.memoBytes = 0;
    }
    this.memo.set(key, best);
    this.memoBytes += bytes;
    return best;
  }
}

function lowerBound(arr: Int32Array, value: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toSessions(search: PanelSearch, found: Found): ScheduledSession[] {
  const { request } = search.n;
  return found.starts.map((g, s) => {
    const start = search.time.originMs + search.time.grid[g]! * MINUTE_MS;
    return {
      id: request.sessions[s]!.id,
      start: isoUtc(start),
      end: isoUtc(start + search.minutes[s]! * MINUTE_MS),
      interviewers: found.seats[s]!.map((p) => request.interviewers[p]!.id).sort(),
    };
  });
}

/**
 * Solves one panel request exactly: the schedule with the earliest first start and, among those,
 * the least total idle time between sessions, plus up to `alternatives` next-best schedules at other
 * first starts. Throws `PanelRequestError` (naming the field) for bad input; a request nothing fits
 * is answered `infeasible` with a reason naming the session, pool and constraint that block.
 * @example
 * const answer = solvePanel({
 *   id: "r1", candidate: { timezone: "Europe/Berlin" },
 *   window: { start: "2026-03-09T00:00:00+01:00", end: "2026-03-10T00:00:00+01:00" },
 *   granularityMinutes: 15, maxGapMinutes: 30, bufferMinutes: 0,
 *   sessions: [{ id: "hm", title: "Hiring manager", minutes: 45, need: 1, pool: ["ana"] }],
 *   interviewers: [{ id: "ana", email: "ana@example.com", timezone: "Europe/Berlin", workingHours: { mon: [["09:00", "17:00"]] }, maxSessions: 1, busy: [] }],
 * });
 * answer.firstStart; // "2026-03-09T08:00:00Z"
 */
export function solvePanel(input: unknown, options: SolveOptions = {}): PanelAnswer {
  const started = performance.now();
  const n = normaliseRequest(input);
  const { request } = n;
  const answer = (fields: Omit<PanelAnswer, "id" | "solveMs">): PanelAnswer => ({
    id: request.id,
    ...fields,
    solveMs: Math.round((performance.now() - started) * 1000) / 1000,
  });
  const infeasible = (reason: string): PanelAnswer => answer({ status: "infeasible", sessions: [], firstStart: null, totalGapMinutes: null, reason });

  const short = request.sessions.findIndex((session, s) => session.need > n.pools[s]!.length);
  if (short >= 0) {
    const session = request.sessions[short]!;
    return infeasible(`session "${session.id}" needs ${session.need} distinct interviewers but its pool has only ${n.pools[short]!.length}`);
  }
  const limitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const time = buildSolverTime(n);
  const search = new PanelSearch(n, time);
  search.deadline = started + limitMs;
  if (options.memoBytes !== undefined) search.memoBytesLimit = options.memoBytes;
  const timedOut = (): PanelAnswer =>
    answer({
      status: "error",
      sessions: [],
      firstStart: null,
      totalGapMinutes: null,
      reason: `time limit of ${limitMs} ms reached before the optimum was proven`,
    });
  const wanted = 1 + Math.max(0, Math.floor(options.alternatives ?? 0));
  const results: Found[] = [];
  const { grid, dayOf } = time;
  const dayOk: (boolean | undefined)[] = [];
  for (let g = 0; g < grid.length && results.length < wanted; g++) {
    if (search.rem[0]![g]! >= INF) continue;
    if (options.alternativesOn === "day" && results.length > 0 && dayOf[results[results.length - 1]!.starts[0]!] === dayOf[g]) continue;
    // Early infeasibility per day: with every session relaxed to "free at some time that day",
    // a day whose seats cannot be filled is skipped whole.
    const day = dayOf[g]!;
    if (dayOk[day] === undefined) {
      dayOk[day] = search.seat([], day).ok;
    }
    if (!dayOk[day]) continue;
    let found: Found | undefined;
    try {
      if (performance.now() > search.deadline) throw new TimeLimitReached();
      found = search.bestFrom(g);
    } catch (error) {
      if (!(error instanceof TimeLimitReached)) throw error;
      // The optimum is proven once found (first starts go in time order); only alternatives are cut short.
      if (results.length === 0) return timedOut();
      break;
    }
    if (found) results.push(found);
  }
  if (results.length === 0) return infeasible(explainInfeasible(n, time, search.count, search.rem, search.firstFailure));
  const [best, ...others] = results;
  const first = toSessions(search, best!);
  return answer({
    status: "scheduled",
    sessions: first,
    firstStart: first[0]!.start,
    totalGapMinutes: best!.gap,
    ...(options.alternatives
      ? {
          alternatives: others.map((found) => ({
            sessions: toSessions(search, found),
            firstStart: toSessions(search, found)[0]!.start,
            totalGapMinutes: found.gap,
          })),
        }
      : {}),
  });
}
