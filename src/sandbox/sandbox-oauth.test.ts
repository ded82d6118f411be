import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { LeverOAuthError, buildAuthorizeUrl, exchangeCode, readAuthorizeCallback, refreshTokens } from "../lever/index.ts";
import { startSandbox, type Sandbox } from "./index.ts";

const redirectUri = "https://fulcrum.example.com/oauth/lever/callback";

describe("Lever sandbox OAuth", () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: 12, candidates: 3, rateLimit: false });
  });
  after(async () => sandbox.close());

  /** Follows the authorize URL the way a browser would, up to the redirect to our callback. */
  async function authorize(scopes: string[], clientId = sandbox.oauth.clientId, state = "s-123"): Promise<URLSearchParams> {
    const url = buildAuthorizeUrl({ hosts: sandbox.oauth.hosts, clientId, redirectUri, state, scopes });
    const res = await fetch(url, { redirect: "manual" });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location")!);
    assert.equal(`${location.origin}${location.pathname}`, redirectUri);
    return location.searchParams;
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it("runs the authorization-code flow and answers API calls the granted scopes allow", async () => {
    const query = await authorize(["offline_access", "stages:read:admin", "notes:write:admin"]);
    const { code } = readAuthorizeCallback(query, "s-123");
    const tokens = await exchangeCode({
      hosts: sandbox.oauth.hosts,
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
      code,
      redirectUri,
    });
    assert.equal(tokens.tokenType, "Bearer");
    assert.equal(tokens.expiresIn, 3600);
    assert.ok(tokens.refreshToken);
    assert.equal((await fetch(`${sandbox.url}/stages`, { headers: bearer(tokens.accessToken) })).status, 200);
    const opp = [...sandbox.state.opportunities.values()][0]!;
    assert.equal(
      (await fetch(`${sandbox.url}/opportunities/${opp.id}/notes`, { headers: bearer(tokens.accessToken) })).status,
      200,
      "a write scope grants the read",
    );
    const denied = await fetch(`${sandbox.url}/opportunities`, { headers: bearer(tokens.accessToken) });
    assert.equal(denied.status, 403);
    await assert.rejects(
      exchangeCode({ hosts: sandbox.oauth.hosts, clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret, code, redirectUri }),
      (e: unknown) => e instanceof LeverOAuthError && e.error === "invalid_grant",
      "a code works once",
    );
  });

  it("rotates refresh tokens: the new one works, the used one is refused, expired access tokens get 401", async () => {
    const { code } = readAuthorizeCallback(await authorize(["offline_access", "stages:read:admin"]), "s-123");
    const first = await exchangeCode({
      hosts: sandbox.oauth.hosts,
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
      code,
      redirectUri,
    });
    sandbox.oauth.expireAccessTokens();
    assert.equal((await fetch(`${sandbox.url}/stages`, { headers: bearer(first.accessToken) })).status, 401);
    const second = await refreshTokens({
      hosts: sandbox.oauth.hosts,
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
      refreshToken: first.refreshToken!,
    });
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal((await fetch(`${sandbox.url}/stages`, { headers: bearer(second.accessToken) })).status, 200);
    await assert.rejects(
      refreshTokens({
        hosts: sandbox.oauth.hosts,
        clientId: sandbox.oauth.clientId,
        clientSecret: sandbox.oauth.clientSecret,
        refreshToken: first.refreshToken!,
      }),
      /invalid_grant/,
    );
    sandbox.oauth.revokeAll();
    assert.equal((await fetch(`${sandbox.url}/stages`, { headers: bearer(second.accessToken) })).status, 401);
    await assert.rejects(
      refreshTokens({
        hosts: sandbox.oauth.hosts,
        clientId: sandbox.oauth.clientId,
        clientSecret: sandbox.oauth.clientSecret,
        refreshToken: second.refreshToken,
      }),
      /invalid_grant/,
    );
  });

  it("reports a declined consent, a wrong secret and an unregistered redirect URI", async () => {
    sandbox.oauth.consent = "deny";
    try {
      const query = await authorize(["stages:read:admin"]);
      assert.throws(
        () => readAuthorizeCallback(query, "s-123"),
        (e: unknown) => e instanceof LeverOAuthError && e.error === "access_denied",
      );
    } finally {
      sandbox.oauth.consent = "approve";
    }
    const { code } = readAuthorizeCallback(await authorize(["stages:read:admin"]), "s-123");
    await assert.rejects(
      exchangeCode({ hosts: sandbox.oauth.hosts, clientId: sandbox.oauth.clientId, clientSecret: "wrong", code, redirectUri }),
      /invalid_client/,
    );
    const strict = sandbox.oauth.registerClient({ redirectUris: ["https://other.example.com/cb"] });
    const res = await fetch(buildAuthorizeUrl({ hosts: sandbox.oauth.hosts, clientId: strict.clientId, redirectUri, state: "x", scopes: [] }), {
      redirect: "manual",
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, "invalid_request");
  });

  it("gives no refresh token without offline_access and honours confidential access only when granted", async () => {
    const { code } = readAuthorizeCallback(await authorize(["opportunities:read:admin"]), "s-123");
    const tokens = await exchangeCode({
      hosts: sandbox.oauth.hosts,
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
      code,
      redirectUri,
    });
    assert.equal(tokens.refreshToken, undefined);
    assert.equal((await fetch(`${sandbox.url}/opportunities?confidentiality=all`, { headers: bearer(tokens.accessToken) })).status, 403);
    const granted = readAuthorizeCallback(await authorize(["opportunities:read:admin", "confidential:access:admin"]), "s-123");
    const withAccess = await exchangeCode({
      hosts: sandbox.oauth.hosts,
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
      code: granted.code,
      redirectUri,
    });
    assert.equal((await fetch(`${sandbox.url}/opportunities?confidentiality=all`, { headers: bearer(withAccess.accessToken) })).status, 200);
  });
});
