/** Where the configured Lever connections may send their keys (issue 10, item 10). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "./config.ts";

describe("Lever base URLs in the configuration", () => {
  it("refuses LEVER_API_BASE_URL on loopback over http, saying what is allowed and how to allow another host", () => {
    assert.throws(
      () => loadConfig({ LEVER_API_KEY: "super-secret-key", LEVER_API_BASE_URL: "http://127.0.0.1:9/v1" }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.key, "LEVER_API_BASE_URL");
        assert.match(
          e.message,
          /^LEVER_API_BASE_URL: http:\/\/127\.0\.0\.1:9 is not https\. Lever API keys are only sent over https to api\.lever\.co, api\.eu\.lever\.co, api\.sandbox\.lever\.co\. To use another host .*FULCRUM_LEVER_ALLOWED_HOSTS/,
        );
        assert.doesNotMatch(e.message, /super-secret-key/);
        return true;
      },
    );
  });

  it("refuses a host that is not Lever's even over https, and a connection of the config file by its index", () => {
    assert.throws(
      () => loadConfig({ LEVER_API_KEY: "k", LEVER_API_BASE_URL: "https://lever-proxy.example.com/v1" }),
      /LEVER_API_BASE_URL: lever-proxy\.example\.com is not one of Lever's API hosts/,
    );
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-config-"));
    try {
      const file = join(dir, "fulcrum.config.yaml");
      writeFileSync(
        file,
        "connections:\n  - id: acme\n    apiKey: k\n  - id: globex\n    environment: custom\n    baseUrl: https://10.0.0.5/v1\n    apiKey: k\n",
      );
      assert.throws(
        () => loadConfig({ FULCRUM_CONFIG: file }),
        (e: unknown) => e instanceof ConfigError && e.key === "connections[1].baseUrl" && /10\.0\.0\.5 is not one of Lever's API hosts/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts Lever's own hosts, and another host once FULCRUM_LEVER_ALLOWED_HOSTS lists it", () => {
    assert.equal(loadConfig({ LEVER_API_KEY: "k", LEVER_API_BASE_URL: "https://api.eu.lever.co/v1" }).connections[0]!.baseUrl, "https://api.eu.lever.co/v1");
    const proxied = loadConfig({
      LEVER_API_KEY: "k",
      LEVER_API_BASE_URL: "https://lever-proxy.example.com/v1",
      FULCRUM_LEVER_ALLOWED_HOSTS: "lever-proxy.example.com",
    });
    assert.deepEqual(proxied.leverAllowedHosts, ["lever-proxy.example.com"]);
    const local = loadConfig({ LEVER_API_KEY: "k", LEVER_API_BASE_URL: "http://127.0.0.1:4101/v1", FULCRUM_LEVER_ALLOWED_HOSTS: "http://127.0.0.1:4101" });
    assert.equal(local.connections[0]!.baseUrl, "http://127.0.0.1:4101/v1");
  });

  it("names a malformed FULCRUM_LEVER_ALLOWED_HOSTS entry", () => {
    assert.throws(
      () => loadConfig({ FULCRUM_LEVER_ALLOWED_HOSTS: "http://127.0.0.1:4101/v1" }),
      (e: unknown) =>
        e instanceof ConfigError && e.key === "FULCRUM_LEVER_ALLOWED_HOSTS" && /must be an origin/.test(e.message) && /separated by commas/.test(e.message),
    );
  });
});
