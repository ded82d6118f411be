/**
 * A small OpenID Connect provider for tests of the console's single sign-on: discovery, an
 * authorization endpoint that signs in a chosen e-mail at once, a token endpoint that checks the
 * client secret and PKCE, and RS256-signed ID tokens (node:crypto only).
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { Hono } from "hono";
import { serveApp, type Served } from "./console-browser.ts";

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The e-mail the next sign-in is for, and whether the provider says it is verified. */
  nextUser: { email: string; emailVerified: boolean };
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export async function startTestOidcProvider(): Promise<TestOidcProvider> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" };
  const codes = new Map<string, { nonce: string; challenge: string; email: string; emailVerified: boolean; redirectUri: string }>();
  const app = new Hono();
  let served: Served | undefined;
  const provider: TestOidcProvider = {
    issuer: "",
    clientId: "fulcrum-console",
    clientSecret: randomBytes(16).toString("hex"),
    nextUser: { email: "admin@example.com", emailVerified: true },
    close: () => served!.close(),
  };
  app.get("/.well-known/openid-configuration", (c) =>
    c.json({
      issuer: provider.issuer,
      authorization_endpoint: `${provider.issuer}/authorize`,
      token_endpoint: `${provider.issuer}/token`,
      jwks_uri: `${provider.issuer}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: ["client_secret_post"],
    }),
  );
  app.get("/jwks", (c) => c.json({ keys: [jwk] }));
  app.get("/authorize", (c) => {
    const q = c.req.query();
    if (q.client_id !== provider.clientId || q.response_type !== "code" || q.code_challenge_method !== "S256") return c.text("bad request", 400);
    const code = randomBytes(12).toString("hex");
    codes.set(code, { nonce: q.nonce!, challenge: q.code_challenge!, ...provider.nextUser, redirectUri: q.redirect_uri! });
    const back = new URL(q.redirect_uri!);
    back.searchParams.set("code", code);
    back.searchParams.set("state", q.state!);
    return c.redirect(back.href, 302);
  });
  app.post("/token", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const grant = codes.get(form.get("code") ?? "");
    codes.delete(form.get("code") ?? "");
    if (!grant || form.get("client_id") !== provider.clientId || form.get("client_secret") !== provider.clientSecret)
      return c.json({ error: "invalid_client" }, 401);
    if (
      b64url(
        createHash("sha256")
          .update(form.get("code_verifier") ?? "")
          .digest(),
      ) !== grant.challenge
    )
      return c.json({ error: "invalid_grant" }, 400);
    if (form.get("redirect_uri") !== grant.redirectUri) return c.json({ error: "invalid_grant" }, 400);
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: "RS256", kid: "test-key", typ: "JWT" }));
    const payload = b64url(
      JSON.stringify({
        iss: provider.issuer,
        sub: grant.email,
        aud: provider.clientId,
        iat: now,
        exp: now + 300,
        nonce: grant.nonce,
        email: grant.email,
        email_verified: grant.emailVerified,
      }),
    );
    const signature = b64url(sign("sha256", Buffer.from(`${header}.${payload}`), privateKey));
    return c.json({ access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 300, id_token: `${header}.${payload}.${signature}` });
  });
  served = await serveApp(app);
  provider.issuer = served.url;
  return provider;
}
