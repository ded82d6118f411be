import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { openDatabase, type Database } from "../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { createAuditTrail, hashedParts, hashRecord, type AuditTrail, type AuditVerifyResult } from "./audit-trail.ts";
import { canonicalJson } from "./canonical-json.ts";

async function appendMany(trail: AuditTrail, n: number, traceId = "trace-1") {
  for (let i = 1; i <= n; i++) {
    await trail.append({
      kind: i % 2 ? "run.started" : "lever.write",
      traceId,
      actor: "workflow:screening",
      subject: { opportunityId: `opp-${i}`, candidateId: "cand-1", connectionId: "default" },
      data: { step: i, note: `record ${i}`, nested: { b: 2, a: [1, { z: true, y: null }] } },
    });
  }
}

/** Tampering an attacker with database access could do: the append-only trigger is off. */
async function tamper(db: Database, sql: string, params: unknown[] = []) {
  await db.exec("alter table audit_records disable trigger audit_records_append_only");
  try {
    await db.query(sql, params);
  } finally {
    await db.exec("alter table audit_records enable trigger audit_records_append_only");
  }
}

const withoutHead = ({ head: _head, ...rest }: AuditVerifyResult) => rest;

for (const engine of await testEngines()) {
  describe(`audit trail on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let trail: AuditTrail;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      trail = createAuditTrail(t.db);
    });
    after(async () => t?.drop());

    async function reset() {
      await t.db.exec("alter table audit_records disable trigger audit_records_no_truncate");
      await t.db.exec("truncate audit_records");
      await t.db.exec("alter table audit_records enable trigger audit_records_no_truncate");
      await t.db.query("update audit_chain_head set seq = 0, hash = 'genesis'");
    }

    it("chains each record to the one before and verifies an untouched chain", async () => {
      await reset();
      await appendMany(trail, 5);
      const { rows } = await t.db.query<{ seq: number; prev_hash: string; hash: string }>("select seq, prev_hash, hash from audit_records order by seq");
      assert.deepEqual(
        rows.map((r) => Number(r.seq)),
        [1, 2, 3, 4, 5],
      );
      assert.equal(rows[0]!.prev_hash, "genesis");
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
      const result = await trail.verify();
      assert.deepEqual(withoutHead(result), { ok: true, checked: 5, problems: [] });
      assert.deepEqual(result.head, { seq: 5, hash: rows[4]!.hash });
    });

    it("refuses UPDATE, DELETE and TRUNCATE at the database level", async () => {
      await assert.rejects(t.db.query("update audit_records set actor = 'x' where seq = 1"), /append-only/);
      await assert.rejects(t.db.query("delete from audit_records where seq = 1"), /append-only/);
      await assert.rejects(t.db.exec("truncate audit_records"), /append-only/);
    });

    it("finds an edited record even when the trigger was disabled to edit it", async () => {
      await reset();
      await appendMany(trail, 5);
      await tamper(t.db, `update audit_records set data = jsonb_set(data, '{data,note}', '"changed"') where seq = 3`);
      const result = await trail.verify();
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [[3, "edited"]],
      );
    });

    it("finds an edited record whose hash was recomputed to hide the edit", async () => {
      await reset();
      await appendMany(trail, 4);
      await tamper(t.db, "update audit_records set actor = 'user:mallory', hash = 'f00d' where seq = 2");
      const result = await trail.verify();
      assert.ok(
        result.problems.some((p) => p.seq === 2 && p.kind === "edited"),
        JSON.stringify(result.problems),
      );
    });

    it("finds a chain rewritten wholesale (every hash recomputed) by an anchor noted earlier", async () => {
      await reset();
      await appendMany(trail, 4);
      const anchor = (await trail.verify()).head!;
      // The attacker edits record 2 and recomputes every hash after it, head included.
      await tamper(t.db, `update audit_records set data = jsonb_set(data, '{data,note}', '"rewritten"') where seq = 2`);
      const { rows } = await t.db.query<{
        seq: number;
        kind: string;
        trace_id: string | null;
        actor: string;
        data: { subject: Record<string, string>; data: unknown };
        created_at: Date;
      }>("select * from audit_records order by seq");
      let prev = "genesis";
      for (const r of rows) {
        const hash = hashRecord(prev, {
          kind: r.kind,
          traceId: r.trace_id,
          actor: r.actor,
          subject: r.data.subject,
          data: r.data.data,
          createdAt: new Date(r.created_at).toISOString(),
        });
        await tamper(t.db, "update audit_records set prev_hash = $1, hash = $2 where seq = $3", [prev, hash, r.seq]);
        prev = hash;
      }
      await t.db.query("update audit_chain_head set hash = $1", [prev]);
      assert.equal((await trail.verify()).ok, true, "without an anchor a full rewrite cannot be seen");
      const result = await trail.verify({ anchors: [anchor] });
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [[4, "edited"]],
      );
    });

    it("finds a subject id changed in its search column", async () => {
      await reset();
      await appendMany(trail, 3);
      await tamper(t.db, "update audit_records set candidate_id = 'someone-else' where seq = 2");
      const result = await trail.verify();
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [[2, "edited"]],
      );
    });

    it("finds a removed record in the middle and at the end", async () => {
      await reset();
      await appendMany(trail, 6);
      await tamper(t.db, "delete from audit_records where seq = 3");
      let result = await trail.verify();
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [[3, "removed"]],
      );
      await tamper(t.db, "delete from audit_records where seq = 6");
      result = await trail.verify();
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [
          [3, "removed"],
          [6, "removed"],
        ],
      );
    });

    it("finds records that were reordered", async () => {
      await reset();
      await appendMany(trail, 5);
      // Swap records 2 and 4 through a free sequence number, as an attacker would.
      await tamper(t.db, "update audit_records set seq = 100 where seq = 2");
      await tamper(t.db, "update audit_records set seq = 2 where seq = 4");
      await tamper(t.db, "update audit_records set seq = 4 where seq = 100");
      const result = await trail.verify();
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.problems.map((p) => [p.seq, p.kind]),
        [
          [2, "reordered"],
          [4, "reordered"],
        ],
        "exactly the two moved records",
      );
      assert.match(result.problems[0]!.detail, /record 4 of the chain but sits in place 2/);

      // Moving one record to the end is caught too.
      await reset();
      await appendMany(trail, 5);
      await tamper(t.db, "update audit_records set seq = 99 where seq = 2");
      const moved = await trail.verify();
      assert.ok(moved.problems.length > 0 && moved.problems.every((p) => p.kind === "reordered"), JSON.stringify(moved.problems));
      assert.ok(moved.problems.some((p) => p.seq === 99 && /record 2 of the chain/.test(p.detail)));
    });

    it("forms one unbroken chain under concurrent appends from several connections", async () => {
      await reset();
      // A second, independent handle on the same database stands in for a second process.
      const other = t.url ? await openDatabase({ url: t.url, poolSize: 4 }) : t.db;
      const trails = [trail, createAuditTrail(other)];
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => trails[i % 2]!.append({ kind: "event.received", actor: "lever", traceId: `t-${i}`, data: { i } })),
      );
      if (other !== t.db) await other.close();
      const result = await trail.verify();
      assert.deepEqual(withoutHead(result), { ok: true, checked: 40, problems: [] });
    });

    it("forms one chain when separate processes append at the same time", {
      skip: engine.kind === "pglite" && "PGlite is embedded in one process",
    }, async () => {
      await reset();
      const modules = {
        store: pathToFileURL(join(import.meta.dirname, "..", "store", "index.ts")).href,
        trail: pathToFileURL(join(import.meta.dirname, "audit-trail.ts")).href,
      };
      const script = `
        const { openDatabase } = await import(${JSON.stringify(modules.store)});
        const { createAuditTrail } = await import(${JSON.stringify(modules.trail)});
        const db = await openDatabase({ url: process.env.AUDIT_TEST_URL, poolSize: 4 });
        const trail = createAuditTrail(db);
        await Promise.all(Array.from({ length: 30 }, (_, i) => trail.append({ kind: "event.received", actor: "process:" + process.pid, data: { i } })));
        await db.close();`;
      const run = promisify(execFile);
      await Promise.all([1, 2, 3].map(() => run(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, AUDIT_TEST_URL: t.url! } })));
      const result = await trail.verify();
      assert.deepEqual(withoutHead(result), { ok: true, checked: 90, problems: [] });
      const { rows } = await t.db.query<{ n: number }>("select count(distinct actor)::int as n from audit_records");
      assert.equal(rows[0]!.n, 3);
    });

    it("appends inside the caller's transaction and leaves nothing when it rolls back", async () => {
      await reset();
      await appendMany(trail, 1);
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await trail.append({ kind: "proposal.decided", actor: "user:u1", data: {} }, tx);
          throw new Error("caller failed");
        }),
        /caller failed/,
      );
      await t.db.transaction((tx) => trail.append({ kind: "proposal.decided", actor: "user:u1", subject: { userId: "u1" }, data: { ok: true } }, tx));
      const result = await trail.verify();
      assert.deepEqual(withoutHead(result), { ok: true, checked: 2, problems: [] });
    });

    it("appends several records in one statement, hashed by the database exactly as verify() hashes them", async () => {
      await reset();
      await appendMany(trail, 1);
      const awkward = 'Zoë 山田 — “quoted” \\ back\\slash "dq" \t tab \u0001 ctl 😀 \u2028 line-sep';
      const stored = await t.db.transaction((tx) =>
        trail.appendMany(
          [
            {
              kind: "lever.write",
              actor: "workflow:ç",
              traceId: "trace-ü",
              subject: { opportunityId: "opp-é", runId: "7" },
              data: { note: awkward, list: [1, 2.5, -0, 1e21, null, true], nested: { z: awkward, a: {} } },
            },
            { kind: "run.succeeded", actor: "workflow:ç", data: undefined },
            { kind: "x.y", actor: "a", data: { k: Number.NaN, d: new Date(0) } },
          ],
          tx,
        ),
      );
      assert.deepEqual(
        stored.map((r) => r.seq),
        [2, 3, 4],
      );
      assert.equal(stored[1]!.prevHash, stored[0]!.hash);
      for (const r of stored) assert.equal(hashRecord(r.prevHash, r), r.hash);
      assert.deepEqual(await trail.appendMany([]), []);
      const result = await trail.verify();
      assert.deepEqual(withoutHead(result), { ok: true, checked: 4, problems: [] });
      assert.deepEqual(result.head, { seq: 4, hash: stored[2]!.hash });
      const back = await trail.search({ opportunityId: "opp-é" });
      assert.equal((back[0]!.data as { note: string }).note, awkward);
    });

    it("folds an append into the caller's own statement, appending nothing when its rows are none", async () => {
      await reset();
      await appendMany(trail, 1);
      await t.db.exec("create table if not exists audit_fold_probe (id int primary key)");
      const fold = async (id: number) => {
        const params: unknown[] = [];
        const bind = (v: unknown) => `$${params.push(v)}`;
        const call = trail.appendCall(
          [
            { kind: "lever.write", actor: "workflow:w", subject: { runId: String(id) }, data: { id } },
            { kind: "run.succeeded", actor: "workflow:w", data: {} },
          ],
          bind,
          "done.id is not null",
        );
        const sql = `with done as (insert into audit_fold_probe (id) values (${bind(id)}) on conflict do nothing returning id)
          select a.o_seq from done cross join lateral ${call} a`;
        return (await t.db.query<{ o_seq: number }>(sql, params)).rows.map((r) => Number(r.o_seq));
      };
      assert.deepEqual(await fold(1), [2, 3]);
      assert.deepEqual(await fold(1), [], "the insert did nothing, so nothing is appended");
      assert.deepEqual(await fold(2), [4, 5]);
      const result = await trail.verify();
      assert.deepEqual(withoutHead(result), { ok: true, checked: 5, problems: [] });
      await t.db.exec("drop table audit_fold_probe");
    });

    it("splits a record's canonical JSON around its creation time", () => {
      const content = { kind: "k", traceId: null, actor: 'a"b', subject: { b: "2", a: "1" }, data: { y: [1, { b: 1, a: 2 }], x: "é" } };
      const { before, after } = hashedParts(content);
      assert.equal(before + "2026-01-01T00:00:00.000Z" + after, canonicalJson({ ...content, createdAt: "2026-01-01T00:00:00.000Z" }));
    });

    it("exports a time range as JSON Lines and searches by candidate, user and trace", async () => {
      await reset();
      await appendMany(trail, 3, "trace-a");
      // The database stamps records in microseconds and a JS Date holds milliseconds; step clear of
      // the last stamp on both sides so the cut falls strictly between the two groups.
      await new Promise((r) => setTimeout(r, 5));
      const cut = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await trail.append({
        kind: "proposal.decided",
        actor: "user:rita",
        traceId: "trace-b",
        subject: { candidateId: "cand-2" },
        data: { decision: "approve" },
      });
      const all: string[] = [];
      for await (const line of trail.export()) all.push(line);
      assert.equal(all.length, 5, "four records and the chain head");
      assert.ok(all.every((l) => l.endsWith("\n")));
      const parsed = all.map((l) => JSON.parse(l) as { seq: number; hash: string; prevHash: string });
      assert.equal(parsed[1]!.prevHash, parsed[0]!.hash);
      const late: string[] = [];
      for await (const line of trail.export({ from: cut })) late.push(line);
      assert.equal(late.length, 2);
      assert.match(late[0]!, /"decision":"approve"/);
      const early: string[] = [];
      for await (const line of trail.export({ to: cut })) early.push(line);
      assert.equal(early.length, 4);
      // Every export, whatever its range, ends with the head of the chain it was taken from.
      const heads = [all, late, early].map((lines) => (JSON.parse(lines.at(-1)!) as { chainHead: unknown }).chainHead);
      for (const head of heads) assert.deepEqual(head, { seq: parsed[3]!.seq, hash: parsed[3]!.hash });

      assert.equal((await trail.search({ candidateId: "cand-1" })).length, 3);
      assert.equal((await trail.search({ traceId: "trace-b" }))[0]!.actor, "user:rita");
      assert.equal((await trail.search({ userId: "rita" })).length, 1);
      assert.equal((await trail.search({ opportunityId: "opp-2" }))[0]!.subject["opportunityId"], "opp-2");
      await assert.rejects(trail.search({}), /needs a candidateId/);
    });

    it("searches by lists of candidates, applications and users, by workflow and by time range", async () => {
      await reset();
      await trail.append({ kind: "run.started", actor: "workflow:screening", traceId: "t1", subject: { opportunityId: "opp-1" } });
      await trail.append({ kind: "ai.call", actor: "system", traceId: "t1", subject: { candidateId: "cand-1" } });
      await new Promise((r) => setTimeout(r, 5));
      const cut = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await trail.append({ kind: "proposal.decided", actor: "user:u1", traceId: "t2", subject: { opportunityId: "opp-2" } });
      await trail.append({ kind: "settings.changed", actor: "user:u2", subject: { userId: "u3" } });
      const kinds = async (q: Parameters<AuditTrail["search"]>[0]) => (await trail.search(q)).map((r) => r.kind);
      assert.deepEqual(await kinds({ about: { candidateIds: ["cand-1"], opportunityIds: ["opp-2"] } }), ["ai.call", "proposal.decided"]);
      assert.deepEqual(await kinds({ about: { candidateIds: [], opportunityIds: [] } }), [], "an empty list matches nothing");
      assert.deepEqual(await kinds({ userIds: ["u1", "u3"] }), ["proposal.decided", "settings.changed"]);
      assert.deepEqual(await kinds({ workflow: { id: "screening", traceIds: ["t2"] } }), ["run.started", "proposal.decided"]);
      assert.deepEqual(await kinds({ from: cut }), ["proposal.decided", "settings.changed"]);
      assert.deepEqual(await kinds({ to: cut }), ["run.started", "ai.call"]);
      assert.deepEqual(await kinds({ userIds: ["u1", "u2"], from: cut, to: new Date(Date.now() + 60_000) }), ["proposal.decided", "settings.changed"]);
    });
  });
}
