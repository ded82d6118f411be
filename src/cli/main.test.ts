import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runFulcrumMain } from "../../test/support/fulcrum-cli.ts";

const HINT = "(run with --help for usage)";
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "fulcrum-main-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const fulcrum = (args: string[]) => runFulcrumMain(args, { env: { ...process.env, FULCRUM_LOG_LEVEL: "silent" } });

describe("fulcrum's error messages", () => {
  it("points to --help after an option commander does not know", async () => {
    const r = await fulcrum(["interview", "transcribe", "--no-such-option", "x"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown option '--no-such-option'/);
    assert.ok(r.stderr.includes(HINT), r.stderr);
  });

  it("points to --help after a command's own usage error (exit status 2)", async () => {
    const r = await fulcrum(["interview", "transcribe", join(dir, "absent.wav")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not exist/);
    assert.ok(r.stderr.includes(HINT), r.stderr);
  });

  it("does not point to --help when a well-formed command fails on its input", async () => {
    // The command line is right; the file is not media. Usage help would send the reader the wrong way.
    const notMedia = join(dir, "notes.txt");
    writeFileSync(notMedia, "hello there\n");
    const r = await fulcrum(["interview", "transcribe", notMedia]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /fulcrum: corrupt: /);
    assert.ok(!r.stderr.includes(HINT), r.stderr);
  });
});
