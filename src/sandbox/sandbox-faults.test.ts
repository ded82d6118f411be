import { after, afterEach, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { startSandbox, type Sandbox } from "./index.ts";

describe("Lever sandbox fault injection", () => {
  let sandbox: Sandbox;
  let auth: Record<string, string>;

  before(async () => {
    sandbox = await startSandbox({ seed: 8, demo: false, rateLimit: false });
    auth = { authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString("base64")}` };
  });
  after(async () => sandbox.close());
  afterEach(() => {
    for (const key of Object.keys(sandbox.faults)) delete (sandbox.faults as Record<string, unknown>)[key];
  });

  const statuses = async (n: number, path = "/stages"): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await fetch(`${sandbox.url}${path}`, { headers: auth })).status);
    return out;
  };

  it("answers a share of requests with the configured 5xx, changed at run time", async () => {
    sandbox.faults.errorRate = 0.5;
    sandbox.faults.errorStatus = 503;
    const got = await statuses(60);
    const errors = got.filter((s) => s === 503).length;
    assert.ok(errors > 10 && errors < 50, `${errors} of 60 were 503`);
    assert.ok(got.every((s) => s === 200 || s === 503));
    let injected: Response;
    do injected = await fetch(`${sandbox.url}/stages`, { headers: auth });
    while (injected.status !== 503);
    assert.equal(((await injected.json()) as { code: string }).code, "ServiceUnavailable");
    delete sandbox.faults.errorRate;
    assert.deepEqual(await statuses(5), [200, 200, 200, 200, 200]);
  });

  it("injects the same faults in the same order for the same seed", async () => {
    const run = async (): Promise<number[]> => {
      const s = await startSandbox({ seed: 99, demo: false, rateLimit: false, faults: { errorRate: 0.3 } });
      try {
        const h = { authorization: `Basic ${Buffer.from(`${s.apiKey}:`).toString("base64")}` };
        const out: number[] = [];
        for (let i = 0; i < 20; i++) out.push((await fetch(`${s.url}/stages`, { headers: h })).status);
        return out;
      } finally {
        await s.close();
      }
    };
    const [a, b] = [await run(), await run()];
    assert.deepEqual(a, b);
    assert.ok(a.includes(500) && a.includes(200));
  });

  it("answers every request with 429 during a rate-limit storm", async () => {
    sandbox.faults.rateLimitStorm = true;
    assert.deepEqual(await statuses(5), [429, 429, 429, 429, 429]);
    sandbox.faults.rateLimitStorm = false;
    assert.deepEqual(await statuses(2), [200, 200]);
  });

  it("drops connections without a response", async () => {
    sandbox.faults.dropRate = 1;
    await assert.rejects(fetch(`${sandbox.url}/stages`, { headers: auth }));
    assert.ok(sandbox.faultCounts.drop >= 1);
  });

  it("applies a write and still answers 500, so the caller cannot know it happened", async () => {
    sandbox.faults.errorAfterWriteRate = 1;
    const admin = [...sandbox.state.users.keys()][0]!;
    const before = sandbox.state.opportunities.size;
    const res = await fetch(`${sandbox.url}/opportunities?perform_as=${admin}`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: "Ghost Write", emails: ["ghost@example.org"] }),
    });
    assert.equal(res.status, 500);
    assert.equal(sandbox.state.opportunities.size, before + 1);
    assert.equal((await fetch(`${sandbox.url}/stages`, { headers: auth })).status, 200, "reads are unaffected");
  });

  it("adds latency and trickles slow bodies that still arrive whole", async () => {
    sandbox.faults.latencyMs = 120;
    let t = performance.now();
    await statuses(1);
    assert.ok(performance.now() - t >= 110);
    delete sandbox.faults.latencyMs;
    const whole = await (await fetch(`${sandbox.url}/stages`, { headers: auth })).text();
    sandbox.faults.slowBodyRate = 1;
    sandbox.faults.slowBodyDelayMs = 20;
    const chunks: number[] = [];
    t = performance.now();
    const body = await new Promise<string>((resolve, reject) => {
      const u = new URL(`${sandbox.url}/stages`);
      request({ host: u.hostname, port: u.port, path: u.pathname, headers: auth }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          chunks.push(c.length);
          text += c.toString();
        });
        res.on("end", () => resolve(text));
      })
        .on("error", reject)
        .end();
    });
    assert.equal(body, whole);
    assert.ok(chunks.length >= Math.floor(whole.length / 64), `${chunks.length} chunks`);
    assert.ok(performance.now() - t >= 20 * (Math.ceil(whole.length / 64) - 1));
  });

  it("limits faults to matching requests", async () => {
    sandbox.faults.errorRate = 1;
    sandbox.faults.match = /^GET \/v1\/users/;
    assert.deepEqual(await statuses(2), [200, 200]);
    assert.deepEqual(await statuses(2, "/users"), [500, 500]);
  });
});
