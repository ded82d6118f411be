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
    assert.throws(() => load("tools:\n  willo: yes\n"), /tools\.willo: is not a mapping.*name, pseudonyms, statusUrl, inviteUrl, mediaHosts, signature/s);
  });

  it("reads a tool's own webhook signature scheme with its defaults, and none when absent (Fulcrum's own)", () => {
    const c = load("tools:\n  willo:\n    signature:\n      header: X-Hub-Signature-256\n      prefix: sha256=\n  codility:\n    name: Codility\n");
    assert.deepEqual(c.tools?.willo?.signature, { header: "X-Hub-Signature-256", algorithm: "sha256", encoding: "hex", prefix: "sha256=", signs: "body" });
    assert.equal(c.tools?.codility?.signature, undefined);
    const t = load(
      "tools:\n  sparkhire:\n    signature: { header: X-Signature, algorithm: sha512, encoding: base64, signs: timestamp.body, timestampHeader: X-Timestamp, maxAgeSeconds: 300 }\n",
    );
    assert.deepEqual(t.tools?.sparkhire?.signature, {
      header: "X-Signature",
      algorithm: "sha512",
      encoding: "base64",
      signs: "timestamp.body",
      timestampHeader: "X-Timestamp",
      maxAgeSeconds: 300,
    });
  });

  it("refuses a signature scheme that cannot be checked, naming the setting and what is wrong", () => {
    assert.throws(() => load("tools:\n  willo:\n    signature: { prefix: sha256= }\n"), /tools\.willo\.signature\.header/);
    assert.throws(() => load("tools:\n  willo:\n    signature: { header: X-Sig, algorithm: md5 }\n"), /tools\.willo\.signature\.algorithm: "md5" is not valid/);
    assert.throws(() => load("tools:\n  willo:\n    signature: { header: X-Sig, encoding: base32 }\n"), /tools\.willo\.signature\.encoding/);
    assert.throws(() => load("tools:\n  willo:\n    signature: { header: 'X Sig' }\n"), /tools\.willo\.signature\.header.*an HTTP header name/);
    assert.throws(
      () => load("tools:\n  willo:\n    signature: { header: X-Sig, signs: timestamp.body }\n"),
      /tools\.willo\.signature\.timestampHeader.*name the header that carries the signed time stamp/,
    );
    assert.throws(
      () => load("tools:\n  willo:\n    signature: { header: X-Sig, timestampHeader: X-Timestamp }\n"),
      /tools\.willo\.signature\.timestampHeader.*only read with `signs: timestamp\.body`/,
    );
    assert.throws(
      () => load("tools:\n  willo:\n    signature: { header: X-Sig, maxAgeSeconds: 300 }\n"),
      /tools\.willo\.signature\.maxAgeSeconds.*only read with `signs: timestamp\.body`/,
    );
    assert.throws(() => load("tools:\n  willo:\n    signature: { header: X-Sig, secret: abc }\n"), /tools\.willo\.signature/);
  });

  it("reads the Standard Webhooks scheme, with an optional max age for its time stamp", () => {
    const c = load(
      "tools:\n  willo:\n    signature:\n      scheme: standard-webhooks\n  hirevue:\n    signature: { scheme: standard-webhooks, maxAgeSeconds: 300 }\n",
    );
    assert.deepEqual(c.tools?.willo?.signature, { scheme: "standard-webhooks" });
    assert.deepEqual(c.tools?.hirevue?.signature, { scheme: "standard-webhooks", maxAgeSeconds: 300 });
    const explicit = load("tools:\n  willo:\n    signature: { scheme: hmac, header: X-Sig }\n");
    assert.deepEqual(explicit.tools?.willo?.signature, { header: "X-Sig", algorithm: "sha256", encoding: "hex", signs: "body" });
  });

  it("refuses settings the Standard Webhooks spec fixes, an unknown scheme, and an HMAC scheme without its header", () => {
    for (const [key, value] of [
      ["header", "X-Sig"],
      ["algorithm", "sha512"],
      ["encoding", "hex"],
      ["prefix", "v1,"],
      ["signs", "body"],
      ["timestampHeader", "X-Timestamp"],
    ]) {
      assert.throws(
        () => load(`tools:\n  willo:\n    signature: { scheme: standard-webhooks, ${key}: ${value} }\n`),
        new RegExp(`tools\\.willo\\.signature\\.${key}:.*is fixed by the Standard Webhooks spec`),
      );
    }
    assert.throws(() => load("tools:\n  willo:\n    signature: { scheme: svix }\n"), /tools\.willo\.signature\.scheme: "svix" is not valid/);
    assert.throws(
      () => load("tools:\n  willo:\n    signature: { algorithm: sha256 }\n"),
      /tools\.willo\.signature\.header:.*name the header that carries the signature, or write `scheme: standard-webhooks`/,
    );
    assert.throws(() => load("tools:\n  willo:\n    signature: { scheme: standard-webhooks, maxAgeSeconds: 5 }\n"), /tools\.willo\.signature\.maxAgeSeconds/);
  });

  it("refuses a plain http statusUrl or inviteUrl at load, naming the field, except on a loopback host", () => {
    assert.throws(() => load("tools:\n  codility:\n    statusUrl: http://tool.example.org/status\n"), /tools\.codility\.statusUrl.*must be an https URL/);
    assert.throws(() => load("tools:\n  willo:\n    inviteUrl: HTTP://willo.example.org/invite\n"), /tools\.willo\.inviteUrl.*must be an https URL/);
    assert.throws(() => load("tools:\n  willo:\n    inviteUrl: http://127.0.0.1.example.org/invite\n"), /tools\.willo\.inviteUrl/);
    assert.equal(load("tools:\n  willo:\n    inviteUrl: http://127.0.0.1:8080/invite\n").tools?.willo?.inviteUrl, "http://127.0.0.1:8080/invite");
  });
});
