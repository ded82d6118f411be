import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createFilters } from "./filters.ts";

describe("createFilters", () => {
  it("numbers parameters in the order the filters were added, with raw conditions in between", () => {
    const f = createFilters();
    f.add("status = ?", "waiting");
    f.raw("deadline_at < now()");
    f.add("posting_id = any(?)", ["p1"]);
    const limit = f.param(50);
    assert.equal(f.where(), "where status = $1 and deadline_at < now() and posting_id = any($2)");
    assert.equal(limit, "$3");
    assert.deepEqual(f.params, ["waiting", ["p1"], 50]);
  });

  it("gives no where clause when nothing was added", () => {
    assert.equal(createFilters().where(), "");
  });
});
