/** The Lever transport of the registry's clients refuses, before sending, any host the registry would refuse. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { leverBaseUrlProblem } from "../../config/index.ts";
import { LeverHostNotAllowedError } from "../../lever/index.ts";
import { leverClientFactory } from "./lever-wiring.ts";

describe("Lever transport of connection clients", () => {
  it("sends no request, and so no key, to a host that is not allowed, whatever the client was built with", async () => {
    const seen: string[] = [];
    const listener = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader("content-type", "application/json");
      res.end('{"data":[],"hasNext":false}');
    });
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/v1`;
    try {
      const options = { connectionId: "c", baseUrl: url, auth: { kind: "apiKey" as const, apiKey: "secret" }, performAs: undefined };
      const refusing = leverClientFactory({ hostProblem: (u) => leverBaseUrlProblem(u, []) });
      await assert.rejects(
        (async () => {
          for await (const _ of refusing.create(options).listStages()) break;
        })(),
        LeverHostNotAllowedError,
      );
      await assert.rejects(refusing.accountApi(options).probe("GET", "/stages"), LeverHostNotAllowedError);
      assert.deepEqual(seen, [], "the listener got no request");

      const allowing = leverClientFactory({ hostProblem: (u) => leverBaseUrlProblem(u, [new URL(url).origin]) });
      assert.equal((await allowing.accountApi(options).probe("GET", "/stages")).status, 200);
      assert.deepEqual(seen, ["GET /v1/stages"]);
    } finally {
      listener.close();
    }
  });
});
