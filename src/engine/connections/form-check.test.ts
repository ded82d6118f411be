import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BUILTIN_WORKFLOWS_DIR, parseWorkflow, type Workflow } from "../workflows/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { createLeverClient } from "../../lever/index.ts";
import { checkFormSteps, checkProfileForms } from "./form-check.ts";

/** The built-in screening workflow with its form template setting replaced. */
function screening(formTemplate: string, fields?: string): Workflow {
  let text = readFileSync(join(BUILTIN_WORKFLOWS_DIR, "application-screening.yaml"), "utf8").replace(/formTemplate: ""/, `formTemplate: "${formTemplate}"`);
  if (fields !== undefined) text = text.replace(/      Prompt version: .*\n/, fields);
  const r = parseWorkflow(text, "application-screening.yaml");
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.workflow;
}

let sandbox: Sandbox;
const probeOf = (apiKey: string) => {
  const client = createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey }, connectionId: "doctor-forms", maxRetries: 0 });
  return {
    async probe(method: "GET" | "POST" | "PUT" | "DELETE", path: string) {
      assert.equal(method, "GET");
      try {
        const data = await client.listFormTemplates().toArray();
        assert.match(path, /^\/form_templates/);
        return { status: 200, body: { data } };
      } catch (error) {
        const e = error as { status?: number; message: string };
        return { status: e.status ?? 0, message: e.message };
      }
    },
  };
};

before(async () => {
  sandbox = await startSandbox({ seed: 2, rateLimit: false, candidates: 4 });
});
after(() => sandbox?.close());

describe("doctor's check of lever.form steps against the account's templates", () => {
  it("passes the built-in screening against the sandbox's Fulcrum screening template", async () => {
    const rows = await checkProfileForms(probeOf(sandbox.apiKey), [screening("Fulcrum screening")]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, "ok", rows[0]!.detail);
    assert.equal(rows[0]!.check, "workflow application-screening, step form: profile form");
  });

  it("reports the step as skipped, not failed, when no template is chosen", async () => {
    const [row] = await checkProfileForms(probeOf(sandbox.apiKey), [screening("")]);
    assert.equal(row!.status, "skip");
    assert.match(row!.detail, /no profile form template is chosen/);
  });

  it("fails naming a required template field the step leaves out", () => {
    const template = {
      id: "t1",
      text: "Fulcrum screening",
      fields: [{ text: "Score" }, { text: "Tier", required: true }, { text: "Recommendation", required: true }, { text: "Prompt version", required: true }],
    };
    assert.equal(checkFormSteps([screening("Fulcrum screening")], [template])[0]!.status, "ok");
    const [row] = checkFormSteps([screening("Fulcrum screening", "")], [template]);
    assert.equal(row!.status, "fail");
    assert.equal(row!.detail, 'the profile form template "Fulcrum screening" requires the field "Prompt version", which the workflow does not fill');
  });

  it("fails naming each tier and recommendation the screening can give that a dropdown has no option for", () => {
    const dropdown = (text: string, options: string[]) => ({ text, type: "dropdown", required: true, options: options.map((o) => ({ text: o })) });
    const full = {
      id: "t1",
      text: "Fulcrum screening",
      fields: [
        { text: "Score" },
        dropdown("Tier", ["Strong", "Possible", "Weak", "Unscored"]),
        dropdown("Recommendation", ["Advance", "Hold", "Reject", "Review"]),
        { text: "Prompt version" },
      ],
    };
    assert.equal(checkFormSteps([screening("Fulcrum screening")], [full])[0]!.status, "ok");
    const short = {
      ...full,
      fields: [
        { text: "Score" },
        dropdown("Tier", ["Strong", "Possible", "Weak"]),
        dropdown("Recommendation", ["Advance", "Reject"]),
        { text: "Prompt version" },
      ],
    };
    const [row] = checkFormSteps([screening("Fulcrum screening")], [short]);
    assert.equal(row!.status, "fail");
    assert.equal(
      row!.detail,
      'field "Tier" of the profile form template "Fulcrum screening" has no option "unscored" (its options: Strong, Possible, Weak), which the screening can give; ' +
        'field "Recommendation" of the profile form template "Fulcrum screening" has no option "hold", "review" (its options: Advance, Reject), which the screening can give',
    );
    assert.match(row!.fix!, /Add the missing options/);
  });

  it("fails naming the missing field when the step's fields and the template differ", () => {
    const template = { id: "t1", text: "Screening v2", fields: [{ text: "Score" }, { text: "Tier", required: true }, { text: "Decision", required: true }] };
    const [row] = checkFormSteps([screening("Screening v2")], [template]);
    assert.equal(row!.status, "fail");
    assert.match(row!.detail, /has no field "Recommendation"/);
    assert.match(row!.detail, /has no field "Prompt version"/);
    assert.match(row!.detail, /requires the field "Decision", which the workflow does not fill/);
  });

  it("fails when the chosen template does not exist, and warns when the key cannot read templates", async () => {
    const [missing] = await checkProfileForms(probeOf(sandbox.apiKey), [screening("Screening v9")]);
    assert.equal(missing!.status, "fail");
    assert.match(missing!.detail, /no profile form template "Screening v9" in this Lever account \(its templates: Fulcrum screening\)/);
    const [refused] = await checkProfileForms(probeOf(sandbox.createApiKey({ permissions: ["Find all stages"] })), [screening("Fulcrum screening")]);
    assert.equal(refused!.status, "warn");
    assert.match(refused!.detail, /GET \/form_templates answered 403/);
  });
});
