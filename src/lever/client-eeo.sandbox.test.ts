/**
 * `listEeoResponses` against the Lever sandbox: the window parameters, the lenient parse, and a
 * key without the EEO permission failing as a LeverPermissionError that names it.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { demoAnchor } from "../sandbox/demo-org.ts";
import { sandboxPermissions, startSandbox, type Sandbox } from "../sandbox/index.ts";
import { createLeverClient } from "./client.ts";
import { LeverPermissionError } from "./errors.ts";
import { leverEeoResponsesSchema } from "./schemas.ts";

const day = 86_400_000;
let sandbox: Sandbox;
const lever = (apiKey = sandbox.apiKey) =>
  createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey }, connectionId: "eeo", retryBaseMs: 5, retryMaxMs: 50 });

before(async () => {
  sandbox = await startSandbox({ seed: 5, rateLimit: false });
});
after(() => sandbox?.close());

describe("Lever client: EEO responses against the sandbox", () => {
  it("reads the answers of applications in a window, with their opportunity ids", async () => {
    const rows = await lever().listEeoResponses({ createdAtStart: demoAnchor - 400 * day, createdAtEnd: new Date(demoAnchor) });
    assert.ok(rows.length > 20, `${rows.length} rows`);
    assert.ok(rows.every((r) => sandbox.state.opportunities.has(r.opportunityId)));
    const expected = sandbox.state.eeoResponses.get(rows[0]!.opportunityId)!;
    assert.equal(rows[0]!.gender, expected.gender);
    assert.equal(rows[0]!.race, expected.race);
    assert.equal(typeof rows[0]!.appliedAt, "number");
  });

  it("asks for Lever's default window (the last week) when given none", async () => {
    assert.deepEqual(await lever().listEeoResponses(), []);
  });

  it("fails with a LeverPermissionError naming the EEO permission and scope when the key lacks it", async () => {
    const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => p !== "Find all EEO responses with PII") });
    await assert.rejects(lever(key).listEeoResponses({ createdAtStart: 0 }), (error: unknown) => {
      assert.ok(error instanceof LeverPermissionError);
      assert.equal(error.permission, "Find all EEO responses with PII");
      assert.equal(error.scope, "eeo_responses_pii:read:admin");
      return true;
    });
  });

  it("parses drifted answers leniently: a list of choices is joined, an odd shape reads as no answer", () => {
    const parsed = leverEeoResponsesSchema.parse({
      eeoResponses: [{ opportunityId: "o1", race: ["Asian", "White"], gender: { text: "?" }, appliedAt: "1767000000000", extra: 1 }],
    });
    assert.equal(parsed.eeoResponses[0]!.race, "Asian; White");
    assert.equal(parsed.eeoResponses[0]!.gender, null);
    assert.equal(parsed.eeoResponses[0]!.appliedAt, 1767000000000);
    assert.equal(leverEeoResponsesSchema.safeParse({ eeoResponses: [{ gender: "Male" }] }).success, false, "a row must name its opportunity");
  });
});
