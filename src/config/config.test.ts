import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadConfig, ConfigError } from "./config.ts";

describe("loadConfig", () => {
  it("uses the documented defaults and the sandbox when no Lever credentials are set", () => {
    const c = loadConfig({});
    assert.equal(c.port, 4100);
    assert.equal(c.dataDir, ".fulcrum");
    assert.equal(c.modeCeiling, "auto");
    assert.equal(c.sandbox.enabled, true);
    assert.deepEqual(c.connections, []);
  });

  it("trusts X-Forwarded-For for the booking page's limits only when FULCRUM_TRUST_PROXY says so", () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ FULCRUM_TRUST_PROXY: "true" }).trustProxy, true);
  });

  it("keeps archives waiting for a person unless FULCRUM_AUTO_ARCHIVE allows auto", () => {
    assert.equal(loadConfig({}).policy?.autoArchive, false);
    assert.equal(loadConfig({ FULCRUM_AUTO_ARCHIVE: "true" }).policy?.autoArchive, true);
    assert.throws(() => loadConfig({ FULCRUM_AUTO_ARCHIVE: "sometimes" }), /FULCRUM_AUTO_ARCHIVE.*"sometimes" is not true or false/);
  });

  it("builds the default connection from LEVER_* variables, with per-event tokens", () => {
    const c = loadConfig({
      LEVER_API_KEY: "k",
      LEVER_API_BASE_URL: "https://api.sandbox.lever.co/v1",
      LEVER_WEBHOOK_SIGNATURE_TOKEN: "all",
      LEVER_WEBHOOK_SIGNATURE_TOKEN_CANDIDATE_STAGE_CHANGE: "stage",
      LEVER_PERFORM_AS: "ops@example.com",
    });
    assert.equal(c.sandbox.enabled, false);
    const conn = c.connections[0]!;
    assert.equal(conn.id, "default");
    assert.equal(conn.environment, "sandbox");
    assert.deepEqual(conn.webhookSignatureTokens, { "*": "all", candidateStageChange: "stage" });
    assert.equal(conn.performAs, "ops@example.com");
  });

  it("rejects a non-numeric PORT naming the key, the value and the fix", () => {
    assert.throws(
      () => loadConfig({ PORT: "eighty" }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.key, "PORT");
        assert.match(e.message, /"eighty" is not a whole number.*PORT=4100/);
        return true;
      },
    );
  });

  it("rejects an unknown mode ceiling", () => {
    assert.throws(() => loadConfig({ FULCRUM_MODE_CEILING: "yolo" }), /FULCRUM_MODE_CEILING.*"yolo".*shadow, assist or auto/);
  });

  it("rejects a bad Lever base URL without printing the API key", () => {
    assert.throws(
      () => loadConfig({ LEVER_API_KEY: "super-secret-key", LEVER_API_BASE_URL: "not a url" }),
      (e: unknown) => e instanceof ConfigError && e.key === "LEVER_API_BASE_URL" && !e.message.includes("super-secret-key"),
    );
  });

  it("anchors the audit chain every 15 minutes into the data folder unless FULCRUM_AUDIT_ANCHOR_* say otherwise", () => {
    assert.deepEqual(loadConfig({ FULCRUM_DATA_DIR: "/srv/fulcrum" }).auditAnchor, { dir: "/srv/fulcrum/audit-anchors", intervalSeconds: 900 });
    assert.deepEqual(loadConfig({ FULCRUM_AUDIT_ANCHOR_DIR: "/mnt/worm", FULCRUM_AUDIT_ANCHOR_INTERVAL: "60" }).auditAnchor, {
      dir: "/mnt/worm",
      intervalSeconds: 60,
    });
    assert.throws(() => loadConfig({ FULCRUM_AUDIT_ANCHOR_INTERVAL: "5" }), /FULCRUM_AUDIT_ANCHOR_INTERVAL: 5 is not valid .*at least 10/);
    assert.throws(() => loadConfig({ FULCRUM_AUDIT_ANCHOR_INTERVAL: "15m" }), /FULCRUM_AUDIT_ANCHOR_INTERVAL: "15m" is not a whole number/);
  });

  it("reads the previous secret key of a rotation from FULCRUM_SECRET_KEY_PREVIOUS", () => {
    const c = loadConfig({ FULCRUM_SECRET_KEY: "a".repeat(64), FULCRUM_SECRET_KEY_PREVIOUS: "b".repeat(64) });
    assert.equal(c.secretKey, "a".repeat(64));
    assert.equal(c.secretKeyPrevious, "b".repeat(64));
  });

  it("refuses LEVER_* variables without an API key instead of silently using the sandbox", () => {
    assert.throws(() => loadConfig({ LEVER_WEBHOOK_SIGNATURE_TOKEN: "x" }), /LEVER_API_KEY/);
  });

  it("reads console single sign-on from FULCRUM_OIDC_* and names the variable of a bad issuer", () => {
    assert.equal(loadConfig({}).oidc, undefined);
    const c = loadConfig({ FULCRUM_OIDC_ISSUER: "https://id.example.com", FULCRUM_OIDC_CLIENT_ID: "fulcrum", FULCRUM_OIDC_NAME: "Okta" });
    assert.deepEqual(c.oidc, { issuer: "https://id.example.com", clientId: "fulcrum", clientSecret: undefined, name: "Okta" });
    assert.throws(
      () => loadConfig({ FULCRUM_OIDC_ISSUER: "not a url", FULCRUM_OIDC_CLIENT_ID: "x" }),
      (e: unknown) => e instanceof ConfigError && e.key === "FULCRUM_OIDC_ISSUER",
    );
    assert.throws(
      () => loadConfig({ FULCRUM_OIDC_CLIENT_ID: "x" }),
      (e: unknown) => e instanceof ConfigError && e.key === "FULCRUM_OIDC_ISSUER",
    );
  });
  it("reads outgoing e-mail from FULCRUM_SMTP_URL and FULCRUM_SMTP_FROM, requiring TLS unless told otherwise", () => {
    assert.equal(loadConfig({}).smtp, undefined);
    const c = loadConfig({
      FULCRUM_SMTP_URL: "smtp://mailer%40example.com:p%40ss%3Aword@mail.example.com:2525",
      FULCRUM_SMTP_FROM: "Recruiting <recruiting@example.com>",
    });
    assert.deepEqual(c.smtp, {
      host: "mail.example.com",
      port: 2525,
      secure: false,
      requireTls: true,
      allowSelfSigned: false,
      user: "mailer@example.com",
      password: "p@ss:word",
      from: "Recruiting <recruiting@example.com>",
    });
    const tls = loadConfig({ FULCRUM_SMTP_URL: "smtps://relay.example.com", FULCRUM_SMTP_FROM: "fulcrum@example.com", FULCRUM_SMTP_REQUIRE_TLS: "false" });
    assert.equal(tls.smtp?.port, 465);
    assert.equal(tls.smtp?.secure, true);
    assert.equal(tls.smtp?.requireTls, false);
    assert.equal(tls.smtp?.user, undefined);
    assert.equal(loadConfig({ FULCRUM_SMTP_URL: "smtp://relay.example.com", FULCRUM_SMTP_FROM: "f@example.com" }).smtp?.port, 587);
  });

  it("rejects bad SMTP settings naming the variable and never repeating the password", () => {
    const secret = "hunter2-very-secret";
    const rejects = (env: Record<string, string>, key: string, pattern: RegExp) =>
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.equal(e.key, key);
          assert.match(e.message, pattern);
          assert.ok(!e.message.includes(secret), e.message);
          return true;
        },
      );
    const from = { FULCRUM_SMTP_FROM: "f@example.com" };
    rejects({ ...from, FULCRUM_SMTP_URL: `https://u:${secret}@mail.example.com` }, "FULCRUM_SMTP_URL", /only smtp:\/\/ and smtps:\/\//);
    rejects({ ...from, FULCRUM_SMTP_URL: `smtp://u:${secret}@mail.example.com:99999` }, "FULCRUM_SMTP_URL", /is not a URL/);
    rejects({ ...from, FULCRUM_SMTP_URL: `smtp://u:${secret}@mail.example.com/inbox` }, "FULCRUM_SMTP_URL", /path/);
    rejects({ ...from, FULCRUM_SMTP_URL: `smtp://:${secret}@mail.example.com` }, "FULCRUM_SMTP_URL", /password but no user/);
    rejects({ ...from, FULCRUM_SMTP_URL: `smtp:${secret}` }, "FULCRUM_SMTP_URL", /no host/);
    rejects({ FULCRUM_SMTP_URL: `smtp://u:${secret}@mail.example.com` }, "FULCRUM_SMTP_FROM", /is not set/);
    rejects({ FULCRUM_SMTP_URL: `smtp://u:${secret}@mail.example.com`, FULCRUM_SMTP_FROM: "Recruiting" }, "FULCRUM_SMTP_FROM", /not an e-mail address/);
    rejects(
      { FULCRUM_SMTP_URL: `smtp://u:${secret}@mail.example.com`, FULCRUM_SMTP_FROM: "a@example.com\r\nBcc: x@example.com" },
      "FULCRUM_SMTP_FROM",
      /not an e-mail address/,
    );
    rejects(
      { ...from, FULCRUM_SMTP_URL: `smtp://u:${secret}@mail.example.com`, FULCRUM_SMTP_REQUIRE_TLS: "maybe" },
      "FULCRUM_SMTP_REQUIRE_TLS",
      /true or false/,
    );
    rejects({ ...from }, "FULCRUM_SMTP_URL", /is not set, but FULCRUM_SMTP_FROM is/);
  });
});
