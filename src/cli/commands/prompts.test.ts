import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>`, run by the binary's main() in this process (a process per command costs seconds). */
async function fulcrum(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runFulcrumMain(args, { env: { ...process.env, ...env } });
}

describe("fulcrum prompts", () => {
  it("lists the versions saved from the console in the data folder beside the built-in ones", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "prompts-cli-data-"));
    mkdirSync(join(dataDir, "prompts", "nurture-email"), { recursive: true });
    writeFileSync(
      join(dataDir, "prompts", "nurture-email", "v2.md"),
      "---\nname: nurture-email\nversion: v2\ndescription: warmer\noutput: nurture-email\n---\nWrite a warm e-mail to the candidate about future roles.\n",
    );
    writeFileSync(join(dataDir, "prompts", "nurture-email", "v2.pending"), "awaiting approval\n");
    const { code, stdout, stderr } = await fulcrum(["prompts", "list"], { FULCRUM_DATA_DIR: dataDir });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^nurture-email@v1 /m);
    assert.match(stdout, /^nurture-email@v2 .*awaiting approval/m);
    const valid = await fulcrum(["prompts", "validate"], { FULCRUM_DATA_DIR: dataDir });
    assert.equal(valid.code, 0, valid.stderr);
    assert.match(valid.stdout, /8 prompt file\(s\) valid/);
  });

  it("validates the built-in prompts, and names the file and line of a broken one", async () => {
    const ok = await fulcrum(["prompts", "validate"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /7 prompt file\(s\) valid/);

    const dir = mkdtempSync(join(tmpdir(), "prompts-cli-"));
    mkdirSync(join(dir, "nurture-email"));
    const file = join(dir, "nurture-email", "v2.md");
    writeFileSync(
      file,
      "---\nname: nurture-email\nversion: v2\ndescription: warmer\noutput: nurture-email\ntemperature: warm\n---\nWrite a warm e-mail to the candidate about future roles.\n",
    );
    const bad = await fulcrum(["prompts", "validate", dir]);
    assert.equal(bad.code, 1);
    assert.ok(bad.stderr.includes(`${file}:6: temperature`), bad.stderr);
  });

  it("marks a version awaiting a second person's approval in the list", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prompts-cli-"));
    mkdirSync(join(dir, "nurture-email"));
    writeFileSync(
      join(dir, "nurture-email", "v2.md"),
      "---\nname: nurture-email\nversion: v2\ndescription: warmer\noutput: nurture-email\n---\nWrite a warm e-mail to the candidate about future roles.\n",
    );
    writeFileSync(join(dir, "nurture-email", "v2.pending"), "awaiting approval\n");
    const listed = await fulcrum(["prompts", "list", "--dir", dir]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^nurture-email@v2 .*\(awaiting approval; not run by name\)/m);
    assert.doesNotMatch(listed.stdout, /^nurture-email@v1 .*awaiting/m);
  });
});
