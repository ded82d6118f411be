/**
 * Profile forms in the sandbox, through the real Lever client: the demo org's "Fulcrum screening"
 * template, a form that must carry every template field with a value of the field's type (Lever's
 * 400 otherwise), and a form written exactly once when the sandbox applies it and answers 500.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, type Sandbox } from "./index.ts";
import { formStore, SCREENING_TEMPLATE_NAME } from "./forms.ts";
import {
  createLeverClient,
  createMemoryWriteLedger,
  LeverApiError,
  LeverPermissionError,
  leverFormTemplateSchema,
  type LeverFormTemplate,
} from "../lever/index.ts";

let sandbox: Sandbox;
let oppId: string;
let template: LeverFormTemplate;

const lever = (apiKey = sandbox.apiKey, connectionId = "forms") =>
  createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey }, connectionId, retryBaseMs: 5, retryMaxMs: 50 });

/** Every field of the template with a value by its text (null for those not named). */
function fieldsOf(t: LeverFormTemplate, values: Record<string, unknown>) {
  return (t.fields ?? []).map((f) => ({ id: f.id, type: f.type, text: f.text, value: values[f.text ?? ""] ?? null }));
}

async function rejection(p: Promise<unknown>): Promise<LeverApiError> {
  const error = await p.then(
    () => assert.fail("expected Lever to refuse the form"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LeverApiError, String(error));
  return error;
}

before(async () => {
  sandbox = await startSandbox({ seed: 5, rateLimit: false, candidates: 6 });
  oppId = [...sandbox.state.opportunities.keys()][0]!;
  const all = await lever().listFormTemplates().toArray();
  template = all.find((t) => t.text === SCREENING_TEMPLATE_NAME)!;
});
after(() => sandbox?.close());

describe("profile forms in the sandbox", () => {
  it("lists the demo org's screening template with score, tier, recommendation and prompt version fields, and gets it by id", async () => {
    assert.ok(template, "the demo org has the Fulcrum screening template");
    assert.deepEqual(
      template.fields?.map((f) => [f.text, f.type]),
      [
        ["Score", "text"],
        ["Tier", "dropdown"],
        ["Recommendation", "dropdown"],
        ["Prompt version", "text"],
      ],
    );
    assert.deepEqual(
      template.fields?.[2]?.options?.map((o) => o.text),
      ["Advance", "Hold", "Reject", "Review"],
    );
    const one = await lever().getFormTemplate(template.id);
    assert.equal(leverFormTemplateSchema.parse(one).id, template.id);
  });

  it("creates a form carrying every template field, null for the optional one, and lists it on the opportunity", async () => {
    const form = await lever().createProfileForm(
      oppId,
      { baseTemplateId: template.id, fields: fieldsOf(template, { Score: "82", Tier: "Strong", Recommendation: "Advance" }) },
      { key: "form-ok" },
    );
    assert.equal(form.baseTemplateId, template.id);
    assert.deepEqual(
      form.fields?.map((f) => f.value),
      ["82", "Strong", "Advance", null],
    );
    assert.equal((form as { secret?: unknown }).secret, true, "the template is secret by default");
    const listed = await lever().listProfileForms(oppId).toArray();
    assert.ok(listed.some((f) => f.id === form.id));
  });

  it("refuses a form that leaves out a template field, naming the field", async () => {
    const fields = fieldsOf(template, { Score: "70", Tier: "Possible", Recommendation: "Hold" }).filter((f) => f.text !== "Prompt version");
    const e = await rejection(lever().createProfileForm(oppId, { baseTemplateId: template.id, fields }, { key: "form-missing" }));
    assert.equal(e.status, 400);
    assert.match(e.message, /field "Prompt version" .* is missing: send every field of the template, null for optional ones/);
  });

  it("refuses an empty required field, a value that is not one of a dropdown's options, and a number in a text field", async () => {
    const post = (values: Record<string, unknown>, key: string) =>
      lever().createProfileForm(oppId, { baseTemplateId: template.id, fields: fieldsOf(template, values) }, { key });
    assert.match((await rejection(post({ Score: "70", Tier: "Possible" }, "form-required"))).message, /field "Recommendation" .* is required/);
    assert.match(
      (await rejection(post({ Score: "70", Tier: "Possible", Recommendation: "advance" }, "form-option"))).message,
      /field "Recommendation" .*dropdown.* must be one of the field's options \(Advance, Hold, Reject, Review\)/,
    );
    assert.match(
      (await rejection(post({ Score: 70, Tier: "Possible", Recommendation: "Hold" }, "form-type"))).message,
      /field "Score" .*text.* must be a string/,
    );
  });

  it("refuses an unknown template, and a key without the permission gets a 403 naming it", async () => {
    const e = await rejection(lever().createProfileForm(oppId, { baseTemplateId: "no-such-template", fields: [] }, { key: "form-template" }));
    assert.equal(e.status, 400);
    assert.match(e.message, /Form template no-such-template was not found/);
    const readOnly = sandbox.createApiKey({ permissions: ["Find all form templates"] });
    const refused = await lever(readOnly, "forms-ro")
      .createProfileForm(
        oppId,
        { baseTemplateId: template.id, fields: fieldsOf(template, { Score: "1", Tier: "Weak", Recommendation: "Reject" }) },
        { key: "form-403" },
      )
      .catch((x: unknown) => x);
    assert.ok(refused instanceof LeverPermissionError, String(refused));
    assert.match(String(refused.message), /Create an opportunity form/);
  });

  it("writes a form once when the sandbox applies it and answers 500", async () => {
    sandbox.faults.errorAfterWriteRate = 1;
    sandbox.faults.match = /^POST \/v1\/opportunities\/[^/]+\/forms$/;
    try {
      const before = formStore(sandbox.state).forms.size;
      const client = createLeverClient({
        baseUrl: sandbox.url,
        auth: { kind: "apiKey", apiKey: sandbox.apiKey },
        connectionId: "forms-once",
        ledger: createMemoryWriteLedger(),
        retryBaseMs: 5,
        retryMaxMs: 50,
      });
      const form = await client.createProfileForm(
        oppId,
        {
          baseTemplateId: template.id,
          fields: fieldsOf(template, { Score: "55", Tier: "Possible", Recommendation: "Hold", "Prompt version": "resume-evidence@2" }),
        },
        { key: "form-once" },
      );
      assert.equal(formStore(sandbox.state).forms.size, before + 1);
      assert.ok(formStore(sandbox.state).forms.has(form.id));
    } finally {
      sandbox.faults.errorAfterWriteRate = 0;
      delete sandbox.faults.match;
    }
  });
});
