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

  describe("by the Standard Webhooks scheme (`scheme: standard-webhooks`)", () => {
    const standard = toolSignatureSchema.parse({ scheme: "standard-webhooks" });
    const key = Buffer.from("a 32-byte key for the tests 0123", "utf8");
    const whsec = `whsec_${key.toString("base64")}`;
    const id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    /** `v1,<base64 HMAC-SHA256 of "<id>.<t>.<body>">`, as a sender following the spec writes it. */
    const v1 = (t: number | string, msgId = id, k: Buffer | string = key, raw: Buffer = body) =>
      `v1,${createHmac("sha256", k).update(`${msgId}.${t}.`).update(raw).digest("base64")}`;
    const delivery = (signature: string, t: number | string = NOW, msgId = id) => ({
      "webhook-id": msgId,
      "webhook-timestamp": String(t),
      "webhook-signature": signature,
    });
    const check = (h: Record<string, string>, secrets = [whsec], scheme = standard, raw: Buffer = body) => verify(scheme, h, raw, secrets);

    it("accepts a v1 signature of `<webhook-id>.<webhook-timestamp>.<raw body>` made with the key a whsec_ secret encodes", () => {
      assert.deepEqual(check(delivery(v1(NOW - 100), NOW - 100)), { ok: true });
      assert.deepEqual(check({ "Webhook-Id": id, "Webhook-Timestamp": String(NOW), "Webhook-Signature": v1(NOW) }), { ok: true });
    });

    it("decodes a whsec_ secret's base64 into the key: a signature made with the secret's text is refused", () => {
      const r = check(delivery(v1(NOW, id, whsec)));
      assert.deepEqual(r, { ok: false, code: "signature_invalid", message: "webhook-signature was not made with this tool's secret" });
    });

    it("uses a secret without the whsec_ prefix as its text, as Fulcrum's other schemes do", () => {
      assert.deepEqual(check(delivery(v1(NOW, id, SECRET)), [SECRET]), { ok: true });
    });

    it("accepts when any of several space-separated signatures matches, and a signature made with the previous secret", () => {
      const other = v1(NOW, id, Buffer.from("another key of thirty-two bytes!"));
      assert.deepEqual(check(delivery(`${other} ${v1(NOW)}`)), { ok: true });
      assert.deepEqual(check(delivery(`${v1(NOW)}  ${other}`)), { ok: true });
      const previous = Buffer.from("the previous key, 32 bytes long!");
      assert.deepEqual(check(delivery(v1(NOW, id, previous)), [whsec, `whsec_${previous.toString("base64")}`]), { ok: true });
    });

    it("ignores v1a (asymmetric) and unknown versions, even carrying this secret's HMAC, and checks the v1 beside them", () => {
      const mac = v1(NOW).slice("v1,".length);
      const none = 'webhook-signature holds no v1 signature (32 bytes in base64 after "v1,"; v1a and other versions are not checked)';
      assert.deepEqual(check(delivery(`v1a,${mac}`)), { ok: false, code: "signature_invalid", message: none });
      assert.deepEqual(check(delivery(`v2,${mac} v1=${mac}`)), { ok: false, code: "signature_invalid", message: none });
      assert.deepEqual(check(delivery(`v1a,${"A".repeat(86)}== ${v1(NOW)}`)), { ok: true });
    });

    it("refuses a signature made for another webhook-id: the id is part of what is signed", () => {
      const r = check(delivery(v1(NOW, "msg_1"), NOW, "msg_2"));
      assert.deepEqual(r, { ok: false, code: "signature_invalid", message: "webhook-signature was not made with this tool's secret" });
    });

    it("refuses a signature of another body", () => {
      const r = check(delivery(v1(NOW)), [whsec], standard, Buffer.from(`${body} `));
      assert.equal(!r.ok && r.code, "signature_invalid");
    });

    it("refuses a correctly signed time stamp outside the max age, either way, saying by how much", () => {
      assert.deepEqual(check(delivery(v1(NOW - 601), NOW - 601)), {
        ok: false,
        code: "signature_stale",
        message: "webhook-timestamp is 601 s from now, outside the 600 s allowed",
      });
      assert.equal(check(delivery(v1(NOW + 601), NOW + 601)).ok, false);
      const strict = toolSignatureSchema.parse({ scheme: "standard-webhooks", maxAgeSeconds: 300 });
      const r = check(delivery(v1(NOW - 301), NOW - 301), [whsec], strict);
      assert.deepEqual(r, { ok: false, code: "signature_stale", message: "webhook-timestamp is 301 s from now, outside the 300 s allowed" });
    });

    it("refuses a time stamp moved forward to escape the max age: it is part of what is signed", () => {
      const r = check(delivery(v1(NOW - 1000), NOW));
      assert.equal(!r.ok && r.code, "signature_invalid");
    });

    it("refuses a delivery missing any of the three headers, naming it", () => {
      for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
        const h: Record<string, string> = delivery(v1(NOW));
        delete h[name];
        assert.deepEqual(check(h), { ok: false, code: "signature_invalid", message: `the ${name} header is missing` });
      }
    });

    it("refuses a malformed webhook-timestamp (milliseconds included) or webhook-signature, saying what was expected", () => {
      const ms = check(delivery(v1(NOW * 1000), NOW * 1000));
      assert.deepEqual(ms, {
        ok: false,
        code: "signature_invalid",
        message: 'webhook-timestamp: "1800000000000" is not a time in unix seconds (the spec sends seconds; milliseconds are not read)',
      });
      assert.equal(!check(delivery(v1(NOW), "2027-01-15T10:00:00Z")).ok, true);
      const none = /webhook-signature holds no v1 signature/;
      const mac = v1(NOW).slice("v1,".length);
      for (const bad of [mac, `v1:${mac}`, "v1,not base64!", `v1,${Buffer.alloc(16).toString("base64")}`, `v1,${mac},extra`]) {
        const r = check(delivery(bad));
        assert.equal(!r.ok && r.code, "signature_invalid", bad);
        assert.match(!r.ok ? r.message : "", none, bad);
      }
    });
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
