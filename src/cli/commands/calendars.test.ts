import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { calendarSecretContext } from "../../calendars/index.ts";
import { createSecretBox } from "../../engine/connections/index.ts";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>` reading `stdin`, run by the binary's main() in this process (a process per command costs seconds). */
function fulcrum(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runFulcrumMain(args, { env: { ...process.env, FULCRUM_LOG_LEVEL: "silent", ...env }, stdin });
}

describe("fulcrum calendars seal", () => {
  it("seals a secret read on standard input for one connection's field, with FULCRUM_SECRET_KEY", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-cal-seal-"));
    try {
      const key = randomBytes(32);
      const r = await fulcrum(
        ["calendars", "seal", "--connection", "m365", "--provider", "graph"],
        { FULCRUM_SECRET_KEY: key.toString("hex"), FULCRUM_DATA_DIR: dir },
        "s3cret-value\n",
      );
      assert.equal(r.code, 0, r.stderr);
      const sealed = r.stdout.trim();
      assert.match(sealed, /^fcs1\./);
      assert.ok(!r.stdout.includes("s3cret-value"));
      assert.equal(createSecretBox(key).open(sealed, calendarSecretContext("m365", "clientSecret")), "s3cret-value");
      const unknown = await fulcrum(["calendars", "seal", "--connection", "nope"], { FULCRUM_SECRET_KEY: key.toString("hex"), FULCRUM_DATA_DIR: dir }, "x");
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /calendar connection "nope" is not configured; name its provider with --provider/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
