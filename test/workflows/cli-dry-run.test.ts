import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startSandbox } from "../../src/sandbox/index.ts";
import { runFulcrumMain } from "../support/fulcrum-cli.ts";

// Commands run by the binary's main() in this process: a process per command costs seconds of start-up.

describe("fulcrum workflows test (dry run)", () => {
  it("prints the proposals a workflow would make for an event and writes nothing", async () => {
    // The CLI reads from a throw-away sandbox seeded like this one, so the ids match.
    const sandbox = await startSandbox({ port: 0, seed: 1, rateLimit: false });
    const opp = [...sandbox.state.opportunities.values()].find(
      (o) =>
        o.stage === "applicant-new" &&
        o.applications.length > 0 &&
        [...sandbox.state.resumes.values()].some((r) => (r as { opportunityId?: string }).opportunityId === o.id),
    )!;
    await sandbox.close();
    const dir = mkdtempSync(join(tmpdir(), "dry-run-"));
    const file = join(dir, "ev.json");
    writeFileSync(file, JSON.stringify({ event: "applicationCreated", data: { opportunityId: opp.id } }));
    const env = { ...process.env, FULCRUM_DATA_DIR: join(dir, "data"), FULCRUM_LOG_LEVEL: "silent", LEVER_API_KEY: "", FULCRUM_CONFIG: "" };
    delete (env as Record<string, string | undefined>).FULCRUM_CONFIG;
    const { code, stdout, stderr } = await runFulcrumMain(["workflows", "test", "application-screening", "--event", file], { env });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /dry run of application-screening: run (succeeded|waiting)/);
    assert.match(stdout, /nothing was written/);
    assert.match(stdout, /\[note\] Add a secret note/);
    assert.match(stdout, /would be: shadow/);
    assert.match(stdout, /Fulcrum screening: \d+\/100/);
  });

  it("explains a bad event file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dry-run-"));
    const file = join(dir, "ev.json");
    writeFileSync(file, "{ not json");
    const e = await runFulcrumMain(["workflows", "test", "application-screening", "--event", file], {
      env: { ...process.env, FULCRUM_DATA_DIR: join(dir, "data") },
    });
    assert.match(e.stderr, /ev\.json: not valid JSON/);
    assert.equal(e.code, 2);
  });
});
