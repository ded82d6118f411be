import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { CalendarError } from "./errors.ts";
import { providerError, requestJson, retryAfterMs } from "./http.ts";

describe("calendar HTTP", () => {
  let server: Server;
  let base = "";
  const script: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  const seen: { auth?: string | undefined }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ auth: req.headers.authorization });
      const next = script.shift() ?? { status: 200, body: '{"ok":true}' };
      res.writeHead(next.status, { "content-type": "application/json", ...next.headers });
      res.end(next.body ?? "");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  const req = (token?: (refresh: boolean) => Promise<string>) => ({ provider: "graph", connectionId: "c", endpoint: "GET /x", url: `${base}/x`, token });

  it("reads Retry-After as seconds, fractions of seconds or an HTTP date", () => {
    assert.equal(retryAfterMs("2"), 2000);
    assert.equal(retryAfterMs("2.128"), 2128);
    assert.equal(retryAfterMs(new Date(Date.parse("2026-01-01T00:00:10Z")).toUTCString(), Date.parse("2026-01-01T00:00:00Z")), 10_000);
    assert.equal(retryAfterMs("soon"), undefined);
    assert.equal(retryAfterMs(null), undefined);
  });

  it("reads Google's, Graph's and OAuth's error bodies", () => {
    assert.deepEqual(providerError({ error: { errors: [{ reason: "notFound" }], code: 404, message: "Not Found" } }), {
      code: "notFound",
      message: "Not Found",
    });
    assert.deepEqual(providerError({ error: { code: "ErrorAccessDenied", message: "Access is denied." } }), {
      code: "ErrorAccessDenied",
      message: "Access is denied.",
    });
    assert.deepEqual(providerError({ error: "invalid_grant", error_description: "Invalid email or User ID\r\nTrace" }), {
      code: "invalid_grant",
      message: "Invalid email or User ID",
    });
    assert.deepEqual(providerError("plain text"), {});
  });

  it("gets a new token once after a 401, and returns the second 401 to the caller", async () => {
    const asked: boolean[] = [];
    script.push({ status: 401 }, { status: 200, body: "{}" });
    const ok = await requestJson(req(async (refresh) => (asked.push(refresh), refresh ? "new" : "old")));
    assert.equal(ok.status, 200);
    assert.deepEqual(asked, [false, true, false]);
    script.push({ status: 401 }, { status: 401 });
    assert.equal((await requestJson(req(async () => "t"))).status, 401);
  });

  it("does not sleep through a Retry-After longer than allowed: the error carries it", async () => {
    script.push({ status: 429, headers: { "retry-after": "120" }, body: '{"error":{"code":"TooManyRequests","message":"Please retry again later."}}' });
    await assert.rejects(
      requestJson(req(), { maxDelayMs: 1000 }),
      (e: unknown) => e instanceof CalendarError && e.kind === "rate-limited" && e.retryAfterMs === 120_000 && /asked to wait 120 s/.test(e.message),
    );
  });

  it("retries a server that cannot be reached, then says so", async () => {
    await assert.rejects(
      requestJson({ ...req(), url: "http://127.0.0.1:9/x" }, { maxAttempts: 2, baseDelayMs: 10 }),
      (e: unknown) => e instanceof CalendarError && e.kind === "unavailable" && /could not be reached .* after 2 attempts/.test(e.message),
    );
  });

  it("gives up on a server that does not answer within the deadline", async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
      await assert.rejects(requestJson({ ...req(), url }, { maxAttempts: 1, timeoutMs: 200 }), /no answer within 200 ms after 1 attempt$/);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});
