import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BUILTIN_WORKFLOWS_DIR, loadWorkflows, parseWorkflow, WorkflowSet } from "./load.ts";
import { workflowJsonSchema } from "./schema.ts";

const GOOD = `id: hello
name: Hello
triggers:
  - lever: applicationCreated
steps:
  - id: note
    type: lever.note
    body: "Hello {{ context.opportunity.name }}"
`;

describe("workflow files", () => {
  it("accepts a minimal workflow and starts it in shadow", () => {
    const r = parseWorkflow(GOOD, "hello.yaml");
    assert.ok(r.ok);
    assert.equal(r.workflow.mode, "shadow");
    assert.equal(r.workflow.enabled, true);
  });

  it("names the file, line and field of a bad mode", () => {
    const text = GOOD.replace("    body:", "    mode: sometimes\n    body:");
    const r = parseWorkflow(text, "hello.yaml");
    assert.ok(!r.ok);
    const p = r.problems[0]!;
    assert.equal(p.file, "hello.yaml");
    assert.equal(p.line, 8);
    assert.equal(p.field, "steps[0].mode");
  });

  it("points at an unknown key itself", () => {
    const r = parseWorkflow(GOOD.replace("triggers:", "tirggers: []\ntriggers:"), "x.yaml");
    assert.ok(!r.ok);
    const p = r.problems.find((q) => q.field === "tirggers")!;
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.line, 3);
  });

  it("reports YAML syntax errors with their line", () => {
    const r = parseWorkflow("id: a\nname: [unclosed\nsteps: x\n", "bad.yaml");
    assert.ok(!r.ok);
    assert.equal(r.problems[0]!.field, "");
    assert.ok(r.problems[0]!.line >= 2);
  });

  it("rejects a step referring to a step that does not exist", () => {
    const text = GOOD.replace("    body:", "    because: screen\n    body:");
    const r = parseWorkflow(text, "x.yaml");
    assert.ok(!r.ok);
    assert.equal(r.problems[0]!.field, "steps[0].because");
    assert.match(r.problems[0]!.message, /no step "screen"/);
  });

  it("rejects a duplicate step id and a bad duration", () => {
    const text = `${GOOD}  - id: note\n    type: wait\n    for: soon\n`;
    const r = parseWorkflow(text, "x.yaml");
    assert.ok(!r.ok);
    const fields = r.problems.map((p) => p.field);
    assert.ok(fields.includes("steps[1].for"), fields.join());
    assert.ok(fields.includes("steps[1].id"), fields.join());
  });

  it("rejects a schedule in a time zone that does not exist, naming the line and field", () => {
    const text = GOOD.replace("  - lever: applicationCreated", '  - schedule: "0 9 * * 1-5"\n    timezone: Europe/Atlantis');
    const r = parseWorkflow(text, "x.yaml");
    assert.ok(!r.ok);
    const p = r.problems.find((q) => q.field === "triggers[0].timezone");
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.line, 5);
    assert.match(p.message, /IANA time zone/);
    assert.ok(parseWorkflow(text.replace("Europe/Atlantis", "Europe/Berlin"), "x.yaml").ok);
  });

  it("lets a user workflow replace a built-in one with the same id and reloads on demand", () => {
    const builtinDir = mkdtempSync(join(tmpdir(), "wf-b-"));
    const userDir = mkdtempSync(join(tmpdir(), "wf-u-"));
    writeFileSync(join(builtinDir, "hello.yaml"), GOOD);
    writeFileSync(join(userDir, "hello.yaml"), GOOD.replace("name: Hello", "name: Mine"));
    const set = new WorkflowSet({ builtinDir, userDir });
    assert.equal(set.get("hello")?.workflow.name, "Mine");
    assert.equal(set.get("hello")?.origin, "user");
    // A broken edit keeps the last good version and reports the problem.
    writeFileSync(join(userDir, "hello.yaml"), "id: hello\nname: [\n");
    const problems = set.reload();
    assert.equal(problems.length, 1);
    assert.equal(set.get("hello")?.workflow.name, "Mine");
    writeFileSync(join(userDir, "hello.yaml"), GOOD.replace("name: Hello", "name: Fixed"));
    assert.deepEqual(set.reload(), []);
    assert.equal(set.get("hello")?.workflow.name, "Fixed");
  });

  it("reloads when a file changes on disk", async () => {
    const userDir = mkdtempSync(join(tmpdir(), "wf-w-"));
    const builtinDir = mkdtempSync(join(tmpdir(), "wf-e-"));
    const set = new WorkflowSet({ builtinDir, userDir });
    set.watch();
    const reloaded = new Promise<void>((resolve) => set.onReload(() => set.get("hello") && resolve()));
    writeFileSync(join(userDir, "hello.yaml"), GOOD);
    await reloaded;
    set.close();
    assert.equal(set.get("hello")?.workflow.name, "Hello");
  });

  it("ships built-in workflows that all validate", () => {
    const { workflows, problems } = loadWorkflows({ builtinDir: BUILTIN_WORKFLOWS_DIR });
    assert.deepEqual(problems, []);
  });

  it("publishes a JSON Schema that matches the zod schema", () => {
    const published = JSON.parse(readFileSync(join(BUILTIN_WORKFLOWS_DIR, "workflow.schema.json"), "utf8"));
    assert.deepEqual(published, workflowJsonSchema(), "run: npm run fulcrum -- workflows schema > workflows/workflow.schema.json");
  });
});

describe("assessment.send steps", () => {
  const file = (withBlock: string) => `id: send
name: Send an assessment
triggers:
  - lever: candidateStageChange
steps:
  - id: invite
    type: assessment.send
    with:
${withBlock}`;

  it("accepts a configured tool and an assessment id", () => {
    const r = parseWorkflow(file("      tool: codility\n      assessment: python-senior\n"), "send.yaml", { tools: ["codility"] });
    assert.equal(r.ok, true, JSON.stringify(r));
  });

  it("names an unknown tool, with the configured ones, at its line", () => {
    const r = parseWorkflow(file("      tool: hackerrank\n      assessment: python-senior\n"), "send.yaml", { tools: ["codility", "willo"] });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.problems.map((p) => [p.line, p.field, p.message]),
      [[9, "steps[0].with.tool", 'no tool "hackerrank" is configured (configured: codility, willo); add tools.hackerrank with an inviteUrl']],
    );
  });

  it("says what is missing when the assessment is not named", () => {
    const r = parseWorkflow(file("      tool: codility\n"), "send.yaml", { tools: ["codility"] });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.problems[0]!.field, "steps[0].with.assessment");
    assert.match(r.problems[0]!.message, /^missing: the tool's id of the assessment to send/);
  });
});
