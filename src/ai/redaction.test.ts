import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { redact, restoreDeep } from "./redaction.ts";

const RESUME = `Mira Kovacs
mira.kovacs@example.net · +351 912 345 678 · (415) 555-0142
221B Baker Street, London · Rua Augusta 42, Lisboa
https://www.linkedin.com/in/mira-kovacs and github.com/mirak
Senior engineer at Acme (2015-2019, 2019 - 2023). Mira led the payments team of 12.`;

describe("redact", () => {
  it("replaces e-mails, phones, addresses, links and names with numbered placeholders", () => {
    const r = redact(RESUME, { names: ["Mira Kovacs"] });
    for (const secret of [
      "mira.kovacs@example.net",
      "912 345 678",
      "555-0142",
      "Baker Street",
      "Rua Augusta",
      "linkedin.com",
      "github.com/mirak",
      "Mira",
      "Kovacs",
    ]) {
      assert.ok(!r.text.includes(secret), `still contains ${secret}:\n${r.text}`);
    }
    assert.match(r.text, /^\[NAME_1\]\n\[EMAIL_1\] · \[PHONE_1\] · \[PHONE_2\]/);
    assert.match(r.text, /\[NAME_2\] led the payments team of 12/);
    assert.match(r.text, /\(2015-2019, 2019 - 2023\)/, "year ranges are not phone numbers");
    assert.equal(redact("Started 03.01.2026, ends 2026-12-31.").text, "Started 03.01.2026, ends 2026-12-31.", "dates are not phone numbers");
  });

  it("round-trips: restoring the redacted text gives back the original exactly", () => {
    const r = redact(RESUME, { names: ["Mira Kovacs"] });
    assert.equal(r.restore(r.text), RESUME);
  });

  it("gives the same value the same placeholder and restores placeholders inside nested output", () => {
    const r = redact("a@b.io wrote to a@b.io and c@d.io");
    assert.equal(r.text, "[EMAIL_1] wrote to [EMAIL_1] and [EMAIL_2]");
    const output = { summary: "Reach [EMAIL_2]", quotes: ["[EMAIL_1] wrote", "[EMAIL_9] unknown"], n: 3 };
    assert.deepEqual(restoreDeep(output, r.restore), { summary: "Reach c@d.io", quotes: ["a@b.io wrote", "[EMAIL_9] unknown"], n: 3 });
  });

  it("leaves names alone when name redaction is switched off", () => {
    const r = redact("Mira Kovacs, mira@x.io", { names: ["Mira Kovacs"], redactNames: false });
    assert.equal(r.text, "Mira Kovacs, [EMAIL_1]");
  });
});
