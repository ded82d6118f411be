import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { verifyQuotes } from "./verify-quotes.ts";

const SOURCE = `EXPERIENCE
Acme Payments — Senior Engineer (2019–2023)
• Led the migration of the “ledger” service to PostgreSQL,
  cutting p99 latency by 40%.
• Mentored four engineers.`;

describe("verifyQuotes", () => {
  it("keeps quotes found despite different case, line breaks, quote marks and dashes", () => {
    const r = verifyQuotes(
      [
        'led the migration of the "ledger" service to PostgreSQL, cutting p99 latency by 40%',
        "Acme Payments - Senior Engineer (2019-2023)",
        "MENTORED FOUR ENGINEERS.",
      ],
      SOURCE,
    );
    assert.equal(r.kept.length, 3, JSON.stringify(r.dropped));
    assert.deepEqual(r.dropped, []);
  });

  it("drops quotes the source does not contain, and quotes too short to prove anything", () => {
    const r = verifyQuotes(["Led the migration of the ledger service to Oracle", "Mentored forty engineers", "PG", "..."], SOURCE);
    assert.deepEqual(r.kept, []);
    assert.deepEqual(
      r.dropped.map((d) => d.reason),
      ["not-found", "not-found", "too-short", "too-short"],
    );
  });

  it("accepts elided quotes only when every part appears in order", () => {
    assert.equal(verifyQuotes(["Led the migration … cutting p99 latency by 40%"], SOURCE).kept.length, 1);
    assert.equal(verifyQuotes(["cutting p99 latency ... Led the migration"], SOURCE).kept.length, 0);
  });
});
