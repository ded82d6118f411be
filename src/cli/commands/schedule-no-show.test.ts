import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuditTrail } from "../../governance/index.ts";
import { migrate, openDatabase } from "../../store/index.ts";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>` on the deployment in `dir`, run by the binary's main() in this process (a process per command costs seconds). */
async function fulcrum(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { FULCRUM_CONFIG: _config, DATABASE_URL: _url, ...inherited } = process.env;
  return runFulcrumMain(args, { env: { ...inherited, FULCRUM_DATA_DIR: dir, FULCRUM_LOG_LEVEL: "silent" }, cwd: dir });
}

/** Booked panels as the panel booker leaves them: the booking row and its seats. */
async function book(dir: string, panels: { panelKey: string; opportunity: string; start: string }[]) {
  const db = await openDatabase({ dataDir: join(dir, "db") });
  await migrate(db);
  for (const p of panels) {
    await db.query(
      `insert into scheduling_bookings (panel_key, connection_id, opportunity_id, status, params_hash, params) values ($1, 'default', $2, 'booked', 'h', $3)`,
      [p.panelKey, p.opportunity, JSON.stringify({ sessions: [{ id: "s1", start: p.start }] })],
    );
    await db.query(
      "insert into scheduling_holds (panel_key, interviewer, session_id, start_at, end_at) values ($1, 'ivy@example.com', 's1', $2, $2::timestamptz + interval '1 hour')",
      [p.panelKey, p.start],
    );
  }
  await db.close();
}

async function state(dir: string) {
  const db = await openDatabase({ dataDir: join(dir, "db") });
  const { rows } = await db.query<{ panel_key: string; state: string; no_show_by: string | null }>(
    "select panel_key, state, no_show_by from scheduling_bookings order by panel_key",
  );
  const { rows: records } = await db.query<{ actor: string; connection_id: string; opportunity_id: string; data: Record<string, unknown> }>(
    "select actor, connection_id, opportunity_id, data from audit_records where kind = 'scheduling.no_show' order by seq",
  );
  const verified = await createAuditTrail(db).verify();
  await db.close();
  return { panels: rows, records, auditOk: verified.ok };
}

describe("fulcrum schedule no-show", () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fulcrum-no-show-"));
    await book(dir, [
      { panelKey: "panel-a", opportunity: "opp-1", start: "2027-01-13T10:00:00Z" },
      { panelKey: "panel-b", opportunity: "opp-2", start: "2027-01-13T10:00:00Z" },
      { panelKey: "panel-c", opportunity: "opp-2", start: "2027-01-20T10:00:00Z" },
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses before the first session has started, then marks it once started, audited with who and which panel", async () => {
    const early = await fulcrum(dir, ["schedule", "no-show", "opp-1", "--as", "dana@example.com", "--now", "2027-01-13T09:59:00Z"]);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /refused: panel panel-a has not started yet: its first session starts at 2027-01-13T10:00:00.000Z/);
    let s = await state(dir);
    assert.deepEqual(
      s.panels.map((p) => p.state),
      ["booked", "booked", "booked"],
    );
    assert.equal(s.records.length, 0);

    const marked = await fulcrum(dir, ["schedule", "no-show", "opp-1", "--as", "dana@example.com", "--now", "2027-01-13T10:20:00Z"]);
    assert.equal(marked.code, 0, marked.stderr);
    assert.match(marked.stdout, /panel panel-a \(opportunity opp-1, started 2027-01-13T10:00:00.000Z\) marked a no-show by dana@example.com/);
    s = await state(dir);
    assert.deepEqual(s.panels[0], { panel_key: "panel-a", state: "no-show", no_show_by: "cli:dana@example.com" });
    assert.equal(s.records.length, 1);
    assert.deepEqual(
      [s.records[0]!.actor, s.records[0]!.connection_id, s.records[0]!.opportunity_id, (s.records[0]!.data as { data: { panelKey: string } }).data.panelKey],
      ["cli:dana@example.com", "default", "opp-1", "panel-a"],
    );
    assert.equal(s.auditOk, true);
  });
});
