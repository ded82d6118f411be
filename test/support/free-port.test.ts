import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { describe, it } from "node:test";
import { onFreePort } from "./free-port.ts";

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => resolve(s));
  });

describe("starting a test's server on a free port", () => {
  it("tries another port when the one found free was taken in between", async () => {
    const tried: number[] = [];
    let squatter: Server | undefined;
    const server = await onFreePort(async (port) => {
      tried.push(port);
      // Another process takes the first port before this server listens on it.
      if (tried.length === 1) squatter = await listen(port);
      return await listen(port);
    });
    assert.equal(tried.length, 2);
    assert.notEqual(tried[0], tried[1]);
    await new Promise((r) => server.close(r));
    await new Promise((r) => squatter!.close(r));
  });
  it("gives up after the attempts allowed, and passes any other failure on at once", async () => {
    let calls = 0;
    const taken = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
    await assert.rejects(
      onFreePort(async () => {
        calls++;
        throw taken;
      }, 3),
      /EADDRINUSE/,
    );
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      onFreePort(async () => {
        calls++;
        throw new Error("the database is gone");
      }),
      /database is gone/,
    );
    assert.equal(calls, 1);
  });
});
