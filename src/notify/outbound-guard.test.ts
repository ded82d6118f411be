import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { checkOutboundUrl, isPublicAddress, OutboundBlockedError } from "./outbound-guard.ts";
import { postJson, NotifyError } from "./post-json.ts";

describe("outbound guard", () => {
  it("treats private, loopback, link-local and metadata addresses as not public", () => {
    for (const a of [
      "10.1.2.3",
      "127.0.0.1",
      "169.254.169.254",
      "172.16.5.4",
      "192.168.1.1",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "fd00:ec2::254",
    ]) {
      assert.equal(isPublicAddress(a), false, a);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) assert.equal(isPublicAddress(a), true, a);
    assert.equal(isPublicAddress("not-an-ip"), false);
  });

  it("judges IPv6 forms that embed an IPv4 address by that address, and refuses IPv4-compatible ::/96", () => {
    for (const a of [
      "2002:7f00:1::", // 6to4 of 127.0.0.1
      "2002:c0a8:101::1", // 6to4 of 192.168.1.1
      "2002:a9fe:a9fe::", // 6to4 of 169.254.169.254
      "2002:0a00:0001:0:0:0:0:1", // 6to4 of 10.0.0.1, spelt out
      "::127.0.0.1", // IPv4-compatible
      "::7f00:1",
      "::8.8.8.8", // IPv4-compatible is deprecated: refused even for a public IPv4
      "::ffff:7f00:1", // IPv4-mapped, hex spelling
      "0:0:0:0:0:ffff:127.0.0.1",
      "::ffff:0:7f00:1", // IPv4-translated
      "::ffff:169.254.169.254",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2", // Teredo
      "64:ff9b:1::a00:1", // local-use NAT64
    ]) {
      assert.equal(isPublicAddress(a), false, a);
    }
    for (const a of ["2002:808:808::1", "::ffff:808:808", "2a00:1450:4001:82b::200e"]) assert.equal(isPublicAddress(a), true, a);
    assert.throws(() => checkOutboundUrl("https://[2002:7f00:1::1]/x"), /private, loopback or link-local/);
    assert.throws(() => checkOutboundUrl("https://[::127.0.0.1]/x"), /private, loopback or link-local/);
  });

  it("refuses plain http, embedded credentials and private IP literals", () => {
    assert.throws(() => checkOutboundUrl("http://hooks.slack.com/services/SECRET"), /must use https/);
    assert.throws(() => checkOutboundUrl("https://u:p@hooks.slack.com/x"), /user name or password/);
    assert.throws(() => checkOutboundUrl("https://169.254.169.254/latest/meta-data"), /private, loopback or link-local/);
    assert.throws(() => checkOutboundUrl("https://[::1]:8443/x"), OutboundBlockedError);
    assert.throws(() => checkOutboundUrl("not a url"), /not a valid absolute URL/);
  });

  it("allows http and private addresses only for allow-listed hosts", () => {
    assert.equal(checkOutboundUrl("http://127.0.0.1:9/x", { allowHosts: ["127.0.0.1"] }).host, "127.0.0.1:9");
    assert.throws(() => checkOutboundUrl("http://127.0.0.2:9/x", { allowHosts: ["127.0.0.1"] }));
  });

  it("refuses a public-looking host name that resolves to a private address, before sending anything", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      // A DNS answer pointing at loopback: the connection must never be made.
      const lookup = ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
        cb(null, [{ address: "127.0.0.1", family: 4 }])) as never;
      await assert.rejects(postJson(`https://hooks.example.com:${port}/services/T000/B000/SECRETPATH`, { a: 1 }, { lookup }), (e: unknown) => {
        assert.ok(e instanceof NotifyError);
        assert.equal(e.retryable, false);
        assert.match(e.message, /resolves to a private/);
        assert.ok(!e.message.includes("SECRETPATH"));
        return true;
      });
      // The system resolver's answer for localhost is checked the same way.
      await assert.rejects(postJson(`https://localhost:${port}/x`, {}), /resolves to a private/);
      assert.equal(hits, 0);
    } finally {
      server.close();
    }
  });
});
