/**
 * `npm run bench:hostile-documents`: does a hostile resume slow the webhooks down? Starts the real
 * webhook intake (bench/intake-server.ts: Hono app, signature check, inbox on the embedded
 * database) with bench/hostile-documents-load.ts loaded into the same process, and sends signed
 * Lever webhooks at a fixed rate while that process reads, over and over:
 *
 * - nothing (the baseline);
 * - a PDF whose content stream inflates to 2 GiB;
 * - HTML nested 200,000 `<div>`s deep;
 * - both at once.
 *
 * The machine's other load moves latencies a lot, so the phases alternate for BENCH_ROUNDS rounds
 * and each round's figures are divided by that round's baseline. Prints the webhooks' median p50
 * and p99 acknowledgement latency per phase, the median ratio of p99 to the baseline's, and how
 * many hostile files were read meanwhile and what became of them.
 *
 * Options (environment): BENCH_SECONDS (per phase, default 2), BENCH_ROUNDS (default 3),
 * BENCH_RATE (webhooks/s, default 200).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { availableParallelism, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { signLeverWebhook } from "../src/lever/index.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const TOKEN = "bench-intake-signature-token";

const child = spawn(
  process.execPath,
  ["--import", join(import.meta.dirname, "hostile-documents-load.ts"), join(import.meta.dirname, "intake-server.ts"), "pglite"],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const lines = createInterface({ input: child.stdout! });
const waiting: { prefix: string; resolve: (line: string) => void }[] = [];
lines.on("line", (line) => {
  const i = waiting.findIndex((w) => line.startsWith(w.prefix));
  if (i >= 0) waiting.splice(i, 1)[0]!.resolve(line);
});
const next = (prefix: string) => new Promise<string>((resolve) => waiting.push({ prefix, resolve }));
const port = Number((await next("READY ")).split(" ")[1]);

function body(): string {
  const triggeredAt = Date.now();
  const token = randomBytes(24).toString("hex");
  return JSON.stringify({
    id: randomBytes(16).toString("hex"),
    event: "candidateStageChange",
    triggeredAt,
    token,
    signature: signLeverWebhook(token, triggeredAt, TOKEN),
    data: {
      opportunityId: randomBytes(16).toString("hex"),
      candidateId: randomBytes(16).toString("hex"),
      contactId: randomBytes(16).toString("hex"),
      fromStageId: "applicant-new",
      toStageId: "stage-phone-screen",
    },
  });
}

function post(agent: Agent, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path: "/webhooks/lever",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** RATE webhooks/s on a fixed schedule for SECONDS; latency counted from when each was due. */
async function webhooks(): Promise<{ p50: number; p99: number; max: number; sent: number; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      post(agent, body()).then(
        (status) => void (status === 200 ? latencies.push(performance.now() - due) : errors++),
        () => void errors++,
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies[latencies.length - 1] ?? NaN, sent: RATE * SECONDS, errors };
}

async function phase(bombs: string | null) {
  let read = { files: 0, ms: 0, statuses: [] as string[] };
  if (bombs) {
    child.stdin!.write(`BOMBS ${bombs}\n`);
    await next("BOMBS ON");
  }
  const w = await webhooks();
  if (bombs) {
    child.stdin!.write("BOMBS off\n");
    const [, , n, ms, statuses] = (await next("BOMBS OFF")).split(" ");
    read = { files: Number(n), ms: Number(ms), statuses: statuses!.split(",") };
  }
  return { ...w, read };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

process.stdout.write(
  `bench:hostile-documents — signed webhooks at ${RATE}/s into the embedded intake while the same process reads hostile resumes; ${ROUNDS} rounds of ${SECONDS} s per phase, medians shown; ${availableParallelism()} CPUs (load average ${loadavg()[0]!.toFixed(1)} at start), Node ${process.version}\n\n`,
);
await webhooks(); // warm-up
const phases: [string, string | null][] = [
  ["baseline: no documents", null],
  ["PDF inflating to 2 GiB", "pdf"],
  ["HTML nested 200,000 deep", "html"],
  ["both at once", "pdf,html"],
];
const runs = phases.map(() => [] as Awaited<ReturnType<typeof phase>>[]);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, [, bombs]] of phases.entries()) runs[i]!.push(await phase(bombs));
}
process.stdout.write(
  "| phase | webhook p50 ms | p99 ms | p99 ÷ baseline p99 (median of rounds) | worst ms | errors | hostile files read meanwhile |\n|---|---|---|---|---|---|---|\n",
);
for (const [i, [name]] of phases.entries()) {
  const list = runs[i]!;
  const ratio = median(list.map((r, round) => r.p99 / runs[0]![round]!.p99));
  const files = list.reduce((n, r) => n + r.read.files, 0);
  const statuses = [...new Set(list.flatMap((r) => r.read.statuses))].join(", ");
  const read = files ? `${files} files, ${median(list.map((r) => r.read.ms)).toFixed(0)} ms each: ${statuses}` : "—";
  process.stdout.write(
    `| ${name} | ${median(list.map((r) => r.p50)).toFixed(1)} | ${median(list.map((r) => r.p99)).toFixed(1)} | ${ratio.toFixed(2)} | ${Math.max(...list.map((r) => r.max)).toFixed(0)} | ${list.reduce((n, r) => n + r.errors, 0)}/${list.reduce((n, r) => n + r.sent, 0)} | ${read} |\n`,
  );
}
child.stdin!.end();
await new Promise((resolve) => child.once("exit", resolve));
