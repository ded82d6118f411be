import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { signBody, signedCall } from "./signed-http.ts";
import { mapHire } from "./tasks/hr-handoff.ts";

describe("signed HTTP call", () => {
  it("signs t.body with HMAC-SHA256", () => {
    const mac = createHmac("sha256", "s3cret").update('1700000000.{"a":1}').digest("hex");
    assert.equal(signBody("s3cret", '{"a":1}', 1700000000), `t=1700000000,v1=${mac}`);
  });

  it("refuses plain http, loopback and private addresses unless the host is allowed", async () => {
    await assert.rejects(signedCall("http://example.org/x", {}), /must use https/);
    await assert.rejects(signedCall("https://127.0.0.1/x", {}), /private, loopback or link-local/);
    await assert.rejects(signedCall("https://10.1.2.3/x", {}), /private, loopback or link-local/);
    await assert.rejects(signedCall("https://user:pw@example.org/x", {}), /user name or password/);
  });

  it("refuses an oversized body before sending anything", async () => {
    await assert.rejects(signedCall("https://127.0.0.1/x", { big: "x".repeat(2000) }, { allowHosts: ["127.0.0.1"], maxBodyBytes: 1000 }), /over 1000 bytes/);
  });
});

describe("HR payload mappings", () => {
  const record = {
    firstName: "Ana", lastName: "Silva", fullName: "Ana Silva", email: "ana@example.net", phone: "", jobTitle: "Engineer", department: "Engineering",
    team: "Platform", location: "Lisbon", startDate: "2026-02-01", salary: "90000", currency: "EUR", hiringManager: "Sofia", requisition: "R-1", opportunityId: "o1", postingId: "p1",
  };
  it("maps to a Workday-style worker / position / hire payload", () => {
    const p = mapHire(record, "workday") as { worker: { legalName: { firstName: string } }; hire: { hireDate: string; compensation: { amount: number } } };
    assert.equal(p.worker.legalName.firstName, "Ana");
    assert.equal(p.hire.hireDate, "2026-02-01");
    assert.equal(p.hire.compensation.amount, 90000);
  });
  it("maps to a flat BambooHR-style employee payload", () => {
    const p = mapHire(record, "bamboohr");
    assert.equal(p.workEmail, "ana@example.net");
    assert.equal(p.hireDate, "2026-02-01");
    assert.equal(p.payRate, "90000 EUR");
  });
});

describe("signed HTTP call headers", () => {
  it("sends extra headers but never lets them replace the signature or the content type", async () => {
    const { createServer } = await import("node:http");
    const seen: Record<string, unknown>[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on("end", () => res.end("{}"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as { port: number };
      await signedCall(`http://127.0.0.1:${port}/x`, { a: 1 }, { allowHosts: ["127.0.0.1"], secret: "s3cret", now: () => 1_700_000_000_000, headers: { "x-fulcrum-event-id": "e1", "x-fulcrum-signature": "forged", "content-type": "text/plain" } });
      assert.equal(seen[0]!["x-fulcrum-event-id"], "e1");
      assert.equal(seen[0]!["x-fulcrum-signature"], signBody("s3cret", '{"a":1}', 1_700_000_000));
      assert.equal(seen[0]!["content-type"], "application/json");
    } finally {
      server.close();
    }
  });
});
