import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createLeverClient, type LeverClient } from "../../lever/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { sandboxPermissions } from "../../sandbox/access.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { buildFairnessReport, fairnessCsv, type FairnessReport, type FairnessTable } from "./fairness-report.ts";
import { eeoThroughLever } from "./services.ts";

const LEAD_STAGES = new Set(["lead-new", "lead-reached-out", "lead-responded"]);

function clientFor(sandbox: Sandbox, apiKey = sandbox.apiKey): LeverClient {
  return createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey }, connectionId: "default", maxRetries: 0 });
}

/** The sex table of a posting. */
function bySex(report: FairnessReport, postingId: string): FairnessTable {
  const t = report.tables.find((x) => x.postingId === postingId && x.dimension === "sex");
  assert.ok(t, `a table by sex for posting ${postingId}`);
  return t;
}

/** A finished screening run of an application, with its proposal to advance when given (as the engine stores them). */
async function screened(
  db: TestDatabase["db"],
  o: { opportunityId: string; postingId: string; postingTitle: string; score: number; recommendation: "advance" | "review"; advance?: { status: string; decidedBy: string | null } },
): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, opportunity_id, posting_id, status, context, deadline_at)
     values ($1, 'application-screening', 'h', $2, 'default', $3, 't', $4, $5, 'succeeded', $6, now()) returning id`,
    [
      `application-screening:default:${o.opportunityId}`,
      JSON.stringify({ id: "application-screening", settings: { advanceStage: "Recruiter Screen" } }),
      JSON.stringify({ name: "applicationCreated", source: "lever", key: o.opportunityId, data: { opportunityId: o.opportunityId } }),
      o.opportunityId,
      o.postingId,
      JSON.stringify({ posting: { id: o.postingId, text: o.postingTitle } }),
    ],
  );
  const runId = rows[0]!.id;
  await db.query("insert into workflow_steps (run_id, step_id, position, type, generation, status, output) values ($1, 'screen', 0, 'task', 1, 'succeeded', $2)", [
    runId,
    JSON.stringify({ score: o.score, recommendation: o.recommendation }),
  ]);
  if (o.advance) {
    await db.query(
      `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, summary, mode, status, decided_by, trace_id)
       values ($1, 'advance', 1, 'application-screening', 'default', $2, $3, 'lever.stage', '{"stage": "Recruiter Screen"}', 'Advance', 'assist', $4, $5, 't')`,
      [runId, o.opportunityId, o.postingId, o.advance.status, o.advance.decidedBy],
    );
  }
}

for (const engine of await testEngines()) {
  describe(`the fairness report on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let sandbox: Sandbox;
    let client: LeverClient;
    const sources = () => ({ eeo: eeoThroughLever(async () => client), connections: async () => ["default"] });

    before(async () => {
      t = await openTestDatabase(engine.kind);
      sandbox = await startSandbox({ port: 0, seed: 1, rateLimit: false });
      client = clientFor(sandbox);
    });
    after(async () => {
      await sandbox?.close();
      await t?.drop();
    });

    it("shows people's decisions on the demo organisation before anyone is screened, and says why the AI columns are empty", async () => {
      const report = await buildFairnessReport(t.db, sources());
      assert.equal(report.available, true);
      assert.match(report.notes.join(" "), /has not screened anyone yet/);
      assert.ok(report.tables.length >= 3);
      for (const table of report.tables) for (const row of table.rows) assert.deepEqual([row.ai, row.scoring], [null, null]);

      // Computed independently from the sandbox's records: applicants of the posting who answered the
      // survey (leads are not applicants), and those a person moved past New applicant (or hired).
      const s = sandbox.state;
      const posting = [...s.postings.values()].find((p) => p.state === "published" && report.tables.some((x) => x.postingId === p.id))!;
      const applicants = [...s.eeoResponses.entries()]
        .map(([id, answers]) => ({ opp: s.opportunities.get(id)!, answers }))
        .filter(({ opp }) => opp.deletedAt === null && opp.applications.some((a) => s.applications.get(a)?.posting === posting.id) && !LEAD_STAGES.has(opp.stage));
      const table = bySex(report, posting.id);
      assert.equal(table.total, applicants.length);
      const women = applicants.filter((a) => a.answers.gender === "Female");
      const womenAdvanced = women.filter((a) => a.opp.stage !== "applicant-new" || a.opp.archived?.reason === [...s.archiveReasons].find((r) => r.type === "hired")?.id);
      assert.ok(women.length > 0 && womenAdvanced.length > 0, "the posting has women who advanced");
      const female = table.rows.find((r) => r.group === "Female")!;
      assert.equal(female.human!.n, women.length);
      assert.equal(female.human!.selected, womenAdvanced.length);
      assert.equal(table.stage, "moving past New applicant");

      // Only counts: no opportunity, contact or answer of one person is in the report.
      const json = JSON.stringify(report);
      for (const a of applicants) assert.ok(!json.includes(a.opp.id) && !json.includes(s.contacts.get(a.opp.contact)!.name));
      assert.deepEqual(report.labels.dimensions, { sex: "sex", race: "race/ethnicity", intersection: "sex × race/ethnicity" });
      assert.deepEqual(report.labels.measures.map((m) => m.label), ["AI recommendation", "Human decision", "Scoring rate"]);
    });

    it("puts Fulcrum's screening beside people's decisions, leaving out moves Fulcrum made by itself", async () => {
      const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published")!;
      const other = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.id !== posting.id)!;
      const before = bySex(await buildFairnessReport(t.db, sources()), posting.id);
      const apply = (name: string, gender: string | null) =>
        sandbox.actions.applyToPosting(posting.id, {
          name,
          email: `${name.toLowerCase().replace(" ", ".")}@example.net`,
          eeo: gender ? { gender, race: null, veteran: null, disability: null, disabilitySignatureDate: null, respondedAt: Date.now() } : null,
        }).opportunityId;
      const approved = apply("Ann Approved", "Female");
      const waiting = apply("Wen Waiting", "Female");
      const rejected = apply("Rob Rejected", "Male");
      const auto = apply("Al Auto", "Male");
      const silent = apply("Sam Silent", null);
      const common = { postingId: posting.id, postingTitle: posting.text };
      await screened(t.db, { ...common, opportunityId: approved, score: 90, recommendation: "advance", advance: { status: "approved", decidedBy: "user:1" } });
      await screened(t.db, { ...common, opportunityId: waiting, score: 40, recommendation: "review" });
      await screened(t.db, { ...common, opportunityId: rejected, score: 80, recommendation: "advance", advance: { status: "rejected", decidedBy: "user:1" } });
      await screened(t.db, { ...common, opportunityId: auto, score: 85, recommendation: "advance", advance: { status: "applied", decidedBy: "policy:auto" } });
      await screened(t.db, { ...common, opportunityId: silent, score: 70, recommendation: "review" });

      const report = await buildFairnessReport(t.db, sources());
      assert.doesNotMatch(report.notes.join(" "), /has not screened anyone yet/);
      const table = bySex(report, posting.id);
      assert.equal(table.total, before.total + 5);
      assert.equal(table.unknown, before.unknown + 1, "the screened applicant without EEO answers is counted as unknown");
      const row = (g: string) => table.rows.find((r) => r.group === g)!;
      const was = (g: string) => before.rows.find((r) => r.group === g)?.human ?? { n: 0, selected: 0 };
      assert.deepEqual([row("Female").ai?.n, row("Female").ai?.selected], [2, 1]);
      assert.deepEqual([row("Male").ai?.n, row("Male").ai?.selected], [2, 2]);
      assert.deepEqual([row("Female").human!.n - was("Female").n, row("Female").human!.selected - was("Female").selected], [2, 1], "approved counts as advanced; still waiting as not");
      assert.deepEqual([row("Male").human!.n - was("Male").n, row("Male").human!.selected - was("Male").selected], [1, 0], "rejected counts; Fulcrum's own move does not");
      assert.equal(row("Female").scoring!.n + row("Male").scoring!.n, 4);
      assert.deepEqual(table.missing, {});
      assert.match(bySex(report, other.id).missing.ai ?? "", /not screened any applicant of this posting/);

      const csv = fairnessCsv(report, new Date(0));
      assert.match(csv.split("\r\n")[0]!, /^posting,posting_id,stage,dimension,category,measure,applicants,/);
      assert.ok(csv.includes(`"${posting.text}","${posting.id}","moving past New applicant","sex","Female","selection rate, AI recommendation",2,1,0.5,`));
      assert.ok(csv.includes(`"race/ethnicity"`));
    });

    it("says why when Lever refuses the EEO answers, instead of showing an empty report", async () => {
      const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => !p.startsWith("Find all EEO responses")) });
      const refused = clientFor(sandbox, key);
      const report = await buildFairnessReport(t.db, { eeo: eeoThroughLever(async () => refused), connections: async () => ["default"] });
      assert.equal(report.available, false);
      assert.match(report.note!, /eeo_responses_pii:read:admin/);
      assert.deepEqual(report.tables, []);
    });
  });
}
