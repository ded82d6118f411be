/**
 * MiniZinc + Gecode as an exact oracle for the panel solver (tests and `npm run bench:scheduling`):
 * our own time-indexed model of the rules of issue 13 section 4, with the same lexicographic
 * objective (earliest first start, then least total gap, as firstStart × BIG + gap). The grid, the
 * interviewers' working hours and their events are handed over as minutes from an origin (the time
 * zone work is shared with the solver; the brute force checks it independently); the model decides
 * order, gaps, the one-day rule, buffers, working hours, who sits where and maxSessions on its own.
 */
import { execFile, execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSolverTime } from "./availability.ts";
import { MINUTE_MS } from "./local-time.ts";
import { normaliseRequest } from "./request.ts";

/** The model; data comes from `minizincData`. */
export const PANEL_MODEL = `
int: S; int: N; int: G; int: D;
array[1..G] of int: T;          % grid start times, minutes
array[1..G] of 1..D: DAY;       % candidate-zone day of each grid point
array[1..D] of int: LIMIT;      % latest end on that day (next midnight or the window's end)
int: MAXGAP; int: BUF; int: BIG;
array[1..S] of int: DUR;
array[1..S] of int: NEED;
array[1..S] of set of 1..N: POOL;
array[1..N] of int: CAP;
array[1..N] of int: WFROM; array[1..N] of int: WTO;   % working spans of person i: WFROM[i]..WTO[i]
int: W; array[1..W] of int: WS; array[1..W] of int: WE;
array[1..N] of int: BFROM; array[1..N] of int: BTO;   % blocking events of person i (busy, tentative, oof)
int: B; array[1..B] of int: BS; array[1..B] of int: BE;

array[1..S] of var 1..G: x;
array[1..S] of var int: t = [T[x[s]] | s in 1..S];
array[1..S, 1..N] of var bool: a;

constraint forall(s in 1..S)(t[s] + DUR[s] <= LIMIT[DAY[x[s]]]);
constraint forall(s in 2..S)(DAY[x[s]] = DAY[x[1]] /\\ t[s] >= t[s-1] + DUR[s-1] /\\ t[s] <= t[s-1] + DUR[s-1] + MAXGAP);
constraint forall(s in 1..S)(sum(i in POOL[s])(bool2int(a[s,i])) = NEED[s] /\\ forall(i in 1..N where not (i in POOL[s]))(not a[s,i]));
constraint forall(i in 1..N)(sum(s in 1..S)(bool2int(a[s,i])) <= CAP[i]);
constraint forall(s in 1..S, i in POOL[s])(a[s,i] -> exists(w in WFROM[i]..WTO[i])(WS[w] <= t[s] /\\ t[s] + DUR[s] <= WE[w]));
constraint forall(s in 1..S, i in POOL[s], b in BFROM[i]..BTO[i] where BE[b] + BUF > BS[b] - BUF)(a[s,i] -> (t[s] + DUR[s] <= BS[b] - BUF \\/ t[s] >= BE[b] + BUF));

var int: gap = t[S] - t[1] - sum(s in 1..S-1)(DUR[s]);
solve :: seq_search([int_search(x, input_order, indomain_min), bool_search([a[s,i] | s in 1..S, i in 1..N], input_order, indomain_max)]) minimize t[1] * BIG + gap;
output ["RESULT \\(t[1]) \\(gap)\\n"];
`;

/** The request as MiniZinc data, and what is needed to read the answer back. */
export function minizincData(input: unknown): { data: string; originMs: number; trivial?: "infeasible" } {
  const n = normaliseRequest(input);
  const { request } = n;
  if (request.sessions.some((session, s) => session.need > n.pools[s]!.length)) return { data: "", originMs: 0, trivial: "infeasible" };
  const time = buildSolverTime(n);
  if (time.grid.length === 0) return { data: "", originMs: time.originMs, trivial: "infeasible" };
  const members = [...new Set(n.pools.flat())].sort((a, b) => a - b);
  const index = new Map(members.map((p, i) => [p, i + 1]));
  const from = time.grid[0]! - 1440;
  const to = time.days[time.days.length - 1]!.limit + 1440;
  const ws: number[] = [];
  const we: number[] = [];
  const wfrom: number[] = [];
  const wto: number[] = [];
  const bs: number[] = [];
  const be: number[] = [];
  const bfrom: number[] = [];
  const bto: number[] = [];
  for (const p of members) {
    wfrom.push(ws.length + 1);
    for (const [a, b] of time.working[p]!) {
      if (b < from || a > to) continue;
      ws.push(a);
      we.push(b);
    }
    wto.push(ws.length);
    bfrom.push(bs.length + 1);
    for (const busy of n.busy[p]!) {
      if (busy.status === "free") continue;
      const a = Math.floor((busy.start - time.originMs) / MINUTE_MS);
      const b = Math.ceil((busy.end - time.originMs) / MINUTE_MS);
      if (b + request.bufferMinutes < from || a - request.bufferMinutes > to) continue;
      bs.push(a);
      be.push(b);
    }
    bto.push(bs.length);
  }
  const arr = (xs: readonly number[]): string => `[${xs.join(",")}]`;
  const S = request.sessions.length;
  const lines = [
    `S = ${S}; N = ${members.length}; G = ${time.grid.length}; D = ${time.days.length};`,
    `T = ${arr([...time.grid])};`,
    `DAY = ${arr([...time.dayOf].map((d) => d + 1))};`,
    `LIMIT = ${arr(time.days.map((d) => d.limit))};`,
    `MAXGAP = ${request.maxGapMinutes}; BUF = ${request.bufferMinutes}; BIG = ${(S - 1) * request.maxGapMinutes + 1};`,
    `DUR = ${arr(request.sessions.map((s) => s.minutes))};`,
    `NEED = ${arr(request.sessions.map((s) => s.need))};`,
    `POOL = [${n.pools.map((pool) => `{${pool.map((p) => index.get(p)).join(",")}}`).join(",")}];`,
    `CAP = ${arr(members.map((p) => n.capacity[p]!))};`,
    `WFROM = ${arr(wfrom)}; WTO = ${arr(wto)}; W = ${ws.length}; WS = ${arr(ws)}; WE = ${arr(we)};`,
    `BFROM = ${arr(bfrom)}; BTO = ${arr(bto)}; B = ${bs.length}; BS = ${arr(bs)}; BE = ${arr(be)};`,
  ];
  return { data: `${lines.join("\n")}\n`, originMs: time.originMs };
}

/** True when `minizinc` with the Gecode solver can be run here. */
export function minizincAvailable(): boolean {
  try {
    return /gecode/i.test(execFileSync("minizinc", ["--solvers"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 }));
  } catch {
    return false;
  }
}

/** MiniZinc's answer for one request. */
export interface OracleAnswer {
  status: "scheduled" | "infeasible" | "unknown";
  /** Epoch milliseconds of the first session's start. */
  firstStart?: number;
  totalGapMinutes?: number;
  /** Wall time of the minizinc process, milliseconds. */
  wallMs: number;
}

/** Writes the model and the request's data into `dir` (once per request) and solves it with `minizinc --solver gecode`. */
export function solveWithMinizinc(input: unknown, dir: string, name: string, timeoutMs = 120_000): Promise<OracleAnswer> {
  const { data, originMs, trivial } = minizincData(input);
  if (trivial) return Promise.resolve({ status: trivial, wallMs: 0 });
  const model = join(dir, "panel.mzn");
  writeFileSync(model, PANEL_MODEL);
  const dataFile = join(dir, `${name}.dzn`);
  writeFileSync(dataFile, data);
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      "minizinc",
      ["--solver", "gecode", "--time-limit", String(timeoutMs), model, dataFile],
      { encoding: "utf8", maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs + 30_000 },
      (error, stdout, stderr) => {
        const wallMs = performance.now() - started;
        if (/=====UNSATISFIABLE=====/.test(stdout)) return resolve({ status: "infeasible", wallMs });
        const results = [...stdout.matchAll(/^RESULT (-?\d+) (-?\d+)$/gm)];
        const last = results[results.length - 1];
        if (!last || !/^==========$/m.test(stdout)) {
          return resolve({ status: "unknown", wallMs, ...(error ? {} : {}), ...(stderr ? {} : {}) });
        }
        resolve({ status: "scheduled", firstStart: originMs + Number(last[1]) * MINUTE_MS, totalGapMinutes: Number(last[2]), wallMs });
      },
    );
  });
}
