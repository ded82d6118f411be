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
    firstName: "Ana",
    lastName: "Silva",
    fullName: "Ana Silva",
    email: "ana@example.net",
    phone: "",
    jobTitle: "Engineer",
    department: "Engineering",
    team: "Platform",
    location: "Lisbon",
    startDate: "2026-02-01",
    salary: "90000",
    currency: "EUR",
    hiringManager: "Sofia",
    requisition: "R-1",
    opportunityId: "o1",
    postingId: "p1",
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
      await signedCall(
        `http://127.0.0.1:${port}/x`,
        { a: 1 },
        {
          allowHosts: ["127.0.0.1"],
          secret: "s3cret",
          now: () => 1_700_000_000_000,
          headers: { "x-fulcrum-event-id": "e1", "x-fulcrum-signature": "forged", "content-type": "text/plain" },
        },
      );
      assert.equal(seen[0]!["x-fulcrum-event-id"], "e1");
      assert.equal(seen[0]!["x-fulcrum-signature"], signBody("s3cret", '{"a":1}', 1_700_000_000));
      assert.equal(seen[0]!["content-type"], "application/json");
    } finally {
      server.close();
    }
  });
});

describe("signed HTTP call and DNS rebinding", () => {
  /** A lookup whose answers change from call to call (the last one repeats), recording each call. */
  function changingLookup(answers: string[]) {
    const calls: string[] = [];
    const lookup = ((hostname: string, _options: unknown, callback: (err: null, addresses: { address: string; family: number }[]) => void) => {
      calls.push(hostname);
      const address = answers[Math.min(calls.length - 1, answers.length - 1)]!;
      callback(null, [{ address, family: 4 }]);
    }) as unknown as typeof import("node:dns").lookup;
    return { lookup, calls };
  }

  async function listener() {
    const { createServer } = await import("node:net");
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { port: (server.address() as { port: number }).port, connections: () => connections, close: () => server.close() };
  }

  it("refuses a host whose DNS answers a public address first and a private one when the socket connects", async () => {
    const local = await listener();
    try {
      const { lookup, calls } = changingLookup(["93.184.216.34", "127.0.0.1"]);
      await assert.rejects(
        signedCall(`https://rebind.example.com:${local.port}/hook`, { a: 1 }, { lookup, timeoutMs: 2000 }),
        (error: Error & { retryable?: boolean }) => {
          assert.match(error.message, /private, loopback or link-local/);
          assert.equal(error.retryable, false);
          return true;
        },
      );
      assert.ok(calls.length >= 2, "the socket resolved the host itself and its answer was checked");
      assert.equal(local.connections(), 0, "no connection reached the internal address");
    } finally {
      local.close();
    }
  });

  it("refuses a host resolving to a private address before opening a socket", async () => {
    const local = await listener();
    try {
      const { lookup, calls } = changingLookup(["10.0.0.7"]);
      await assert.rejects(signedCall(`https://internal.example.com:${local.port}/hook`, {}, { lookup }), /private, loopback or link-local/);
      assert.equal(calls.length, 1);
      assert.equal(local.connections(), 0);
    } finally {
      local.close();
    }
  });

  it("does not follow a redirect, saying so", async () => {
    const { createServer } = await import("node:http");
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      req.resume();
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as { port: number };
      await assert.rejects(signedCall(`http://127.0.0.1:${port}/x`, {}, { allowHosts: ["127.0.0.1"] }), /answered 302 \(redirects are not followed\)/);
      assert.deepEqual(hits, ["/x"]);
    } finally {
      server.close();
    }
  });
});
