import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPrompts, parsePromptFile, PromptFileError } from "./prompt-registry.ts";
import { builtInSteps } from "./steps/index.ts";

const STEPS = new Set(builtInSteps.map((s) => s.type));
const GOOD = `---
name: language-check
version: v2
description: test prompt
output: language-check
temperature: 0.1
models:
  openai: gpt-4.1-nano
---
Flag wording about age, gender, family, origin and appearance.
`;

describe("prompt registry", () => {
  it("loads a built-in prompt for every built-in step type, as name@version", () => {
    const registry = loadPrompts(undefined, STEPS);
    for (const type of STEPS) assert.equal(registry.get(type).id, `${type}@v1`);
    assert.equal(registry.get("resume-evidence@v1").temperature, 0);
    assert.match(registry.get("resume-evidence").sha256, /^[0-9a-f]{64}$/);
  });

  it("picks the highest version by default and a named version on request", () => {
    const dir = mkdtempSync(join(tmpdir(), "prompts-"));
    mkdirSync(join(dir, "language-check"));
    writeFileSync(join(dir, "language-check", "v2.md"), GOOD);
    const registry = loadPrompts([join(import.meta.dirname, "..", "..", "prompts"), dir], STEPS);
    assert.equal(registry.get("language-check").id, "language-check@v2");
    assert.equal(registry.get("language-check@v1").version, "v1");
    assert.deepEqual(registry.get("language-check").models, { openai: "gpt-4.1-nano" });
    assert.throws(() => registry.get("language-check@v9"), /no prompt language-check@v9/);
  });

  it("names the file and line of a bad front-matter field", () => {
    const bad = GOOD.replace("temperature: 0.1", "temperature: hot");
    assert.throws(
      () => parsePromptFile(bad, "prompts/language-check/v2.md", STEPS),
      (e: unknown) => e instanceof PromptFileError && e.line === 6 && /temperature/.test(e.message) && e.message.startsWith("prompts/language-check/v2.md:6:"),
    );
  });

  it("names the line of an unknown field, an unknown output and a YAML syntax error", () => {
    assert.throws(
      () => parsePromptFile(GOOD.replace("temperature: 0.1", "temprature: 0.1"), "p/language-check/v2.md", STEPS),
      (e: unknown) => e instanceof PromptFileError && e.line === 6 && /unknown field "temprature"/.test(e.message),
    );
    assert.throws(
      () => parsePromptFile(GOOD.replace("output: language-check", "output: horoscope"), "p/language-check/v2.md", STEPS),
      (e: unknown) => e instanceof PromptFileError && e.line === 5 && /not a known step type/.test(e.message),
    );
    assert.throws(
      () => parsePromptFile(GOOD.replace("description: test prompt", "description: [unclosed"), "p/language-check/v2.md", STEPS),
      (e: unknown) => e instanceof PromptFileError && /YAML/.test(e.message) && e.line !== undefined,
    );
  });

  it("refuses a file whose name or version disagrees with its path, or with no instructions", () => {
    assert.throws(() => parsePromptFile(GOOD, "p/language-check/v3.md", STEPS), /does not match the file name v3\.md/);
    assert.throws(() => parsePromptFile(GOOD, "p/other/v2.md", STEPS), /does not match the folder other/);
    assert.throws(() => parsePromptFile(GOOD.split("---\nFlag")[0] + "---\n", "p/language-check/v2.md", STEPS), /instructions .* missing/);
    assert.throws(() => parsePromptFile("no front matter", "p/x/v1.md"), /must start with a `---` line/);
  });
});
