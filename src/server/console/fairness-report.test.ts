import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createLeverClient, type LeverClient } from "../../lever/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { sandboxPermissions } from "../../sandbox/access.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import type { EeoAnswers } from "../../sandbox/eeo.ts";
import { fairnessReportSchema } from "../../contract/console-api.ts";
import { buildFairnessReport, fairnessCsv, INTERVIEW_STAGE, stagesThroughLever, type FairnessReport, type FairnessTable } from "./fairness-report.ts";
import { eeoThroughLever } from "./services.ts";

const LEAD_STAGES = new Set(["lead-new", "lead-reached-out", "lead-responded"]);

function clientFor(sandbox: Sandbox, apiKey = sandbox.apiKey): LeverClient {
  return createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey }, connectionId: "default", maxRetries: 0 });
}

/** The sex table of a posting at a stage (default: the first decision). */
function bySex(report: FairnessReport, postingId: string, stageId = "applicant-new"): FairnessTable {
  const t = report.tables.find((x) => x.postingId === postingId && x.dimension === "sex" && x.stageId === stageId);
  assert.ok(t, `a table by sex for posting ${postingId} at stage ${stageId}`);
  return t;
}

const answered = (gender: string): EeoAnswers => ({
  gender,
  race: null,
  veteran: null,
  disability: null,
  disabilitySignatureDate: null,
  respondedAt: Date.now(),
});

/** A finished screening run of an application, with its proposal to advance when given (as the engine stores them). */
async function screened(
  db: TestDatabase["db"],
  o: {
    opportunityId: string;
    postingId: string;
    postingTitle: string;
    score: number;
    recommendation: "advance" | "hold" | "reject" | "review";
    advance?: { status: string; decidedBy: string | null };
  },
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
  await db.query(
    "insert into workflow_steps (run_id, step_id, position, type, generation, status, output) values ($1, 'screen', 0, 'task', 1, 'succeeded', $2)",
    [runId, JSON.stringify({ score: o.score, recommendation: o.recommendation })],
  );
  if (o.advance) {
    await db.query(
      `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, summary, mode, status, decided_by, trace_id)
       values ($1, 'advance', 1, 'application-screening', 'default', $2, $3, 'lever.stage', '{"stage": "Recruiter Screen"}', 'Advance', 'assist', $4, $5, 't')`,
      [runId, o.opportunityId, o.postingId, o.advance.status, o.advance.decidedBy],
    );
  }
}

/** A panel Fulcrum booked for an opportunity, as the panel booker stores it (a cancelled one has given its seats back). */
async function bookedPanel(db: TestDatabase["db"], o: { opportunityId: string; start: string; state?: string; revision?: number }): Promise<void> {
  const panelKey = `panel-${o.opportunityId}-${o.start}`;
  await db.query(
    `insert into scheduling_bookings (panel_key, connection_id, opportunity_id, status, params_hash, params, state, revision)
     values ($1, 'default', $2, 'booked', 'h', $3, $4, $5)`,
    [panelKey, o.opportunityId, JSON.stringify({ sessions: [{ id: "s1", start: o.start }] }), o.state ?? "booked", o.revision ?? 0],
  );
  if (o.state === "cancelled") return;
  await db.query(
    "insert into scheduling_holds (panel_key, interviewer, session_id, start_at, end_at) values ($1, 'ivy@example.com', 's1', $2, $2::timestamptz + interval '45 minutes')",
    [panelKey, o.start],
  );
}

/** A finished interview-analysis run whose analyze step gave a triage tag (empty without thresholds). */
async function analysed(db: TestDatabase["db"], o: { opportunityId: string; triageTag: string }): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    `insert into workflow_runs (run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, opportunity_id, status, context, deadline_at)
     values ($1, 'interview-analysis-willo', 'h', '{}', 'default', '{}', 't', $2, 'succeeded', '{}', now()) returning id`,
    [`interview-analysis:${o.opportunityId}`, o.opportunityId],
  );
  await db.query(
    "insert into workflow_steps (run_id, step_id, position, type, generation, status, output) values ($1, 'analyze', 2, 'task', 1, 'succeeded', $2)",
    [rows[0]!.id, JSON.stringify({ note: "…", triageTag: o.triageTag, interviewerCheck: [] })],
  );
}

for (const engine of await testEngines()) {
  describe(`the fairness report on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let sandbox: Sandbox;
    let client: LeverClient;
    const sources = () => ({ eeo: eeoThroughLever(async () => client), stages: stagesThroughLever(async () => client), connections: async () => ["default"] });

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
      for (const table of report.tables)
        for (const row of table.rows) assert.deepEqual([row.ai, row.aiHold, row.aiReject, row.scoring], [null, null, null, null]);

      // Computed independently from the sandbox's records: applicants of the posting who answered the
      // survey (leads are not applicants), and those a person moved past New applicant (or hired).
      const s = sandbox.state;
      const posting = [...s.postings.values()].find((p) => p.state === "published" && report.tables.some((x) => x.postingId === p.id))!;
      const applicants = [...s.eeoResponses.entries()]
        .map(([id, answers]) => ({ opp: s.opportunities.get(id)!, answers }))
        .filter(
          ({ opp }) => opp.deletedAt === null && opp.applications.some((a) => s.applications.get(a)?.posting === posting.id) && !LEAD_STAGES.has(opp.stage),
        );
      const table = bySex(report, posting.id);
      assert.equal(table.total, applicants.length);
      const women = applicants.filter((a) => a.answers.gender === "Female");
      const womenAdvanced = women.filter(
        (a) => a.opp.stage !== "applicant-new" || a.opp.archived?.reason === [...s.archiveReasons].find((r) => r.type === "hired")?.id,
      );
      assert.ok(women.length > 0 && womenAdvanced.length > 0, "the posting has women who advanced");
      const female = table.rows.find((r) => r.group === "Female")!;
      assert.equal(female.human!.n, women.length);
      assert.equal(female.human!.selected, womenAdvanced.length);
      assert.equal(table.stage, "moving past New applicant");

      // Only counts: no opportunity, contact or answer of one person is in the report.
      const json = JSON.stringify(report);
      for (const a of applicants) assert.ok(!json.includes(a.opp.id) && !json.includes(s.contacts.get(a.opp.contact)!.name));
      assert.deepEqual(report.labels.dimensions, { sex: "sex", race: "race/ethnicity", intersection: "sex × race/ethnicity" });
      assert.deepEqual(
        report.labels.measures.map((m) => m.label),
        [
          "AI recommendation: advance",
          "AI recommendation: hold",
          "AI recommendation: reject",
          "Human decision",
          "Scoring rate",
          "Attended interviews",
          "Kept the booked time",
          "Interview rated strong",
        ],
      );
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
      assert.deepEqual(
        [row("Female").human!.n - was("Female").n, row("Female").human!.selected - was("Female").selected],
        [2, 1],
        "approved counts as advanced; still waiting as not",
      );
      assert.deepEqual(
        [row("Male").human!.n - was("Male").n, row("Male").human!.selected - was("Male").selected],
        [1, 0],
        "rejected counts; Fulcrum's own move does not",
      );
      assert.equal(row("Female").scoring!.n + row("Male").scoring!.n, 4);
      assert.deepEqual(table.missing, {});
      assert.match(bySex(report, other.id).missing.ai ?? "", /not screened any applicant of this posting/);

      const csv = fairnessCsv(report, new Date(0));
      assert.match(csv.split("\r\n")[0]!, /^posting,posting_id,stage,dimension,category,measure,applicants,/);
      assert.ok(
        csv.includes(`"${posting.text}","${posting.id}","moving past New applicant","sex","Female","selection rate, AI recommendation advance",2,1,0.5,`),
      );
      assert.ok(csv.includes(`"race/ethnicity"`));
    });

    it("counts advance, hold and reject each, per group, among the applicants Fulcrum screened", async () => {
      const posting = [...sandbox.state.postings.values()].filter((p) => p.state === "published").at(-1)!;
      const apply = (name: string, gender: string) =>
        sandbox.actions.applyToPosting(posting.id, { name, email: `${name.toLowerCase().replace(" ", ".")}@example.net`, eeo: answered(gender) }).opportunityId;
      const common = { postingId: posting.id, postingTitle: posting.text };
      const plan: [string, string, "advance" | "hold" | "reject" | "review", number][] = [
        ["Fay Advance", "Female", "advance", 88],
        ["Flo Hold", "Female", "hold", 60],
        ["Fen Hold", "Female", "hold", 55],
        ["Fia Reject", "Female", "reject", 20],
        ["Mo Reject", "Male", "reject", 30],
        ["Max Reject", "Male", "reject", 35],
        ["Mel Review", "Male", "review", 0],
      ];
      for (const [name, gender, recommendation, score] of plan) await screened(t.db, { ...common, opportunityId: apply(name, gender), score, recommendation });

      const report = await buildFairnessReport(t.db, sources());
      // What the console's Fairness page reads: no NaN rate, no field left out.
      fairnessReportSchema.parse(report);
      const table = bySex(report, posting.id);
      assert.deepEqual(table.measures, ["ai", "aiHold", "aiReject", "human", "scoring"]);
      const row = (g: string) => table.rows.find((r) => r.group === g)!;
      const counts = (g: string) => [row(g).ai, row(g).aiHold, row(g).aiReject].map((m) => [m?.n, m?.selected]);
      // Every screened applicant is in each rate's sample (the unscored one in none of the numerators).
      assert.deepEqual(counts("Female"), [
        [4, 1],
        [4, 2],
        [4, 1],
      ]);
      assert.deepEqual(counts("Male"), [
        [3, 0],
        [3, 0],
        [3, 2],
      ]);
      assert.equal(row("Female").aiReject!.rate, 0.25);
      // Impact ratio against the group with the highest rate of that recommendation.
      assert.equal(row("Male").aiReject!.impactRatio, 1);
      assert.equal(row("Female").aiReject!.impactRatio, 0.25 / (2 / 3));

      const csv = fairnessCsv(report, new Date(0));
      assert.ok(
        csv.includes(`"${posting.text}","${posting.id}","moving past New applicant","sex","Male","rate, AI recommendation reject",3,2,0.6667,1,`),
        csv
          .split("\r\n")
          .filter((l) => l.includes("reject"))
          .slice(0, 3)
          .join("\n"),
      );
      assert.ok(csv.includes(`"sex","Female","rate, AI recommendation hold",4,2,0.5,`));
    });

    it("reports every later stage of the demo pipeline as the sandbox's own stage history says it went", async () => {
      const report = await buildFairnessReport(t.db, sources());
      const s = sandbox.state;
      // The demo walks each candidate through the stages one by one, so the sandbox's recorded
      // history (which the report never sees) is the ground truth the stage-order inference must match.
      const hired = new Set(s.archiveReasons.filter((r) => r.type === "hired").map((r) => r.id));
      const pipeline = s.stages.filter((x) => !LEAD_STAGES.has(x.id) && x.id !== "applicant-new");
      const expected = new Map<string, { total: number; undecided: number; stopped: number; sex: Map<string, { n: number; selected: number }> }>();
      for (const [id, answers] of s.eeoResponses) {
        const opp = s.opportunities.get(id)!;
        const posting = opp.applications.map((a) => s.applications.get(a)?.posting).find((p) => p);
        if (opp.deletedAt !== null || LEAD_STAGES.has(opp.stage) || !posting) continue;
        const history = opp.stageChanges.map((c) => c.toStageId);
        for (const stage of pipeline) {
          if (!history.includes(stage.id)) continue;
          const passed = history.slice(history.lastIndexOf(stage.id) + 1).length > 0 || (opp.archived !== null && hired.has(opp.archived.reason));
          const e = expected.get(`${posting}/${stage.id}`) ?? { total: 0, undecided: 0, stopped: 0, sex: new Map() };
          expected.set(`${posting}/${stage.id}`, e);
          e.total++;
          if (!passed && opp.archived === null) {
            e.undecided++;
            continue;
          }
          if (!passed) e.stopped++;
          if (answers.gender === "Male" || answers.gender === "Female") {
            const g = e.sex.get(answers.gender) ?? { n: 0, selected: 0 };
            e.sex.set(answers.gender, { n: g.n + 1, selected: g.selected + (passed ? 1 : 0) });
          }
        }
      }
      const later = report.tables.filter((x) => !x.firstDecision && x.dimension === "sex");
      assert.deepEqual(
        later.map((x) => `${x.postingId}/${x.stageId}`).sort(),
        [...expected.keys()].sort(),
        "a table for each posting and stage someone reached",
      );
      for (const table of later) {
        const e = expected.get(`${table.postingId}/${table.stageId}`)!;
        const stage = s.stages.find((x) => x.id === table.stageId)!;
        assert.equal(table.stage, `moving past ${stage.text}`);
        assert.deepEqual([table.total, table.undecided], [e.total, e.undecided], `${table.postingTitle} ${table.stage}: reached, undecided`);
        for (const group of ["Male", "Female"]) {
          const human = table.rows.find((r) => r.group === group)?.human ?? null;
          const want = e.sex.get(group);
          assert.deepEqual(human && [human.n, human.selected], want ? [want.n, want.selected] : null, `${table.postingTitle} ${table.stage} ${group}`);
        }
        assert.deepEqual(table.measures, ["human"]);
        for (const row of table.rows) assert.deepEqual([row.ai, row.scoring], [null, null]);
        assert.match(table.missing.ai ?? "", /first decision only/);
      }
      // The demo data exercises both rules: people archived at a stage and people still at one.
      assert.ok([...expected.values()].some((e) => e.undecided > 0) && [...expected.values()].some((e) => e.stopped > 0));
      assert.deepEqual(
        report.stages.map((x) => x.label),
        ["moving past New applicant", ...pipeline.filter((x) => [...expected.keys()].some((k) => k.endsWith(`/${x.id}`))).map((x) => `moving past ${x.text}`)],
        "the stage picker lists the first decision, then the later stages in the account's order",
      );
    });

    it("infers who reached a later stage from the stage order, and leaves people still at it out instead of counting them as rejected", async () => {
      const s = sandbox.state;
      const template = [...s.postings.values()].find((p) => p.state === "published")!;
      const posting = sandbox.actions.createPosting(
        { text: "Stage order role", state: "published", categories: template.categories },
        sandbox.demo!.userIdsByName.get("Dana Whitfield")!,
      );
      const stage = (text: string) => s.stages.find((x) => x.text === text)!.id;
      const [screen, phone] = [stage("Recruiter Screen"), stage("Phone Screen")];
      const notHired = s.archiveReasons.find((r) => r.type !== "hired")!.id;
      const apply = (name: string, gender: string) =>
        sandbox.actions.applyToPosting(posting.id, { name, email: `${name.toLowerCase().replace(" ", ".")}@example.net`, eeo: answered(gender) }).opportunityId;
      const names = ["Fia Further", "Fern Stopped", "Flo Undecided", "Mo Hired", "Max Stopped", "Milo New", "Mia Jumped"];
      const [further, fern, flo, mo, max, milo, mia] = names.map((n) => apply(n, n.startsWith("F") || n.startsWith("Mia") ? "Female" : "Male")) as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      sandbox.actions.moveStage(further, screen);
      sandbox.actions.moveStage(further, phone); // passed Recruiter Screen; still at Phone Screen
      sandbox.actions.moveStage(fern, screen);
      sandbox.actions.archive(fern, notHired, null); // stopped at Recruiter Screen
      sandbox.actions.moveStage(flo, screen); // still at Recruiter Screen: undecided
      sandbox.actions.moveStage(mo, screen);
      sandbox.actions.moveStage(mo, phone);
      sandbox.actions.hire(mo); // hired from Phone Screen: passed both
      sandbox.actions.moveStage(max, screen);
      sandbox.actions.archive(max, notHired, null);
      void milo; // still at New applicant: never reached Recruiter Screen
      sandbox.actions.moveStage(mia, phone); // moved straight over Recruiter Screen: counts as having passed it

      const report = await buildFairnessReport(t.db, sources());
      const row = (table: FairnessTable, g: string) => table.rows.find((r) => r.group === g);
      const atScreen = bySex(report, posting.id, screen);
      assert.deepEqual([atScreen.total, atScreen.undecided, atScreen.unknown], [6, 1, 0], "six reached Recruiter Screen, one is still there");
      assert.deepEqual(
        [row(atScreen, "Female")!.n, row(atScreen, "Female")!.human!.n, row(atScreen, "Female")!.human!.selected],
        [4, 3, 2],
        "Flo, still there, is left out; Fern counts as stopped",
      );
      assert.deepEqual([row(atScreen, "Male")!.human!.n, row(atScreen, "Male")!.human!.selected], [2, 1]);
      assert.equal(row(atScreen, "Female")!.human!.impactRatio, 1, "women have the highest rate (2 of 3)");
      assert.equal(row(atScreen, "Male")!.human!.impactRatio, 1 / 2 / (2 / 3));
      assert.equal(row(atScreen, "Male")!.human!.flagged, true, "0.75 is below the four-fifths line");
      assert.equal(typeof row(atScreen, "Male")!.human!.pValue, "number", "with a significance test");
      assert.equal(row(atScreen, "Male")!.human!.test, "fisher-exact", "the test used is named");
      assert.equal(row(atScreen, "Male")!.human!.verdict, "too-little-data", "two people are too few for the flag to mean something");

      const atPhone = bySex(report, posting.id, phone);
      assert.deepEqual([atPhone.total, atPhone.undecided], [3, 2], "Fia and Mia are still at Phone Screen; Mo was hired from it");
      assert.equal(row(atPhone, "Female")!.human, null, "no woman has been decided at Phone Screen yet");
      assert.deepEqual([row(atPhone, "Male")!.human!.n, row(atPhone, "Male")!.human!.selected], [1, 1]);
      assert.equal(
        report.tables.some((x) => x.postingId === posting.id && x.stageId === stage("Technical Assessment")),
        false,
        "no table for a stage nobody reached",
      );

      // The first decision keeps its rule: everyone moved on from New applicant advanced, Milo waiting did not.
      const first = bySex(report, posting.id);
      assert.deepEqual(
        [row(first, "Female")!.human!.n, row(first, "Female")!.human!.selected, row(first, "Male")!.human!.n, row(first, "Male")!.human!.selected],
        [4, 4, 3, 2],
      );
      assert.equal(first.undecided, null);

      const csv = fairnessCsv(report, new Date(0));
      assert.match(csv.split("\r\n")[0]!, /,unknown_category_count,undecided_left_out,generated_at$/);
      assert.ok(csv.includes(`"Stage order role","${posting.id}","moving past Recruiter Screen","sex","Male","selection rate, human decision",2,1,0.5,0.75,`));
      assert.equal(
        csv.split("\r\n").filter((l) => l.includes(`"moving past Recruiter Screen"`) && l.includes(posting.id) && !l.includes("human decision")).length,
        0,
        "later stages carry people's decisions only",
      );
      const json = JSON.stringify(report) + csv;
      for (const [i, id] of [further, fern, flo, mo, max, milo, mia].entries())
        assert.ok(!json.includes(id) && !json.includes(names[i]!), `nothing names ${names[i]}`);
    });

    it("shows the first decision alone, and says why, when Lever refuses the stage list", async () => {
      const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => p !== "Find all stages") });
      const limited = clientFor(sandbox, key);
      const report = await buildFairnessReport(t.db, {
        eeo: eeoThroughLever(async () => limited),
        stages: stagesThroughLever(async () => limited),
        connections: async () => ["default"],
      });
      assert.equal(report.available, true);
      assert.match(report.notes.join(" "), /stage list could not be read .*stages:read:admin/);
      assert.ok(report.tables.length > 0 && report.tables.every((x) => x.firstDecision));
      assert.deepEqual(
        report.stages.map((x) => x.id),
        ["applicant-new"],
      );
    });

    it("counts an application at a stage missing from the stage list at the first decision only, and says so", async () => {
      const listed = sandbox.state.stages.filter((x) => x.id !== "offer").map((x) => ({ id: x.id, text: x.text }));
      const atOffer = [...sandbox.state.eeoResponses.keys()].filter((id) => sandbox.state.opportunities.get(id)?.stage === "offer").length;
      assert.ok(atOffer > 0, "the demo has applications at Offer");
      const report = await buildFairnessReport(t.db, { ...sources(), stages: async () => listed });
      assert.match(report.notes.join(" "), new RegExp(`${atOffer} applications? (is|are) at a stage Lever's stage list does not include`));
      assert.equal(
        report.tables.some((x) => x.stageId === "offer"),
        false,
      );
      assert.ok(
        report.tables.some((x) => !x.firstDecision),
        "the listed later stages are still reported",
      );
    });

    it("adds interview outcomes per group — attended, kept the booked time, rated strong — with the same groups and small-sample rules", async () => {
      const template = [...sandbox.state.postings.values()].find((p) => p.state === "published")!;
      const posting = sandbox.actions.createPosting(
        { text: "Interview outcomes role", state: "published", categories: template.categories },
        sandbox.demo!.userIdsByName.get("Dana Whitfield")!,
      );
      const apply = (name: string, gender: string) =>
        sandbox.actions.applyToPosting(posting.id, { name, email: `${name.toLowerCase().replace(" ", ".")}@example.net`, eeo: answered(gender) }).opportunityId;
      const names = ["Fay Kept", "Flo Moved", "Fen Missed", "Fia Ahead", "Fern Cancelled", "Mo Weak", "Max Strong", "Milo Plain"];
      const [fay, flo, fen, fia, fern, mo, max, milo] = names.map((n) => apply(n, n.startsWith("F") ? "Female" : "Male")) as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const past = "2027-01-10T10:00:00.000Z";
      const now = new Date("2027-02-01T00:00:00Z");
      await bookedPanel(t.db, { opportunityId: fay, start: past });
      await bookedPanel(t.db, { opportunityId: flo, start: past, revision: 1 }); // moved once, then attended
      await bookedPanel(t.db, { opportunityId: fen, start: past, state: "no-show" });
      await bookedPanel(t.db, { opportunityId: fia, start: "2027-03-01T10:00:00.000Z" }); // still ahead: undecided
      await bookedPanel(t.db, { opportunityId: fern, start: past, state: "cancelled" });
      for (const o of [mo, max, milo]) await bookedPanel(t.db, { opportunityId: o, start: past });
      await bookedPanel(t.db, { opportunityId: "opp-nobody-knows", start: past }); // no EEO answers, no screening: no posting to put it in
      await analysed(t.db, { opportunityId: fay, triageTag: "interview-strong" });
      await analysed(t.db, { opportunityId: flo, triageTag: "interview-review" });
      await analysed(t.db, { opportunityId: mo, triageTag: "interview-weak" });
      await analysed(t.db, { opportunityId: max, triageTag: "interview-strong" });
      await analysed(t.db, { opportunityId: milo, triageTag: "" }); // analysed without thresholds: no band

      const report = await buildFairnessReport(t.db, sources(), now);
      fairnessReportSchema.parse(report);
      const table = bySex(report, posting.id, INTERVIEW_STAGE);
      assert.deepEqual(table.measures, ["attended", "keptTime", "interviewStrong"]);
      assert.equal(table.firstDecision, false);
      assert.deepEqual([table.total, table.undecided, table.unknown], [8, 1, 0], "eight people with interviews, Fia's still ahead");
      const row = (g: string) => table.rows.find((r) => r.group === g)!;
      const counts = (g: string) => [row(g).attended, row(g).keptTime, row(g).interviewStrong].map((m) => m && [m.n, m.selected]);
      // Attended: started, not cancelled panels; kept: started or cancelled panels without a move or cancellation.
      assert.deepEqual(counts("Female"), [
        [3, 2],
        [4, 2],
        [2, 1],
      ]);
      assert.deepEqual(counts("Male"), [
        [3, 3],
        [3, 3],
        [2, 1],
      ]);
      assert.equal(row("Male").attended!.impactRatio, 1);
      assert.equal(row("Female").attended!.impactRatio, 2 / 3);
      assert.equal(row("Female").attended!.flagged, true, "below the four-fifths line");
      assert.equal(row("Female").attended!.verdict, "too-little-data", "three people are too few for the flag to mean something");
      assert.equal(row("Female").attended!.test, "fisher-exact");
      assert.deepEqual(table.missing, {});
      assert.match(report.notes.join(" "), /1 person with interviews Fulcrum booked or analysed has neither EEO answers/);
      assert.deepEqual(
        report.stages.at(-1),
        { id: INTERVIEW_STAGE, label: "at interviews Fulcrum booked or analysed", firstDecision: false },
        "the stage picker offers the interviews last",
      );
      assert.deepEqual(
        report.labels.measures.slice(-3).map((m) => m.label),
        ["Attended interviews", "Kept the booked time", "Interview rated strong"],
      );
      assert.equal(
        report.tables.filter((x) => x.stageId === INTERVIEW_STAGE && x.postingId !== posting.id).length,
        0,
        "no interview table for postings without interviews",
      );

      const csv = fairnessCsv(report, new Date(0));
      assert.ok(
        csv.includes(
          `"Interview outcomes role","${posting.id}","at interviews Fulcrum booked or analysed","sex","Female","rate, attended booked interviews",3,2,0.6667,0.6667,`,
        ),
        csv,
      );
      assert.ok(csv.includes(`"sex","Female","rate, interview analysis triage strong",2,1,0.5,`));
      const json = JSON.stringify(report) + csv;
      for (const [i, id] of [fay, flo, fen, fia, fern, mo, max, milo].entries())
        assert.ok(!json.includes(id) && !json.includes(names[i]!), `nothing names ${names[i]}`);
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
