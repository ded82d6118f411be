import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findFormTemplate, formFieldProblems, FormMappingError, profileFormFields, type FormTemplateLike } from "./profile-form.ts";

const template: FormTemplateLike = {
  id: "t-screen",
  text: "Fulcrum screening",
  fields: [
    { id: "f-score", type: "text", text: "Score", required: true },
    {
      id: "f-tier",
      type: "dropdown",
      text: "Tier",
      required: true,
      options: [{ text: "Strong" }, { text: "Possible" }, { text: "Weak" }, { text: "Unscored" }],
    },
    {
      id: "f-rec",
      type: "dropdown",
      text: "Recommendation",
      required: true,
      options: [{ text: "Advance" }, { text: "Hold" }, { text: "Reject" }, { text: "Review" }],
    },
    { id: "f-prompt", type: "text", text: "Prompt version", required: false },
    { id: "f-when", type: "date", text: "Screened on", required: false },
    { id: "f-ok", type: "yes-no", text: "Must-haves met", required: false },
  ],
};

describe("filling a profile form from a workflow's fields", () => {
  it("sends every template field in its order, matching names and options case-insensitively, null for the ones left out", () => {
    const fields = profileFormFields(template, { score: 82, TIER: "strong", Recommendation: "hold", "Must-haves met": true });
    assert.deepEqual(
      fields.map((f) => [f.id, f.value]),
      [
        ["f-score", "82"],
        ["f-tier", "Strong"],
        ["f-rec", "Hold"],
        ["f-prompt", null],
        ["f-when", null],
        ["f-ok", "yes"],
      ],
    );
    assert.equal(fields[1]!.type, "dropdown", "the template's own field description is sent with the value");
  });

  it("reads a date given as text and leaves an empty optional value null", () => {
    const fields = profileFormFields(template, { Score: "70", Tier: "Possible", Recommendation: "Advance", "Screened on": "2026-01-05", "Prompt version": "" });
    assert.equal(fields[4]!.value, Date.parse("2026-01-05"));
    assert.equal(fields[3]!.value, null);
  });

  it("names a field the template does not have, and lists the ones it has", () => {
    assert.throws(
      () => profileFormFields(template, { Score: 1, Tier: "Weak", Recommendation: "Reject", Confidence: 0.9 }),
      (e: unknown) =>
        e instanceof FormMappingError &&
        e.field === "Confidence" &&
        /template "Fulcrum screening" has no field "Confidence" \(its fields: Score, Tier, Recommendation, Prompt version, Screened on, Must-haves met\)/.test(
          e.message,
        ),
    );
  });

  it("names a required field the workflow leaves out or leaves empty", () => {
    assert.throws(
      () => profileFormFields(template, { Score: 1, Tier: "Weak" }),
      /requires the field "Recommendation", and the workflow gives it no value \(add it under fields:\)/,
    );
    assert.throws(
      () => profileFormFields(template, { Score: null, Tier: "Weak", Recommendation: "Reject" }),
      /requires the field "Score", and the workflow gives it no value$/,
    );
  });

  it("names the field and its options when a value is not one of them", () => {
    assert.throws(
      () => profileFormFields(template, { Score: 1, Tier: "Weak", Recommendation: "maybe" }),
      /the value "maybe" for field "Recommendation" .* is not one of its options \(Advance, Hold, Reject, Review\)/,
    );
  });

  it("checks a workflow's field names against a template without values (what doctor runs)", () => {
    assert.deepEqual(formFieldProblems(template, ["Score", "Tier", "Recommendation", "Prompt version"]), []);
    const problems = formFieldProblems(template, ["Score", "Tier", "Promt version"]).map((p) => p.message);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /has no field "Promt version"/);
    assert.match(problems[1]!, /requires the field "Recommendation", which the workflow does not fill/);
  });

  it("finds a template by id, else by name", () => {
    const other = { id: "t-other", text: "Other" };
    assert.equal(findFormTemplate([other, template], "t-screen"), template);
    assert.equal(findFormTemplate([other, template], "fulcrum SCREENING"), template);
    assert.equal(findFormTemplate([other, template], "missing"), undefined);
  });
});
