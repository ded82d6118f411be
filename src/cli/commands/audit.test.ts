import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { anchorKeyFrom, createAuditTrail, hashRecord } from "../../governance/index.ts";
import { migrate, openDatabase } from "../../store/index.ts";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>` on the deployment in `dataDir`, run by the binary's main() in this process (a process per command costs seconds). */
async function fulcrum(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { FULCRUM_CONFIG: _config, DATABASE_URL: _url, ...inherited } = process.env;
  return runFulcrumMain(args, { env: { ...inherited, FULCRUM_DATA_DIR: dataDir }, cwd: dataDir });
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
    const lines = readFileSync(out, "utf8").trim().split("\n");
    assert.equal(lines.length, 4, "three records and the chain head");
    assert.equal((JSON.parse(lines[3]!) as { chainHead: { seq: number } }).chainHead.seq, 3);
    assert.match(exported.stderr, /chain head: record 3, hash [0-9a-f]{64}/);

    const ok = await fulcrum(dir, ["audit", "verify", "--no-anchor"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /intact: 3 records/);
    const anchor = /--anchor (3:[0-9a-f]{64})/.exec(ok.stdout)?.[1];
    assert.ok(anchor, ok.stdout);
    const anchored = await fulcrum(dir, ["audit", "verify", "--no-anchor", "--anchor", anchor]);
    assert.equal(anchored.code, 0, anchored.stdout);
    assert.equal((await fulcrum(dir, ["audit", "verify", "--anchor", "3:nothex"])).code, 2);

    const db = await openDatabase({ dataDir: join(dir, "db") });
    await db.exec("alter table audit_records disable trigger audit_records_append_only");
    await db.exec(`update audit_records set data = '{"subject":{},"data":{"i":99}}' where seq = 2`);
    await db.close();

    const broken = await fulcrum(dir, ["audit", "verify", "--no-anchor"]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /record 2: edited/);
  });

  it("checks the chain against the signed anchors in the anchor folder by default and says how old the last one is", async () => {
    const home = mkdtempSync(join(tmpdir(), "fulcrum-audit-anchor-cli-"));
    try {
      const db = await openDatabase({ dataDir: join(home, "db") });
      await migrate(db);
      const trail = createAuditTrail(db);
      for (let i = 1; i <= 4; i++) await trail.append({ kind: "lever.write", actor: "workflow:w", data: { i } });
      await db.close();

      const missing = await fulcrum(home, ["audit", "verify"]);
      assert.equal(missing.code, 1, missing.stdout);
      assert.match(missing.stdout, /audit trail intact: 4 records verified/);
      assert.match(missing.stdout, /NOT ANCHORED: no audit anchor folder at .*audit-anchors.*--no-anchor/);

      const anchor = await fulcrum(home, ["audit", "anchor"]);
      assert.equal(anchor.code, 0, anchor.stderr);
      assert.match(anchor.stdout, /anchored record 4 in .*audit-anchors\/audit-anchor-.*\.json/);
      assert.match(anchor.stdout, /anchor key: [A-Za-z0-9_-]{43}/);

      const ok = await fulcrum(home, ["audit", "verify"]);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /1 anchor checked; the last, of \S+ \((less than a second|\d+ seconds?) ago\), holds record 4; 0 records appended since/);
      // An auditor pins the public key `audit anchor` printed; anchors signed with any other are refused.
      const publicKey = /anchor key: (\S+)/.exec(anchor.stdout)![1]!;
      assert.equal((await fulcrum(home, ["audit", "verify", "--public-key", publicKey])).code, 0);
      const otherKey = anchorKeyFrom(Buffer.alloc(32, 7)).publicKey;
      const pinnedElsewhere = await fulcrum(home, ["audit", "verify", "--public-key", otherKey]);
      assert.equal(pinnedElsewhere.code, 1);
      assert.match(pinnedElsewhere.stdout, new RegExp(`signed by key ${publicKey}, which is not this deployment's anchor key \\(${otherKey}\\)`));

      // Someone with database access edits record 3 and re-hashes the tail and the head.
      const tampered = await openDatabase({ dataDir: join(home, "db") });
      await tampered.exec("alter table audit_records disable trigger audit_records_append_only");
      const { rows } = await tampered.query<{
        seq: number;
        hash: string;
        kind: string;
        trace_id: string | null;
        actor: string;
        data: { subject: Record<string, string>; data: unknown };
        created_at: Date;
      }>("select * from audit_records order by seq");
      let prev = rows[1]!.hash;
      for (const r of rows.slice(2)) {
        const data = Number(r.seq) === 3 ? { i: 33 } : r.data.data;
        const hash = hashRecord(prev, {
          kind: r.kind,
          traceId: r.trace_id,
          actor: r.actor,
          subject: r.data.subject,
          data,
          createdAt: new Date(r.created_at).toISOString(),
        });
        await tampered.query("update audit_records set prev_hash = $1, hash = $2, data = $3 where seq = $4", [
          prev,
          hash,
          JSON.stringify({ subject: r.data.subject, data }),
          r.seq,
        ]);
        prev = hash;
      }
      await tampered.query("update audit_chain_head set hash = $1", [prev]);
      await tampered.close();

      const plain = await fulcrum(home, ["audit", "verify", "--no-anchor"]);
      assert.equal(plain.code, 0, "a consistent rewrite passes the chain check alone");
      const caught = await fulcrum(home, ["audit", "verify"]);
      assert.equal(caught.code, 1, caught.stdout);
      assert.match(caught.stdout, /audit trail BROKEN: 1 problem\(s\) in 4 records/);
      assert.match(caught.stdout, /record 4: edited — its hash [0-9a-f]{12}… differs from anchor .*audit-anchor-.*\.json/);

      // The attacker edits the anchor file to match the rewritten head: its signature gives it away.
      const anchorsDir = join(home, "audit-anchors");
      const file = join(anchorsDir, readdirSync(anchorsDir)[0]!);
      chmodSync(file, 0o644);
      writeFileSync(file, readFileSync(file, "utf8").replace(/"hash": "[0-9a-f]+"/, `"hash": "${prev}"`));
      const forged = await fulcrum(home, ["audit", "verify"]);
      assert.equal(forged.code, 1, forged.stdout);
      assert.match(forged.stdout, /anchor file .*audit-anchor-.*\.json: signature — has a signature that does not match its content/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("searches by trace and refuses a search with no subject", async () => {
    const found = await fulcrum(dir, ["audit", "search", "--trace", "t", "--limit", "2"]);
    assert.equal(found.code, 0, found.stderr);
    assert.deepEqual(
      found.stdout
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
      [1, 2],
    );
    assert.equal((await fulcrum(dir, ["audit", "search"])).code, 2);
  });

  it("rejects a --from that is not a date, saying which option and what to write", async () => {
    const r = await fulcrum(dir, ["audit", "export", "--from", "last tuesday"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--from "last tuesday" is not a date; use ISO 8601/);
  });
});
