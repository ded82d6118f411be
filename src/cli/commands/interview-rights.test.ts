import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_INTERVIEW_NOTICE } from "../../config/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { migrate, openDatabase } from "../../store/index.ts";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>` on the deployment in `dir`, run by the binary's main() in this process (a process per command costs seconds). */
async function fulcrum(dir: string, args: string[], config?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { FULCRUM_CONFIG: _config, DATABASE_URL: _url, ...inherited } = process.env;
  const env = { ...inherited, FULCRUM_DATA_DIR: dir, FULCRUM_LOG_LEVEL: "silent", ...(config ? { FULCRUM_CONFIG: config } : {}) };
  return runFulcrumMain(args, { env, cwd: dir });
}

const DAY = 86_400_000;

async function insertTranscripts(
  dir: string,
  rows: { opportunity: string; toolCandidate?: string; connection?: string; trace: string; ageDays?: number; expiresInDays?: number }[],
) {
  const db = await openDatabase({ dataDir: join(dir, "db") });
  await migrate(db);
  for (const row of rows) {
    const created = new Date(Date.now() - (row.ageDays ?? 0) * DAY);
    const expires = new Date(Date.now() + (row.expiresInDays ?? 180) * DAY);
    await db.query(
      `insert into interview_transcripts (connection_id, opportunity_id, tool, tool_candidate_id, trace_id, source, engine, language, duration_seconds, transcript, created_at, expires_at)
     values ($1, $2, 'willo', $3, $4, 'platform-transcript', 'transcript', 'en', 60, $5::jsonb, $6, $7)`,
      [
        row.connection ?? "default",
        row.opportunity,
        row.toolCandidate ?? null,
        row.trace,
        JSON.stringify({ segments: [{ start: 0, end: 2, text: "I led the team." }] }),
        created,
        expires,
      ],
    );
  }
  await db.close();
}

async function state(dir: string) {
  const db = await openDatabase({ dataDir: join(dir, "db") });
  const { rows } = await db.query<{ opportunity_id: string }>("select opportunity_id from interview_transcripts order by opportunity_id");
  const audit = await createAuditTrail(db).verify();
  const { rows: records } = await db.query<{ kind: string; data: unknown }>("select kind, data from audit_records where kind like 'interview.%' order by seq");
  await db.close();
  return { left: rows.map((r) => r.opportunity_id), auditOk: audit.ok, records };
}

describe("fulcrum interview forget, notice and sweep", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fulcrum-interview-rights-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("forgets every transcript of a candidate (by opportunity or tool candidate id), audited, and is safe to run again", async () => {
    await insertTranscripts(dir, [
      { opportunity: "opp-ann", trace: "t1" },
      { opportunity: "opp-ann", trace: "t2", toolCandidate: "willo-77" },
      { opportunity: "opp-bo", trace: "t3" },
    ]);

    const first = await fulcrum(dir, ["interview", "forget", "opp-ann", "--as", "dpo"]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /deleted 2 interview transcript/);
    let s = await state(dir);
    assert.deepEqual(s.left, ["opp-bo"], "the other candidate's transcript stays");
    assert.ok(s.auditOk);
    assert.equal(s.records.length, 1);
    assert.equal(s.records[0]!.kind, "interview.forgotten");
    assert.doesNotMatch(JSON.stringify(s.records), /led the team/, "no transcript text in the audit trail");

    const again = await fulcrum(dir, ["interview", "forget", "opp-ann", "--as", "dpo"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing stored for opp-ann/);
    s = await state(dir);
    assert.deepEqual(s.left, ["opp-bo"]);
    assert.equal(s.records.length, 2, "the repeated request is recorded too");

    await insertTranscripts(dir, [{ opportunity: "opp-cy", trace: "t4", toolCandidate: "willo-9" }]);
    const byTool = await fulcrum(dir, ["interview", "forget", "willo-9"]);
    assert.match(byTool.stdout, /deleted 1 interview transcript/);
    assert.deepEqual((await state(dir)).left, ["opp-bo"]);
  });

  it("refuses an empty candidate with a usage error and deletes nothing", async () => {
    const r = await fulcrum(dir, ["interview", "forget", " "]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /<candidate> must be an opportunity id/);
    assert.deepEqual((await state(dir)).left, ["opp-bo"]);
  });

  it("sweeps transcripts past their expiry or older than the configured period, and recordings a crash left behind", async () => {
    await insertTranscripts(dir, [
      { opportunity: "opp-expired", trace: "t5", expiresInDays: -1 },
      { opportunity: "opp-old", trace: "t6", ageDays: 40, expiresInDays: 140 },
      { opportunity: "opp-recent", trace: "t7", ageDays: 5 },
    ]);
    const work = join(dir, "work");
    mkdirSync(join(work, "fulcrum-media-stale"), { recursive: true });
    writeFileSync(join(work, "fulcrum-media-stale", "recording.mp4"), "x");
    // A crash also leaves the extracted audio (fulcrum-transcribe-) and a fetched transcript (fulcrum-transcript-).
    mkdirSync(join(work, "fulcrum-transcribe-stale"));
    writeFileSync(join(work, "fulcrum-transcribe-stale", "audio.wav"), "x");
    mkdirSync(join(work, "fulcrum-transcript-stale"));
    writeFileSync(join(work, "fulcrum-transcript-stale", "call.vtt"), "x");
    mkdirSync(join(work, "someone-elses-folder"));
    const old = new Date(Date.now() - 2 * DAY);
    for (const name of ["fulcrum-media-stale", "fulcrum-transcribe-stale", "fulcrum-transcript-stale", "someone-elses-folder"])
      utimesSync(join(work, name), old, old);
    mkdirSync(join(work, "fulcrum-media-running"));
    const config = join(dir, "sweep.yaml");
    writeFileSync(config, `interviews:\n  retentionDays: 30\n  workDir: ${JSON.stringify(work)}\n`);

    const r = await fulcrum(dir, ["interview", "sweep"], config);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /swept: 2 transcript\(s\) older than 30 days deleted, 3 leftover recording folder/);
    const s = await state(dir);
    assert.deepEqual(s.left, ["opp-bo", "opp-recent"]);
    assert.equal(s.records.at(-1)!.kind, "interview.swept");
    assert.deepEqual(
      readdirSync(work).sort(),
      ["fulcrum-media-running", "someone-elses-folder"],
      "a download younger than a day may still be in use; other folders are not Fulcrum's",
    );
    assert.equal((await fulcrum(dir, ["interview", "sweep", "--now", "yesterday-ish"], config)).code, 2);
  });

  it("prints the configured notice, or the default with the retention period filled in", async () => {
    const d = await fulcrum(dir, ["interview", "notice"]);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout, `${DEFAULT_INTERVIEW_NOTICE.replace("{retentionDays}", "180")}\n`);
    assert.match(d.stdout, /consent/i);
    const config = join(dir, "notice.yaml");
    writeFileSync(
      config,
      "interviews:\n  retentionDays: 60\n  notice: We transcribe your answers with software and keep them {retentionDays} days. Reply NO to be offered another way.\n",
    );
    const own = await fulcrum(dir, ["interview", "notice"], config);
    assert.equal(own.stdout, "We transcribe your answers with software and keep them 60 days. Reply NO to be offered another way.\n");
  });
});
