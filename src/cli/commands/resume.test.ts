import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

const CORPUS = join(import.meta.dirname, "..", "..", "..", "bench", "corpus", "files");

/** `fulcrum <args>`, run by the binary's main() in this process (a process per command costs seconds). */
function fulcrum(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runFulcrumMain(args, { env: { ...process.env, FULCRUM_LOG_LEVEL: "silent", ...env } });
}

describe("fulcrum resume", () => {
  it("parse prints the profile with its skills as JSON", async () => {
    const r = await fulcrum(["resume", "parse", join(CORPUS, "resumes", "r001.pdf"), "--as-of", "2026-10"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: string; skills: string[]; profile: { positions: unknown[] } };
    assert.equal(out.status, "parsed");
    assert.ok(out.skills.length > 3);
    assert.ok(out.profile.positions.length > 0);
  });

  it("score prints a numeric score with criteria and evidence for a posting file", async () => {
    const r = await fulcrum([
      "resume",
      "score",
      join(CORPUS, "resumes", "r001.docx"),
      "--posting",
      join(CORPUS, "postings", "post-backend.json"),
      "--as-of",
      "2026-10",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { score: number; criteria: { status: string; evidence: string[] }[] };
    assert.equal(typeof out.score, "number");
    assert.ok(out.score >= 0 && out.score <= 100);
    assert.ok(out.criteria.some((c) => c.status === "met" && c.evidence.length > 0));
  });

  it("refuses an unapproved rubric override and reports bad input clearly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-cli-"));
    try {
      const rubric = join(dir, "rubric.json");
      writeFileSync(
        rubric,
        JSON.stringify({ postingId: "post-backend", criteria: [{ id: "go", kind: "skill", label: "Go", must: true, weight: 3, skills: ["Go"] }] }),
      );
      const unapproved = await fulcrum([
        "resume",
        "score",
        join(CORPUS, "resumes", "r001.pdf"),
        "--posting",
        join(CORPUS, "postings", "post-backend.json"),
        "--rubric",
        rubric,
      ]);
      assert.equal(unapproved.code, 2);
      assert.match(unapproved.stderr, /approved/);
      const approved = await fulcrum([
        "resume",
        "score",
        join(CORPUS, "resumes", "r001.pdf"),
        "--posting",
        join(CORPUS, "postings", "post-backend.json"),
        "--rubric",
        rubric,
        "--approved-by",
        "lead",
      ]);
      assert.equal(approved.code, 0, approved.stderr);
      assert.equal((JSON.parse(approved.stdout) as { rubric: { source: string } }).rubric.source, "override");
      const empty = join(dir, "empty.pdf");
      writeFileSync(empty, "");
      const bad = await fulcrum(["resume", "score", empty, "--posting", join(CORPUS, "postings", "post-backend.json")]);
      assert.equal(bad.code, 3);
      assert.match(bad.stderr, /corrupt \(The file is empty/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("fulcrum backfill and rediscover against the sandbox", () => {
  let sandbox: Sandbox;
  let dataDir: string;
  let env: Record<string, string>;
  before(async () => {
    sandbox = await startSandbox({ seed: 3, rateLimit: false });
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-cli-"));
    env = {
      LEVER_API_KEY: sandbox.apiKey,
      LEVER_API_BASE_URL: sandbox.url,
      FULCRUM_LEVER_ALLOWED_HOSTS: new URL(sandbox.url).origin,
      FULCRUM_DATA_DIR: dataDir,
    };
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("backfills the index and proposes past candidates for a posting", async () => {
    const backfill = await fulcrum(["backfill", "--quiet"], env);
    assert.equal(backfill.code, 0, backfill.stderr);
    const report = JSON.parse(backfill.stdout) as { seen: number; indexed: number };
    assert.ok(report.indexed > 20, backfill.stdout);
    const posting = [...sandbox.state.postings.values()].find((p) => /Recruiter/.test(p.text))!;
    const r = await fulcrum(["rediscover", "--posting", posting.id, "--include-active"], env);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { proposals: { opportunityId: string; score: number; reasons: string[] }[] };
    assert.ok(Array.isArray(out.proposals));
    for (const p of out.proposals) assert.ok(p.reasons.length > 0);
    const byId = await fulcrum(["resume", "score", join(CORPUS, "resumes", "r002.pdf"), "--posting", posting.id], env);
    assert.equal(byId.code, 0, byId.stderr);
    assert.equal((JSON.parse(byId.stdout) as { posting: { id: string }; score: number }).posting.id, posting.id);
    const badSince = await fulcrum(["backfill", "--since", "yesterday"], env);
    assert.equal(badSince.code, 2);
    assert.match(badSince.stderr, /not a date/);
  });
});
