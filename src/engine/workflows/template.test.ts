import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluate, render, renderText, valueAt } from "./template.ts";

const scope = {
  steps: { screen: { output: { score: 82, tags: ["go", "java"], note: "ok" } } },
  settings: { n: "3" },
  context: { opportunity: { name: "Mira" } },
};

describe("templates and conditions", () => {
  it("reads dotted paths, including list indexes, and never inherited properties", () => {
    assert.equal(valueAt(scope, "steps.screen.output.tags.1"), "java");
    assert.equal(valueAt(scope, "steps.screen.output.tags.length"), 2);
    assert.equal(valueAt(scope, "steps.nothing.output"), undefined);
    assert.equal(valueAt(scope, "steps.constructor"), undefined);
  });

  it("keeps a whole-value template's type and inserts text otherwise", () => {
    assert.deepEqual(render("{{ steps.screen.output.tags }}", scope), ["go", "java"]);
    assert.equal(render("Score {{steps.screen.output.score}} for {{ context.opportunity.name }}", scope), "Score 82 for Mira");
    assert.equal(renderText("{{ steps.screen.output.tags }}", scope), "go, java");
    assert.deepEqual(render({ a: ["{{ settings.n }}"] }, scope), { a: ["3"] });
  });

  it("does not expand templates found inside inserted values", () => {
    const s = { x: "{{ settings.secret }}", settings: { secret: "s3cr3t" } };
    assert.equal(render("value: {{ x }}", s), "value: {{ settings.secret }}");
  });

  it("evaluates comparisons and combinations", () => {
    assert.ok(evaluate({ path: "steps.screen.output.score", gte: 80 }, scope));
    assert.ok(!evaluate({ path: "steps.screen.output.score", lt: 80 }, scope));
    assert.ok(evaluate({ path: "steps.screen.output.tags", contains: "GO" }, scope));
    assert.ok(
      evaluate(
        {
          any: [
            { path: "settings.n", equals: "4" },
            { path: "settings.n", gt: 2 },
          ],
        },
        scope,
      ),
    );
    assert.ok(evaluate({ path: "steps.missing", exists: false }, scope));
    assert.ok(!evaluate({ path: "steps.missing", gt: -1 }, scope));
    assert.ok(evaluate({ not: { path: "steps.screen.output.note", empty: true } }, scope));
  });
});
