import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { leverBaseUrlProblem, parseAllowedLeverHosts } from "../config/index.ts";
import { assertLeverBaseUrl, LeverHostNotAllowedError } from "./api-hosts.ts";

describe("where a Lever key may be sent", () => {
  it("allows Lever's production, EU and sandbox API hosts over https", () => {
    for (const url of ["https://api.lever.co/v1", "https://api.eu.lever.co/v1", "https://api.sandbox.lever.co/v1/", "https://API.LEVER.CO/v1"]) {
      assert.equal(leverBaseUrlProblem(url), undefined, url);
    }
  });

  it("refuses plain http, other ports, look-alike hosts, loopback and URLs carrying credentials", () => {
    assert.match(leverBaseUrlProblem("http://api.lever.co/v1")!, /http:\/\/api\.lever\.co is not https/);
    assert.match(leverBaseUrlProblem("https://api.lever.co:8443/v1")!, /api\.lever\.co:8443 is not one of Lever's API hosts/);
    assert.match(leverBaseUrlProblem("https://api.lever.co.evil.example/v1")!, /not one of Lever's API hosts/);
    assert.match(leverBaseUrlProblem("https://evilapi.lever.co/v1")!, /not one of Lever's API hosts/);
    assert.match(leverBaseUrlProblem("http://127.0.0.1:9/v1")!, /http:\/\/127\.0\.0\.1:9 is not https/);
    assert.match(leverBaseUrlProblem("https://[::1]/v1")!, /not one of Lever's API hosts/);
    assert.match(leverBaseUrlProblem("https://user:pw@api.lever.co/v1")!, /may not carry a user or password/);
    assert.match(leverBaseUrlProblem("not a url")!, /is not a URL/);
  });

  it("allows a listed host over https, and a listed origin exactly, nothing more", () => {
    const allowed = parseAllowedLeverHosts("lever-proxy.example.com, gateway.example.com:8443 http://127.0.0.1:4101");
    assert.deepEqual(allowed, ["lever-proxy.example.com", "gateway.example.com:8443", "http://127.0.0.1:4101"]);
    assert.equal(leverBaseUrlProblem("https://lever-proxy.example.com/v1", allowed), undefined);
    assert.equal(leverBaseUrlProblem("https://gateway.example.com:8443/v1", allowed), undefined);
    assert.equal(leverBaseUrlProblem("http://127.0.0.1:4101/v1", allowed), undefined);
    assert.match(leverBaseUrlProblem("http://lever-proxy.example.com/v1", allowed)!, /is not https/);
    assert.match(leverBaseUrlProblem("https://gateway.example.com/v1", allowed)!, /not one of Lever's API hosts/);
    assert.match(leverBaseUrlProblem("http://127.0.0.1:4102/v1", allowed)!, /is not https/);
    assert.match(leverBaseUrlProblem("http://localhost:4101/v1", allowed)!, /is not https/);
  });

  it("names a bad entry of the allow-list", () => {
    assert.throws(() => parseAllowedLeverHosts("ok.example.com, http://127.0.0.1:4101/v1"), /"http:\/\/127\.0\.0\.1:4101\/v1" must be an origin/);
    assert.throws(() => parseAllowedLeverHosts("bad host/path"), /"host\/path" is not a host or host:port/);
  });

  it("throws an error that says what is allowed and how to allow another host", () => {
    assert.throws(
      () => assertLeverBaseUrl("http://127.0.0.1:9/v1"),
      (e: unknown) =>
        e instanceof LeverHostNotAllowedError &&
        /api\.lever\.co, api\.eu\.lever\.co, api\.sandbox\.lever\.co/.test(e.message) &&
        /FULCRUM_LEVER_ALLOWED_HOSTS/.test(e.message),
    );
  });
});
