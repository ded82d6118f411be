import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>`, run by the binary's main() in this process (a process per command costs seconds). */
async function fulcrum(args: string[], env: Record<string, string> = {}) {
  return runFulcrumMain(args, { env: { ...process.env, FULCRUM_LOG_LEVEL: "silent", ...env } });
}

describe("fulcrum workflows validate", () => {
  it("checks an assessment.send step's tool against the config file's tools", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workflows-cli-"));
    const config = join(dir, "fulcrum.config.yaml");
    writeFileSync(config, "tools:\n  codility:\n    inviteUrl: https://codility.example.org/invite\n");
    const file = join(dir, "send.yaml");
    const workflow = (tool: string) =>
      `id: send\nname: Send\ntriggers:\n  - lever: candidateStageChange\nsteps:\n  - id: invite\n    type: assessment.send\n    with:\n      tool: ${tool}\n      assessment: python-senior\n`;
    writeFileSync(file, workflow("codility"));
    const ok = await fulcrum(["workflows", "validate", file], { FULCRUM_CONFIG: config });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    writeFileSync(file, workflow("hackerrank"));
    const bad = await fulcrum(["workflows", "validate", file], { FULCRUM_CONFIG: config });
    assert.equal(bad.code, 1);
    assert.ok(bad.stdout.includes(`${file}:9`), bad.stdout);
    assert.match(bad.stdout, /steps\[0\]\.with\.tool: no tool "hackerrank" is configured \(configured: codility\)/);
  });
});
