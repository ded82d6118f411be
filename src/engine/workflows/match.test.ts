import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EngineEvent, MatchContext } from "./event.ts";
import { armTimers, conditionsHold, matchWorkflows } from "./match.ts";
import { workflowSchema, type Conditions, type WorkflowInput } from "./schema.ts";

function wf(input: Partial<WorkflowInput> & Pick<WorkflowInput, "triggers">) {
  return workflowSchema.parse({ id: "w", name: "W", steps: [{ id: "f", type: "fetch", include: ["opportunity"] }], ...input });
}

function lever(name: string, data: Record<string, unknown> = {}): EngineEvent {
  return { key: "e1", connectionId: "c", source: "lever", name, triggeredAt: 1_000_000, data: { opportunityId: "o1", ...data }, traceId: "t" };
}

const ctx: MatchContext = {
  stages: [
    { id: "applicant-new", text: "New applicant" },
    { id: "s-phone", text: "Phone screen" },
    { id: "s-onsite", text: "On-site interview" },
  ],
  archiveReasons: [
    { id: "r-hired", text: "Hired", type: "hired" },
    { id: "r-under", text: "Underqualified", type: "non-hired" },
    { id: "r-null", text: "Withdrew", type: null },
  ],
  opportunity: {
    id: "o1",
    tags: ["Engineering", "Remote"],
    sources: ["LinkedIn"],
    origin: "applied",
    confidentiality: "non-confidential",
    applications: [
      {
        id: "a1",
        posting: { id: "p1", text: "Backend Engineer" },
        customQuestions: [
          {
            fields: [
              { text: "Do you need a visa?", value: "No" },
              { text: "Languages", value: ["English", "German"] },
            ],
          },
        ],
      },
    ],
  },
  posting: {
    id: "p1",
    text: "Backend Engineer",
    categories: { team: "Platform", department: "Engineering", location: "Berlin", commitment: "Full-time", allLocations: ["Berlin", "Remote"] },
  },
};

const holds = (when: Conditions, event = lever("candidateStageChange", { fromStageId: "s-phone", toStageId: "s-onsite" })) => conditionsHold(when, event, ctx);

describe("trigger conditions", () => {
  it("matches stage changes by id or by name, to and from", () => {
    assert.ok(holds({ stage: { to: "s-onsite" } }));
    assert.ok(holds({ stage: { to: "on-site interview", from: ["Phone screen"] } }));
    assert.ok(!holds({ stage: { to: "Phone screen" } }));
    assert.ok(!holds({ stage: { from: "applicant-new" } }));
  });

  it("matches archiving by reason, reason type, and unarchiving", () => {
    const archived = lever("candidateArchiveChange", { toArchived: { reason: "r-under", archivedAt: 1 }, fromArchived: null });
    assert.ok(holds({ archived: true }, archived));
    assert.ok(holds({ archived: { reason: "Underqualified" } }, archived));
    assert.ok(holds({ archived: { reasonType: "non-hired" } }, archived));
    assert.ok(!holds({ archived: { reasonType: "hired" } }, archived));
    // Lever reports type null for rejections: they count as non-hired.
    assert.ok(holds({ archived: { reasonType: "non-hired" } }, lever("candidateArchiveChange", { toArchived: { reason: "r-null" } })));
    assert.ok(holds({ archived: false }, lever("candidateArchiveChange", { toArchived: null })));
    assert.ok(holds({ hired: true }, lever("candidateArchiveChange", { toArchived: { reason: "r-hired" } })));
    assert.ok(holds({ hired: true }, lever("candidateHired")));
    assert.ok(!holds({ hired: true }, archived));
  });

  it("matches tags present and absent, case-insensitively", () => {
    assert.ok(holds({ tags: { present: ["engineering"], absent: "Do not contact" } }));
    assert.ok(!holds({ tags: { absent: ["remote"] } }));
    assert.ok(!holds({ tags: { present: ["Engineering", "Sales"] } }));
  });

  it("matches posting, department, team, location, commitment", () => {
    assert.ok(holds({ posting: "Backend Engineer", department: "engineering", team: ["Sales", "Platform"], location: "Remote", commitment: "Full-time" }));
    assert.ok(holds({ posting: ["p9", "p1"] }));
    assert.ok(!holds({ department: "Sales" }));
    assert.ok(!holds({ location: "Paris" }));
  });

  it("matches origin, source and confidentiality", () => {
    assert.ok(holds({ origin: ["applied", "referred"], source: "linkedin", confidentiality: "non-confidential" }));
    assert.ok(!holds({ origin: "sourced" }));
    assert.ok(!holds({ source: "GitHub" }));
    assert.ok(!holds({ confidentiality: "confidential" }));
  });

  it("matches answers to application questions", () => {
    assert.ok(holds({ answers: [{ question: "do you need a visa?", equals: "no" }] }));
    assert.ok(holds({ answers: [{ question: "Languages", in: ["German"] }] }));
    assert.ok(holds({ answers: [{ question: "Languages", contains: "eng" }] }));
    assert.ok(!holds({ answers: [{ question: "Do you need a visa?", equals: "Yes" }] }));
    assert.ok(!holds({ answers: [{ question: "Unknown question", equals: "Yes" }] }));
  });

  it("evaluates a free condition on the event and context", () => {
    assert.ok(holds({ match: { path: "context.opportunity.tags", contains: "Remote" } }));
    assert.ok(!holds({ match: { not: { path: "event.data.toStageId", equals: "s-onsite" } } }));
  });

  it("fails a condition whose data is missing rather than guessing", () => {
    assert.ok(!conditionsHold({ department: "Engineering" }, lever("applicationCreated"), {}));
    assert.ok(!conditionsHold({ tags: { present: ["x"] } }, lever("applicationCreated"), {}));
  });
});

describe("matching workflows", () => {
  it("starts workflows whose trigger event and conditions match, and skips disabled ones", () => {
    const a = wf({ id: "a", triggers: [{ lever: "candidateStageChange", when: { stage: { to: "On-site interview" } } }] });
    const b = wf({ id: "b", triggers: [{ lever: ["applicationCreated", "candidateStageChange"] }] });
    const c = wf({ id: "c", enabled: false, triggers: [{ lever: "candidateStageChange" }] });
    const d = wf({ id: "d", triggers: [{ lever: "candidateStageChange", when: { stage: { to: "Phone screen" } } }] });
    const m = matchWorkflows([a, b, c, d], lever("candidateStageChange", { toStageId: "s-onsite" }), ctx);
    assert.deepEqual(
      m.map((x) => x.workflow.id),
      ["a", "b"],
    );
  });

  it("matches signed events from another tool by tool and event name", () => {
    const w = wf({ triggers: [{ source: "codility", event: "assessment.completed" }] });
    const ev: EngineEvent = { ...lever("x"), source: "tool", tool: "codility", name: "assessment.completed" };
    assert.equal(matchWorkflows([w], ev, ctx).length, 1);
    assert.equal(matchWorkflows([w], { ...ev, tool: "hackerrank" }, ctx).length, 0);
    assert.equal(matchWorkflows([w], { ...ev, name: "assessment.started" }, ctx).length, 0);
  });

  it("starts schedule, timer and manual runs only for the workflow they target", () => {
    const w = wf({ triggers: [{ schedule: "0 9 * * 1-5" }, { manual: true }] });
    const ev: EngineEvent = { ...lever("schedule"), source: "schedule", workflowId: "w" };
    assert.deepEqual(
      matchWorkflows([w], ev, ctx).map((x) => x.triggerIndex),
      [0],
    );
    assert.deepEqual(
      matchWorkflows([w], { ...ev, source: "manual" }, ctx).map((x) => x.triggerIndex),
      [1],
    );
    assert.equal(matchWorkflows([w], { ...ev, workflowId: "other" }, ctx).length, 0);
  });

  it("arms a timer one hour after an interview ends", () => {
    const w = wf({ triggers: [{ timer: { on: ["interviewCreated", "interviewUpdated"], at: "interview.end", after: "1h" } }] });
    const start = Date.UTC(2026, 0, 5, 10);
    const arms = armTimers([w], lever("interviewCreated", { interviewId: "i1" }), { interview: { id: "i1", date: start, duration: 45 } });
    assert.equal(arms.length, 1);
    assert.equal(arms[0]!.fireAt, start + 45 * 60_000 + 3_600_000);
    assert.equal(arms[0]!.key, "w:0:i1");
    assert.equal(armTimers([w], lever("candidateHired"), {}).length, 0);
  });
});
