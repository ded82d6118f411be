import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { anchorKeyFrom, AnchorFolderError, describeAge, startAuditAnchoring, verifyWithAnchors, writeAuditAnchor } from "./audit-anchor.ts";
import { createAuditTrail, hashRecord, type AuditTrail } from "./audit-trail.ts";

/** What an attacker with database access does: switch off the append-only trigger, change records. */
async function tamper(db: Database, sql: string, params: unknown[] = []) {
  await db.exec("alter table audit_records disable trigger audit_records_append_only");
  try {
    await db.query(sql, params);
  } finally {
    await db.exec("alter table audit_records enable trigger audit_records_append_only");
  }
}

/** Recomputes every hash from `fromSeq` on, and the head, so the chain is consistent again. */
async function rehashFrom(db: Database, fromSeq: number) {
  const { rows } = await db.query<{
    seq: number;
    hash: string;
    kind: string;
    trace_id: string | null;
    actor: string;
    data: { subject: Record<string, string>; data: unknown };
    created_at: Date;
  }>("select * from audit_records order by seq");
  let prev = "genesis";
  for (const r of rows) {
    if (Number(r.seq) < fromSeq) {
      prev = r.hash;
      continue;
    }
    const hash = hashRecord(prev, {
      kind: r.kind,
      traceId: r.trace_id,
      actor: r.actor,
      subject: r.data.subject,
      data: r.data.data,
      createdAt: new Date(r.created_at).toISOString(),
    });
    await tamper(db, "update audit_records set prev_hash = $1, hash = $2 where seq = $3", [prev, hash, r.seq]);
    prev = hash;
  }
  await db.query("update audit_chain_head set hash = $1, seq = (select max(seq) from audit_records)", [prev]);
}

async function append(trail: AuditTrail, n: number) {
  for (let i = 1; i <= n; i++) await trail.append({ kind: "lever.write", actor: "workflow:screening", subject: { candidateId: "cand-1" }, data: { step: i } });
}

const silent = { info() {}, error() {} };

for (const engine of await testEngines()) {
  describe(`audit anchors on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let trail: AuditTrail;
    let root: string;
    const key = anchorKeyFrom(randomBytes(32));
    let n = 0;
    /** A fresh anchor folder for each test. */
    const folder = () => join(root, `anchors-${++n}`);

    before(async () => {
      t = await openTestDatabase(engine.kind);
      trail = createAuditTrail(t.db);
      root = mkdtempSync(join(tmpdir(), "fulcrum-anchors-"));
    });
    after(async () => {
      await t?.drop();
      rmSync(root, { recursive: true, force: true });
    });

    async function reset() {
      await t.db.exec("alter table audit_records disable trigger audit_records_no_truncate");
      await t.db.exec("truncate audit_records");
      await t.db.exec("alter table audit_records enable trigger audit_records_no_truncate");
      await t.db.query("update audit_chain_head set seq = 0, hash = 'genesis'");
    }

    it("verifies an untouched chain against its anchor and says how old the anchor is", async () => {
      await reset();
      await append(trail, 4);
      const dir = folder();
      const anchoredAt = new Date("2026-03-01T10:00:00Z");
      const { anchor } = await writeAuditAnchor(t.db, { dir, key, now: anchoredAt });
      assert.deepEqual([anchor.seq, anchor.count], [4, 4]);
      await append(trail, 2);

      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey], now: new Date("2026-03-01T12:30:00Z") });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.anchorsChecked, 1);
      assert.equal(result.lastAnchor?.seq, 4);
      assert.equal(result.lastAnchor?.recordsSince, 2);
      assert.equal(describeAge(result.lastAnchor!.ageMs), "2 hours");
    });

    it("finds a tail and head rewritten consistently before the anchor point, which the plain chain check cannot", async () => {
      await reset();
      await append(trail, 5);
      const dir = folder();
      await writeAuditAnchor(t.db, { dir, key });
      await append(trail, 1);
      // The attacker edits record 4, recomputes every hash after it and moves the head to match.
      await tamper(t.db, `update audit_records set data = jsonb_set(data, '{data,step}', '40') where seq = 4`);
      await rehashFrom(t.db, 4);

      assert.equal((await trail.verify()).ok, true, "the chain alone still looks intact");
      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] });
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [[5, "edited"]],
      );
      assert.match(result.problems[0]!.detail, /differs from anchor .*audit-anchor-.*\.json of .*; the chain was rewritten at or before this record/);
    });

    it("finds a chain cut back below the anchor and re-headed", async () => {
      await reset();
      await append(trail, 3);
      const dir = folder();
      await writeAuditAnchor(t.db, { dir, key });
      await tamper(t.db, "delete from audit_records where seq = 3");
      await rehashFrom(t.db, 3);
      assert.equal((await trail.verify()).ok, true);
      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] });
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [[3, "removed"]],
      );
      assert.match(result.problems[0]!.detail, /the record anchored in anchor .* is missing/);
    });

    it("still finds edits after the last anchor through the chain itself", async () => {
      await reset();
      await append(trail, 2);
      const dir = folder();
      await writeAuditAnchor(t.db, { dir, key });
      await append(trail, 2);
      await tamper(t.db, `update audit_records set data = jsonb_set(data, '{data,step}', '30') where seq = 3`);
      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] });
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [[3, "edited"]],
      );
    });

    it("refuses an anchor file whose content was altered, saying its signature does not match", async () => {
      await reset();
      await append(trail, 3);
      const dir = folder();
      const { file } = await writeAuditAnchor(t.db, { dir, key });
      // An attacker who rewrote the chain tries to move the anchor along with it.
      await tamper(t.db, `update audit_records set data = jsonb_set(data, '{data,step}', '20') where seq = 2`);
      await rehashFrom(t.db, 2);
      const forged = JSON.parse(readFileSync(file, "utf8")) as { hash: string };
      forged.hash = (await trail.verify()).head!.hash;
      chmodSync(file, 0o644);
      writeFileSync(file, JSON.stringify(forged));

      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] });
      assert.equal(result.ok, false);
      assert.equal(result.anchorsChecked, 0);
      assert.deepEqual(
        result.anchorProblems.map((p) => p.kind),
        ["signature"],
      );
      assert.match(result.anchorProblems[0]!.detail, /signature that does not match its content/);
    });

    it("refuses an anchor signed by another key, naming both keys", async () => {
      await reset();
      await append(trail, 1);
      const dir = folder();
      const other = anchorKeyFrom(randomBytes(32));
      await writeAuditAnchor(t.db, { dir, key: other });
      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] });
      assert.equal(result.ok, false);
      assert.match(
        result.anchorProblems[0]!.detail,
        new RegExp(`signed by key ${other.publicKey}, which is not this deployment's anchor key \\(${key.publicKey}\\)`),
      );
    });

    it("reports a missing or empty anchor folder, saying where anchors come from", async () => {
      await reset();
      await append(trail, 1);
      const dir = folder();
      await assert.rejects(
        verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] }),
        (e: unknown) => e instanceof AnchorFolderError && /no audit anchor folder at .*FULCRUM_AUDIT_ANCHOR_DIR.*--no-anchor/.test(e.message),
      );
      await writeAuditAnchor(t.db, { dir, key });
      rmSync(join(dir, readdirSync(dir)[0]!), { force: true });
      await assert.rejects(verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] }), /holds no anchor/);
    });

    it("skips an anchor file cut short by a crash, saying so, and checks the others", async () => {
      await reset();
      await append(trail, 2);
      const dir = folder();
      const { file } = await writeAuditAnchor(t.db, { dir, key });
      writeFileSync(join(dir, "audit-anchor-20990101T000000.000Z-000000000009-abcdef.json"), readFileSync(file, "utf8").slice(0, 40));
      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.anchorsChecked, 1);
      assert.deepEqual(
        result.anchorProblems.map((p) => p.kind),
        ["unreadable"],
      );
      assert.match(result.anchorProblems[0]!.detail, /not complete JSON/);
    });

    it("writes each anchor as a new file and never overwrites one", async () => {
      await reset();
      await append(trail, 1);
      const dir = folder();
      const now = new Date("2026-03-01T10:00:00Z");
      const a = await writeAuditAnchor(t.db, { dir, key, now });
      const b = await writeAuditAnchor(t.db, { dir, key, now });
      assert.notEqual(a.file, b.file);
      assert.equal(readdirSync(dir).length, 2);
      assert.match(readdirSync(dir)[0]!, /^audit-anchor-20260301T100000\.000Z-000000000001-[0-9a-f]{6}\.json$/);
    });

    it("anchors on a schedule, skips a head that has not moved, and anchors once more when stopped", async () => {
      await reset();
      await append(trail, 1);
      const dir = folder();
      const anchoring = startAuditAnchoring({ db: t.db, dir, key, intervalMs: 40, logger: silent });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(readdirSync(dir).length, 1, "the head did not move: one anchor, written at start");
      await append(trail, 1);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(readdirSync(dir).length, 2);
      await append(trail, 1);
      await anchoring.stop();
      const result = await verifyWithAnchors(trail, { dir, trustedKeys: [key.publicKey] });
      assert.equal(result.ok, true);
      assert.deepEqual([result.anchorsChecked, result.lastAnchor?.seq, result.lastAnchor?.recordsSince], [3, 3, 0]);
    });
  });
}
