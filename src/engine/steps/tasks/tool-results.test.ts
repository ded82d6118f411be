import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pseudonymRule, toolResultTask, withholdIdentity } from "./tool-results.ts";
import type { TaskInput } from "../../ports.ts";

/** A task input with no rows in tool_candidates (a dry run writes nothing). */
function input(event: Record<string, unknown>, params: Record<string, unknown> = {}): TaskInput {
  return {
    with: { source: "quizzes", ...params },
    context: {},
    fetch: async () => ({}),
    ai: undefined,
    lever: {} as TaskInput["lever"],
    traceId: "t",
    event,
    connectionId: "default",
    dryRun: true,
    db: { query: async () => ({ rows: [], rowCount: 0 }) } as unknown as TaskInput["db"],
    startWorkflow: async () => null,
  };
}

describe("tool.result", () => {
  it("picks the step's rule, then the old pseudonym: true (as everyone, deprecated), then the tool's setting, then none", () => {
    assert.deepEqual(pseudonymRule({ pseudonyms: "unsuccessful" }, { pseudonyms: "everyone" }), { mode: "unsuccessful" });
    const old = pseudonymRule({ pseudonym: true }, undefined);
    assert.equal(old.mode, "everyone");
    assert.match(old.deprecation ?? "", /deprecated.*`pseudonyms: everyone`/);
    assert.deepEqual(pseudonymRule({ pseudonyms: "" }, { pseudonyms: "unsuccessful" }), { mode: "unsuccessful" });
    assert.deepEqual(pseudonymRule({}, undefined), { mode: "none" });
    assert.throws(() => pseudonymRule({ pseudonyms: "some" }, undefined), /not one of none, everyone, unsuccessful/);
  });

  it("cuts the e-mail, the name and its parts, other addresses and phone numbers out of text shown under a pseudonym", () => {
    const out = withholdIdentity("Ada did well. Lovelace: ada@example.net, alt a.l@x.org, call +44 20 7946 0958. Adamant work.", {
      email: "ada@example.net",
      name: "Ada Lovelace",
    });
    assert.equal(out, "[withheld] did well. [withheld]: [withheld], alt [withheld], call [withheld]. Adamant work.");
  });

  it("under `unsuccessful` gives a failed candidate a pseudonym without e-mail, and a passed one their real details", async () => {
    const task = toolResultTask({ quizzes: { pseudonyms: "unsuccessful" } });
    const fail = await task(input({ candidate: { id: 7, name: "Ada Lovelace", email: "Ada@Example.net" }, result: { passed: false } }));
    const candidate = fail.candidate as Record<string, unknown>;
    assert.equal(fail.pseudonymous, true);
    assert.match(String(candidate.name), /^Candidate [0-9a-f]{8}$/);
    assert.equal("emails" in candidate, false);
    assert.equal(fail.toolCandidateId, "7");
    assert.equal(JSON.stringify(fail).includes("Ada"), false);
    const pass = await task(input({ candidate: { id: 8, name: "Ada Lovelace", email: "ada@example.net" }, result: { passed: true } }));
    assert.equal(pass.pseudonymous, false);
    assert.deepEqual((pass.candidate as Record<string, unknown>).emails, ["ada@example.net"]);
  });

  it("stands a digest of the e-mail in for a missing candidate id, and refuses an event with neither", async () => {
    const task = toolResultTask({ quizzes: { pseudonyms: "everyone" } });
    const out = await task(input({ candidate: { email: "ada@example.net" }, result: { passed: true } }));
    assert.match(String(out.toolCandidateId), /^email-sha256:[0-9a-f]{32}$/);
    await assert.rejects(task(input({ candidate: { name: "Ada" }, result: {} })), /neither candidate\.id nor a valid candidate\.email/);
    await assert.rejects(toolResultTask()(input({ candidate: { id: "x" }, result: { passed: true } })), /no valid candidate\.email/);
  });
});

describe("tool.result for a candidate Fulcrum placed before", () => {
  it("needs no e-mail when the tool's candidate id already has an opportunity (the result goes there)", async () => {
    const row = { tool: "quizzes", toolCandidateId: "c9", pseudonym: null, opportunityId: "opp-9" };
    const known = {
      ...input({ candidate: { id: "c9" }, result: { passed: true } }),
      db: { query: async () => ({ rows: [row], rowCount: 1 }) } as unknown as TaskInput["db"],
    };
    const out = await toolResultTask()(known);
    assert.equal(out.knownOpportunityId, "opp-9");
    assert.equal(out.pseudonymous, false);
    assert.equal("emails" in (out.candidate as Record<string, unknown>), false);
  });
});

describe("tool.link", () => {
  it("remembers nothing without the tool's candidate id or an opportunity (an action recorded in shadow), and needs the tool", async () => {
    const { toolLinkTask } = await import("./tool-results.ts");
    const live = { ...input({}), dryRun: false, db: { query: async () => assert.fail("nothing may be written") } as unknown as TaskInput["db"] };
    assert.deepEqual(await toolLinkTask({ ...live, with: { tool: "quizzes", toolCandidateId: "", opportunityId: "o1" } }), {
      opportunityId: "o1",
      remembered: false,
    });
    assert.deepEqual(await toolLinkTask({ ...live, with: { tool: "quizzes", toolCandidateId: "c1", opportunityId: "" } }), {
      opportunityId: "",
      remembered: false,
    });
    await assert.rejects(toolLinkTask({ ...live, with: { toolCandidateId: "c1", opportunityId: "o1" } }), /needs with\.tool/);
  });
});
