import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { loadConfig } from "../../config/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import type { LeverAccountApi, LeverClientFactory, LeverOAuthHttp, OAuthClientSettings } from "./ports.ts";
import { ConnectionError, createRegistry } from "./registry.ts";
import { oauthRefreshes } from "./metrics.ts";
import { createSecretBox } from "./secret-box.ts";

async function refreshCount(connection: string, outcome: string): Promise<number> {
  const metric = await oauthRefreshes.get();
  return metric.values.find((v) => v.labels.connection === connection && v.labels.outcome === outcome)?.value ?? 0;
}

/** Records the clients the registry asks for; account calls are not used by these tests. */
function recordingFactory() {
  const made: Parameters<LeverClientFactory<unknown>["create"]>[0][] = [];
  const factory: LeverClientFactory<{ options: (typeof made)[number] }> = {
    create(options) {
      made.push(options);
      return { options };
    },
    accountApi(): LeverAccountApi {
      throw new Error("not used in this test");
    },
  };
  return { made, factory };
}

/** An OAuth token endpoint stand-in that rotates refresh tokens and counts refreshes. */
function rotatingOAuth(delayMs = 30) {
  let refreshes = 0;
  const seenRefreshTokens: string[] = [];
  const http: LeverOAuthHttp = {
    buildAuthorizeUrl: (s: OAuthClientSettings, state: string) => `${s.authorizeUrl}?state=${state}`,
    exchangeCode: async () => ({ accessToken: "access-0", refreshToken: "refresh-0", expiresIn: 3600 }),
    async refreshTokens(_s, refreshToken) {
      seenRefreshTokens.push(refreshToken);
      await new Promise((r) => setTimeout(r, delayMs));
      refreshes++;
      return { accessToken: `access-${refreshes}`, refreshToken: `refresh-${refreshes}`, expiresIn: 3600 };
    },
  };
  return { http, count: () => refreshes, seenRefreshTokens };
}

for (const engine of await testEngines()) {
  describe(`connection registry on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    const boxKey = randomBytes(32);
    const box = createSecretBox(boxKey);
    before(async () => {
      t = await openTestDatabase(engine.kind);
    });
    after(() => t?.drop());

    const make = (extra: Partial<Parameters<typeof createRegistry>[0]> = {}) => {
      const { made, factory } = recordingFactory();
      const registry = createRegistry({ db: t.db, secretBox: box, logger: silentLogger, lever: factory, oauthHttp: rotatingOAuth().http, ...extra });
      return { registry, made };
    };

    it("stores the single-account LEVER_* connection from config with its tokens sealed", async () => {
      const config = loadConfig({
        LEVER_API_KEY: "lever-secret-key",
        LEVER_API_BASE_URL: "https://api.sandbox.lever.co/v1",
        LEVER_WEBHOOK_SIGNATURE_TOKEN: "token-all",
        LEVER_WEBHOOK_SIGNATURE_TOKEN_CANDIDATE_STAGE_CHANGE: "token-stage",
        LEVER_PERFORM_AS: "ops@example.com",
      });
      const { registry } = make({ configConnections: config.connections });
      const [conn] = await registry.upsertFromConfig();
      assert.equal(conn!.id, "default");
      assert.equal(conn!.environment, "sandbox");
      assert.equal(conn!.baseUrl, "https://api.sandbox.lever.co/v1");
      assert.equal(conn!.source, "config");
      assert.equal(conn!.performAsEmail, "ops@example.com");
      const raw = await t.db.query<{ credentials_encrypted: string }>("select credentials_encrypted from connections where id = 'default'");
      assert.ok(!raw.rows[0]!.credentials_encrypted.includes("lever-secret-key"));
      const tokens = await t.db.query<{ token_encrypted: string }>("select token_encrypted from webhook_tokens where connection_id = 'default'");
      assert.ok(tokens.rows.every((r) => !r.token_encrypted.includes("token-")));
      assert.deepEqual(await registry.credentials("default"), { kind: "apiKey", apiKey: "lever-secret-key" });
      assert.equal(await registry.exists("default"), true);
      assert.equal(await registry.exists("nope"), false);
      assert.deepEqual((await registry.signatureTokens("default", "candidateStageChange")).sort(), ["token-all", "token-stage"]);
      assert.deepEqual(await registry.signatureTokens("default", "candidateHired"), ["token-all"]);
      assert.deepEqual(await registry.signatureTokens("nope", "candidateHired"), []);
    });

    it("applies config again on restart without duplicating tokens, replacing the set", async () => {
      const config = loadConfig({ LEVER_API_KEY: "k2", LEVER_WEBHOOK_SIGNATURE_TOKEN_CANDIDATE_HIRED: "hired-only" });
      const { registry } = make({ configConnections: config.connections });
      await registry.upsertFromConfig();
      await registry.upsertFromConfig();
      assert.deepEqual(await registry.signatureTokens("default", "candidateHired"), ["hired-only"]);
      assert.deepEqual(await registry.signatureTokens("default", "candidateStageChange"), []);
      assert.equal((await registry.get("default"))!.environment, "production");
      assert.equal((await registry.get("default"))!.baseUrl, "https://api.lever.co/v1");
    });

    it("holds several accounts, refuses a duplicate id unless replacing, and removes one with its tokens", async () => {
      const { registry } = make({ allowedLeverHosts: ["lever.internal.example"] });
      await registry.add({ id: "acme", name: "Acme", environment: "eu", apiKey: "acme-key", webhookSignatureTokens: { "*": "acme-tok" } });
      await registry.add({ id: "globex", environment: "custom", baseUrl: "https://lever.internal.example/v1/", apiKey: "g" });
      await assert.rejects(registry.add({ id: "acme", apiKey: "other" }), (e: unknown) => {
        assert.ok(e instanceof ConnectionError);
        assert.match(e.message, /already exists.*--replace/);
        return true;
      });
      assert.deepEqual(await registry.credentials("acme"), { kind: "apiKey", apiKey: "acme-key" }, "a refused add changes nothing");
      await assert.rejects(registry.add({ id: "bad", environment: "custom", apiKey: "x" }), /needs a baseUrl/);
      const ids = (await registry.list()).map((c) => c.id);
      assert.ok(ids.includes("acme") && ids.includes("globex"));
      assert.equal((await registry.get("acme"))!.baseUrl, "https://api.eu.lever.co/v1");
      assert.equal((await registry.get("globex"))!.baseUrl, "https://lever.internal.example/v1");
      assert.equal(await registry.remove("acme"), true);
      assert.equal(await registry.exists("acme"), false);
      const left = await t.db.query("select 1 from webhook_tokens where connection_id = 'acme'");
      assert.equal(left.rows.length, 0);
    });

    it("refuses a connection whose base URL is not one of Lever's API hosts over https, saying what is allowed, and stores nothing", async () => {
      const { registry } = make();
      for (const baseUrl of ["http://127.0.0.1:9/v1", "https://lever.internal.example/v1", "http://api.lever.co/v1", "https://api.lever.co.evil.example/v1"]) {
        await assert.rejects(registry.add({ id: "stolen", environment: "production", baseUrl, apiKey: "secret-key" }), (e: unknown) => {
          assert.ok(e instanceof ConnectionError);
          assert.match(
            e.message,
            /connection "stolen": .* (is not https|is not one of Lever's API hosts)\. Lever API keys are only sent over https to api\.lever\.co, api\.eu\.lever\.co, api\.sandbox\.lever\.co\. To use another host .* FULCRUM_LEVER_ALLOWED_HOSTS/,
          );
          assert.doesNotMatch(e.message, /secret-key/);
          return true;
        });
      }
      assert.equal(await registry.exists("stolen"), false);
    });

    it("gives no client for a stored connection whose host is no longer allowed", async () => {
      const allowed = make({ allowedLeverHosts: ["lever.internal.example"] });
      await allowed.registry.add({ id: "proxied", environment: "custom", baseUrl: "https://lever.internal.example/v1", apiKey: "p" });
      const { registry, made } = make();
      await assert.rejects(registry.client("proxied"), /connection "proxied": lever\.internal\.example is not one of Lever's API hosts/);
      assert.equal(made.length, 0, "no client was made, so no request could carry the key");
    });

    it("keeps one token per API-made webhook and routes them to their event", async () => {
      const { registry } = make();
      await registry.add({ id: "hooks", apiKey: "k" });
      await registry.storeWebhookToken("hooks", { event: "candidateHired", token: "wh1", webhookId: "w-1", url: "https://x.example/webhooks/lever/hooks" });
      await registry.storeWebhookToken("hooks", { event: "candidateHired", token: "wh1b", webhookId: "w-1", url: "https://x.example/webhooks/lever/hooks" });
      await registry.storeWebhookToken("hooks", { event: "candidateStageChange", token: "wh2", webhookId: "w-2" });
      await registry.storeWebhookToken("hooks", { event: "candidateHired", token: "settings-hired" });
      assert.deepEqual(await registry.signatureTokens("hooks", "candidateHired"), ["wh1b", "settings-hired"]);
      await registry.removeWebhookToken("hooks", "w-1");
      assert.deepEqual(await registry.signatureTokens("hooks", "candidateHired"), ["settings-hired"]);
      const shown = (await registry.get("hooks"))!.webhookTokens;
      assert.ok(!JSON.stringify(shown).includes("wh2"), "tokens are never shown");
    });

    it("gives a clear error when stored credentials were sealed with another key", async () => {
      const { registry } = make();
      await registry.add({ id: "rekeyed", apiKey: "k" });
      const other = createRegistry({
        db: t.db,
        secretBox: createSecretBox(randomBytes(32)),
        logger: silentLogger,
        lever: recordingFactory().factory,
        oauthHttp: rotatingOAuth().http,
      });
      await assert.rejects(other.credentials("rekeyed"), /rekeyed.*another key.*FULCRUM_SECRET_KEY/);
    });

    it("builds clients with the connection's base URL and API key", async () => {
      const { registry, made } = make();
      await registry.add({ id: "plain", environment: "sandbox", apiKey: "plain-key" });
      await registry.client("plain");
      assert.deepEqual(made.at(-1), {
        connectionId: "plain",
        baseUrl: "https://api.sandbox.lever.co/v1",
        auth: { kind: "apiKey", apiKey: "plain-key" },
        performAs: undefined,
      });
    });

    it("refreshes an expiring OAuth token once under concurrency, across registries, and stores the rotated refresh token", async () => {
      const oauth = rotatingOAuth(50);
      const a = make({ oauthHttp: oauth.http }).registry;
      const b = make({ oauthHttp: oauth.http }).registry;
      await a.add({
        id: "oa",
        environment: "sandbox",
        oauth: { clientId: "cid", clientSecret: "csecret", redirectUri: "https://f.example/oauth/lever/callback" },
      });
      await assert.rejects(a.accessToken("oa"), /not connected to Lever yet.*\/oauth\/lever\/start\?connection=oa/);
      // A token that expires in 10 s is inside the refresh margin.
      await a.storeOAuthTokens("oa", { accessToken: "access-old", refreshToken: "refresh-old", expiresIn: 10 });
      const refreshedBefore = await refreshCount("oa", "refreshed");
      const tokens = await Promise.all([a.accessToken("oa"), a.accessToken("oa"), b.accessToken("oa"), b.accessToken("oa")]);
      assert.equal(oauth.count(), 1);
      assert.equal((await refreshCount("oa", "refreshed")) - refreshedBefore, 1, "the metric counts the one refresh");
      assert.deepEqual(new Set(tokens), new Set(["access-1"]));
      assert.deepEqual(oauth.seenRefreshTokens, ["refresh-old"]);
      const sealed = await t.db.query<{ refresh_token_encrypted: string; generation: number }>(
        "select refresh_token_encrypted, generation from connection_oauth_tokens where connection_id = 'oa'",
      );
      assert.ok(!sealed.rows[0]!.refresh_token_encrypted.includes("refresh-1"));
      assert.equal(sealed.rows[0]!.generation, 2);
      // Still fresh: no further refresh.
      assert.equal(await b.accessToken("oa"), "access-1");
      assert.equal(oauth.count(), 1);
      // Expire again: the next refresh spends the rotated token.
      await t.db.query("update connection_oauth_tokens set expires_at = now() where connection_id = 'oa'");
      assert.equal(await a.accessToken("oa"), "access-2");
      assert.deepEqual(oauth.seenRefreshTokens, ["refresh-old", "refresh-1"]);
    });

    it("an OAuth client asks for tokens through the registry", async () => {
      const { registry, made } = make();
      await registry.add({ id: "ob", oauth: { clientId: "c", clientSecret: "s", redirectUri: "https://f.example/cb" } });
      await registry.storeOAuthTokens("ob", { accessToken: "tok-ob", refreshToken: "r", expiresIn: 3600 });
      await registry.client("ob");
      const auth = made.at(-1)!.auth;
      assert.equal(auth.kind, "oauth");
      assert.equal(auth.kind === "oauth" && (await auth.getAccessToken()), "tok-ob");
      const settings = await registry.oauthSettings("ob");
      assert.equal(settings.tokenUrl, "https://auth.lever.co/oauth/token");
      assert.equal((await registry.get("ob"))!.oauthConnected, true);
    });

    it("re-seals every stored secret with a new key after a rotation", async () => {
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const factory = recordingFactory().factory;
      const before = createRegistry({ db: t.db, secretBox: createSecretBox(oldKey), logger: silentLogger, lever: factory, oauthHttp: rotatingOAuth().http });
      await before.add({ id: "rot", apiKey: "rot-key", webhookSignatureTokens: { "*": "rot-token" } });
      await before.add({ id: "rot-oauth", oauth: { clientId: "c", clientSecret: "s", redirectUri: "https://f.example/cb" } });
      await before.storeOAuthTokens("rot-oauth", { accessToken: "rot-access", refreshToken: "rot-refresh", expiresIn: 3600 });
      // Sealed with a key nobody has any more.
      await createRegistry({
        db: t.db,
        secretBox: createSecretBox(randomBytes(32)),
        logger: silentLogger,
        lever: factory,
        oauthHttp: rotatingOAuth().http,
      }).add({ id: "lost", apiKey: "gone" });
      const during = createRegistry({
        db: t.db,
        secretBox: createSecretBox(newKey, { previous: [oldKey, boxKey] }),
        logger: silentLogger,
        lever: factory,
        oauthHttp: rotatingOAuth().http,
      });
      assert.deepEqual(await during.credentials("rot"), { kind: "apiKey", apiKey: "rot-key" }, "old secrets open during the rotation");
      const counts = await during.rekey();
      assert.ok(counts.credentials >= 2 && counts.webhookTokens >= 1 && counts.oauthTokens >= 1, JSON.stringify(counts));
      // What no known key opens is reported and left alone.
      assert.deepEqual(counts.unreadable, ["lost:credentials"]);
      assert.deepEqual(await during.rekey(), { credentials: 0, webhookTokens: 0, oauthTokens: 0, unreadable: ["lost:credentials"] }, "nothing left to re-seal");
      const after = createRegistry({ db: t.db, secretBox: createSecretBox(newKey), logger: silentLogger, lever: factory, oauthHttp: rotatingOAuth().http });
      assert.deepEqual(await after.credentials("rot"), { kind: "apiKey", apiKey: "rot-key" });
      assert.deepEqual(await after.signatureTokens("rot", "candidateHired"), ["rot-token"]);
      assert.equal(await after.accessToken("rot-oauth"), "rot-access");
      await after.remove("rot");
      await after.remove("rot-oauth");
    });
  });
}
