/**
 * What the connection registry needs from the Lever module, as narrow ports. The real
 * implementations are the Lever module's client and OAuth functions (wired in `lever-wiring.ts`); keeping the
 * registry on these small shapes keeps it testable and tells a reader exactly which Lever calls a
 * connection makes on its own behalf.
 */
import type { LeverUser, LeverWebhookSubscription } from "../../lever/index.ts";

/** The Lever calls the registry, `webhooks install` and `doctor` make. */
export interface LeverAccountApi {
  /** The user with this exact e-mail, or undefined. */
  findUserByEmail(email: string): Promise<LeverUser | undefined>;
  /** One user by id, or undefined when Lever answers 404. */
  getUser(id: string): Promise<LeverUser | undefined>;
  listWebhooks(): Promise<LeverWebhookSubscription[]>;
  createWebhook(input: { url: string; event: string }, options: { key: string }): Promise<LeverWebhookSubscription>;
  deleteWebhook(id: string, options: { key: string }): Promise<void>;
  /**
   * One raw request for `doctor`: the HTTP status and Lever's error body, never throwing for HTTP
   * statuses (only for network failures).
   */
  probe(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<ProbeResult>;
}

export interface ProbeResult {
  status: number;
  /** Lever's error `code` and `message` for error statuses. */
  code?: string | undefined;
  message?: string | undefined;
  /** The parsed JSON body (2xx only), for picking ids to probe further. */
  body?: unknown;
}

/** Tokens as returned by Lever's token endpoint, in our naming. */
export interface OAuthTokenSet {
  accessToken: string;
  /** Lever rotates refresh tokens: each refresh returns a new one, which must replace the old. */
  refreshToken?: string | undefined;
  /** Seconds until the access token expires (Lever: 3600). */
  expiresIn: number;
  scope?: string | undefined;
}

export interface OAuthClientSettings {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Explicit scopes; empty means "what the enabled workflows need". */
  scopes: string[];
  /** Whether to ask for `confidential:access:admin` when the scopes are worked out (default true). */
  confidential?: boolean | undefined;
  authorizeUrl: string;
  tokenUrl: string;
  audience: string;
}

/** Lever's OAuth HTTP calls (pure functions; `src/lever/oauth.ts` has the real ones). */
export interface LeverOAuthHttp {
  buildAuthorizeUrl(settings: OAuthClientSettings, state: string): string;
  exchangeCode(settings: OAuthClientSettings, code: string): Promise<OAuthTokenSet>;
  refreshTokens(settings: OAuthClientSettings, refreshToken: string): Promise<OAuthTokenSet>;
}

/** What a client for one connection is made from. */
export interface ConnectionClientOptions {
  connectionId: string;
  baseUrl: string;
  auth: { kind: "apiKey"; apiKey: string } | { kind: "oauth"; getAccessToken(options?: { forceRefresh?: boolean }): Promise<string> };
  performAs?: string | undefined;
}

/** How a Lever client is made for a connection (`createLeverClient` behind it). */
export interface LeverClientFactory<Client> {
  create(options: ConnectionClientOptions): Client;
  /** The registry's own calls for the same connection (no perform-as). */
  accountApi(options: ConnectionClientOptions): LeverAccountApi;
}
