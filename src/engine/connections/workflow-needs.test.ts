import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadWorkflows, workflowSchema, type Step, type Workflow, type WorkflowInput } from "../workflows/index.ts";
import { leverPermissionFor } from "../../lever/permissions.ts";
import { CONFIDENTIAL_SCOPE, scopesFor, scopeUsers, stepEndpoints, workflowEndpoints } from "./workflow-needs.ts";

const wf = (steps: WorkflowInput["steps"], triggers: WorkflowInput["triggers"] = [{ lever: "candidateStageChange" }]): Workflow =>
  workflowSchema.parse({ id: "t", name: "t", triggers, steps });

const builtin = (id: string): Workflow => {
  const found = loadWorkflows().workflows.find((w) => w.workflow.id === id);
  assert.ok(found, `no built-in workflow ${id}`);
  return found.workflow;
};

describe("workflow needs", () => {
  it("asks for offers:read:admin when the HR hand-off is enabled, and not without it", () => {
    const hr = builtin("hr-handoff");
    assert.ok(workflowEndpoints(hr).includes("GET /opportunities/:opportunity/offers"));
    assert.ok(scopesFor([hr], { confidential: true }).includes("offers:read:admin"));
    assert.ok(!scopesFor([], { confidential: true }).includes("offers:read:admin"));
    assert.deepEqual(scopeUsers([hr]).get("offers:read:admin"), ["hr-handoff"]);
  });

  it("always asks for offline_access and Fulcrum's own scopes; confidential access unless the connection opts out", () => {
    const own = scopesFor([], { confidential: true });
    assert.equal(own[0], "offline_access");
    for (const s of [
      "webhooks:write:admin",
      "webhooks:read:admin",
      "users:read:admin",
      "opportunities:read:admin",
      "eeo_responses_pii:read:admin",
      CONFIDENTIAL_SCOPE,
    ])
      assert.ok(own.includes(s), s);
    assert.ok(!scopesFor([], { confidential: false }).includes(CONFIDENTIAL_SCOPE));
  });

  it("asks for reading one interview by id for the feedback nudges' timer, as the key dialog names it", () => {
    const nudges = builtin("feedback-follow-up");
    const endpoint = "GET /opportunities/:opportunity/interviews/:interview";
    assert.ok(workflowEndpoints(nudges).includes(endpoint), workflowEndpoints(nudges).join(", "));
    assert.deepEqual(leverPermissionFor(endpoint), { permission: "Find an opportunity interview", confirmed: false, scope: "interviews:read:admin" });
    assert.deepEqual(scopeUsers([nudges]).get("interviews:read:admin"), ["feedback-follow-up"]);
  });

  it("derives endpoints from each step, condition and timer", () => {
    const w = wf(
      [
        { id: "f", type: "fetch", include: ["resume", "offers"] },
        { id: "n", type: "lever.note", body: "x" },
        { id: "t", type: "lever.tags", add: "a" },
        { id: "s", type: "lever.stage", stage: "Phone Screen" },
        { id: "c", type: "lever.createOpportunity", candidate: { name: "x" } },
        { id: "m", type: "notify", channel: "email", to: "a@example.com", message: "hi" },
        { id: "p", type: "lever.form", template: "Fulcrum screening", fields: { Score: "3" } },
      ],
      [{ lever: "candidateStageChange", when: { posting: "p" } }, { timer: { on: "interviewCreated", at: "interview.end", after: "1h" } }],
    );
    const endpoints = workflowEndpoints(w);
    for (const e of [
      "GET /opportunities/:opportunity/resumes",
      "GET /opportunities/:opportunity/resumes/:resume/download",
      "GET /opportunities/:opportunity/offers",
      "POST /opportunities/:opportunity/notes",
      "POST /opportunities/:opportunity/addTags",
      "PUT /opportunities/:opportunity/stage",
      "GET /stages",
      "POST /opportunities",
      "GET /opportunities",
      "GET /postings/:posting",
      "GET /opportunities/:opportunity/interviews",
      "GET /form_templates",
      "POST /opportunities/:opportunity/forms",
    ]) {
      assert.ok(endpoints.includes(e), `${e} in ${endpoints.join(", ")}`);
    }
    // Tags named only to add: removing is not asked for.
    assert.ok(!endpoints.includes("POST /opportunities/:opportunity/removeTags"));
  });

  it("stays within Lever's 20 scopes for every built-in workflow at once", () => {
    const all = loadWorkflows().workflows.map((w) => w.workflow);
    const scopes = scopesFor(all, { confidential: true });
    assert.ok(scopes.length <= 20, `${scopes.length} scopes: ${scopes.join(" ")}`);
    assert.equal(new Set(scopes).size, scopes.length);
  });

  it("asks for what assessment.send does in Lever: read the opportunity's e-mail, add the link, write the note", () => {
    const endpoints = stepEndpoints({ id: "invite", type: "assessment.send", with: { tool: "codility", assessment: "python-senior" } } as Step);
    assert.deepEqual(endpoints, ["GET /opportunities/:opportunity", "POST /opportunities/:opportunity/addLinks", "POST /opportunities/:opportunity/notes"]);
  });
});
