import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { signLeverWebhook } from "../../lever/index.ts";
import { createLeverSource, createMemoryConnectionDirectory, isLeverTestPing, leverDedupeKey } from "./index.ts";

const base = { event: "candidateStageChange", triggeredAt: 1_767_268_800_123, data: { opportunityId: "opp-1", toStageId: "stage-2", fromStageId: "stage-1" } };

describe("leverDedupeKey", () => {
  it("uses Lever's event id when the envelope has one", () => {
    assert.equal(leverDedupeKey({ ...base, id: "4b7e" }), "id:4b7e");
  });

  it("gives a retry with a new request token the same key, and a different stage move another", () => {
    const a = leverDedupeKey({ ...base, token: "first" } as typeof base);
    const b = leverDedupeKey({ ...base, token: "second" } as typeof base);
    assert.equal(a, b);
    assert.notEqual(a, leverDedupeKey({ ...base, data: { ...base.data, toStageId: "stage-3" } }));
    assert.notEqual(a, leverDedupeKey({ ...base, triggeredAt: base.triggeredAt + 1 }));
  });

  it("does not depend on the order of the data fields", () => {
    assert.equal(leverDedupeKey(base), leverDedupeKey({ ...base, data: { fromStageId: "stage-1", toStageId: "stage-2", opportunityId: "opp-1" } }));
  });
});

describe("isLeverTestPing", () => {
  it("recognises data: {} and nothing else", () => {
    assert.equal(isLeverTestPing({ data: {} }), true);
    assert.equal(isLeverTestPing({ data: { opportunityId: "x" } }), false);
    assert.equal(isLeverTestPing({ data: [] }), false);
    assert.equal(isLeverTestPing({}), false);
  });
});

describe("the Lever source", () => {
  const now = 1_767_268_800_000;
  const source = createLeverSource({
    connections: createMemoryConnectionDirectory({ default: { candidateStageChange: ["old-token", "new-token"] } }),
    replayWindowSeconds: 60,
    now: () => now,
  });
  const signed = (token: string, overrides: Record<string, unknown> = {}) => {
    const body = { ...base, token: "req-token", ...overrides };
    return { ...body, signature: signLeverWebhook(body.token, body.triggeredAt, token) };
  };
  const verify = (body: unknown) => source.verify({ connectionId: "default", body, headers: new Headers(), receivedAt: new Date(now) });

  it("accepts a delivery signed with any of the connection's tokens for the event (token rotation)", async () => {
    assert.equal((await verify(signed("old-token"))).kind, "event");
    assert.equal((await verify(signed("new-token"))).kind, "event");
  });

  it("accepts a delivery whose triggeredAt comes as a string of digits", async () => {
    const verdict = await verify(signed("new-token", { triggeredAt: String(base.triggeredAt) }));
    assert.equal(verdict.kind, "event");
    assert.ok(verdict.kind === "event" && verdict.event.triggeredAt?.getTime() === base.triggeredAt);
  });

  it("refuses a delivery from just outside the replay window, in the future as well as the past", async () => {
    for (const triggeredAt of [now - 61_000, now + 61_000]) {
      const verdict = await verify(signed("new-token", { triggeredAt }));
      assert.equal(verdict.kind === "rejected" && verdict.code, "outside_replay_window");
    }
  });

  it("says what kind of refusal each is, an unauthenticated or a malformed delivery, and leaves the HTTP status to the intake", async () => {
    const refusals = await Promise.all([verify(signed("wrong-token")), verify(signed("new-token", { triggeredAt: now - 61_000 })), verify([]), verify({})]);
    assert.deepEqual(
      refusals.map((v) => (v.kind === "rejected" ? [v.code, v.refusal, "status" in v] : v.kind)),
      [
        ["signature_invalid", "unauthenticated", false],
        ["outside_replay_window", "unauthenticated", false],
        ["body_not_object", "malformed", false],
        ["envelope_invalid", "malformed", false],
      ],
    );
  });
});
