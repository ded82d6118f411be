/**
 * `npm run bench:audit`: the cost of governance, each figure beside a baseline measured in the
 * same run.
 *
 * - Audit appends (hash-chained, serialised through the chain head) per second, beside plain
 *   single-row inserts of the same JSON into an unchained table, each in its own transaction;
 *   sequentially, and with 8 concurrent appenders.
 * - `verify()` over the whole chain, beside a plain read of the same rows.
 * - An AI step on the local engine through `runAiStep` (input validation, redaction, fencing,
 *   hashing, quote verification), beside calling the step's local engine directly.
 *
 * Runs on the embedded database and on PostgreSQL when one answers at 127.0.0.1:5432.
 * Options (environment): BENCH_RECORDS (default 2000), BENCH_AI_CALLS (default 300).
 */
import { createAi, DEFAULT_AI_CONFIG, resumeEvidenceStep } from "../src/ai/index.ts";
import { createAuditTrail } from "../src/governance/index.ts";
import { openTestDatabase, postgresAvailable } from "../src/store/testing.ts";
import type { Database, DatabaseKind } from "../src/store/index.ts";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 2000);
const AI_CALLS = Number(process.env.BENCH_AI_CALLS ?? 300);
const CONCURRENCY = 8;

const data = (i: number) => ({
  step: "score",
  runId: `run-${i}`,
  output: { score: i % 100, criteria: [{ id: "ts", quotes: ["Built payment services in TypeScript"] }] },
});

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

async function inParallel(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function row(name: string, value: string, baselineName: string, baseline: string, ratio: number) {
  console.log(`${name.padEnd(44)} ${value.padStart(12)}   ${baselineName.padEnd(34)} ${baseline.padStart(12)}   ratio ${ratio.toFixed(2)}`);
}

async function benchEngine(kind: DatabaseKind) {
  const t = await openTestDatabase(kind);
  const db: Database = t.db;
  try {
    await db.exec(
      "create table bench_plain (id bigserial primary key, kind text not null, data jsonb not null, created_at timestamptz not null default now())",
    );
    const trail = createAuditTrail(db);
    console.log(`\n${kind} — ${RECORDS} records`);
    // Warm-up: pool connections, plans and caches, so neither side pays for them.
    for (let i = 0; i < 200; i++) {
      await db.transaction((tx) => tx.query("insert into bench_plain (kind, data) values ($1, $2::jsonb)", ["warmup", JSON.stringify(data(i))]));
      await trail.append({ kind: "warmup", actor: "bench", data: data(i) });
    }

    const plainSeq = await timed(async () => {
      for (let i = 0; i < RECORDS; i++)
        await db.transaction((tx) => tx.query("insert into bench_plain (kind, data) values ($1, $2::jsonb)", ["ai.call", JSON.stringify(data(i))]));
    });
    const auditSeq = await timed(async () => {
      for (let i = 0; i < RECORDS; i++)
        await trail.append({ kind: "ai.call", actor: "bench", traceId: `t-${i}`, subject: { opportunityId: `opp-${i}` }, data: data(i) });
    });
    row("audit appends/s, sequential", (RECORDS / auditSeq).toFixed(0), "plain inserts/s, sequential", (RECORDS / plainSeq).toFixed(0), plainSeq / auditSeq);

    const plainPar = await timed(() =>
      inParallel(RECORDS, CONCURRENCY, (i) =>
        db.transaction((tx) => tx.query("insert into bench_plain (kind, data) values ($1, $2::jsonb)", ["ai.call", JSON.stringify(data(i))])),
      ),
    );
    const auditPar = await timed(() => inParallel(RECORDS, CONCURRENCY, (i) => trail.append({ kind: "ai.call", actor: "bench", data: data(i) })));
    row(
      `audit appends/s, ${CONCURRENCY} concurrent`,
      (RECORDS / auditPar).toFixed(0),
      `plain inserts/s, ${CONCURRENCY} concurrent`,
      (RECORDS / plainPar).toFixed(0),
      plainPar / auditPar,
    );

    let checked = 0;
    const verifyS = await timed(async () => {
      const r = await trail.verify(); // includes the warm-up records
      if (!r.ok) throw new Error(`chain broken: ${JSON.stringify(r.problems.slice(0, 3))}`);
      checked = r.checked;
    });
    const readS = await timed(async () => {
      await db.query("select * from audit_records order by seq");
    });
    row("verify, records/s", (checked / verifyS).toFixed(0), "plain read of the same rows, rows/s", (checked / readS).toFixed(0), readS / verifyS);
  } finally {
    await t.drop();
  }
}

async function benchAiLocal() {
  const resume = `Dana Whitfield\ndana@example.org · +44 20 7946 0958\n${"Built payment services in TypeScript on Kubernetes handling 2 million transactions a day.\nLed a team of four engineers and mentored two juniors.\n".repeat(20)}`;
  const input = {
    rubric: {
      criteria: Array.from({ length: 8 }, (_, i) => ({
        id: `c${i}`,
        name: ["TypeScript", "Kubernetes", "Leadership", "Rust", "Payments", "SQL", "Mentoring", "Go"][i]!,
        keywords: [] as string[],
      })),
    },
    resumeText: resume,
    candidateName: "Dana Whitfield",
  };
  const ai = createAi({ config: { ai: DEFAULT_AI_CONFIG } });
  const parsed = resumeEvidenceStep.input.parse(input);
  await ai.runAiStep("resume-evidence", input);
  const direct = await timed(async () => {
    for (let i = 0; i < AI_CALLS; i++) resumeEvidenceStep.finish!(resumeEvidenceStep.local(parsed), parsed);
  });
  const layered = await timed(async () => {
    for (let i = 0; i < AI_CALLS; i++) await ai.runAiStep("resume-evidence", input);
  });
  console.log(`\nAI layer, local engine — ${AI_CALLS} resume-evidence calls (8 criteria, ${resume.length} characters)`);
  row("runAiStep calls/s", (AI_CALLS / layered).toFixed(0), "local engine called directly/s", (AI_CALLS / direct).toFixed(0), direct / layered);
}

console.log("figure                                            value   baseline (same run)                       value");
await benchEngine("pglite");
if (await postgresAvailable()) await benchEngine("postgres");
else console.log("\npostgres — skipped: no server at 127.0.0.1:5432");
await benchAiLocal();
