import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findUnstorableName, findUnstorableValue, MAX_PAYLOAD_DEPTH } from "./storable-event.ts";

/** `levels` objects nested inside one another, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 1; i < levels; i++) value = { d: value };
  return levels > 0 ? { d: value } : value;
}

describe("findUnstorableValue", () => {
  it("accepts what PostgreSQL's jsonb stores: any text, numbers, nesting up to the limit", () => {
    assert.equal(findUnstorableValue({ name: "Zoë 😀 \u2028", n: [1, 2.5, null, true], empty: {} }), null);
    assert.equal(findUnstorableValue(nested(MAX_PAYLOAD_DEPTH)), null);
  });

  it("refuses nesting one level past the limit, naming where, the path shortened in the middle", () => {
    const problem = findUnstorableValue(nested(MAX_PAYLOAD_DEPTH + 1));
    assert.equal(problem?.code, "nesting_too_deep");
    assert.equal(problem?.path, "d.d.d.d.d….d.d");
    assert.match(problem!.message, /nested deeper than 64 levels/);
  });

  it("walks half a million levels without running out of stack", () => {
    const deep = JSON.parse(`${"[".repeat(500_000)}${"]".repeat(500_000)}`);
    assert.equal(findUnstorableValue(deep)?.code, "nesting_too_deep");
  });

  it("names the field holding a NUL character or a lone surrogate, in values and in field names", () => {
    assert.deepEqual(findUnstorableValue({ data: { list: ["ok", { "first name": "A\u0000" }] } }), {
      code: "nul_character",
      path: 'data.list[1]["first name"]',
      message: 'data.list[1]["first name"]: contains the NUL character (\\u0000), which cannot be stored',
    });
    assert.equal(findUnstorableValue({ a: "\ud800x" })?.path, "a");
    assert.equal(findUnstorableValue({ a: "\udc00" })?.code, "lone_surrogate");
    // A whole pair is one character, and fine.
    assert.equal(findUnstorableValue({ a: "\ud83d\ude00" }), null);
    assert.deepEqual(findUnstorableValue({ data: { "x\ud800": 1 } })?.path, 'data["x\\ud800"]');
    assert.equal(findUnstorableValue("\u0000")?.path, "body");
  });
});

describe("findUnstorableName", () => {
  it("refuses a name that is too long or holds what text columns cannot", () => {
    assert.equal(findUnstorableName("event", "candidateHired", 200), null);
    assert.equal(findUnstorableName("dedupeKey", "k".repeat(501), 500)?.code, "field_too_long");
    assert.equal(findUnstorableName("event", "a\u0000", 200)?.message, "event: contains the NUL character (\\u0000), which cannot be stored");
  });
});
