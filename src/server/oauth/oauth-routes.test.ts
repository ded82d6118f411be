/**
 * The whole OAuth connect flow against a small local stand-in for Lever's token server (the real
 * auth host cannot be reached from tests): start → Lever's authorize page → callback → tokens
 * stored sealed → refresh with rotation.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { createConnectionRegistry, type ConnectionRegistry } from "../../engine/connections/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { oauthRoutes } from "./index.ts";

const ADMIN = "admin-token-for-oauth-tests-0123456789";

/** Lever's token endpoint, as far as this flow needs it: codes, rotation, refusals. */
function fakeTokenServer() {
  const requests: Record<string, string>[] = [];
  let generation = 1;
  let liveRefresh = "";
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      requests.push(form);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url !== "/oauth/token" || req.headers["content-type"] !== "application/x-www-form-urlencoded") return reply(400, { error: "invalid_request" });
      if (form.client_id !== "partner-client" || form.client_secret !== "partner-secret") return reply(401, { error: "invalid_client" });
      if (form.grant_type === "authorization_code") {
        if (form.code !== "good-code" || form.redirect_uri !== "https://fulcrum.example.com/oauth/lever/callback") {
          return reply(403, { error: "invalid_grant", error_description: "Invalid authorization code" });
        }
        liveRefresh = `rt-${generation}`;
        return reply(200, {
          access_token: `at-${generation}`,
          refresh_token: liveRefresh,
          token_type: "Bearer",
          expires_in: 3600,
          scope: "offline_access notes:write:admin",
        });
      }
      if (form.grant_type === "refresh_token") {
        // Rotation: only the latest refresh token works.
        if (form.refresh_token !== liveRefresh) return reply(403, { error: "invalid_grant", error_description: "Unknown or reused refresh token" });
        generation++;
        liveRefresh = `rt-${generation}`;
        return reply(200, { access_token: `at-${generation}`, refresh_token: liveRefresh, token_type: "Bearer", expires_in: 3600 });
      }
      reply(400, { error: "unsupported_grant_type" });
    });
  });
  return {
    server,
    requests,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The admin revoked Fulcrum's access in Lever: no refresh token works any more. */
    revoke: () => {
      liveRefresh = "revoked";
    },
  };
}

for (const engine of await testEngines()) {
  describe(`OAuth connect flow on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let registry: ConnectionRegistry;
    let app: Hono;
    const lever = fakeTokenServer();

    before(async () => {
      t = await openTestDatabase(engine.kind);
      await new Promise<void>((r) => lever.server.listen(0, "127.0.0.1", r));
      registry = createConnectionRegistry({ db: t.db, config: { connections: [] }, secretKey: randomBytes(32), logger: silentLogger });
      await registry.add({
        id: "partner",
        environment: "sandbox",
        oauth: {
          clientId: "partner-client",
          clientSecret: "partner-secret",
          redirectUri: "https://fulcrum.example.com/oauth/lever/callback",
          hosts: { authorizeUrl: `${lever.url()}/authorize`, tokenUrl: `${lever.url()}/oauth/token`, audience: "https://api.sandbox.lever.co/v1/" },
        },
      });
      await registry.add({ id: "keyed", apiKey: "k" });
      app = new Hono();
      app.route("/oauth", oauthRoutes({ registry, logger: silentLogger, adminToken: ADMIN }));
    });
    after(async () => {
      lever.server.close();
      await t?.drop();
    });

    const start = async (id = "partner") => {
      const res = await app.request(`/oauth/lever/start?connection=${id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(res.status, 302);
      return new URL(res.headers.get("location")!);
    };

    it("refuses to start without an admin, and for unknown or API-key connections", async () => {
      assert.equal((await app.request("/oauth/lever/start?connection=partner")).status, 403);
      assert.equal(
        (await app.request("/oauth/lever/start?connection=partner", { headers: { authorization: "Bearer wrong-token-wrong-token-wrong" } })).status,
        403,
      );
      const unknown = await app.request("/oauth/lever/start?connection=nope", { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(unknown.status, 404);
      const keyed = await app.request("/oauth/lever/start?connection=keyed", { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(keyed.status, 400);
      assert.match(await keyed.text(), /uses an API key/);
    });

    it("redirects to Lever's authorize page with state, audience and offline_access", async () => {
      const url = await start();
      assert.equal(url.origin + url.pathname, `${lever.url()}/authorize`);
      assert.equal(url.searchParams.get("client_id"), "partner-client");
      assert.equal(url.searchParams.get("redirect_uri"), "https://fulcrum.example.com/oauth/lever/callback");
      assert.equal(url.searchParams.get("response_type"), "code");
      assert.equal(url.searchParams.get("audience"), "https://api.sandbox.lever.co/v1/");
      assert.ok(url.searchParams.get("scope")!.split(" ").includes("offline_access"));
      assert.ok((url.searchParams.get("state") ?? "").length >= 40);
      const stored = await t.db.query<{ state_hash: string }>("select state_hash from oauth_states");
      assert.ok(
        stored.rows.every((r) => r.state_hash !== url.searchParams.get("state")),
        "only a hash of the state is kept",
      );
    });

    it("exchanges the code on the callback and stores the tokens sealed; the link cannot be replayed", async () => {
      const state = (await start()).searchParams.get("state")!;
      const res = await app.request(`/oauth/lever/callback?state=${state}&code=good-code`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /Connection &quot;partner&quot; is connected to Lever/);
      const exchange = lever.requests.at(-1)!;
      assert.equal(exchange.grant_type, "authorization_code");
      assert.equal(exchange.redirect_uri, "https://fulcrum.example.com/oauth/lever/callback");
      assert.equal(await registry.accessToken("partner"), "at-1");
      const sealed = await t.db.query<{ access_token_encrypted: string; refresh_token_encrypted: string }>(
        "select * from connection_oauth_tokens where connection_id = 'partner'",
      );
      assert.ok(!JSON.stringify(sealed.rows).includes("at-1") && !JSON.stringify(sealed.rows).includes("rt-1"));
      assert.equal((await registry.get("partner"))!.oauthConnected, true);
      const replay = await app.request(`/oauth/lever/callback?state=${state}&code=good-code`);
      assert.equal(replay.status, 400);
      assert.match(await replay.text(), /unknown or was already used/);
    });

    it("refreshes an expired access token with the rotated refresh token", async () => {
      await t.db.query("update connection_oauth_tokens set expires_at = now() where connection_id = 'partner'");
      assert.equal(await registry.accessToken("partner"), "at-2");
      assert.equal(lever.requests.at(-1)!.refresh_token, "rt-1");
      await t.db.query("update connection_oauth_tokens set expires_at = now() where connection_id = 'partner'");
      assert.equal(await registry.accessToken("partner"), "at-3");
      assert.equal(lever.requests.at(-1)!.refresh_token, "rt-2", "the rotated token was stored and used");
    });

    it("leaves the connection unchanged when the admin declines access", async () => {
      const before = await t.db.query<{ generation: number }>("select generation from connection_oauth_tokens where connection_id = 'partner'");
      const state = (await start()).searchParams.get("state")!;
      const res = await app.request(`/oauth/lever/callback?state=${state}&error=access_denied&error_description=User+declined`);
      assert.equal(res.status, 400);
      const text = await res.text();
      assert.match(text, /Access declined/);
      assert.match(text, /unchanged/);
      const afterRows = await t.db.query<{ generation: number }>("select generation from connection_oauth_tokens where connection_id = 'partner'");
      assert.deepEqual(afterRows.rows, before.rows);
    });

    it("rejects an unknown state, an expired state and a code Lever refuses", async () => {
      const unknown = await app.request("/oauth/lever/callback?state=made-up&code=good-code");
      assert.equal(unknown.status, 400);
      const missing = await app.request("/oauth/lever/callback?code=good-code");
      assert.equal(missing.status, 400);

      const expired = (await start()).searchParams.get("state")!;
      await t.db.query("update oauth_states set expires_at = now() - interval '1 minute'");
      const late = await app.request(`/oauth/lever/callback?state=${expired}&code=good-code`);
      assert.equal(late.status, 400);
      assert.match(await late.text(), /expired/);

      const refused = (await start()).searchParams.get("state")!;
      const bad = await app.request(`/oauth/lever/callback?state=${refused}&code=bad-code`);
      assert.equal(bad.status, 502);
      assert.match(await bad.text(), /invalid_grant/);
      assert.equal(await registry.accessToken("partner"), "at-3", "stored tokens are untouched by a failed exchange");
    });

    it("tells the admin to connect again when Lever no longer accepts the refresh token", async () => {
      lever.revoke();
      await t.db.query("update connection_oauth_tokens set expires_at = now() where connection_id = 'partner'");
      await assert.rejects(registry.accessToken("partner"), /invalid_grant.*connect again at \/oauth\/lever\/start\?connection=partner/);
    });
  });
}
