/**
 * `npm run bench:scheduling` (issue 13, section 4): seeded panel requests from 2 days × 5 people ×
 * 2 sessions up to 10 days × 40 people × 8 sessions on a 5-minute grid, solved by Fulcrum
 * (`fulcrum schedule solve` over the batch as JSON Lines, one whole process) and by MiniZinc + Gecode
 * (one whole `minizinc` process per request, our own model of the same rules), in the same run.
 *
 * Prints: how many requests both answer with the same optimum (first start and total gap, or both
 * infeasible), Fulcrum's batch wall time against MiniZinc's, and how Fulcrum's solve time grows with
 * size (a cold process's figures move with the machine's load, so the growth table solves every
 * request again in this process, warmed up, and keeps the fastest of 5 runs: the least disturbed by
 * other processes on a shared machine), and the whole proposal path over crowded calendars (100 and
 * 10,000 events per interviewer: wall time and peak heap growth). Without `minizinc` on
 * PATH the MiniZinc half is skipped with a message. Exits 1 when an optimum differs from MiniZinc's or
 * Fulcrum's batch speed-up over MiniZinc is below 10×.
 *
 * `BENCH_SCALE` (default 1) multiplies the number of requests per size; `BENCH_SEED` (default 1)
 * moves every seed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { solvePanel, type PanelAnswer } from "../src/scheduling/index.ts";
import { minizincAvailable, solveWithMinizinc, type OracleAnswer } from "../src/scheduling/solver/minizinc-oracle.ts";
import { generateRequest, type GeneratorSize } from "../src/scheduling/solver/testing.ts";
import { proposeOverManyEvents } from "../test/support/many-events.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SEED = Number(process.env.BENCH_SEED ?? 1);
/** The least batch speed-up over MiniZinc + Gecode the bench accepts (issue 13, section 4); below it the bench exits 1. */
const MIN_SPEED_UP = 10;
const FULCRUM = join(import.meta.dirname, "..", "bin", "fulcrum.js");

const shape = (days: number, interviewers: number, sessions: number, poolSlack: number): GeneratorSize => ({
  days,
  interviewers,
  sessions,
  granularityMinutes: [5],
  sessionMinutes: [30, 45, 60],
  maxNeed: 2,
  poolSlack,
  busyPerDay: 4,
});
const SIZES: { name: string; size: GeneratorSize; count: number }[] = [
  { name: "2 d × 5 people × 2 sessions", size: shape(2, 5, 2, 2), count: 10 },
  { name: "3 d × 10 people × 3 sessions", size: shape(3, 10, 3, 3), count: 10 },
  { name: "5 d × 20 people × 5 sessions", size: shape(5, 20, 5, 5), count: 8 },
  { name: "10 d × 40 people × 8 sessions", size: shape(10, 40, 8, 6), count: 8 },
];

const dir = mkdtempSync(join(tmpdir(), "fulcrum-bench-scheduling-"));
try {
  const batch = SIZES.flatMap(({ name, size, count }, k) =>
    Array.from({ length: Math.max(1, Math.round(count * SCALE)) }, (_, i) => ({ size: name, request: generateRequest(SEED * 100_003 + k * 1_000 + i, size) })),
  );
  const file = join(dir, "requests.jsonl");
  writeFileSync(file, `${batch.map((b) => JSON.stringify(b.request)).join("\n")}\n`);
  console.log(`${batch.length} requests (5-minute grid), ${SIZES.map((s) => s.name).join("; ")}`);

  // Fulcrum: the real command over the whole batch, process start included.
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [FULCRUM, "schedule", "solve", file],
      { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FULCRUM_LOG_LEVEL: "silent" } },
      (error, out, err) => (error ? reject(new Error(`fulcrum schedule solve failed: ${err || error.message}`)) : resolve(out)),
    ),
  );
  const fulcrumWall = performance.now() - started;
  const answers = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as PanelAnswer);
  if (answers.length !== batch.length) throw new Error(`fulcrum answered ${answers.length} of ${batch.length} requests`);

  let oracle: OracleAnswer[] | undefined;
  if (!minizincAvailable()) {
    console.log("MiniZinc: skipped (no `minizinc` with the Gecode solver on PATH; Debian package minizinc)");
  } else {
    oracle = [];
    for (const [i, b] of batch.entries()) oracle.push(await solveWithMinizinc(b.request, dir, `r${i}`));
  }

  const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
  const agrees = (a: PanelAnswer, o: OracleAnswer): boolean =>
    a.status === o.status && (a.status === "infeasible" || (Date.parse(a.firstStart!) === o.firstStart && a.totalGapMinutes === o.totalGapMinutes));

  console.log("");
  console.log("| size | requests | scheduled | Fulcrum solveMs median / max | MiniZinc process ms median / max | same optimum |");
  console.log("|---|---|---|---|---|---|");
  for (const { name } of SIZES) {
    const idx = batch.flatMap((b, i) => (b.size === name ? [i] : []));
    const solveMs = idx.map((i) => answers[i]!.solveMs);
    const scheduled = idx.filter((i) => answers[i]!.status === "scheduled").length;
    const mz = oracle ? idx.map((i) => oracle[i]!.wallMs) : [];
    const same = oracle ? idx.filter((i) => agrees(answers[i]!, oracle[i]!)).length : 0;
    console.log(
      `| ${name} | ${idx.length} | ${scheduled} | ${ms(median(solveMs))} / ${ms(Math.max(...solveMs))} | ${oracle ? `${ms(median(mz))} / ${ms(Math.max(...mz))}` : "—"} | ${oracle ? `${same}/${idx.length}` : "—"} |`,
    );
  }
  console.log("");
  const inProcess = answers.reduce((sum, a) => sum + a.solveMs, 0);
  console.log(
    `Fulcrum: ${ms(fulcrumWall)} ms wall for the batch (one \`fulcrum schedule solve\` process, start-up included); ${ms(inProcess)} ms of it solving`,
  );
  if (oracle) {
    const mzWall = oracle.reduce((sum, o) => sum + o.wallMs, 0);
    const same = batch.filter((_, i) => agrees(answers[i]!, oracle[i]!)).length;
    const unknown = oracle.filter((o) => o.status === "unknown").length;
    console.log(
      `MiniZinc + Gecode: ${ms(mzWall)} ms wall for the batch (${batch.length} \`minizinc --solver gecode\` processes, one after another)${unknown ? `; ${unknown} hit the time limit` : ""}`,
    );
    console.log(`Same optimum: ${same}/${batch.length} (${((100 * same) / batch.length).toFixed(1)} %)`);
    const speedUp = mzWall / fulcrumWall;
    console.log(`Fulcrum is ${speedUp.toFixed(1)}× faster over the batch (whole processes, wall clock)`);
    if (!(speedUp >= MIN_SPEED_UP)) {
      console.log(`FAIL: the batch speed-up ${speedUp.toFixed(1)}× is below the required ${MIN_SPEED_UP}×`);
      process.exitCode = 1;
    }
    for (const [i, b] of batch.entries()) {
      if (!agrees(answers[i]!, oracle[i]!)) {
        const a = answers[i]!;
        const o = oracle[i]!;
        console.log(
          `  DIFFERENT ${String(b.request.id)}: fulcrum ${a.status} ${a.firstStart} gap ${a.totalGapMinutes}; minizinc ${o.status} ${o.firstStart ? new Date(o.firstStart).toISOString() : ""} gap ${o.totalGapMinutes ?? ""}`,
        );
      }
    }
    if (same !== batch.length) process.exitCode = 1;
  }

  console.log("");
  console.log("Fulcrum solve time by size (this process, warm, fastest of 5 runs per request):");
  console.log("");
  console.log("| size | start times on the grid | people in pools | median ms | p90 ms | max ms |");
  console.log("|---|---|---|---|---|---|");
  for (const b of batch) solvePanel(b.request);
  for (const { name, size } of SIZES) {
    const requests = batch.filter((b) => b.size === name).map((b) => b.request);
    const times = requests.map((request) => {
      const runs = Array.from({ length: 5 }, () => {
        const t = performance.now();
        solvePanel(request);
        return performance.now() - t;
      });
      return Math.min(...runs);
    });
    const sorted = [...times].sort((a, b) => a - b);
    const people = median(requests.map((r) => new Set(r.sessions.flatMap((s) => s.pool)).size));
    console.log(
      `| ${name} | ~${(size.days * 1440) / 5} | ${people} (median) | ${ms(median(times))} | ${ms(sorted[Math.ceil(sorted.length * 0.9) - 1]!)} | ${ms(sorted[sorted.length - 1]!)} |`,
    );
  }

  // Crowded calendars: the whole proposal path (events.list paged from the Google imitation,
  // normalisation, the solver) with 100 and with 10,000 events per interviewer in the window.
  console.log("");
  console.log("Crowded calendars: readAvailability + propose + solve, 3 interviewers, a 60-minute session for 2 of them:");
  console.log("");
  console.log("| events per interviewer | wall ms | peak heap growth MiB | feasible |");
  console.log("|---|---|---|---|");
  for (const eventsPerPerson of [100, 10_000]) {
    const run = await proposeOverManyEvents({ eventsPerPerson, interviewers: 3 });
    console.log(`| ${eventsPerPerson.toLocaleString("en")} | ${ms(run.ms)} | ${run.peakHeapMb.toFixed(0)} | ${run.proposal.feasible} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
