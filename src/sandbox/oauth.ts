/**
 * Lever's OAuth 2.0 authorization-code flow, simulated: `/authorize` (consent given or refused
 * without a browser), `/oauth/token` (code exchange; refresh with rotation, the old refresh token
 * dying on use), and Bearer access tokens whose scopes become the API permissions.
 */
import { Hono } from "hono";
import type { ApiKeyRecord } from "./access.ts";
import { permissionsForScopes } from "./access.ts";
import type { Prng } from "./resumes/prng.ts";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs allowed; `null` allows any http(s) URI (the default client, for local use). */
  redirectUris: string[] | null;
}

interface Grant {
  id: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

const accessTokenSeconds = 3600;
const codeLifetimeMs = 10 * 60_000;
const scopePattern = /^(offline_access|[a-z_]+:(read|write|access):admin)$/;

export class OAuthServer {
  readonly clients = new Map<string, OAuthClient>();
  /** What the simulated admin answers on the consent page. */
  consent: "approve" | "deny" = "approve";
  readonly #codes = new Map<string, { grant: Grant; redirectUri: string; expiresAt: number }>();
  readonly #refresh = new Map<string, Grant>();
  readonly #access = new Map<string, { grant: Grant; expiresAt: number }>();
  readonly #grants: Grant[] = [];
  readonly #rng: Prng;
  readonly #now: () => number;
  readonly #audience: () => string;

  constructor(rng: Prng, now: () => number, audience: () => string) {
    this.#rng = rng;
    this.#now = now;
    this.#audience = audience;
  }

  registerClient(options: { clientId?: string; clientSecret?: string; redirectUris?: string[] | null } = {}): OAuthClient {
    const client: OAuthClient = {
      clientId: options.clientId ?? `sandbox-client-${this.#rng.hex(12)}`,
      clientSecret: options.clientSecret ?? this.#rng.hex(40),
      redirectUris: options.redirectUris === undefined ? null : options.redirectUris,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** The admin revoked access: every token of every grant stops working. */
  revokeAll(): void {
    for (const g of this.#grants) g.revoked = true;
  }

  /** Makes every access token expired, as if an hour had passed. */
  expireAccessTokens(): void {
    for (const t of this.#access.values()) t.expiresAt = 0;
  }

  /** The API identity of a Bearer token, or null when unknown, expired or revoked. */
  authenticate(token: string): ApiKeyRecord | null {
    const entry = this.#access.get(token);
    if (!entry || entry.grant.revoked || entry.expiresAt <= this.#now()) return null;
    return {
      // The rate limit is per authorisation, so a refreshed token shares the old one's bucket.
      key: `oauth:${entry.grant.id}`,
      permissions: permissionsForScopes(entry.grant.scopes),
      confidentialAccess: entry.grant.scopes.includes("confidential:access:admin"),
    };
  }

  #issue(grant: Grant): Record<string, unknown> {
    const accessToken = this.#rng.hex(64);
    this.#access.set(accessToken, { grant, expiresAt: this.#now() + accessTokenSeconds * 1000 });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer", scope: grant.scopes.join(" "), expires_in: accessTokenSeconds };
    if (grant.scopes.includes("offline_access")) {
      const refreshToken = this.#rng.hex(64);
      this.#refresh.set(refreshToken, grant);
      body.refresh_token = refreshToken;
    }
    return body;
  }

  routes(): Hono {
    const app = new Hono();
    const oauthError = (status: number, error: string, description: string) => Response.json({ error, error_description: description }, { status });

    app.get("/authorize", (c) => {
      const q = (name: string) => c.req.query(name) ?? "";
      const client = this.clients.get(q("client_id"));
      if (!client) return oauthError(400, "invalid_client", "Unknown client_id");
      const redirectUri = q("redirect_uri");
      let redirect: URL;
      try {
        redirect = new URL(redirectUri);
        if (redirect.protocol !== "https:" && redirect.protocol !== "http:") throw new Error();
      } catch {
        return oauthError(400, "invalid_request", "redirect_uri is not a valid URL");
      }
      if (client.redirectUris && !client.redirectUris.includes(redirectUri))
        return oauthError(400, "invalid_request", "redirect_uri does not match a callback URL registered for this application");
      const fail = (error: string, description: string) => {
        redirect.searchParams.set("error", error);
        redirect.searchParams.set("error_description", description);
        if (q("state")) redirect.searchParams.set("state", q("state"));
        return c.redirect(redirect.toString(), 302);
      };
      if (q("response_type") !== "code") return fail("unsupported_response_type", "response_type must be code");
      if (!q("state")) return fail("invalid_request", "state is required");
      if (q("audience") !== this.#audience()) return fail("invalid_request", `audience must be ${this.#audience()}`);
      const scopes = q("scope").split(" ").filter(Boolean);
      const badScope = scopes.find((s) => !scopePattern.test(s));
      if (badScope) return fail("invalid_scope", `Unknown scope ${badScope}`);
      if (this.consent === "deny") return fail("access_denied", "The user declined to authorize the application");
      const grant: Grant = { id: this.#rng.uuid(), clientId: client.clientId, scopes, revoked: false };
      this.#grants.push(grant);
      const code = this.#rng.hex(32);
      this.#codes.set(code, { grant, redirectUri, expiresAt: this.#now() + codeLifetimeMs });
      redirect.searchParams.set("code", code);
      redirect.searchParams.set("state", q("state"));
      return c.redirect(redirect.toString(), 302);
    });

    app.post("/oauth/token", async (c) => {
      if (!(c.req.header("content-type") ?? "").startsWith("application/x-www-form-urlencoded"))
        return oauthError(400, "invalid_request", "Use application/x-www-form-urlencoded");
      const form = new URLSearchParams(await c.req.text());
      const client = this.clients.get(form.get("client_id") ?? "");
      if (!client || client.clientSecret !== form.get("client_secret")) return oauthError(401, "invalid_client", "Unknown client or wrong client secret");
      const grantType = form.get("grant_type");
      if (grantType === "authorization_code") {
        const code = this.#codes.get(form.get("code") ?? "");
        // A code works once, for the client and redirect URI it was issued to.
        this.#codes.delete(form.get("code") ?? "");
        if (!code || code.grant.clientId !== client.clientId || code.expiresAt <= this.#now() || code.grant.revoked)
          return oauthError(403, "invalid_grant", "Invalid authorization code");
        if (code.redirectUri !== form.get("redirect_uri")) return oauthError(403, "invalid_grant", "redirect_uri does not match the one used to authorize");
        return c.json(this.#issue(code.grant));
      }
      if (grantType === "refresh_token") {
        const token = form.get("refresh_token") ?? "";
        const grant = this.#refresh.get(token);
        if (!grant || grant.clientId !== client.clientId || grant.revoked) return oauthError(403, "invalid_grant", "Unknown or invalid refresh token");
        // Rotation: the refresh token just used stops working.
        this.#refresh.delete(token);
        return c.json(this.#issue(grant));
      }
      return oauthError(400, "unsupported_grant_type", `grant_type ${grantType ?? "(missing)"} is not supported`);
    });
    return app;
  }
}
