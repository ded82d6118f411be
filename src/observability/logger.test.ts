import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLogger } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: "info", destination }) };
}

describe("logger", () => {
  it("never writes secrets or candidate contact details", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        apiKey: "lever-key-123",
        connection: { token: "tok-456", apiKey: "nested-key" },
        candidate: { email: "mira@example.net", phones: [{ value: "+351 900" }] },
        payload: { data: { opportunityId: "opp-1" } },
        opportunityId: "opp-1",
      },
      "webhook accepted",
    );
    const out = lines.join("");
    for (const secret of ["lever-key-123", "tok-456", "nested-key", "mira@example.net", "+351 900"]) {
      assert.ok(!out.includes(secret), `log contains ${secret}`);
    }
    assert.match(out, /"opportunityId":"opp-1"/);
    assert.match(out, /webhook accepted/);
  });
});
