import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { buildAuthorizeUrl, exchangeCode, LEVER_OAUTH_HOSTS, LeverOAuthError, readAuthorizeCallback, refreshTokens } from "./oauth.ts";
import { send, startTestServer, type TestServer } from "./test-server.ts";

let server: TestServer;
let hosts: { authorizeUrl: string; tokenUrl: string; audience: string };
before(async () => {
  server = await startTestServer("");
  hosts = { authorizeUrl: `${server.url}/authorize`, tokenUrl: `${server.url}/oauth/token`, audience: "https://api.lever.co/v1/" };
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe("Lever OAuth", () => {
  it("builds the authorize URL on Lever's production and sandbox hosts with audience, scopes and state", () => {
    const url = new URL(
      buildAuthorizeUrl({
        environment: "production",
        clientId: "cid",
        redirectUri: "https://f.example/cb",
        state: "s1",
        scopes: ["offline_access", "notes:write:admin"],
        prompt: "consent",
      }),
    );
    assert.equal(url.origin + url.pathname, "https://auth.lever.co/authorize");
    assert.equal(url.searchParams.get("response_type"), "code");
    assert.equal(url.searchParams.get("audience"), "https://api.lever.co/v1/");
    assert.equal(url.searchParams.get("scope"), "offline_access notes:write:admin");
    assert.equal(url.searchParams.get("state"), "s1");
    assert.equal(url.searchParams.get("redirect_uri"), "https://f.example/cb");
    assert.equal(url.searchParams.get("prompt"), "consent");
    const sandbox = new URL(buildAuthorizeUrl({ environment: "sandbox", clientId: "cid", redirectUri: "https://f.example/cb", state: "s", scopes: [] }));
    assert.equal(sandbox.host, "sandbox-lever.auth0.com");
    assert.equal(sandbox.searchParams.get("audience"), LEVER_OAUTH_HOSTS.sandbox.audience);
    assert.throws(() => buildAuthorizeUrl({ environment: "production", clientId: "c", redirectUri: "r", state: "", scopes: [] }), /state is required/);
  });

  it("reads the callback's code only when the state matches, and reports a refusal", () => {
    assert.deepEqual(readAuthorizeCallback(new URLSearchParams("state=abc&code=xyz"), "abc"), { code: "xyz" });
    assert.throws(() => readAuthorizeCallback(new URLSearchParams("state=abd&code=xyz"), "abc"), /does not match/);
    assert.throws(
      () => readAuthorizeCallback(new URLSearchParams("state=abc&error=access_denied&error_description=User+said+no"), "abc"),
      /access_denied: User said no/,
    );
  });

  it("exchanges a code for tokens with a form-encoded POST", async () => {
    server.handle((_req, res) =>
      send(res, 200, { access_token: "at1", refresh_token: "rt1", token_type: "Bearer", scope: "offline_access", expires_in: 3600 }),
    );
    const tokens = await exchangeCode({ hosts, clientId: "cid", clientSecret: "csec", code: "the-code", redirectUri: "https://f.example/cb" });
    assert.equal(tokens.accessToken, "at1");
    assert.equal(tokens.refreshToken, "rt1");
    assert.equal(tokens.expiresIn, 3600);
    assert.ok(tokens.expiresAt > Date.now() + 3500_000);
    const req = server.requests[0]!;
    assert.equal(req.path, "/oauth/token");
    assert.equal(req.headers["content-type"], "application/x-www-form-urlencoded");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body.toString())), {
      grant_type: "authorization_code",
      client_id: "cid",
      client_secret: "csec",
      code: "the-code",
      redirect_uri: "https://f.example/cb",
    });
  });

  it("refreshes and returns the rotated refresh token", async () => {
    server.handle((_req, res) => send(res, 200, { access_token: "at2", refresh_token: "rt2", token_type: "Bearer", expires_in: 3600 }));
    const tokens = await refreshTokens({ hosts, clientId: "cid", clientSecret: "csec", refreshToken: "rt1" });
    assert.equal(tokens.refreshToken, "rt2");
    assert.equal(new URLSearchParams(server.requests[0]!.body.toString()).get("grant_type"), "refresh_token");
    assert.equal(new URLSearchParams(server.requests[0]!.body.toString()).get("refresh_token"), "rt1");
  });

  it("keeps the old refresh token if a refresh answer carries none", async () => {
    server.handle((_req, res) => send(res, 200, { access_token: "at3", expires_in: 60 }));
    assert.equal((await refreshTokens({ hosts, clientId: "c", clientSecret: "s", refreshToken: "rt-old" })).refreshToken, "rt-old");
  });

  it("reports invalid_grant with what to do, without echoing secrets", async () => {
    server.handle((_req, res) => send(res, 403, { error: "invalid_grant", error_description: "Unknown or invalid refresh token." }));
    const error = await refreshTokens({ hosts, clientId: "c", clientSecret: "very-secret", refreshToken: "rt-x" }).catch((e: unknown) => e);
    assert.ok(error instanceof LeverOAuthError);
    assert.equal(error.error, "invalid_grant");
    assert.equal(error.status, 403);
    assert.match(error.message, /connect the account again/);
    assert.doesNotMatch(error.message, /very-secret|rt-x/);
  });

  it("rejects a 200 answer without an access token", async () => {
    server.handle((_req, res) => send(res, 200, { token_type: "Bearer" }));
    await assert.rejects(exchangeCode({ hosts, clientId: "c", clientSecret: "s", code: "x", redirectUri: "r" }), /access_token/);
  });
});
