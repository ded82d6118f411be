/**
 * Lever's OAuth 2.0 authorization-code flow as pure HTTP functions (reference §1.3): the URL to send
 * an admin to, the code exchange, and the refresh — which rotates the refresh token, so the caller
 * must store the new one every time. Storage and encryption of tokens belong to the connection
 * registry; nothing here keeps state.
 */
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";

export interface LeverOAuthHosts {
  authorizeUrl: string;
  tokenUrl: string;
  /** The `audience` Lever's authorization server expects: the Data API root with a trailing slash. */
  audience: string;
}

/** Lever's OAuth hosts. The sandbox ones come from third-party connectors (reference §1.1, [M]). */
export const LEVER_OAUTH_HOSTS: Readonly<Record<"production" | "sandbox", LeverOAuthHosts>> = {
  production: {
    authorizeUrl: "https://auth.lever.co/authorize",
    tokenUrl: "https://auth.lever.co/oauth/token",
    audience: "https://api.lever.co/v1/",
  },
  sandbox: {
    authorizeUrl: "https://sandbox-lever.auth0.com/authorize",
    tokenUrl: "https://sandbox-lever.auth0.com/oauth/token",
    audience: "https://api.sandbox.lever.co/v1/",
  },
};

/** The hosts to use: an environment's, or explicit ones (tests, a proxy). */
export type LeverOAuthTarget = { environment: "production" | "sandbox" } | { hosts: LeverOAuthHosts };

function hostsOf(target: LeverOAuthTarget): LeverOAuthHosts {
  return "hosts" in target ? target.hosts : LEVER_OAUTH_HOSTS[target.environment];
}

/** Token endpoint failed: carries the OAuth `error` code (e.g. `invalid_grant`) and its description. */
export class LeverOAuthError extends Error {
  override readonly name = "LeverOAuthError";
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  constructor(status: number, error: string | undefined, errorDescription: string | undefined, options?: { cause?: unknown }) {
    super(
      `Lever's OAuth server answered ${status || "nothing"}${error ? ` (${error}${errorDescription ? `: ${errorDescription}` : ""})` : ""}` +
        (error === "invalid_grant" ? ". The grant expired or was revoked: connect the account again." : ""),
      options,
    );
    this.status = status;
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

export interface LeverTokens {
  accessToken: string;
  /** Store it: each refresh returns a new one and the old one stops working. */
  refreshToken: string | undefined;
  tokenType: string;
  scope: string | undefined;
  /** Seconds the access token lives (Lever: 3600). */
  expiresIn: number;
  /** When the access token expires (ms since the epoch, from this machine's clock). */
  expiresAt: number;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  token_type: z.string().default("Bearer"),
  scope: z.string().optional(),
  expires_in: z.coerce.number().default(3600),
});

/**
 * The URL to send an admin to so they grant Fulcrum access. Include `offline_access` in `scopes`
 * to get a refresh token.
 * @example
 * redirect(buildAuthorizeUrl({ environment: "production", clientId, redirectUri, state, scopes: ["offline_access", "opportunities:write:admin"] }));
 */
export function buildAuthorizeUrl(
  input: LeverOAuthTarget & { clientId: string; redirectUri: string; state: string; scopes: readonly string[]; prompt?: "consent" | undefined },
): string {
  if (!input.state) throw new TypeError("buildAuthorizeUrl: state is required (verify it on the callback)");
  const hosts = hostsOf(input);
  const url = new URL(hosts.authorizeUrl);
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("state", input.state);
  url.searchParams.set("audience", hosts.audience);
  url.searchParams.set("scope", input.scopes.join(" "));
  if (input.prompt) url.searchParams.set("prompt", input.prompt);
  return url.toString();
}

/**
 * Reads the callback's query: the code when `state` matches (compared in constant time), otherwise
 * a clear error (wrong state, or the admin declined: `error=access_denied`).
 */
export function readAuthorizeCallback(query: URLSearchParams, expectedState: string): { code: string } {
  const state = query.get("state") ?? "";
  const a = Buffer.from(state);
  const b = Buffer.from(expectedState);
  if (!expectedState || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new LeverOAuthError(0, "invalid_state", "the callback's state does not match the one this sign-in started with");
  }
  const error = query.get("error");
  if (error) throw new LeverOAuthError(0, error, query.get("error_description") ?? undefined);
  const code = query.get("code");
  if (!code) throw new LeverOAuthError(0, "invalid_request", "the callback carries no code");
  return { code };
}

interface HttpOptions {
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
}

async function tokenRequest(hosts: LeverOAuthHosts, form: Record<string, string>, http: HttpOptions): Promise<LeverTokens> {
  const doFetch = http.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(hosts.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(http.timeoutMs ?? 15_000),
      redirect: "error",
    });
  } catch (error) {
    throw new LeverOAuthError(0, "network_error", "the OAuth server could not be reached", { cause: error });
  }
  const text = (await response.text()).slice(0, 100_000);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const e = (body ?? {}) as { error?: unknown; error_description?: unknown };
    throw new LeverOAuthError(
      response.status,
      typeof e.error === "string" ? e.error : undefined,
      typeof e.error_description === "string" ? e.error_description.slice(0, 300) : undefined,
    );
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success)
    throw new LeverOAuthError(response.status, "invalid_response", `the token response lacks ${parsed.error.issues[0]?.path.join(".") || "a body"}`);
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    tokenType: parsed.data.token_type,
    scope: parsed.data.scope,
    expiresIn: parsed.data.expires_in,
    expiresAt: Date.now() + parsed.data.expires_in * 1000,
  };
}

/** Trades the callback's code for tokens. */
export function exchangeCode(
  input: LeverOAuthTarget & HttpOptions & { clientId: string; clientSecret: string; code: string; redirectUri: string },
): Promise<LeverTokens> {
  return tokenRequest(
    hostsOf(input),
    { grant_type: "authorization_code", client_id: input.clientId, client_secret: input.clientSecret, code: input.code, redirect_uri: input.redirectUri },
    input,
  );
}

/**
 * A new access token from a refresh token. Lever rotates refresh tokens: the answer's `refreshToken`
 * replaces the one passed in (if the server ever omits it, the old one is returned unchanged).
 */
export async function refreshTokens(
  input: LeverOAuthTarget & HttpOptions & { clientId: string; clientSecret: string; refreshToken: string },
): Promise<LeverTokens & { refreshToken: string }> {
  const tokens = await tokenRequest(
    hostsOf(input),
    { grant_type: "refresh_token", client_id: input.clientId, client_secret: input.clientSecret, refresh_token: input.refreshToken },
    input,
  );
  return { ...tokens, refreshToken: tokens.refreshToken ?? input.refreshToken };
}
