import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { splitForHighlight } from "../../web/src/components/highlight-split.ts";
import { visibleRange } from "../../web/src/components/visible-range.ts";
import { describeTrigger, toProposal, toWorkflow } from "../../web/src/model.ts";
import { proposalSchema, workflowSchema, type ProposalView, type WorkflowView } from "../../src/contract/console-api.ts";

/** A proposal as the API sends it (checked against the contract), with the fields a test sets. */
function apiProposal(fields: Partial<ProposalView>): ProposalView {
  return proposalSchema.parse({
    id: 1,
    runId: 1,
    stepId: "note",
    workflowId: "w",
    connectionId: "c1",
    opportunityId: null,
    postingId: null,
    kind: "lever.note",
    action: {},
    summary: "",
    reasons: [],
    evidence: [],
    confidence: null,
    engine: null,
    model: null,
    prompt: null,
    flags: [],
    mode: "assist",
    policy: [],
    status: "pending",
    result: null,
    error: null,
    expiresAt: null,
    escalatedAt: null,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    edits: null,
    traceId: "t1",
    createdAt: "2026-11-23T10:00:00.000Z",
    ...fields,
  });
}

/** A workflow as `GET /api/workflows` lists it (checked against the contract), with the fields a test sets. */
function apiWorkflow(fields: Partial<WorkflowView>): WorkflowView {
  return workflowSchema.parse({
    id: "w",
    name: "W",
    description: null,
    enabled: true,
    mode: "shadow",
    modes: {},
    ceiling: "auto",
    effectiveMode: "shadow",
    actions: [],
    pendingChange: null,
    origin: "builtin",
    hash: "h",
    triggers: [],
    steps: [],
    ...fields,
  });
}

describe("evidence highlighting", () => {
  it("marks every occurrence of each quote, case-insensitively, merging overlaps", () => {
    const segments = splitForHighlight("Led Kafka migration. Kafka at scale.", ["kafka", "Kafka migration"]);
    assert.deepEqual(segments, [
      { text: "Led ", marked: false },
      { text: "Kafka migration", marked: true },
      { text: ". ", marked: false },
      { text: "Kafka", marked: true },
      { text: " at scale.", marked: false },
    ]);
  });

  it("keeps markup in the text as plain text segments", () => {
    const text = 'Skills: <img src=x onerror="alert(1)"> TypeScript';
    const segments = splitForHighlight(text, ["TypeScript"]);
    assert.equal(segments.map((s) => s.text).join(""), text);
    assert.equal(segments[0]!.marked, false);
  });

  it("ignores quotes too short to mean anything", () => {
    assert.deepEqual(splitForHighlight("a b c", ["a"]), [{ text: "a b c", marked: false }]);
  });
});

describe("windowed list", () => {
  it("renders only the rows in view plus the overscan, clamped to the list", () => {
    assert.deepEqual(visibleRange(0, 560, 64, 10_000, 6), { start: 0, end: 15 });
    assert.deepEqual(visibleRange(64 * 5000, 560, 64, 10_000, 6), { start: 4994, end: 5015 });
    assert.deepEqual(visibleRange(64 * 9999, 560, 64, 10_000, 6), { start: 9993, end: 10_000 });
    assert.deepEqual(visibleRange(0, 560, 64, 3, 6), { start: 0, end: 3 });
  });
});

describe("reading proposals from the API", () => {
  it("reads the engine's proposal shape, expanding evidence with several quotes", () => {
    const p = toProposal(
      apiProposal({
        id: 12,
        runId: 3,
        workflowId: "application-screening",
        kind: "lever.note",
        action: { body: "Fulcrum screening: 80/100" },
        summary: "Add a note",
        reasons: ["✓ TypeScript"],
        evidence: [{ criterion: "TypeScript", quotes: ["TypeScript services", "Node.js"] }],
        confidence: 0.9,
        engine: "local",
        prompt: "resume-evidence@v1",
        status: "pending",
      }),
    );
    assert.equal(p.id, "12");
    assert.equal(p.actionType, "lever.note");
    assert.deepEqual(
      p.evidence.map((e) => e.quote),
      ["TypeScript services", "Node.js"],
    );
    assert.equal(p.evidence[0]!.criterion, "TypeScript");
    assert.equal(p.prompt, "resume-evidence@v1");
  });
});

describe("the console's workflow list", () => {
  it("reads each action's effective mode and reason, and names its writes in words", () => {
    const w = toWorkflow(
      apiWorkflow({
        id: "application-screening",
        name: "Application screening",
        mode: "auto",
        effectiveMode: "assist",
        actions: [
          { step: "note", type: "lever.note", mode: "assist", decidedBy: ["ceiling"], reason: "assist: the mode ceiling (FULCRUM_MODE_CEILING)", ignored: [] },
          {
            step: "archive",
            type: "lever.archive",
            mode: "assist",
            decidedBy: ["ceiling"],
            reason: "assist: the mode ceiling",
            ignored: [],
            onSandbox: { mode: "shadow", decidedBy: ["sandbox"], reason: "shadow: sandbox.modes.lever.archive (on the built-in sandbox)" },
          },
        ],
        steps: [
          { id: "screen", type: "task" },
          { id: "note", type: "lever.note" },
          { id: "archive", type: "lever.archive" },
        ],
      }),
    );
    assert.equal(w.effectiveMode, "assist");
    assert.deepEqual(
      w.actionModes.map((a) => [a.step, a.mode, a.onSandbox?.mode]),
      [
        ["note", "assist", undefined],
        ["archive", "assist", "shadow"],
      ],
    );
    assert.deepEqual(w.actions, ["notes", "archives"]);
  });
});

describe("the console's trigger descriptions", () => {
  it("says each kind of trigger in words instead of listing its keys", () => {
    assert.equal(describeTrigger({ lever: "applicationCreated" }), "Lever sends applicationCreated");
    assert.equal(
      describeTrigger({ lever: ["candidateStageChange", "interviewUpdated"], when: { stage: { to: ["Offer"] } } }),
      "Lever sends candidateStageChange or interviewUpdated, when the conditions in its definition hold",
    );
    assert.equal(describeTrigger({ manual: true }), "started by hand (console or command line)");
    assert.equal(describeTrigger({ schedule: "*/15 * * * *" }), "on a schedule (cron */15 * * * *)");
    assert.equal(
      describeTrigger({ timer: { on: ["interviewCreated"], at: "interview.end", after: "1h" } }),
      "1h after interview.end (set on interviewCreated)",
    );
    assert.equal(describeTrigger({ source: "assessments", event: ["assessment.completed"] }), "the assessments tool reports assessment.completed");
    assert.equal(
      toWorkflow(apiWorkflow({ triggers: [{ lever: "applicationCreated" }, { manual: true }] })).trigger,
      "Lever sends applicationCreated; started by hand (console or command line)",
    );
  });
});
