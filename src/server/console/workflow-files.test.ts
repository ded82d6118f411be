import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_PROMPTS_DIR, loadPrompts } from "../../ai/index.ts";
import { latestPrompt, listPrompts, PromptSaveError, savePromptVersion } from "./workflow-files.ts";

describe("saving an edited prompt", () => {
  it("writes the next version with its front-matter version set, awaiting approval, leaving the old file as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-prompts-"));
    try {
      cpSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence"), join(dir, "resume-evidence"), { recursive: true });
      const before = readFileSync(join(dir, "resume-evidence", "v1.md"), "utf8");
      const edited = before.replace("You help a recruiter", "You carefully help a recruiter");
      assert.equal(savePromptVersion("resume-evidence", edited, dir), "v2");
      assert.equal(readFileSync(join(dir, "resume-evidence", "v1.md"), "utf8"), before);
      const latest = latestPrompt("resume-evidence", dir)!;
      assert.equal(latest.version, "v2");
      assert.match(latest.text, /^version: v2$/m);
      assert.match(latest.text, /You carefully help a recruiter/);
      assert.deepEqual(listPrompts(dir), [{ name: "resume-evidence", versions: ["v1", "v2"], pending: ["v2"] }]);
      // Awaiting approval: replayable as resume-evidence@v2, but workflows naming the prompt still run v1.
      assert.equal(loadPrompts([dir]).get("resume-evidence").version, "v1");
      assert.equal(loadPrompts([dir]).get("resume-evidence@v2").version, "v2");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a prompt the registry cannot parse, and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-prompts-"));
    try {
      cpSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence"), join(dir, "resume-evidence"), { recursive: true });
      assert.throws(() => savePromptVersion("resume-evidence", "no front-matter here", dir), PromptSaveError);
      assert.equal(existsSync(join(dir, "resume-evidence", "v2.md")), false);
      assert.throws(() => savePromptVersion("../etc", "x", dir), /not a prompt name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
