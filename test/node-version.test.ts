/**
 * A newcomer on an older Node must be stopped at once by both README commands, with a message
 * that says what to install, before any TypeScript is loaded (an older Node cannot read it).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";

const ROOT = join(import.meta.dirname, "..");
const check = createRequire(import.meta.url)("../scripts/check-node.cjs") as {
  isSupported(version: string): boolean;
  message(version: string): string;
};
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

/** Runs `code` in a child Node that reports `version` as its own. */
function runAs(version: string, code: string) {
  const pretend = `Object.defineProperty(process, "version", { value: ${JSON.stringify(version)} });`;
  return spawnSync(process.execPath, ["-e", pretend + code], { cwd: ROOT, encoding: "utf8" });
}

describe("the Node version check", () => {
  it("accepts 22.18 and newer and refuses everything older", () => {
    for (const v of ["v22.18.0", "v22.20.1", "v23.0.0", "v24.11.1", "v30.0.0"]) assert.equal(check.isSupported(v), true, v);
    for (const v of ["v22.17.9", "v22.0.0", "v20.20.2", "v18.19.0", "v16.0.0"]) assert.equal(check.isSupported(v), false, v);
  });

  it("stops with a message naming the version found and how to get a newer one", () => {
    const run = runAs("v20.11.1", `require("./scripts/check-node.cjs").check(); console.log("went on");`);
    assert.equal(run.status, 1);
    assert.doesNotMatch(run.stdout, /went on/);
    assert.match(run.stderr, /^Fulcrum needs Node 22\.18 or newer; you have v20\.11\.1\./);
    assert.match(run.stderr, /npm install -g node@24/);
  });

  it("lets a supported Node through silently", () => {
    const run = runAs("v24.1.0", `require("./scripts/check-node.cjs").check(); console.log("went on");`);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, "");
    assert.equal(run.stdout.trim(), "went on");
  });

  it("runs before any TypeScript in npm start, npm test and the fulcrum command", () => {
    for (const script of ["prestart", "pretest", "build:web"]) {
      assert.match(pkg.scripts[script]!, /^node scripts\/check-node\.cjs && /, script);
    }
    assert.match(pkg.scripts.start!, /^node bin\/fulcrum\.js /);
    const bin = readFileSync(join(ROOT, "bin/fulcrum.js"), "utf8");
    assert.ok(bin.indexOf("check-node.cjs") < bin.indexOf("main.ts"), "bin/fulcrum.js checks before it imports main.ts");
    assert.doesNotMatch(bin, /^import .*\.ts["'];?$/m, "no static import of TypeScript (it would load before the check)");
  });

  it("makes npm ci refuse an older Node (engine-strict) with the same minimum", () => {
    assert.match(readFileSync(join(ROOT, ".npmrc"), "utf8"), /^engine-strict=true$/m);
    assert.equal(pkg.engines.node, ">=22.18");
  });

  it("the fulcrum command still runs on this Node", () => {
    const out = execFileSync(process.execPath, [join(ROOT, "bin/fulcrum.js"), "--help"], { encoding: "utf8" });
    assert.match(out, /Governed AI workflows/);
  });
});
