import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseWorkflow, type Workflow } from "../workflows/index.ts";
import { actionModes, lowestMode, stepMode } from "./effective-mode.ts";
import type { Mode } from "./decide.ts";

function workflow(head: string): Workflow {
  const r = parseWorkflow(
    `id: w
name: W
${head}
triggers: [{ manual: true }]
steps:
  - id: note
    type: lever.note
    body: hi
  - id: tags
    type: lever.tags
    add: [a]
  - id: stage
    type: lever.stage
    mode: assist
    stage: Phone Screen
  - id: mail
    type: notify
    channel: email
    to: a@example.com
    message: hi
  - id: gate
    type: approval
    message: go on?
`,
    "w.yaml",
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.workflow;
}

const byStep = (w: Workflow, inputs: Parameters<typeof actionModes>[1]) => Object.fromEntries(actionModes(w, inputs).map((a) => [a.step, a]));
const MODES: Mode[] = ["shadow", "assist", "auto"];

describe("the effective mode of an action", () => {
  it("is shadow for every action when a person set the workflow to shadow, whatever modes and the sandbox block say", () => {
    const w = workflow("mode: auto\nmodes: { lever.note: auto, lever.tags: auto }\nsandbox: { mode: auto, modes: { lever.note: auto } }");
    const modes = byStep(w, { ceiling: "auto", chosen: { mode: "shadow", by: "user:ops" }, sandbox: true });
    for (const a of Object.values(modes)) assert.equal(a.mode, "shadow", `${a.step}: ${a.reason}`);
    assert.deepEqual(modes.note!.decidedBy, ["workflow"]);
    assert.match(modes.note!.reason, /^shadow: the workflow's mode \(set by user:ops\)$/);
    assert.ok(
      modes.note!.ignored.some((i) => /modes\.lever\.note says auto, which cannot raise the workflow's shadow/.test(i)),
      modes.note!.ignored.join("; "),
    );
  });

  it("lets a per-action mode lower an action below the workflow's mode but never raise it", () => {
    const raised = byStep(workflow("mode: shadow\nmodes: { lever.note: auto }"), { ceiling: "auto", sandbox: false });
    assert.equal(raised.note!.mode, "shadow");
    assert.match(raised.note!.reason, /the workflow's mode in its file/);
    const lowered = byStep(workflow("mode: auto\nmodes: { lever.tags: assist }"), { ceiling: "auto", sandbox: false });
    assert.equal(lowered.note!.mode, "auto");
    assert.equal(lowered.tags!.mode, "assist");
    assert.deepEqual(lowered.tags!.decidedBy, ["action-type"]);
    assert.equal(lowered.stage!.mode, "assist", "a step's own mode lowers it");
    assert.deepEqual(lowered.stage!.decidedBy, ["step"]);
  });

  it("applies the sandbox block only on the sandbox, and only to lower", () => {
    const w = workflow("mode: auto\nsandbox: { mode: auto, modes: { lever.note: shadow } }");
    assert.equal(byStep(w, { ceiling: "auto", sandbox: true }).note!.mode, "shadow");
    assert.deepEqual(byStep(w, { ceiling: "auto", sandbox: true }).note!.decidedBy, ["sandbox"]);
    assert.equal(byStep(w, { ceiling: "auto", sandbox: false }).note!.mode, "auto");
    const shadowFile = workflow("mode: shadow\nsandbox: { mode: auto }");
    assert.ok(
      actionModes(shadowFile, { ceiling: "auto", sandbox: true }).every((a) => a.mode === "shadow"),
      "a sandbox block cannot raise a shadow workflow",
    );
  });

  it("names the global ceiling when it is the lowest", () => {
    const modes = byStep(workflow("mode: auto"), { ceiling: "assist", ceilingSource: "the mode ceiling (lowered live by user:ops)", sandbox: false });
    assert.equal(modes.note!.mode, "assist");
    assert.deepEqual(modes.note!.decidedBy, ["ceiling"]);
    assert.match(modes.note!.reason, /lowered live by user:ops/);
    assert.deepEqual(
      byStep(workflow("mode: auto"), { ceiling: "assist", sandbox: false }).stage!.decidedBy,
      ["ceiling", "step"],
      "layers that agree are all named",
    );
  });

  it("leaves an auto ceiling out of the reason when another layer allows auto too", () => {
    const note = byStep(workflow("mode: auto"), { ceiling: "auto", chosen: { mode: "auto", by: "user:ops" }, sandbox: false }).note!;
    assert.equal(note.reason, "auto: the workflow's mode (set by user:ops)");
    assert.deepEqual(note.decidedBy, ["ceiling", "workflow"]);
    const capped = byStep(workflow("mode: assist"), { ceiling: "assist", sandbox: false }).note!;
    assert.match(capped.reason, /^assist: the mode ceiling and the workflow's mode in its file$/, "a lower ceiling is always named");
  });

  it("never sends e-mail by itself", () => {
    const mail = byStep(workflow("mode: auto"), { ceiling: "auto", sandbox: false }).mail!;
    assert.equal(mail.mode, "assist");
    assert.deepEqual(mail.decidedBy, ["email"]);
  });

  it("caps archiving at assist unless an admin allows it in auto, and names the layer", () => {
    const r = parseWorkflow(
      "id: w\nname: W\nmode: auto\ntriggers: [{ manual: true }]\nsteps:\n  - id: reject\n    type: lever.archive\n    reason: Underqualified\n",
      "w.yaml",
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const w = r.workflow;
    const held = byStep(w, { ceiling: "auto", sandbox: false }).reject!;
    assert.equal(held.mode, "assist");
    assert.deepEqual(held.decidedBy, ["archive"]);
    assert.match(held.reason, /^assist: archiving waits for a person \(an admin allows auto with FULCRUM_AUTO_ARCHIVE=true\)$/);
    const allowed = byStep(w, { ceiling: "auto", sandbox: false, autoArchive: true }).reject!;
    assert.equal(allowed.mode, "auto");
    assert.ok(!allowed.decidedBy.includes("archive"));
    // The admin's permission never raises an archive above the other layers.
    assert.equal(byStep(w, { ceiling: "auto", chosen: { mode: "shadow" }, sandbox: false, autoArchive: true }).reject!.mode, "shadow");
    assert.equal(byStep(w, { ceiling: "auto", chosen: { mode: "shadow" }, sandbox: false }).reject!.mode, "shadow");
    // Other actions are not touched by the archive layer.
    assert.equal(byStep(workflow("mode: auto"), { ceiling: "auto", sandbox: false }).note!.mode, "auto");
  });

  it("lets an approval gate wait for a person, or pass recorded when the workflow is in shadow", () => {
    const w = workflow("mode: auto");
    const gate = w.steps.find((s) => s.id === "gate")!;
    assert.equal(stepMode(w, gate, { ceiling: "auto", sandbox: false }).mode, "assist");
    assert.equal(stepMode(w, gate, { ceiling: "auto", chosen: { mode: "shadow" }, sandbox: false }).mode, "shadow");
  });

  it("is never above any layer, for every combination", () => {
    for (const ceiling of MODES)
      for (const file of MODES)
        for (const chosen of [undefined, ...MODES])
          for (const typed of MODES)
            for (const sandbox of MODES) {
              const w = workflow(`mode: ${file}\nmodes: { lever.note: ${typed} }\nsandbox: { mode: ${sandbox} }`);
              const note = byStep(w, { ceiling, chosen: chosen ? { mode: chosen } : undefined, sandbox: true }).note!;
              const layers = [ceiling, chosen ?? file, typed, sandbox];
              const lowest = layers.reduce((a, b) => (MODES.indexOf(b) < MODES.indexOf(a) ? b : a));
              assert.equal(note.mode, lowest, JSON.stringify({ ceiling, file, chosen, typed, sandbox }));
            }
  });

  it("refuses to decide with no limit at all", () => {
    assert.throws(() => lowestMode([]), /at least one limit/);
  });
});
