import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { tierOf } from "./score-tier.ts";

describe("the tier of a score code computed", () => {
  it("is strong from 75, possible from 50, weak below", () => {
    assert.deepEqual(
      [0, 49.9, 50, 74.9, 75, 100].map((s) => tierOf(s)),
      ["weak", "weak", "possible", "possible", "strong", "strong"],
    );
  });
});
