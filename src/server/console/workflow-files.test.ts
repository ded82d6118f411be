import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_IN_PROMPTS_DIR, loadPrompts } from "../../ai/index.ts";
import { latestPrompt, listPrompts, PromptSaveError, promptVersionFile, savePromptVersion } from "./workflow-files.ts";

describe("saving an edited prompt", () => {
  it("writes the next version into the data folder with its front-matter version set, awaiting approval, and never into the built-in prompts", () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-prompts-"));
    const builtInBefore = readdirSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence")).sort();
    try {
      const before = readFileSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence", "v1.md"), "utf8");
      const edited = before.replace("You help a recruiter", "You carefully help a recruiter");
      assert.equal(savePromptVersion("resume-evidence", edited, dir), "v2");
      assert.ok(existsSync(join(dir, "resume-evidence", "v2.md")), "written into the data folder");
      assert.deepEqual(readdirSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence")).sort(), builtInBefore, "the installation's prompts are untouched");
      assert.equal(readFileSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence", "v1.md"), "utf8"), before);
      const latest = latestPrompt("resume-evidence", dir)!;
      assert.equal(latest.version, "v2");
      assert.match(latest.text, /^version: v2$/m);
      assert.match(latest.text, /You carefully help a recruiter/);
      // Both folders are read: the built-in versions and prompts beside the saved one.
      const listed = listPrompts(dir);
      assert.deepEqual(
        listed.find((p) => p.name === "resume-evidence"),
        { name: "resume-evidence", versions: ["v1", "v2"], pending: ["v2"] },
      );
      assert.ok(listed.some((p) => p.name === "language-check" && p.versions.includes("v1")));
      assert.equal(latestPrompt("language-check", dir)?.version, "v1");
      assert.equal(promptVersionFile("resume-evidence", "v1", dir), join(BUILT_IN_PROMPTS_DIR, "resume-evidence", "v1.md"));
      assert.equal(promptVersionFile("resume-evidence", "v2", dir), join(dir, "resume-evidence", "v2.md"));
      // Awaiting approval: replayable as resume-evidence@v2, but workflows naming the prompt still run v1.
      assert.equal(loadPrompts([BUILT_IN_PROMPTS_DIR, dir]).get("resume-evidence").version, "v1");
      assert.equal(loadPrompts([BUILT_IN_PROMPTS_DIR, dir]).get("resume-evidence@v2").version, "v2");
      // The next save numbers after both folders' versions.
      assert.equal(savePromptVersion("resume-evidence", edited.replace("carefully", "very carefully"), dir), "v3");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads a saved version before a built-in one of the same name@version (data first)", () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-prompts-"));
    try {
      const v1 = readFileSync(join(BUILT_IN_PROMPTS_DIR, "resume-evidence", "v1.md"), "utf8");
      mkdirSync(join(dir, "resume-evidence"), { recursive: true });
      writeFileSync(join(dir, "resume-evidence", "v1.md"), v1.replace("You help a recruiter", "You (saved copy) help a recruiter"));
      assert.match(latestPrompt("resume-evidence", dir)!.text, /saved copy/);
      assert.match(loadPrompts([BUILT_IN_PROMPTS_DIR, dir]).get("resume-evidence@v1").instructions, /saved copy/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a prompt the registry cannot parse, and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-prompts-"));
    try {
      assert.throws(() => savePromptVersion("resume-evidence", "no front-matter here", dir), PromptSaveError);
      assert.equal(existsSync(join(dir, "resume-evidence", "v2.md")), false);
      assert.throws(() => savePromptVersion("../etc", "x", dir), /not a prompt name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
