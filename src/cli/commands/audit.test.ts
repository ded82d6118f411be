import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createAuditTrail } from "../../governance/index.ts";
import { migrate, openDatabase } from "../../store/index.ts";

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, "..", "main.ts");

async function fulcrum(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { FULCRUM_CONFIG: _config, DATABASE_URL: _url, ...inherited } = process.env;
  const env = { ...inherited, FULCRUM_DATA_DIR: dataDir };
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env, cwd: dataDir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("fulcrum audit", () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fulcrum-audit-cli-"));
    const db = await openDatabase({ dataDir: join(dir, "db") });
    await migrate(db);
    const trail = createAuditTrail(db);
    for (let i = 1; i <= 3; i++) await trail.append({ kind: "lever.write", actor: "workflow:w", traceId: "t", data: { i } });
    await db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("exports JSON Lines to a file, verifies an intact chain, then exits 1 naming a tampered record", async () => {
    const out = join(dir, "export.jsonl");
    const exported = await fulcrum(dir, ["audit", "export", "--from", "2000-01-01", "--out", out]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 3);

    const ok = await fulcrum(dir, ["audit", "verify"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /intact: 3 records/);
    const anchor = /--anchor (3:[0-9a-f]{64})/.exec(ok.stdout)?.[1];
    assert.ok(anchor, ok.stdout);
    const anchored = await fulcrum(dir, ["audit", "verify", "--anchor", anchor]);
    assert.equal(anchored.code, 0, anchored.stdout);
    assert.equal((await fulcrum(dir, ["audit", "verify", "--anchor", "3:nothex"])).code, 2);

    const db = await openDatabase({ dataDir: join(dir, "db") });
    await db.exec("alter table audit_records disable trigger audit_records_append_only");
    await db.exec(`update audit_records set data = '{"subject":{},"data":{"i":99}}' where seq = 2`);
    await db.close();

    const broken = await fulcrum(dir, ["audit", "verify"]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /record 2: edited/);
  });

  it("searches by trace and refuses a search with no subject", async () => {
    const found = await fulcrum(dir, ["audit", "search", "--trace", "t", "--limit", "2"]);
    assert.equal(found.code, 0, found.stderr);
    assert.deepEqual(found.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { seq: number }).seq), [1, 2]);
    assert.equal((await fulcrum(dir, ["audit", "search"])).code, 2);
  });

  it("rejects a --from that is not a date, saying which option and what to write", async () => {
    const r = await fulcrum(dir, ["audit", "export", "--from", "last tuesday"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--from "last tuesday" is not a date; use ISO 8601/);
  });
});
