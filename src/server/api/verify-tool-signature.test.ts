import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { toolSignatureSchema } from "../../config/index.ts";
import { verifyToolSignature } from "./verify-tool-signature.ts";

const SECRET = "platform-secret-0123456789";
const NOW = 1_800_000_000;
const body = Buffer.from(JSON.stringify({ event: "interview.completed", id: "iv-1", candidate: { name: "Zoë" } }));

/** The headers of a delivery, looked up case-insensitively as a server does. */
const headers = (h: Record<string, string>) => (name: string) => Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

const hmac = (algorithm: string, data: Buffer | string, secret = SECRET) => createHmac(algorithm, secret).update(data);

const github = toolSignatureSchema.parse({ header: "X-Hub-Signature-256", prefix: "sha256=" });
const base64 = toolSignatureSchema.parse({ header: "X-Platform-Signature", algorithm: "sha512", encoding: "base64" });
const timestamped = toolSignatureSchema.parse({ header: "X-Signature", timestampHeader: "X-Timestamp", signs: "timestamp.body", maxAgeSeconds: 300 });

const verify = (scheme: Parameters<typeof verifyToolSignature>[0]["scheme"], h: Record<string, string>, raw: Buffer = body, secrets = [SECRET]) =>
  verifyToolSignature({ scheme, header: headers(h), body: raw, secrets, nowSeconds: NOW, replayWindowSeconds: 600 });

describe("verifying a tool's webhook signature by its own scheme", () => {
  it("accepts a GitHub-style `sha256=<hex>` header over the raw body", () => {
    const h = { "x-hub-signature-256": `sha256=${hmac("sha256", body).digest("hex")}` };
    assert.deepEqual(verify(github, h), { ok: true });
  });

  it("accepts a base64 HMAC-SHA512 of the raw body, and a signature made with the previous secret during a rotation", () => {
    assert.deepEqual(verify(base64, { "X-Platform-Signature": hmac("sha512", body).digest("base64") }), { ok: true });
    const old = "the-previous-secret-0123456789";
    assert.deepEqual(verify(base64, { "X-Platform-Signature": hmac("sha512", body, old).digest("base64") }, body, [SECRET, old]), { ok: true });
  });

  it("signs the raw bytes, not a decoding of them (a byte-order mark and invalid UTF-8 included)", () => {
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xff]), body]);
    assert.deepEqual(verify(github, { "X-Hub-Signature-256": `sha256=${hmac("sha256", raw).digest("hex")}` }, raw), { ok: true });
  });

  it("accepts a timestamped scheme (`<unix seconds>.<body>`) within its max age", () => {
    const t = NOW - 200;
    const h = { "X-Signature": hmac("sha256", `${t}.${body}`).digest("hex"), "X-Timestamp": String(t) };
    assert.deepEqual(verify(timestamped, h), { ok: true });
  });

  it("refuses a signature made with another secret, naming the header", () => {
    const r = verify(github, { "X-Hub-Signature-256": `sha256=${hmac("sha256", body, "another-secret-0123456789").digest("hex")}` });
    assert.deepEqual(r, { ok: false, code: "signature_invalid", message: "X-Hub-Signature-256 was not made with this tool's secret" });
  });

  it("refuses a signature of another body (the body changed after signing)", () => {
    const h = { "X-Hub-Signature-256": `sha256=${hmac("sha256", body).digest("hex")}` };
    const r = verify(github, h, Buffer.from(`${body} `));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, "signature_invalid");
  });

  it("refuses a delivery without the signature header, saying which header is missing", () => {
    assert.deepEqual(verify(github, { "X-Hub-Signature": `sha1=${hmac("sha1", body).digest("hex")}` }), {
      ok: false,
      code: "signature_invalid",
      message: "the X-Hub-Signature-256 header is missing",
    });
  });

  it("refuses a signature without its prefix, or in the wrong encoding or length, saying what was expected", () => {
    const hex = hmac("sha256", body).digest("hex");
    const r1 = verify(github, { "X-Hub-Signature-256": hex });
    assert.equal(!r1.ok && r1.message, 'X-Hub-Signature-256 does not start with "sha256="');
    const r2 = verify(github, { "X-Hub-Signature-256": `sha256=${hmac("sha256", body).digest("base64")}` });
    assert.equal(!r2.ok && r2.message, 'X-Hub-Signature-256 is not a hex HMAC-SHA256 (64 hex digits after "sha256=")');
    const r3 = verify(base64, { "X-Platform-Signature": hmac("sha256", body).digest("base64") });
    assert.equal(!r3.ok && r3.message, "X-Platform-Signature is not a base64 HMAC-SHA512 (64 bytes in base64)");
    const r4 = verify(base64, { "X-Platform-Signature": "not base64!" });
    assert.equal(!r4.ok && r4.code, "signature_invalid");
  });

  it("refuses a timestamped delivery whose time stamp is missing or not unix seconds, naming the header", () => {
    const sig = hmac("sha256", `${NOW}.${body}`).digest("hex");
    assert.deepEqual(verify(timestamped, { "X-Signature": sig }), {
      ok: false,
      code: "signature_invalid",
      message: "the X-Timestamp header is missing",
    });
    const r = verify(timestamped, { "X-Signature": sig, "X-Timestamp": "2027-01-15T10:00:00Z" });
    assert.deepEqual(r, { ok: false, code: "signature_invalid", message: 'X-Timestamp: "2027-01-15T10:00:00Z" is not a time in unix seconds' });
  });

  it("refuses a correctly signed delivery whose time stamp is older than the max age, saying by how much", () => {
    const t = NOW - 301;
    const r = verify(timestamped, { "X-Signature": hmac("sha256", `${t}.${body}`).digest("hex"), "X-Timestamp": String(t) });
    assert.deepEqual(r, { ok: false, code: "signature_stale", message: "X-Timestamp is 301 s from now, outside the 300 s allowed" });
  });

  it("refuses a time stamp moved forward to escape the max age: it is part of what is signed", () => {
    const t = NOW - 1000;
    const r = verify(timestamped, { "X-Signature": hmac("sha256", `${t}.${body}`).digest("hex"), "X-Timestamp": String(NOW) });
    assert.equal(!r.ok && r.code, "signature_invalid");
  });

  describe("with no scheme configured: Fulcrum's own, unchanged", () => {
    const fulcrum = (t: number, secret = SECRET) => `t=${t},v1=${hmac("sha256", `${t}.${body}`, secret).digest("hex")}`;

    it("accepts `X-Fulcrum-Signature: t=<seconds>,v1=<hex>` over `<seconds>.<body>` within the replay window", () => {
      assert.deepEqual(verify(undefined, { "X-Fulcrum-Signature": fulcrum(NOW - 500) }), { ok: true });
    });

    it("refuses it missing, malformed, made with another secret, or outside the replay window", () => {
      const missing = verify(undefined, {});
      assert.deepEqual(missing, { ok: false, code: "signature_invalid", message: "the X-Fulcrum-Signature header is missing" });
      const malformed = verify(undefined, { "X-Fulcrum-Signature": `sha256=${hmac("sha256", body).digest("hex")}` });
      assert.equal(!malformed.ok && malformed.message, "X-Fulcrum-Signature is not t=<unix seconds>,v1=<64 hex digits>");
      const forged = verify(undefined, { "X-Fulcrum-Signature": fulcrum(NOW, "another-secret-0123456789") });
      assert.equal(!forged.ok && forged.message, "X-Fulcrum-Signature was not made with this tool's secret");
      const stale = verify(undefined, { "X-Fulcrum-Signature": fulcrum(NOW - 601) });
      assert.deepEqual(stale, { ok: false, code: "signature_stale", message: "X-Fulcrum-Signature's time stamp is 601 s from now, outside the 600 s allowed" });
    });
  });
});
