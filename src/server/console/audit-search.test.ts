import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createAuditTrail, type AuditTrail } from "../../governance/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { AuditSearchError, resolveAuditSearch } from "./audit-search.ts";
import { createUser } from "./users.ts";

const COST = { N: 1024, r: 8, p: 1 };
const OPP_A = "0a1b2c3d-0000-4000-8000-000000000001";
const OPP_B = "0a1b2c3d-0000-4000-8000-000000000002";
const CONTACT_A = "0a1b2c3d-0000-4000-8000-0000000000c1";

async function run(db: TestDatabase["db"], o: { workflowId: string; opportunityId: string; name: string; contact: string; traceId: string }): Promise<void> {
  await db.query(
    `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, opportunity_id, status, context, deadline_at)
     values ($1, $2, 'h', '{}', 'default', '{}', $3, $4, 'succeeded', $5, now())`,
    [
      `${o.workflowId}:${o.opportunityId}`,
      o.workflowId,
      o.traceId,
      o.opportunityId,
      JSON.stringify({ opportunity: { id: o.opportunityId, name: o.name, contact: o.contact } }),
    ],
  );
}

for (const engine of await testEngines()) {
  describe(`audit search by name on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let trail: AuditTrail;
    let ritaId: string;
    const kinds = async (params: Parameters<typeof resolveAuditSearch>[1]) =>
      (await trail.search((await resolveAuditSearch(t.db, params)).query)).map((r) => r.kind);

    before(async () => {
      t = await openTestDatabase(engine.kind);
      trail = createAuditTrail(t.db);
      ritaId = (await createUser(t.db, { email: "rita@example.com", name: "Rita Recruiter", role: "recruiter", password: "a long test password" }, COST)).id;
      await createUser(t.db, { email: "sam@example.com", name: "Sam Other", role: "recruiter", password: "a long test password" }, COST);
      // Given Ada's application screened, Bo's scheduled, and decisions by Rita (console) and Sam (CLI, by e-mail).
      await run(t.db, { workflowId: "application-screening", opportunityId: OPP_A, name: "Ada Lovelace", contact: CONTACT_A, traceId: "trace-a" });
      await run(t.db, { workflowId: "interview-scheduling", opportunityId: OPP_B, name: "Bo 100%_Sure", contact: "c-b", traceId: "trace-b" });
      await trail.append({ kind: "run.started", actor: "workflow:application-screening", traceId: "trace-a", subject: { opportunityId: OPP_A } });
      await trail.append({ kind: "lever.write", actor: "system", traceId: "trace-a", subject: { candidateId: CONTACT_A } });
      await trail.append({ kind: "proposal.decided", actor: `user:${ritaId}`, traceId: "trace-a", subject: { opportunityId: OPP_A } });
      await trail.append({ kind: "run.started", actor: "workflow:interview-scheduling", traceId: "trace-b", subject: { opportunityId: OPP_B } });
      await trail.append({ kind: "settings.changed", actor: "user:sam@example.com", subject: {} });
    });
    after(async () => {
      await t?.drop();
    });

    it("finds a candidate's records by part of their name, whichever id each record carries, and says whom it matched", async () => {
      assert.deepEqual(await kinds({ candidate: "lovel" }), ["run.started", "lever.write", "proposal.decided"]);
      assert.deepEqual((await resolveAuditSearch(t.db, { candidate: "ada" })).matched.candidates, [{ name: "Ada Lovelace", applications: 1 }]);
      assert.deepEqual(await kinds({ candidate: OPP_B }), ["run.started"], "an id still works");
      assert.deepEqual(await kinds({ candidate: "Nobody Here" }), [], "a name that matches no one finds nothing");
      assert.deepEqual(
        (await resolveAuditSearch(t.db, { candidate: "100%_" })).matched.candidates,
        [{ name: "Bo 100%_Sure", applications: 1 }],
        "% and _ are letters",
      );
      assert.deepEqual((await resolveAuditSearch(t.db, { candidate: "1%S" })).matched.candidates, [], "% is not a wildcard");
    });

    it("finds a person's records by name or e-mail, recorded by id (console) or by e-mail (CLI)", async () => {
      assert.deepEqual(await kinds({ person: "rita" }), ["proposal.decided"]);
      assert.deepEqual(await kinds({ person: "sam@example" }), ["settings.changed"]);
      assert.deepEqual((await resolveAuditSearch(t.db, { person: "Recruiter" })).matched.people, [{ name: "Rita Recruiter", email: "rita@example.com" }]);
      assert.deepEqual(await kinds({ user: ritaId }), ["proposal.decided"], "links by user id still work");
    });

    it("finds a workflow's records (its own and its runs' traces), narrowed by candidate and date", async () => {
      assert.deepEqual(await kinds({ workflow: "application-screening" }), ["run.started", "lever.write", "proposal.decided"]);
      assert.deepEqual((await resolveAuditSearch(t.db, { workflow: "interview-scheduling" })).matched.workflow, { id: "interview-scheduling", runs: 1 });
      assert.deepEqual(await kinds({ workflow: "application-screening", candidate: "Bo" }), []);
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual(await kinds({ workflow: "interview-scheduling", from: today, to: today }), ["run.started"], "'to' includes the whole day");
      assert.deepEqual(await kinds({ workflow: "interview-scheduling", to: "2000-01-01" }), []);
    });

    it("refuses a bad search naming the field, and an empty one", async () => {
      await assert.rejects(
        resolveAuditSearch(t.db, { from: "last tuesday" }),
        (e: unknown) => e instanceof AuditSearchError && e.field === "from" && /not a date; use YYYY-MM-DD/.test(e.message),
      );
      await assert.rejects(resolveAuditSearch(t.db, { from: "2026-05-02", to: "2026-05-01" }), /to: the range ends before it starts/);
      await assert.rejects(resolveAuditSearch(t.db, { candidate: "a" }), /candidate: give at least two letters/);
      await assert.rejects(resolveAuditSearch(t.db, { candidate: "  ", person: "" }), /search: give a candidate, person/);
      await assert.rejects(resolveAuditSearch(t.db, { person: "x".repeat(201) }), /person: longer than 200 characters/);
    });
  });
}
