import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { testEngines, openTestDatabase, type TestDatabase } from "../../store/testing.ts";
import { parseWorkflow, type EngineEvent, type LoadedWorkflow } from "../workflows/index.ts";
import { createInlineDispatcher, fireTimer } from "./dispatch.ts";
import { createAuditTrail, type AuditTrail } from "../../governance/index.ts";
import { createWorkflowEngine, MAX_STEP_INPUT_BYTES, storedInput, type EngineAuditSink, type EngineOptions } from "./engine.ts";
import { getRun, listRuns } from "./queries.ts";
import type { LeverGateway } from "../ports.ts";
import { EngineError } from "../errors.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

/** A Lever account in memory behind the engine's port, recording every write. */
function memoryLever() {
  const writes: { op: string; id: string; arg: unknown; key: string }[] = [];
  /** Every write's key as it arrived, repeats included. */
  const attempts: string[] = [];
  const keys = new Set<string>();
  const opp = {
    id: "o1",
    name: "Mira",
    tags: ["Engineering"],
    stage: { id: "applicant-new", text: "New applicant" },
    applications: [{ id: "a1", posting: "p1" }],
  };
  const record = (op: string, id: string, arg: unknown, key: string) => {
    attempts.push(key);
    if (keys.has(key)) return; // Lever's idempotent write: same key, no second write
    keys.add(key);
    writes.push({ op, id, arg, key });
  };
  const gateway: LeverGateway = {
    getOpportunity: async (id) => ({ ...opp, id }),
    getPosting: async (id) => ({ id, text: "Backend Engineer", categories: { department: "Engineering" } }),
    listStages: async () => [
      { id: "applicant-new", text: "New applicant" },
      { id: "s-phone", text: "Phone screen" },
    ],
    listArchiveReasons: async () => [{ id: "r1", text: "Underqualified", type: "non-hired" }],
    listNotes: async () => [],
    listFeedback: async () => [],
    listInterviews: async () => [],
    listPanels: async () => [],
    listFiles: async () => [],
    listOffers: async () => [],
    latestResume: async () => null,
    findOpportunityByEmail: async () => null,
    listPostings: async () => [],
    addNote: async (id, note, o) => (record("addNote", id, note, o.key), { id: `n-${o.key}` }),
    addTags: async (id, tags, o) => record("addTags", id, tags, o.key),
    removeTags: async (id, tags, o) => record("removeTags", id, tags, o.key),
    addLinks: async (id, l, o) => record("addLinks", id, l, o.key),
    removeLinks: async (id, l, o) => record("removeLinks", id, l, o.key),
    changeStage: async (id, s, o) => record("changeStage", id, s, o.key),
    archive: async (id, r, o) => record("archive", id, r, o.key),
    createPanel: async (id, p, o) => (record("createPanel", id, p, o.key), { id: "pn1" }),
    createOpportunity: async (b, o) => (record("createOpportunity", "", b, o.key), { id: "o-new" }),
    listFormTemplates: async () => [
      {
        id: "ft1",
        text: "Fulcrum screening",
        fields: [
          { id: "f-score", type: "text", text: "Score", required: true },
          {
            id: "f-rec",
            type: "dropdown",
            text: "Recommendation",
            required: true,
            options: [{ text: "Advance" }, { text: "Hold" }, { text: "Reject" }, { text: "Review" }],
          },
          { id: "f-prompt", type: "text", text: "Prompt version", required: false },
        ],
      },
    ],
    createProfileForm: async (id, form, o) => (record("createProfileForm", id, form, o.key), { id: "form1" }),
  };
  return { gateway, writes, attempts };
}

const SCREEN = `id: screen
name: Screen
mode: auto
modes:
  lever.stage: assist
guards:
  minConfidence: 0.7
approval:
  expiresAfter: 2h
  escalateAfter: 1h
triggers:
  - lever: applicationCreated
  - manual: true
steps:
  - id: context
    type: fetch
    include: [opportunity, posting]
  - id: score
    type: task
    task: test.score
  - id: note
    type: lever.note
    because: score
    body: "Score {{ steps.score.output.score }} for {{ context.posting.text }}"
  - id: tags
    type: lever.tags
    because: score
    add: "{{ steps.score.output.tags }}"
  - id: advance
    type: lever.stage
    if: { path: steps.score.output.score, gte: 70 }
    because: score
    stage: Phone screen
`;

function loaded(text: string): LoadedWorkflow {
  const r = parseWorkflow(text, "inline.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return { workflow: r.workflow, file: "inline.yaml", origin: "user", hash: r.hash };
}

function event(key = "ev1"): EngineEvent {
  return { key, connectionId: "c1", source: "lever", name: "applicationCreated", triggeredAt: 1, data: { opportunityId: "o1" }, traceId: "trace-1" };
}

describe("a step's stored input", () => {
  it("is the JSON as is when small, with long strings cut when large, and its head when that is not enough", () => {
    assert.equal(storedInput({ a: "b\u0000c" }), '{"a":"bc"}');
    assert.equal(storedInput(undefined), null);
    const cut = JSON.parse(storedInput({ text: "é".repeat(40_000) })!);
    assert.match(cut.text, /^é{4096}… \[cut: 35904 more characters\]$/);
    const many = Array.from({ length: 20_000 }, (_, i) => `item ${i}`);
    const stored = storedInput(many)!;
    assert.ok(Buffer.byteLength(stored) <= MAX_STEP_INPUT_BYTES);
    const head = JSON.parse(stored);
    assert.match(head.$cut, /^input of \d+ bytes cut to its first \d+$/);
    assert.ok(JSON.stringify(many).startsWith(head.head));
  });
});

for (const e of ENGINES) {
  describe(`workflow runs on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    let clock: number;
    let lever: ReturnType<typeof memoryLever>;
    let scoreOut: Record<string, unknown>;
    const audit: { kind: string; actor: string }[] = [];
    let trail: AuditTrail;
    /** The real audit trail (records folded into the engine's statements), noting what was asked of it. */
    let sink: EngineAuditSink;

    before(async () => {
      t = await openTestDatabase(e.kind);
      trail = createAuditTrail(t.db);
      const note = (rs: readonly { kind: string; actor: string }[]) => void audit.push(...rs.map((r) => ({ kind: r.kind, actor: r.actor })));
      sink = {
        append: async (r, tx) => (note([r]), trail.append(r, tx)),
        appendMany: async (rs, tx) => (note(rs), trail.appendMany(rs, tx)),
        appendCall: (rs, bind, when) => (note(rs), trail.appendCall(rs, bind, when)),
      };
    });
    after(async () => t.drop());
    beforeEach(async () => {
      await t.db.exec("delete from workflow_runs; delete from workflow_settings; delete from workflow_timers;");
      clock = Date.UTC(2026, 0, 5, 9);
      lever = memoryLever();
      scoreOut = {
        score: 82,
        confidence: 0.9,
        tags: ["ai-screened", "strong-match"],
        reasons: ["5 years of Go"],
        evidence: [{ quote: "Go since 2019" }],
        flags: [],
        meta: { engine: "local", prompt: "screening@1" },
      };
      audit.length = 0;
    });
    afterEach(async () => {
      const verified = await trail.verify();
      assert.deepEqual(verified.problems, []);
    });

    function engine(text = SCREEN, extra: Partial<EngineOptions> = {}) {
      const inline = createInlineDispatcher(t.db, () => clock);
      const wf = loaded(text);
      const eng = createWorkflowEngine({
        db: t.db,
        workflows: { list: () => [wf], get: (id) => (id === wf.workflow.id ? wf : undefined) },
        lever: () => lever.gateway,
        dispatcher: inline.dispatcher,
        modeCeiling: "auto",
        tasks: { "test.score": async () => scoreOut },
        audit: sink,
        now: () => clock,
        ...extra,
      });
      return { eng, drain: () => inline.drain(eng) };
    }

    async function proposals() {
      return (
        await t.db.query<{
          id: number;
          step_id: string;
          status: string;
          mode: string;
          confidence: number;
          reasons: string[];
          action: Record<string, unknown>;
          prompt: string;
          policy: string[];
        }>("select * from proposals order by id")
      ).rows;
    }

    it("starts one run per workflow and event, however often the event arrives", async () => {
      const { eng, drain } = engine();
      const first = await eng.handleEvent(event());
      const second = await eng.handleEvent(event());
      await drain();
      assert.equal(first.length, 1);
      assert.deepEqual(second, []);
      const runs = await t.db.query("select id from workflow_runs");
      assert.equal(runs.rows.length, 1);
      assert.equal(lever.writes.filter((w) => w.op === "addNote").length, 1);
    });

    it("applies auto actions, holds the stage move for a person, and applies it on approval", async () => {
      const { eng, drain } = engine();
      const [runId] = await eng.handleEvent(event());
      await drain();
      assert.deepEqual(
        lever.writes.map((w) => w.op),
        ["addNote", "addTags"],
      );
      assert.equal((lever.writes[0]!.arg as { value: string }).value, "Score 82 for Backend Engineer");
      const pending = (await proposals()).find((p) => p.step_id === "advance")!;
      assert.equal(pending.status, "pending");
      assert.equal(pending.prompt, "screening@1");
      assert.deepEqual(pending.reasons, ["5 years of Go"]);
      const run = await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId]);
      assert.equal(run.rows[0]!.status, "waiting");

      await eng.decideProposal(pending.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.deepEqual(lever.writes.at(-1), { op: "changeStage", id: "o1", arg: "s-phone", key: `fulcrum:run:${runId}:advance:1` });
      const done = await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId]);
      assert.equal(done.rows[0]!.status, "succeeded");
      const decisions = await t.db.query<{ actor: string; decision: string }>("select actor, decision from proposal_decisions");
      assert.deepEqual(decisions.rows, [{ actor: "user:ana", decision: "approve" }]);
      assert.ok(audit.some((a) => a.kind === "proposal.decided" && a.actor === "user:ana"));
      assert.ok(audit.some((a) => a.kind === "lever.write"));
    });

    it("audits each change of a run once, in order, in a chain that verifies", async () => {
      const kinds = async (runId: number) =>
        (await trail.search({ traceId: "trace-1" })).filter((r) => r.subject["runId"] === String(runId)).map((r) => r.kind);
      const { eng, drain } = engine();
      const [runId] = await eng.handleEvent(event("audited"));
      await drain();
      assert.deepEqual(await kinds(runId!), ["run.started", "proposal.created", "lever.write", "proposal.created", "lever.write", "proposal.created"]);
      const p = (await proposals()).find((x) => x.step_id === "advance")!;
      await eng.decideProposal(p.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.deepEqual((await kinds(runId!)).slice(6), ["proposal.decided", "lever.write", "run.succeeded"]);

      const shadow = engine(SCREEN, { modeCeiling: "shadow" });
      const [shadowRun] = await shadow.eng.handleEvent(event("audited-shadow"));
      await shadow.drain();
      assert.deepEqual(await kinds(shadowRun!), ["run.started", "proposal.created", "proposal.created", "proposal.created", "run.succeeded"]);
      const ids = (await proposals()).filter((x) => x.status === "shadow").map((x) => x.id);
      const audited = (await trail.search({ traceId: "trace-1", kind: "proposal.created" }))
        .filter((r) => r.subject["runId"] === String(shadowRun))
        .map((r) => Number(r.subject["proposalId"]));
      assert.deepEqual(audited, ids);
      assert.equal((await trail.verify()).ok, true);
    });

    it("records every action and writes nothing when the ceiling is shadow", async () => {
      const { eng, drain } = engine(SCREEN, { modeCeiling: "shadow" });
      await eng.handleEvent(event());
      await drain();
      assert.deepEqual(lever.writes, []);
      assert.deepEqual(
        (await proposals()).map((p) => p.status),
        ["shadow", "shadow", "shadow"],
      );
    });

    it("starts new workflows in shadow: nothing written", async () => {
      const { eng, drain } = engine(SCREEN.replace("mode: auto\nmodes:\n  lever.stage: assist\n", ""));
      await eng.handleEvent(event());
      await drain();
      assert.deepEqual(lever.writes, []);
      assert.ok((await proposals()).every((p) => p.status === "shadow" && p.mode === "shadow"));
    });

    it("writes nothing for a workflow in shadow whose per-action modes and sandbox block say auto, on the sandbox too", async () => {
      const text = SCREEN.replace(
        "mode: auto\nmodes:\n  lever.stage: assist\n",
        "mode: shadow\nmodes:\n  lever.note: auto\n  lever.tags: auto\nsandbox:\n  mode: auto\n",
      );
      const { eng, drain } = engine(text, { isSandboxConnection: () => true });
      await eng.handleEvent(event());
      await drain();
      assert.deepEqual(lever.writes, []);
      const p = await proposals();
      assert.deepEqual(
        p.map((x) => `${x.step_id}:${x.status}:${x.mode}`),
        ["note:shadow:shadow", "tags:shadow:shadow", "advance:shadow:shadow"],
      );
    });

    it("writes nothing after a person sets the workflow to shadow while a run is under way", async () => {
      const text = SCREEN.replace("steps:\n", "steps:\n  - id: pause\n    type: wait\n    for: 30m\n");
      const { eng, drain } = engine(text);
      await eng.handleEvent(event());
      await drain();
      await t.db.query("insert into workflow_settings (workflow_id, mode, updated_by) values ('screen', 'shadow', 'user:ops')");
      clock += 31 * 60_000;
      await drain();
      assert.deepEqual(lever.writes, []);
      const p = await proposals();
      assert.deepEqual(
        p.map((x) => x.status),
        ["shadow", "shadow", "shadow"],
      );
      assert.ok(
        p[0]!.policy.some((r) => r === "mode shadow: the workflow's mode (set by user:ops)"),
        p[0]!.policy.join("; "),
      );
    });

    it("falls back to assist when confidence is below the guard", async () => {
      scoreOut.confidence = 0.4;
      const { eng, drain } = engine();
      await eng.handleEvent(event());
      await drain();
      assert.deepEqual(lever.writes, []);
      const p = await proposals();
      assert.equal(p[0]!.status, "pending");
      assert.equal(p[0]!.mode, "assist");
    });

    it("skips a step whose condition does not hold", async () => {
      scoreOut.score = 40;
      const { eng, drain } = engine();
      const [runId] = await eng.handleEvent(event());
      await drain();
      const steps = await t.db.query<{ step_id: string; status: string }>("select step_id, status from workflow_steps where run_id = $1 order by position", [
        runId,
      ]);
      assert.equal(steps.rows.at(-1)!.status, "skipped");
      assert.equal((await proposals()).length, 2);
    });

    it("applies a person's edits and keeps a rejection's reason", async () => {
      scoreOut.confidence = 0.1;
      const { eng, drain } = engine();
      await eng.handleEvent(event());
      await drain();
      const note = (await proposals())[0]!;
      await assert.rejects(
        eng.decideProposal(note.id, { actor: "user:ana", decision: "approve", edits: { opportunityId: "other" } }),
        (e: unknown) => e instanceof EngineError && e.kind === "invalid" && /cannot edit opportunityId/.test(e.message),
      );
      await assert.rejects(eng.decideProposal(note.id + 1000, { actor: "user:ana", decision: "approve" }), { name: "EngineError", kind: "not_found" });
      await eng.decideProposal(note.id, { actor: "user:ana", decision: "approve", edits: { body: "Edited by Ana" } });
      await drain();
      assert.equal((lever.writes[0]!.arg as { value: string }).value, "Edited by Ana");
      const tags = (await proposals())[1]!;
      await assert.rejects(eng.decideProposal(tags.id, { actor: "user:ana", decision: "reject" }), { kind: "invalid", message: /needs a reason/ });
      await eng.decideProposal(tags.id, { actor: "user:ana", decision: "reject", reason: "tags are not useful here" });
      await drain();
      await assert.rejects(eng.decideProposal(tags.id, { actor: "user:bo", decision: "approve" }), { kind: "conflict", message: /is rejected, not pending/ });
      const row = (
        await t.db.query<{ decision_reason: string; decided_by: string }>("select decision_reason, decided_by from proposals where id = $1", [tags.id])
      ).rows[0]!;
      assert.deepEqual(row, { decision_reason: "tags are not useful here", decided_by: "user:ana" });
      assert.equal(lever.writes.length, 1);
    });

    it("escalates a waiting proposal, then expires it and lets the run go on", async () => {
      const notified: string[] = [];
      const text = SCREEN.replace("  escalateAfter: 1h\n", "  escalateAfter: 1h\n  escalateTo: { channel: slack, to: env:TEAM_SLACK }\n");
      const { eng, drain } = engine(text, {
        notify: async (channel, to) => void notified.push(`${channel}:${to}`),
        env: { TEAM_SLACK: "https://hooks.example/x" },
      });
      const [runId] = await eng.handleEvent(event());
      await drain();
      clock += 61 * 60_000;
      await drain();
      assert.deepEqual(notified, ["slack:https://hooks.example/x"]);
      clock += 60 * 60_000;
      await drain();
      const p = (await proposals()).find((x) => x.step_id === "advance")!;
      assert.equal(p.status, "expired");
      const run = await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId]);
      assert.equal(run.rows[0]!.status, "succeeded");
      assert.ok(!lever.writes.some((w) => w.op === "changeStage"));
    });

    it("re-runs from a step with a new generation and new write keys", async () => {
      const { eng, drain } = engine(SCREEN.replace("modes:\n  lever.stage: assist\n", "modes:\n  lever.stage: auto\n"));
      const [runId] = await eng.handleEvent(event());
      await drain();
      assert.equal(lever.writes.length, 3);
      await eng.rerunFrom(runId!, "note");
      await drain();
      assert.equal(lever.writes.length, 6);
      assert.equal(lever.writes[3]!.key, `fulcrum:run:${runId}:note:2`);
      const gens = await t.db.query<{ generation: number; status: string }>("select generation, status from workflow_runs where id = $1", [runId]);
      assert.deepEqual(gens.rows[0], { generation: 2, status: "succeeded" });
    });

    it("runs a job twice without writing twice", async () => {
      const { eng, drain } = engine(SCREEN.replace("modes:\n  lever.stage: assist\n", ""));
      const [runId] = await eng.handleEvent(event());
      await drain();
      for (const stepId of ["note", "tags", "advance"]) await eng.executeStep({ runId: runId!, stepId, generation: 1 });
      assert.equal(lever.writes.length, 3);
    });

    it("repeats a write with the same key, and records it once, when the step did not settle after writing", async () => {
      let failed = false;
      const records: string[] = [];
      const { eng, drain } = engine(SCREEN.replace("modes:\n  lever.stage: assist\n", ""), {
        audit: {
          append: async (r) => {
            // The step's settle transaction fails once, after Lever took the note (a crash there).
            if (r.kind === "lever.write" && !failed) {
              failed = true;
              throw new Error("connection lost before commit");
            }
            records.push(r.kind);
          },
        },
      });
      const [runId] = await eng.handleEvent(event());
      await drain();
      assert.ok(failed);
      assert.deepEqual(
        lever.writes.map((w) => `${w.op}:${w.key}`),
        [`addNote:fulcrum:run:${runId}:note:1`, `addTags:fulcrum:run:${runId}:tags:1:add`, `changeStage:fulcrum:run:${runId}:advance:1`],
      );
      assert.equal(lever.attempts.filter((k) => k === `fulcrum:run:${runId}:note:1`).length, 2, "the note was written again with the same key");
      assert.equal(records.filter((k) => k === "lever.write").length, 3, "one record per write");
      const note = (await proposals()).find((p) => p.step_id === "note")!;
      assert.equal(note.status, "applied");
      const step = await t.db.query<{ status: string; attempts: number }>(
        "select status, attempts from workflow_steps where run_id = $1 and step_id = 'note'",
        [runId],
      );
      assert.deepEqual(step.rows[0], { status: "succeeded", attempts: 2 });
      const run = await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId]);
      assert.equal(run.rows[0]!.status, "succeeded");
    });

    it("keeps a timer until its event was handled, so a failed attempt fires again", async () => {
      const timer = { key: "interview-ended:i1", fireAt: clock };
      await t.db.query("insert into workflow_timers (key, workflow_id, fire_at) values ($1, 'screen', $2)", [timer.key, new Date(timer.fireAt)]);
      await assert.rejects(
        fireTimer(t.db, timer, async () => {
          throw new Error("Lever did not answer");
        }),
        /Lever did not answer/,
      );
      let fired = 0;
      assert.equal(await fireTimer(t.db, timer, async () => void fired++), true);
      assert.equal(fired, 1);
      assert.equal(await fireTimer(t.db, timer, async () => void fired++), false, "consumed once handled");
      // Re-armed for a later time: the job of the earlier time does nothing, the later one fires.
      await t.db.query("insert into workflow_timers (key, workflow_id, fire_at) values ($1, 'screen', $2)", [timer.key, new Date(clock + 60_000)]);
      assert.equal(await fireTimer(t.db, timer, async () => void fired++), false);
      assert.equal(await fireTimer(t.db, { ...timer, fireAt: clock + 60_000 }, async () => void fired++), true);
      assert.equal(fired, 2);
    });

    it("waits, branches and gates on a person's approval", async () => {
      const text = `id: gated
name: Gated
mode: auto
guards: { minConfidence: 0 }
triggers: [{ lever: applicationCreated }]
steps:
  - id: pause
    type: wait
    for: 30m
  - id: route
    type: branch
    cases:
      - if: { path: event.data.opportunityId, equals: o1 }
        goto: gate
  - id: never
    type: lever.note
    body: should be jumped over
  - id: gate
    type: approval
    message: Tag this candidate?
  - id: tag
    type: lever.tags
    add: [gated]
`;
      const { eng, drain } = engine(text);
      const [runId] = await eng.handleEvent(event());
      await drain();
      assert.equal((await proposals()).length, 0, "still waiting");
      clock += 31 * 60_000;
      await drain();
      const gate = (await proposals())[0]!;
      assert.equal(gate.step_id, "gate");
      assert.equal(gate.status, "pending");
      await eng.decideProposal(gate.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.deepEqual(
        lever.writes.map((w) => w.arg),
        [["gated"]],
      );
      const steps = await t.db.query<{ step_id: string; status: string }>("select step_id, status from workflow_steps where run_id = $1 order by position", [
        runId,
      ]);
      assert.deepEqual(
        steps.rows.map((s) => `${s.step_id}:${s.status}`),
        ["pause:succeeded", "route:succeeded", "never:skipped", "gate:succeeded", "tag:succeeded"],
      );
    });

    it("cancels the run when an approval gate is rejected", async () => {
      const text = `id: gated
name: Gated
mode: auto
triggers: [{ lever: applicationCreated }]
steps:
  - id: gate
    type: approval
    message: Go on?
  - id: tag
    type: lever.tags
    add: [gated]
`;
      const { eng, drain } = engine(text);
      const [runId] = await eng.handleEvent(event());
      await drain();
      const gate = (await proposals())[0]!;
      await eng.decideProposal(gate.id, { actor: "user:ana", decision: "reject", reason: "not now" });
      await drain();
      const run = await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId]);
      assert.equal(run.rows[0]!.status, "cancelled");
      assert.deepEqual(lever.writes, []);
    });

    it("takes the opportunity a task found when the event named none, for the run and its audit, and never replaces one the run has", async () => {
      const FOUND = `id: found
name: Found by a task
triggers:
  - manual: true
steps:
  - id: find
    type: task
    task: test.find
  - id: note
    type: lever.note
    because: find
    opportunity: "{{ steps.find.output.opportunityId }}"
    body: "found"
`;
      const find = async ({ setOpportunity }: { setOpportunity?: (id: string) => void }) => {
        setOpportunity?.("o-found");
        return { opportunityId: "o-found" };
      };
      const { eng, drain } = engine(FOUND, { tasks: { "test.find": find } });
      const bare: EngineEvent = {
        key: "m1",
        connectionId: "c1",
        source: "manual",
        name: "manual",
        triggeredAt: 1,
        data: {},
        traceId: "trace-found",
        workflowId: "found",
      };
      const [found] = await eng.handleEvent(bare);
      const [named] = await eng.handleEvent({ ...bare, key: "m2", data: { opportunityId: "o-named" }, traceId: "trace-named" });
      await drain();
      const runs = await t.db.query<{ id: number; opportunity_id: string | null; status: string }>(
        "select id, opportunity_id, status from workflow_runs order by id",
      );
      assert.deepEqual(
        runs.rows.map((r) => [Number(r.id), r.opportunity_id, r.status]),
        [
          [found, "o-found", "succeeded"],
          [named, "o-named", "succeeded"],
        ],
      );
      assert.equal((await getRun(t.db, found!))?.opportunityId, "o-found");
      const finished = await t.db.query<{ opportunity_id: string | null }>(
        "select opportunity_id from audit_records where kind = 'run.succeeded' and trace_id = 'trace-found'",
      );
      assert.equal(finished.rows[0]?.opportunity_id, "o-found");
    });

    it("fails the run after a step keeps failing, with the error kept", async () => {
      const { eng, drain } = engine(SCREEN, {
        tasks: {
          "test.score": async () => {
            throw new Error("scorer broke");
          },
        },
      });
      const [runId] = await eng.handleEvent(event());
      await drain();
      const run = await t.db.query<{ status: string; error: string }>("select status, error from workflow_runs where id = $1", [runId]);
      assert.equal(run.rows[0]!.status, "failed");
      assert.match(run.rows[0]!.error, /step score: scorer broke/);
      const step = await t.db.query<{ attempts: number }>("select attempts from workflow_steps where run_id = $1 and step_id = 'score'", [runId]);
      assert.equal(step.rows[0]!.attempts, 3);
    });

    it("tells a task which attempt it is and whether it is the last, so it can answer degraded instead of failing", async () => {
      const seen: [number | undefined, boolean | undefined][] = [];
      const score = async (input: { attempt?: number | undefined; lastAttempt?: boolean | undefined }) => {
        seen.push([input.attempt, input.lastAttempt]);
        if (!input.lastAttempt) throw Object.assign(new Error("calendar answered 503"), { retryable: true });
        return scoreOut;
      };
      const { eng, drain } = engine(SCREEN, { tasks: { "test.score": score } });
      await eng.handleEvent(event());
      await drain();
      assert.deepEqual(seen, [
        [1, false],
        [2, false],
        [3, true],
      ]);
    });

    it("marks an approved proposal failed when its write keeps failing, beside the failed run", async () => {
      const failing = {
        ...lever.gateway,
        addNote: async () => {
          throw Object.assign(new Error("Lever answered 503"), { retryable: true });
        },
      } as LeverGateway;
      const { eng, drain } = engine(SCREEN, { lever: () => failing });
      const [runId] = await eng.handleEvent(event());
      await drain();
      const run = await t.db.query<{ status: string; error: string }>("select status, error from workflow_runs where id = $1", [runId]);
      assert.equal(run.rows[0]!.status, "failed");
      const note = (await proposals()).find((p) => p.step_id === "note")!;
      assert.equal(note.status, "failed", "an approved write that never happened is not left approved");
      const err = await t.db.query<{ error: string }>("select error from proposals where id = $1", [note.id]);
      assert.match(err.rows[0]!.error, /Lever answered 503/);
      assert.equal(lever.writes.length, 0);
    });

    it("shows a run still open past its deadline as overdue, and a finished one not", async () => {
      const { eng, drain } = engine();
      // The test clock is in the past, so the 1 h deadline of these runs has passed in database time.
      const [waiting] = await eng.handleEvent(event("late"));
      await drain();
      const overdue = await listRuns(t.db, { overdue: true });
      assert.deepEqual(
        overdue.map((r) => r.id),
        [waiting],
      );
      assert.equal(overdue[0]!.overdue, true);
      const p = (await proposals()).find((x) => x.step_id === "advance")!;
      await eng.decideProposal(p.id, { actor: "user:ana", decision: "reject", reason: "not yet" });
      await drain();
      assert.deepEqual(await listRuns(t.db, { overdue: true }), []);
      assert.equal((await listRuns(t.db, {}))[0]!.overdue, false);
    });

    it("parks an AI step while the provider's circuit is open, then goes on when it closes", async () => {
      const text = `id: ai-flow
name: AI flow
mode: auto
guards: { minConfidence: 0 }
triggers: [{ lever: applicationCreated }]
steps:
  - id: check
    type: ai
    prompt: language-check
    onUnavailable: wait
    input: { text: "hello" }
  - id: tag
    type: lever.tags
    because: check
    add: ["{{ steps.check.output.tag }}"]
`;
      let open = true;
      let calls = 0;
      const { eng, drain } = engine(text, {
        ai: async () => {
          calls++;
          if (open) throw Object.assign(new Error("circuit open for anthropic"), { retryAt: new Date(clock + 60_000) });
          return { output: { tag: "checked" }, meta: { engine: "model", model: "m", prompt: "language-check@v1" } };
        },
      });
      const [runId] = await eng.handleEvent(event());
      await drain();
      const parked = await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId]);
      assert.equal(parked.rows[0]!.status, "waiting");
      assert.deepEqual(lever.writes, []);
      open = false;
      clock += 61_000;
      await drain();
      assert.equal(calls, 2);
      assert.deepEqual(
        lever.writes.map((w: { arg: unknown }) => w.arg),
        [["checked"]],
      );
      const done = await t.db.query<{ status: string; attempts: number }>(
        "select s.attempts, r.status from workflow_steps s join workflow_runs r on r.id = s.run_id where s.run_id = $1 and s.step_id = 'check'",
        [runId],
      );
      assert.deepEqual(done.rows[0], { attempts: 1, status: "succeeded" });
    });

    it("honours a workflow switched off or to another mode through settings", async () => {
      const { eng, drain } = engine();
      await t.db.query("insert into workflow_settings (workflow_id, enabled) values ('screen', false)");
      assert.deepEqual(await eng.handleEvent(event("a")), []);
      await t.db.query("update workflow_settings set enabled = true, mode = 'shadow' where workflow_id = 'screen'");
      await eng.handleEvent(event("b"));
      await drain();
      // The lowest mode wins: the stage's own assist cannot raise it above the workflow's shadow.
      assert.deepEqual(
        (await proposals()).map((p) => p.status),
        ["shadow", "shadow", "shadow"],
      );
    });

    it("stores each step's rendered input with the step, cutting one over 64 KiB", async () => {
      const big = "x".repeat(100_000);
      const text = `id: inputs
name: Inputs
mode: auto
guards: { minConfidence: 0 }
settings:
  big: ${big}
triggers: [{ lever: applicationCreated }]
steps:
  - id: context
    type: fetch
    include: [opportunity, posting]
  - id: score
    type: task
    task: test.score
    with: { posting: "{{ context.posting.text }}", threshold: 70 }
  - id: check
    type: ai
    prompt: language-check
    input: { text: "Note for {{ context.opportunity.name }}", cv: "{{ settings.big }}" }
  - id: route
    type: branch
    cases:
      - if: { path: steps.score.output.score, lt: 50 }
        goto: end
      - if: { path: steps.score.output.score, gte: 50 }
        goto: pause
  - id: skipped
    type: lever.tags
    add: [never]
  - id: pause
    type: wait
    for: 30m
  - id: note
    type: lever.note
    because: score
    body: "Score {{ steps.score.output.score }} for {{ context.posting.text }}"
`;
      const given: Record<string, unknown>[] = [];
      const { eng, drain } = engine(text, {
        ai: async (req) => (given.push(req.input), { output: { ok: true }, meta: { engine: "local", prompt: "language-check@v1" } }),
      });
      const [runId] = await eng.handleEvent(event());
      const started = clock;
      await drain();
      clock += 31 * 60_000;
      await drain();
      const run = (await getRun(t.db, runId!))!;
      assert.equal(run.status, "succeeded");
      const input = Object.fromEntries(run.steps.map((s) => [s.stepId, s.input]));
      assert.deepEqual(input.context, { kinds: ["opportunity", "posting"] });
      assert.deepEqual(input.score, { posting: "Backend Engineer", threshold: 70 });
      assert.deepEqual(input.route, { case: 1, if: { path: "steps.score.output.score", gte: 50 }, goto: "pause" });
      assert.equal(input.skipped, null, "a step jumped over was given nothing");
      assert.deepEqual(input.pause, { until: started + 30 * 60_000, at: new Date(started + 30 * 60_000).toISOString() });
      assert.deepEqual(input.note, { type: "lever.note", opportunityId: "o1", body: "Score 82 for Backend Engineer", secret: false });
      // The AI layer got the whole input; the stored copy is cut, with a marker saying so.
      assert.equal((given[0]!.cv as string).length, 100_000);
      const check = input.check as { text: string; cv: string };
      assert.equal(check.text, "Note for Mira");
      assert.match(check.cv, /^x{4096}… \[cut: 95904 more characters\]$/);
      assert.ok(Buffer.byteLength(JSON.stringify(check)) <= MAX_STEP_INPUT_BYTES);
    });

    it("keeps a failed step's input beside its error", async () => {
      const text = SCREEN.replace("    task: test.score\n", '    task: test.score\n    with: { posting: "{{ context.posting.text }}", min: 3 }\n');
      const { eng, drain } = engine(text, {
        tasks: {
          "test.score": async () => {
            throw new Error("scorer broke");
          },
        },
      });
      const [runId] = await eng.handleEvent(event());
      await drain();
      const run = (await getRun(t.db, runId!))!;
      assert.equal(run.status, "failed");
      const score = run.steps.find((s) => s.stepId === "score")!;
      assert.equal(score.status, "failed");
      assert.equal(score.error, "scorer broke");
      assert.deepEqual(score.input, { posting: "Backend Engineer", min: 3 });
      assert.deepEqual(run.steps.find((s) => s.stepId === "context")!.input, { kinds: ["opportunity", "posting"] });
    });

    const FORM = (
      template: string,
      fields = 'Score: "{{ steps.score.output.score }}"\n      Recommendation: "{{ steps.score.output.recommendation }}"',
    ) => `id: form
name: Form
mode: auto
settings:
  formTemplate: "${template}"
triggers:
  - lever: applicationCreated
steps:
  - id: score
    type: task
    task: test.score
  - id: form
    type: lever.form
    because: score
    template: "{{ settings.formTemplate }}"
    fields:
      ${fields}
`;
    const stepOf = async (runId: number, stepId: string) =>
      (
        await t.db.query<{ status: string; output: Record<string, unknown> }>("select status, output from workflow_steps where run_id = $1 and step_id = $2", [
          runId,
          stepId,
        ])
      ).rows[0]!;

    it("fills a profile form from a step's output, every template field in its order, by the field's text", async () => {
      scoreOut = { ...scoreOut, recommendation: "hold" };
      const { eng, drain } = engine(FORM("fulcrum screening"));
      const [runId] = await eng.handleEvent(event("form-filled"));
      await drain();
      const write = lever.writes.find((w) => w.op === "createProfileForm")!;
      assert.ok(write, JSON.stringify(lever.writes));
      const form = write.arg as { baseTemplateId: string; fields: { id: string; value: unknown }[] };
      assert.equal(form.baseTemplateId, "ft1");
      assert.deepEqual(
        form.fields.map((f) => [f.id, f.value]),
        [
          ["f-score", "82"],
          ["f-rec", "Hold"],
          ["f-prompt", null],
        ],
      );
      assert.equal(write.key, `fulcrum:run:${runId}:form:1`);
      assert.equal((await stepOf(runId!, "form")).status, "succeeded");
    });

    it("skips the profile form with the reason when no template is chosen, and the run still succeeds", async () => {
      const { eng, drain } = engine(FORM(""));
      const [runId] = await eng.handleEvent(event("form-none"));
      await drain();
      const step = await stepOf(runId!, "form");
      assert.equal(step.status, "skipped");
      assert.match(String(step.output.skipped), /no profile form template is chosen/);
      assert.equal(lever.writes.filter((w) => w.op === "createProfileForm").length, 0);
      assert.equal((await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId])).rows[0]!.status, "succeeded");
    });

    it("fails the form step naming the template field the workflow's fields do not match", async () => {
      const { eng, drain } = engine(FORM("Fulcrum screening", 'Score: "{{ steps.score.output.score }}"\n      Recomendation: hold'));
      const [runId] = await eng.handleEvent(event("form-typo"));
      await drain();
      const run = (await t.db.query<{ status: string; error: string | null }>("select status, error from workflow_runs where id = $1", [runId])).rows[0]!;
      assert.equal(run.status, "failed");
      assert.match(String(run.error), /has no field "Recomendation"/);
      assert.equal(lever.writes.filter((w) => w.op === "createProfileForm").length, 0);
    });

    it("holds an archive for a person in an auto workflow unless an admin allows auto archives", async () => {
      const ARCHIVE =
        "id: rejecting\nname: Rejecting\nmode: auto\ntriggers: [{ lever: applicationCreated }]\nsteps:\n  - id: reject\n    type: lever.archive\n    reason: Underqualified\n";
      const held = engine(ARCHIVE);
      await held.eng.handleEvent(event("archive-held"));
      await held.drain();
      const waiting = (await proposals()).find((p) => p.step_id === "reject")!;
      assert.equal(waiting.status, "pending");
      assert.match(waiting.policy[0]!, /archiving waits for a person/);
      assert.equal(lever.writes.filter((w) => w.op === "archive").length, 0);

      await t.db.exec("delete from workflow_runs");
      const allowed = engine(ARCHIVE, { autoArchive: true });
      await allowed.eng.handleEvent(event("archive-allowed"));
      await allowed.drain();
      assert.deepEqual(
        lever.writes.filter((w) => w.op === "archive").map((w) => w.arg),
        ["r1"],
      );
    });

    it("keeps an action step's rendered input while it waits for a person and after", async () => {
      const { eng, drain } = engine();
      const [runId] = await eng.handleEvent(event());
      await drain();
      const waiting = (await getRun(t.db, runId!))!.steps.find((s) => s.stepId === "advance")!;
      assert.equal(waiting.status, "waiting");
      assert.deepEqual(waiting.input, { type: "lever.stage", opportunityId: "o1", stage: "Phone screen" });
      const p = (await proposals()).find((x) => x.step_id === "advance")!;
      await eng.decideProposal(p.id, { actor: "user:ana", decision: "approve" });
      await drain();
      const done = (await getRun(t.db, runId!))!.steps.find((s) => s.stepId === "advance")!;
      assert.equal(done.status, "succeeded");
      assert.deepEqual(done.input, { type: "lever.stage", opportunityId: "o1", stage: "Phone screen" });
    });

    /** The screening in assist: every action of the run waits for a person. */
    const ASSIST = SCREEN.replace("mode: auto\n", "mode: assist\n");
    const statuses = async () => (await proposals()).map((p) => `${p.step_id}:${p.status}`);
    const runStatus = async (runId: number) =>
      (await t.db.query<{ status: string }>("select status from workflow_runs where id = $1", [runId])).rows[0]!.status;
    const stepStatuses = async (runId: number) =>
      (
        await t.db.query<{ step_id: string; status: string }>("select step_id, status from workflow_steps where run_id = $1 order by position", [runId])
      ).rows.map((s) => `${s.step_id}:${s.status}`);

    it("proposes a run's note, tags and stage move together in assist, each audited, while the run waits on the first", async () => {
      const { eng, drain } = engine(ASSIST);
      const [runId] = await eng.handleEvent(event("together"));
      await drain();
      assert.deepEqual(await statuses(), ["note:pending", "tags:pending", "advance:pending"]);
      const [note, tags, advance] = await proposals();
      assert.deepEqual(tags!.action, { type: "lever.tags", opportunityId: "o1", add: ["ai-screened", "strong-match"], remove: [] });
      assert.deepEqual(advance!.action, { type: "lever.stage", opportunityId: "o1", stage: "Phone screen" });
      assert.deepEqual(tags!.reasons, ["5 years of Go"], "each proposal carries the reasons of the step it is because of");
      assert.ok(note!.id < tags!.id && tags!.id < advance!.id, "made in the workflow's order");
      assert.equal(await runStatus(runId!), "waiting");
      assert.deepEqual(await stepStatuses(runId!), ["context:succeeded", "score:succeeded", "note:waiting"], "the run has not reached the later steps");
      assert.equal(audit.filter((a) => a.kind === "proposal.created").length, 3);
      assert.deepEqual(lever.writes, []);
    });

    it("applies a run's proposals approved all at once in the workflow's order", async () => {
      const { eng, drain } = engine(ASSIST);
      const [runId] = await eng.handleEvent(event("approve-all"));
      await drain();
      for (const p of await proposals()) await eng.decideProposal(p.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.deepEqual(
        lever.writes.map((w) => `${w.op}:${w.key}`),
        [`addNote:fulcrum:run:${runId}:note:1`, `addTags:fulcrum:run:${runId}:tags:1:add`, `changeStage:fulcrum:run:${runId}:advance:1`],
      );
      assert.deepEqual(await statuses(), ["note:applied", "tags:applied", "advance:applied"]);
      assert.equal(await runStatus(runId!), "succeeded");
      assert.equal(audit.filter((a) => a.kind === "proposal.created").length, 3, "no proposal made twice");
      assert.equal(audit.filter((a) => a.kind === "lever.write").length, 3);
    });

    it("holds a stage move approved before the note until the note has been applied", async () => {
      const { eng, drain } = engine(ASSIST);
      const [runId] = await eng.handleEvent(event("stage-first"));
      await drain();
      const [note, tags, advance] = await proposals();
      await eng.decideProposal(advance!.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.equal(lever.writes.length, 0, "nothing is written before the note");
      assert.deepEqual(await statuses(), ["note:pending", "tags:pending", "advance:approved"]);
      assert.equal(await runStatus(runId!), "waiting", "the run still waits on the note");

      await eng.decideProposal(note!.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.deepEqual(
        lever.writes.map((w) => w.op),
        ["addNote"],
      );
      assert.deepEqual(await stepStatuses(runId!), ["context:succeeded", "score:succeeded", "note:succeeded", "tags:waiting"]);

      await eng.decideProposal(tags!.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.deepEqual(
        lever.writes.map((w) => w.op),
        ["addNote", "addTags", "changeStage"],
      );
      assert.equal(await runStatus(runId!), "succeeded");
      assert.equal((await proposals()).length, 3);
      assert.equal(audit.filter((a) => a.kind === "proposal.created").length, 3);
    });

    it("withdraws the run's later proposals, saying why, when a person rejects the note", async () => {
      const { eng, drain } = engine(ASSIST);
      const [runId] = await eng.handleEvent(event("reject-note"));
      await drain();
      const [note, tags, advance] = await proposals();
      await eng.decideProposal(note!.id, { actor: "user:ana", decision: "reject", reason: "the score is wrong" });
      await drain();
      assert.deepEqual(await statuses(), ["note:rejected", "tags:expired", "advance:expired"]);
      const reasons = await t.db.query<{ id: number; decision_reason: string; decided_by: string }>(
        "select id, decision_reason, decided_by from proposals where id = any($1::bigint[]) order by id",
        [[tags!.id, advance!.id]],
      );
      for (const r of reasons.rows) {
        assert.equal(r.decided_by, "system");
        assert.match(r.decision_reason, /^withdrawn: the earlier action of this run \(step note\) was rejected/);
      }
      const decisions = await t.db.query<{ decision: string }>("select decision from proposal_decisions where proposal_id = any($1::bigint[])", [
        [tags!.id, advance!.id],
      ]);
      assert.deepEqual(
        decisions.rows.map((d) => d.decision),
        ["expire", "expire"],
      );
      assert.equal(audit.filter((a) => a.kind === "proposal.expired").length, 2);
      await assert.rejects(eng.decideProposal(tags!.id, { actor: "user:ana", decision: "approve" }), { kind: "conflict" });
      assert.deepEqual(lever.writes, []);
      assert.equal(await runStatus(runId!), "succeeded");
      assert.deepEqual(await stepStatuses(runId!), ["context:succeeded", "score:succeeded", "note:skipped", "tags:skipped", "advance:skipped"]);
    });

    it("makes no second proposal when the step's settle is lost and its job runs again", async () => {
      let failed = false;
      const records: string[] = [];
      const { eng, drain } = engine(ASSIST, {
        audit: {
          append: async (r) => {
            // The note step's settle (its proposal and the later ones) fails once before commit.
            if (r.kind === "proposal.created" && !failed) {
              failed = true;
              throw new Error("connection lost before commit");
            }
            records.push(r.kind);
          },
        },
      });
      const [runId] = await eng.handleEvent(event("crash"));
      await drain();
      assert.ok(failed);
      assert.deepEqual(await statuses(), ["note:pending", "tags:pending", "advance:pending"]);
      assert.equal(records.filter((k) => k === "proposal.created").length, 3);
      // The job delivered again, for each step: nothing new.
      for (const stepId of ["note", "tags", "advance"]) await eng.executeStep({ runId: runId!, stepId, generation: 1 });
      await drain();
      assert.equal((await proposals()).length, 3);
      assert.equal(records.filter((k) => k === "proposal.created").length, 3);
    });

    it("waits for an earlier action's result before proposing a step whose input depends on it", async () => {
      const text = ASSIST.replace('    add: "{{ steps.score.output.tags }}"\n', '    add: ["note-{{ steps.note.output.status }}"]\n');
      const { eng, drain } = engine(text);
      const [runId] = await eng.handleEvent(event("depends"));
      await drain();
      assert.deepEqual(await statuses(), ["note:pending"], "the tags need the note's result, and the stage move comes after them");
      await eng.decideProposal((await proposals())[0]!.id, { actor: "user:ana", decision: "approve" });
      await drain();
      assert.deepEqual(await statuses(), ["note:applied", "tags:pending", "advance:pending"]);
      assert.deepEqual((await proposals())[1]!.action.add, ["note-applied"]);
      assert.equal(await runStatus(runId!), "waiting");
    });

    it("withdraws the proposals still waiting from before when a run is re-run", async () => {
      const { eng, drain } = engine(ASSIST);
      const [runId] = await eng.handleEvent(event("rerun-waiting"));
      await drain();
      await eng.rerunFrom(runId!, "note");
      await drain();
      const rows = await t.db.query<{ step_id: string; generation: number; status: string; decision_reason: string | null }>(
        "select step_id, generation, status, decision_reason from proposals where run_id = $1 order by id",
        [runId],
      );
      assert.deepEqual(
        rows.rows.map((r) => `${r.step_id}:${r.generation}:${r.status}`),
        ["note:1:expired", "tags:1:expired", "advance:1:expired", "note:2:pending", "tags:2:pending", "advance:2:pending"],
      );
      assert.equal(rows.rows[0]!.decision_reason, "withdrawn: the run was re-run from step note");
    });

    it("keeps an approval gate, and an action after it, for when the run gets there", async () => {
      const text = ASSIST.replace("  - id: tags\n", "  - id: gate\n    type: approval\n    message: Tag and move?\n  - id: tags\n");
      const { eng, drain } = engine(text);
      await eng.handleEvent(event("gate-after"));
      await drain();
      assert.deepEqual(await statuses(), ["note:pending"]);
    });
  });
}
