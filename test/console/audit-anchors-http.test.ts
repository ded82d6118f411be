/**
 * The console's "Verify the chain" on a server started like `npm start`: it checks the audit chain
 * against the signed anchors `serve` writes outside the database, so a rewrite that recomputed every
 * hash (which the chain alone cannot show) is reported, and so is a missing anchor folder.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../../src/cli/commands/serve.ts";
import { loadConfig } from "../../src/config/index.ts";
import { loadSecretKey } from "../../src/engine/connections/index.ts";
import { anchorKeyFrom, createAuditTrail, hashRecord, writeAuditAnchor } from "../../src/governance/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { createUser } from "../../src/server/console/index.ts";

const PASSWORD = "quartz harbor violet 9174 lantern";

interface Verified {
  ok: boolean;
  problems: { seq: number; kind: string; detail: string }[];
  anchor: { checked: number; last: { seq: number; ageMs: number; recordsSince: number } | null; missing: string | null; problems: unknown[] };
}

describe("the console's chain verification against the anchors outside the database", () => {
  let running: RunningServer;
  let dataDir: string;
  let anchorDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-anchor-http-"));
    anchorDir = join(dataDir, "worm");
    const config = loadConfig({
      FULCRUM_DATA_DIR: dataDir,
      FULCRUM_AUDIT_ANCHOR_DIR: anchorDir,
      PORT: "0",
      FULCRUM_SANDBOX: "off",
      FULCRUM_LOG_LEVEL: "silent",
    });
    running = await startServer({ config, logger: silentLogger });
    await createUser(running.ctx.db, { email: "auditor@example.com", role: "auditor", password: PASSWORD, postingIds: [] }, { N: 1024, r: 8, p: 1 });
  });

  after(async () => {
    await running?.stop({ timeoutMs: 2000 });
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function verifyAsAuditor(): Promise<Verified> {
    const login = await fetch(`${running.url}/console/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "auditor@example.com", password: PASSWORD }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .join("; ");
    const res = await fetch(`${running.url}/console/api/audit/verify`, { method: "POST", headers: { cookie, origin: running.url, "x-csrf-token": csrfToken } });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return JSON.parse(text) as Verified;
  }

  it("reports an untouched chain as anchored, with the last anchor's age", async () => {
    const trail = createAuditTrail(running.ctx.db);
    for (let i = 1; i <= 3; i++) await trail.append({ kind: "lever.write", actor: "workflow:w", data: { i } });
    // What the schedule does every FULCRUM_AUDIT_ANCHOR_INTERVAL seconds.
    await writeAuditAnchor(running.ctx.db, { dir: anchorDir, key: anchorKeyFrom(loadSecretKey(running.ctx.config).key) });
    const result = await verifyAsAuditor();
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(result.anchor.checked >= 2, "the anchor written at start and the one above");
    assert.equal(result.anchor.last?.recordsSince, 0);
    assert.ok(result.anchor.last!.ageMs < 60_000);
  });

  it("reports a chain rewritten with every hash recomputed, naming the anchor it no longer matches", async () => {
    const db = running.ctx.db;
    await db.exec("alter table audit_records disable trigger audit_records_append_only");
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
      const data = Number(r.seq) === 1 ? { i: 100 } : r.data.data;
      const hash = hashRecord(prev, {
        kind: r.kind,
        traceId: r.trace_id,
        actor: r.actor,
        subject: r.data.subject,
        data,
        createdAt: new Date(r.created_at).toISOString(),
      });
      await db.query("update audit_records set prev_hash = $1, hash = $2, data = $3 where seq = $4", [
        prev,
        hash,
        JSON.stringify({ subject: r.data.subject, data }),
        r.seq,
      ]);
      prev = hash;
    }
    await db.exec("alter table audit_records enable trigger audit_records_append_only");
    await db.query("update audit_chain_head set hash = $1", [prev]);
    assert.equal((await createAuditTrail(db).verify()).ok, true, "the chain alone cannot tell");

    const result = await verifyAsAuditor();
    assert.equal(result.ok, false);
    assert.ok(
      result.problems.some((p) => p.kind === "edited" && /differs from anchor .*audit-anchor-.*\.json/.test(p.detail)),
      JSON.stringify(result.problems),
    );
  });

  it("fails the check when the anchor folder is gone, saying where anchors are expected", async () => {
    rmSync(anchorDir, { recursive: true, force: true });
    const result = await verifyAsAuditor();
    assert.equal(result.ok, false);
    assert.match(result.anchor.missing ?? "", /no audit anchor folder at .*worm/);
  });
});
