import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockLanguageModelV4 } from "ai/test";
import { BUILT_IN_PROMPTS_DIR, createAi, DEFAULT_AI_CONFIG } from "../../ai/index.ts";
import { createLeverClient } from "../../lever/index.ts";
import { leverGateway } from "../../engine/steps/lever-gateway.ts";
import { testEngines } from "../../store/testing.ts";
import { startHarness, type Harness } from "../../../test/workflows/harness.ts";
import { dryRunners, type DryRunnerFactory } from "./dry-runs.ts";
import { replayResultSchema } from "../../contract/console-api.ts";
import { LOCAL_ENGINE_NOTE, promptChoices, replayOnHistory } from "./replay.ts";
import { approvePromptVersion, savePromptVersion } from "./workflow-files.ts";

/** Marks the edited prompt; the model below finds evidence only when its instructions carry it. */
const GENEROUS = "Count a requirement as met whenever the resume mentions it at all.";

/**
 * A model whose answer depends on the prompt version it is given: with the edited instructions it
 * quotes a line of the resume for every criterion, otherwise it finds nothing.
 */
function versionSensitiveModel() {
  return new MockLanguageModelV4({
    doGenerate: async (options) => {
      const messages = options.prompt as { role: string; content: string | { type: string; text?: string }[] }[];
      const textOf = (role: string) =>
        messages
          .filter((m) => m.role === role)
          .flatMap((m) => (typeof m.content === "string" ? [m.content] : m.content.map((c) => c.text ?? "")))
          .join("\n");
      const user = textOf("user");
      const ids = [...new Set([...user.matchAll(/"id":\s*"([^"]+)"/g)].map((m) => m[1]!))];
      // The longest line of the fenced resume text, quoted as it stands.
      const resume = /<<<DATA[^\n]*\n([\s\S]*?)\n<<</.exec(user)?.[1] ?? "";
      const quote = resume
        .split("\n")
        .filter((l) => !l.includes("["))
        .sort((a, b) => b.length - a.length)[0]
        ?.trim();
      const generous = JSON.stringify(messages).includes(GENEROUS) && quote !== undefined && quote.length > 10;
      const criteria = ids.map((id) => ({ id, found: generous, quotes: generous ? [quote] : [], explanation: generous ? "Mentioned." : "Not found." }));
      return {
        content: [{ type: "text", text: JSON.stringify({ criteria }) }],
        finishReason: { unified: "stop", raw: undefined },
        usage: {
          inputTokens: { total: 500, noCache: 500, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 100, text: 100, reasoning: undefined },
        },
        warnings: [],
      };
    },
  });
}

for (const e of await testEngines()) {
  describe(`replay on history on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let prompts: string;
    let runners: DryRunnerFactory;
    const aiOver = (promptDirs: string[]) =>
      createAi({
        config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", openaiApiKey: "sk-test" } },
        models: { openai: () => versionSensitiveModel() },
        promptDirs,
      });
    const dryRunCount = async () => (await h.t.db.query<{ n: number }>("select count(*)::int as n from workflow_runs where dry_run")).rows[0]!.n;

    before(async () => {
      // A copy of the built-in prompts, so saving a version touches nothing in the repository.
      prompts = mkdtempSync(join(tmpdir(), "fulcrum-replay-prompts-"));
      cpSync(BUILT_IN_PROMPTS_DIR, prompts, { recursive: true });
      h = await startHarness(e.kind, { ai: aiOver([prompts]) });
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      // Resumes the local engine finds nothing in, so the evidence the model quotes decides the score.
      for (const name of ["Rae Replay", "Lou Replay"]) {
        const text = [
          name,
          "Barista",
          "",
          "Experience",
          "Shift lead and barista at the Corner Cafe on Main Street, 2019 - present",
          "Trained new staff on the espresso machines",
        ].join("\n");
        h.sandbox.actions.applyToPosting(posting.id, {
          name,
          email: `${name.toLowerCase().replace(" ", ".")}@example.net`,
          resume: { name: "resume.txt", contentType: "text/plain", bytes: new TextEncoder().encode(text) },
        });
      }
      await h.deliver(["applicationCreated"]);
      await h.settle();
      const client = createLeverClient({
        baseUrl: h.sandbox.url,
        auth: { kind: "apiKey", apiKey: h.sandbox.apiKey },
        connectionId: "default",
        maxRetries: 1,
        retryBaseMs: 10,
      });
      runners = dryRunners({ db: h.t.db, workflows: h.runtime.workflows, lever: async () => leverGateway(client), ai: aiOver, promptsDir: prompts });
    });
    after(async () => {
      await h?.close();
      if (prompts) rmSync(prompts, { recursive: true, force: true });
    });

    it("replays a saved prompt version beside the current one and shows where the proposals differ", async () => {
      const v1 = readFileSync(join(prompts, "resume-evidence", "v1.md"), "utf8");
      assert.equal(savePromptVersion("resume-evidence", v1.trimEnd() + `\n\n${GENEROUS}\n`, prompts), "v2");
      const choices = await promptChoices(h.t.db, "application-screening", prompts);
      assert.deepEqual(choices[0], {
        name: "resume-evidence",
        versions: ["v1", "v2"],
        current: { version: "v1", why: "used by this workflow's latest run" },
        usedByWorkflow: true,
      });

      const before = await dryRunCount();
      const result = await replayOnHistory(
        h.t.db,
        runners,
        { workflowId: "application-screening", last: 2, prompt: "resume-evidence@v2" },
        { promptsDir: prompts },
      );
      // What the console's replay table reads.
      replayResultSchema.parse(result);
      assert.equal(result.baseline, "resume-evidence@v1 (current: used by this workflow's latest run)");
      assert.equal(result.replayed, "resume-evidence@v2 (picked)");
      assert.deepEqual(result.pinned, { name: "resume-evidence", version: "v2", current: "v1" });
      assert.equal(result.promptUsed, true);
      assert.equal(result.rows.length, 2);
      assert.equal(await dryRunCount(), before + 4, "each event runs once with each version");
      for (const row of result.rows) {
        assert.equal(row.differs, true, JSON.stringify(row));
        const note = row.steps.find((s) => s.stepId === "note")!;
        assert.equal(note.differs, true);
        assert.match(note.currentDetail!, /✗/);
        assert.match(note.replayedDetail!, /✓/);
        assert.match(row.candidate ?? "", /Replay$/);
      }
      // The dry runs asked for the versions they were pinned to.
      const used = await h.t.db.query<{ prompt: string }>(
        "select distinct s.output->'meta'->>'prompt' as prompt from workflow_steps s join workflow_runs r on r.id = s.run_id where r.dry_run and s.step_id = 'screen' order by 1",
      );
      assert.deepEqual(
        used.rows.map((r) => r.prompt),
        ["resume-evidence@v1", "resume-evidence@v2"],
      );
    });

    it("finds no difference when the picked version is the current one", async () => {
      const result = await replayOnHistory(
        h.t.db,
        runners,
        { workflowId: "application-screening", last: 2, prompt: "resume-evidence@v1" },
        { promptsDir: prompts },
      );
      assert.equal(result.rows.length, 2);
      assert.ok(
        result.rows.every((r) => r.steps.some((s) => s.stepId === "note" && s.current !== null && s.replayed !== null)),
        "both sides proposed a note",
      );
      assert.deepEqual(
        result.rows.map((r) => r.differs),
        [false, false],
        JSON.stringify(result.rows),
      );
    });

    it("says when the workflow never asks for the picked prompt", async () => {
      const result = await replayOnHistory(
        h.t.db,
        runners,
        { workflowId: "application-screening", last: 1, prompt: "language-check@v1" },
        { promptsDir: prompts },
      );
      assert.equal(result.promptUsed, false);
      assert.equal(result.rows[0]!.differs, false);
    });

    it("tells a person's edit and a run still waiting apart from a difference in the workflow", async () => {
      const same = await replayOnHistory(h.t.db, runners, { workflowId: "application-screening", last: 2 }, { promptsDir: prompts });
      assert.deepEqual(same.counts, { same: 2, differs: 0, edited: 0, waiting: 0 }, JSON.stringify(same.rows));
      const { rows: runs } = await h.t.db.query<{ id: number }>(
        "select id from workflow_runs where workflow_id = 'application-screening' and not dry_run order by id desc limit 2",
      );
      const [edited, waiting] = [Number(runs[0]!.id), Number(runs[1]!.id)];
      // A recruiter edited the first run's note before approving it; the second run has not got to its note yet.
      const { rows: saved } = await h.t.db.query<{ id: number; action: unknown; edits: unknown }>(
        "select id, action, edits from proposals where run_id = $1 and step_id = 'note'",
        [edited],
      );
      await h.t.db.query(
        `update proposals set action = action || '{"body": "Edited by a recruiter"}'::jsonb, edits = '{"body": "Edited by a recruiter"}'::jsonb where id = $1`,
        [saved[0]!.id],
      );
      const { rows: hidden } = await h.t.db.query<{ row: Record<string, unknown> }>(
        "select to_jsonb(p) as row from proposals p where run_id = $1 and step_id = 'note'",
        [waiting],
      );
      await h.t.db.query("delete from proposals where run_id = $1 and step_id = 'note'", [waiting]);
      await h.t.db.query("update workflow_runs set status = 'waiting' where id = $1", [waiting]);
      try {
        const result = await replayOnHistory(h.t.db, runners, { workflowId: "application-screening", last: 2 }, { promptsDir: prompts });
        assert.deepEqual(result.counts, { same: 0, differs: 0, edited: 1, waiting: 1 }, JSON.stringify(result.rows));
        const byRun = (id: number) => result.rows.find((r) => r.outcome === (id === edited ? "edited" : "waiting"))!;
        assert.equal(byRun(edited).differs, false);
        assert.equal(byRun(edited).steps.find((s) => s.stepId === "note")!.because, "edited");
        assert.equal(byRun(waiting).steps.find((s) => s.stepId === "note")!.because, "waiting");
        assert.ok(result.rows.every((r) => !r.differs));
      } finally {
        await h.t.db.query("update proposals set action = $2::jsonb, edits = $3::jsonb where id = $1", [
          saved[0]!.id,
          JSON.stringify(saved[0]!.action),
          saved[0]!.edits === null ? null : JSON.stringify(saved[0]!.edits),
        ]);
        await h.t.db.query("insert into proposals select * from jsonb_populate_record(null::proposals, $1::jsonb)", [JSON.stringify(hidden[0]!.row)]);
        await h.t.db.query("update workflow_runs set status = 'succeeded' where id = $1", [waiting]);
      }
    });

    it("says plainly that the local engine does not read prompt text when a prompt is pinned without an AI provider", async () => {
      const local = await replayOnHistory(
        h.t.db,
        runners,
        { workflowId: "application-screening", last: 1, prompt: "resume-evidence@v1" },
        { promptsDir: prompts, localEngine: true },
      );
      assert.equal(local.note, LOCAL_ENGINE_NOTE);
      assert.match(local.note!, /local engine, which does not read prompt text/);
      const withModel = await replayOnHistory(
        h.t.db,
        runners,
        { workflowId: "application-screening", last: 1, prompt: "resume-evidence@v1" },
        { promptsDir: prompts },
      );
      assert.equal(withModel.note, undefined);
    });

    it("replays the workflow as saved now beside what each run first proposed", async () => {
      // Saved now: once v2 is approved it is the resume-evidence workflows run, so the first runs' ✗ notes become ✓.
      await approvePromptVersion(h.t.db, "resume-evidence", "v2", "user:reviewer", prompts);
      const result = await replayOnHistory(h.t.db, runners, { workflowId: "application-screening", last: 2 }, { promptsDir: prompts });
      assert.equal(result.baseline, "What it first proposed");
      assert.ok(result.rows.every((r) => r.steps.find((s) => s.stepId === "note")?.differs));
    });

    it("refuses a version that was never saved, and a workflow without runs", async () => {
      await assert.rejects(
        replayOnHistory(h.t.db, runners, { workflowId: "application-screening", last: 1, prompt: "resume-evidence@v9" }, { promptsDir: prompts }),
        /no saved version "v9".*saved: v1, v2/,
      );
      await assert.rejects(replayOnHistory(h.t.db, runners, { workflowId: "hr-handoff", last: 1 }, { promptsDir: prompts }), /has no runs to replay yet/);
    });
  });
}
