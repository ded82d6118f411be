import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadConfig } from "./config.ts";

describe("other hiring tools in the config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-config-tools-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const load = (yaml: string) => {
    const file = join(dir, `c${n++}.yaml`);
    writeFileSync(file, yaml);
    return loadConfig({ FULCRUM_CONFIG: file });
  };

  it("reads each tool's pseudonym rule and URLs, none by default", () => {
    const c = load(
      "tools:\n  codility:\n    name: Codility\n    pseudonyms: unsuccessful\n    statusUrl: https://tool.example.org/status\n  willo:\n    inviteUrl: https://willo.example.org/invite\n",
    );
    assert.deepEqual(c.tools?.codility, { name: "Codility", pseudonyms: "unsuccessful", statusUrl: "https://tool.example.org/status" });
    assert.equal(c.tools?.willo?.pseudonyms, "none");
    assert.deepEqual(c.warnings, []);
    assert.deepEqual(loadConfig({}).tools, {});
  });

  it("reads the old `pseudonym: true` as everyone, with a warning naming the new setting", () => {
    const c = load("tools:\n  codility:\n    pseudonym: true\n");
    assert.equal(c.tools?.codility?.pseudonyms, "everyone");
    assert.equal(c.warnings?.length, 1);
    assert.match(c.warnings![0]!, /tools\.codility\.pseudonym is deprecated: read as `pseudonyms: everyone`/);
    assert.equal(load("tools:\n  codility:\n    pseudonym: false\n").tools?.codility?.pseudonyms, "none");
  });

  it("refuses an unknown pseudonym rule, both settings at once, an unknown key and a bad tool id, naming the key", () => {
    assert.throws(() => load("tools:\n  codility:\n    pseudonyms: sometimes\n"), /tools\.codility\.pseudonyms: "sometimes" is not valid/);
    assert.throws(
      () => load("tools:\n  codility:\n    pseudonym: true\n    pseudonyms: none\n"),
      /tools\.codility\.pseudonym: is set together with pseudonyms/,
    );
    assert.throws(() => load("tools:\n  codility:\n    statusURL: https://x.example.org\n"), /tools\.codility/);
    assert.throws(() => load("tools:\n  Codility Inc:\n    pseudonyms: none\n"), /tools/);
    assert.throws(() => load("tools:\n  codility:\n    statusUrl: ftp://x.example.org/s\n"), /tools\.codility\.statusUrl/);
  });

  it("answers a tool entry that is not a mapping with the list of its settings, mediaHosts included", () => {
    assert.throws(() => load("tools:\n  willo: yes\n"), /tools\.willo: is not a mapping.*name, pseudonyms, statusUrl, inviteUrl, mediaHosts/s);
  });

  it("refuses a plain http statusUrl or inviteUrl at load, naming the field, except on a loopback host", () => {
    assert.throws(() => load("tools:\n  codility:\n    statusUrl: http://tool.example.org/status\n"), /tools\.codility\.statusUrl.*must be an https URL/);
    assert.throws(() => load("tools:\n  willo:\n    inviteUrl: HTTP://willo.example.org/invite\n"), /tools\.willo\.inviteUrl.*must be an https URL/);
    assert.throws(() => load("tools:\n  willo:\n    inviteUrl: http://127.0.0.1.example.org/invite\n"), /tools\.willo\.inviteUrl/);
    assert.equal(load("tools:\n  willo:\n    inviteUrl: http://127.0.0.1:8080/invite\n").tools?.willo?.inviteUrl, "http://127.0.0.1:8080/invite");
  });
});
