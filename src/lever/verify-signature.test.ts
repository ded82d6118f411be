import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { signLeverWebhook, verifyLeverSignature } from "./verify-signature.ts";

const signingToken = "d41f7a2c9e0b3d6f8a1c4e7b0d3f6a9c2e5b8d1f4a7c0e3b";
const token = "9f1c2e7a4b6d8e0f1a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e";
const triggeredAt = 1767268800123;
// Computed independently of the code under test: HMAC-SHA256(key, token + triggeredAt) in hex.
const expected = createHmac("sha256", signingToken)
  .update(token + "1767268800123")
  .digest("hex");
const body = { event: "candidateStageChange", triggeredAt, token, signature: expected, data: {} };

describe("verifyLeverSignature", () => {
  it("accepts a delivery signed as Lever signs it (HMAC of token + triggeredAt)", () => {
    assert.equal(signLeverWebhook(token, triggeredAt, signingToken), expected);
    assert.equal(verifyLeverSignature(body, signingToken), true);
    assert.equal(verifyLeverSignature(JSON.stringify(body), signingToken), true);
    assert.equal(verifyLeverSignature({ ...body, signature: expected.toUpperCase() }, signingToken), true);
  });

  it("rejects a webhook whose signature was made with another token", () => {
    assert.equal(verifyLeverSignature(body, "another-signing-token"), false);
  });

  it("rejects a delivery whose token or triggeredAt was changed after signing", () => {
    assert.equal(verifyLeverSignature({ ...body, triggeredAt: triggeredAt + 1 }, signingToken), false);
    assert.equal(verifyLeverSignature({ ...body, token: token.replace("9", "8") }, signingToken), false);
  });

  it("rejects a missing, truncated, padded or non-hex signature and a malformed body", () => {
    const { signature: _s, ...unsigned } = body;
    assert.equal(verifyLeverSignature(unsigned, signingToken), false);
    assert.equal(verifyLeverSignature({ ...body, signature: expected.slice(0, 62) }, signingToken), false);
    assert.equal(verifyLeverSignature({ ...body, signature: expected + "zz" }, signingToken), false);
    assert.equal(verifyLeverSignature({ ...body, signature: "z".repeat(64) }, signingToken), false);
    assert.equal(verifyLeverSignature("{not json", signingToken), false);
    assert.equal(verifyLeverSignature(null, signingToken), false);
    assert.equal(verifyLeverSignature(body, ""), false);
  });
});
