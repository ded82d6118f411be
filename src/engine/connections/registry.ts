/**
 * The connection registry: every Lever account this deployment talks to, with its sealed
 * credentials, webhook signature tokens, perform-as user and environment. Sources: the config
 * (file and LEVER_* variables, applied by `upsertFromConfig` on start), the CLI, and the OAuth
 * connect flow. Implements the `ConnectionDirectory` port the webhook intake uses.
 */
import type { Logger } from "pino";
import { LEVER_HOSTS_HELP, leverBaseUrlProblem, type ConnectionConfig } from "../../config/index.ts";
import type { Database, Queryable } from "../../store/index.ts";
import { apiBaseUrlFor, oauthHostsFor, type LeverEnvironment } from "./environments.ts";
import type { ConnectionClientOptions, LeverAccountApi, LeverClientFactory, LeverOAuthHttp, OAuthClientSettings, OAuthTokenSet } from "./ports.ts";
import { oauthRefreshes, performAsResolutions } from "./metrics.ts";
import type { SecretBox } from "./secret-box.ts";

/** A connection problem a person must fix; `message` says what and how. */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
  readonly connectionId: string;
  constructor(connectionId: string, message: string) {
    super(message);
    this.connectionId = connectionId;
  }
}

/** The port the webhook intake uses to route and verify deliveries. */
export interface ConnectionDirectory {
  exists(id: string): Promise<boolean>;
  /** Every signature token that may have signed a delivery of `event` to this connection. */
  signatureTokens(id: string, event: string): Promise<string[]>;
}

export type ConnectionSource = "config" | "cli" | "oauth";

/** Stored credentials, sealed as JSON. */
export type Credentials =
  | { kind: "apiKey"; apiKey: string }
  | {
      kind: "oauth";
      clientId: string;
      clientSecret: string;
      redirectUri: string;
      scopes: string[];
      confidential?: boolean | undefined;
      hosts?: OAuthHostsOverride | undefined;
    };

/** Explicit OAuth hosts (a proxy, or a stand-in token server in tests) instead of the environment's. */
export interface OAuthHostsOverride {
  authorizeUrl: string;
  tokenUrl: string;
  audience: string;
}

/** A connection as shown to people and other modules: no secrets. */
export interface Connection {
  id: string;
  name: string;
  environment: LeverEnvironment;
  baseUrl: string;
  authKind: "api_key" | "oauth";
  source: ConnectionSource;
  performAsEmail: string | null;
  performAsUserId: string | null;
  performAsFallback: string | null;
  fallbackPerformAsUserId: string | null;
  performAsResolvedAt: Date | null;
  /** OAuth only: whether tokens are stored (the connect flow has been completed). */
  oauthConnected: boolean;
  oauthExpiresAt: Date | null;
  webhookTokens: { event: string | null; origin: "settings" | "api"; webhookId: string | null; url: string | null }[];
  createdAt: Date;
  updatedAt: Date;
}

/** What `add` takes: the same shape as a `connections[]` entry of the config file. */
export type ConnectionInput = Omit<ConnectionConfig, "environment" | "webhookSignatureTokens" | "oauth"> & {
  environment?: LeverEnvironment | undefined;
  webhookSignatureTokens?: Record<string, string> | undefined;
  oauth?: (NonNullable<ConnectionConfig["oauth"]> & { hosts?: OAuthHostsOverride | undefined }) | undefined;
};

/** What `rekey` did: counts of re-sealed secrets, and those no known key opens (left as they were). */
export interface RekeyResult {
  credentials: number;
  webhookTokens: number;
  oauthTokens: number;
  unreadable: string[];
}

export interface PerformAsResolution {
  userId: string;
  via: "primary" | "fallback";
}

export interface RegistryOptions<Client> {
  db: Database;
  secretBox: SecretBox;
  logger: Logger;
  lever: LeverClientFactory<Client>;
  oauthHttp: LeverOAuthHttp;
  /** Connections from the configuration (`config.connections`). */
  configConnections?: ConnectionConfig[] | undefined;
  /**
   * Hosts besides Lever's API hosts that connections may point at (`config.leverAllowedHosts`,
   * parsed). Anything else is refused when a connection is added and before any request is made.
   */
  allowedLeverHosts?: readonly string[] | undefined;
  /** How long a resolved perform-as user id is trusted before asking Lever again (default 1 h). */
  performAsTtlMs?: number | undefined;
  /** How long signature tokens are cached in memory for the intake (default 5 s). */
  tokenCacheMs?: number | undefined;
  now?: () => number;
}

interface ConnectionRow {
  id: string;
  name: string;
  environment: string;
  base_url: string;
  auth_kind: "api_key" | "oauth";
  credentials_encrypted: string;
  perform_as_email: string | null;
  perform_as_user_id: string | null;
  fallback_perform_as_user_id: string | null;
  perform_as_fallback: string | null;
  perform_as_resolved_at: Date | string | null;
  source: string;
  created_at: Date | string;
  updated_at: Date | string;
  oauth_expires_at: Date | string | null;
}

const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

const credentialsContext = (id: string) => `connection:${id}:credentials`;
const webhookTokenContext = (id: string) => `connection:${id}:webhook-token`;
const oauthContext = (id: string, which: "access" | "refresh") => `connection:${id}:oauth:${which}`;

const inflightRefreshes = new WeakMap<object, Map<string, Promise<string>>>();

/** Refresh an access token this long before it expires, so no call goes out with a dying token. */
const REFRESH_MARGIN_MS = 60_000;

export interface ConnectionRegistry<Client> extends ConnectionDirectory {
  list(): Promise<Connection[]>;
  /** One connection, or undefined. */
  get(id: string): Promise<Connection | undefined>;
  /** Adds a connection; with `replace`, overwrites an existing one of the same id. */
  add(input: ConnectionInput, options?: { source?: ConnectionSource; replace?: boolean }): Promise<Connection>;
  remove(id: string): Promise<boolean>;
  /** Writes every configured connection (config file, LEVER_* variables) into the database. */
  upsertFromConfig(): Promise<Connection[]>;
  /** The connection's decrypted credentials (for the OAuth flow and for clients; never log them). */
  credentials(id: string): Promise<Credentials>;
  /** A Lever client for the connection, with perform-as resolved (when configured). */
  client(id: string): Promise<Client>;
  /** The registry's own Lever calls for a connection (no perform-as). */
  accountApi(id: string): Promise<LeverAccountApi>;
  /** Resolves (and caches) the perform-as user; undefined when none is configured. */
  resolvePerformAs(id: string, options?: { force?: boolean }): Promise<PerformAsResolution | undefined>;
  /** Stores a signature token: per event (settings-made webhooks) or per webhook (API-made). */
  storeWebhookToken(id: string, token: { event: string | null; token: string; webhookId?: string | undefined; url?: string | undefined }): Promise<void>;
  /** Forgets the token of an API-made webhook. */
  removeWebhookToken(id: string, webhookId: string): Promise<void>;
  /** OAuth settings of a connection (client id and secret, hosts, scopes). */
  oauthSettings(id: string): Promise<OAuthClientSettings>;
  /** Stores tokens from a code exchange or refresh (sealed). */
  storeOAuthTokens(id: string, tokens: OAuthTokenSet, tx?: Queryable): Promise<void>;
  /**
   * Seals every stored secret of every connection again with the current key (after a rotation:
   * new FULCRUM_SECRET_KEY, old one as FULCRUM_SECRET_KEY_PREVIOUS). Returns how many were re-sealed.
   */
  rekey(): Promise<RekeyResult>;
  /**
   * A valid access token, refreshed (once, even under concurrency) when it is about to expire, or
   * when `forceRefresh` says Lever refused the current one (401).
   */
  accessToken(id: string, options?: { forceRefresh?: boolean }): Promise<string>;
  /** Why `baseUrl` may not receive a connection's key (see `config/lever.ts`), or undefined. */
  baseUrlProblem(baseUrl: string): string | undefined;
  /**
   * Lets connections use exactly the origin of `url`: for the built-in sandbox `serve` starts
   * itself on loopback. Nothing else should call it; operators list hosts in FULCRUM_LEVER_ALLOWED_HOSTS.
   */
  allowOrigin(url: string): void;
}

/**
 * Creates the registry over explicit Lever ports. Most callers want `createConnectionRegistry`
 * from this module's index, which wires the Lever module's client.
 */
export function createRegistry<Client>(options: RegistryOptions<Client>): ConnectionRegistry<Client> {
  const { db, secretBox: box, logger } = options;
  // An entry given as a URL stands for its origin (tests pass the sandbox's URL as it is).
  const allowedHosts: string[] = (options.allowedLeverHosts ?? []).map((e) => (/^https?:\/\//i.test(e) ? new URL(e).origin : e));
  const baseUrlProblem = (baseUrl: string) => leverBaseUrlProblem(baseUrl, allowedHosts);
  /** Refuses a base URL that may not receive the key, saying what is allowed. */
  const checkBaseUrl = (id: string, baseUrl: string) => {
    const problem = baseUrlProblem(baseUrl);
    if (problem) throw new ConnectionError(id, `connection "${id}": ${problem}. ${LEVER_HOSTS_HELP}`);
  };
  const now = options.now ?? Date.now;
  const performAsTtl = options.performAsTtlMs ?? 3_600_000;
  const tokenCacheMs = options.tokenCacheMs ?? 5_000;
  const tokenCache = new Map<string, { at: number; tokens: { event: string | null; token: string }[] | null }>();
  // Shared by every registry on the same database in this process (keyed by the engine object).
  const refreshing = inflightRefreshes.get(db.raw) ?? new Map<string, Promise<string>>();
  inflightRefreshes.set(db.raw, refreshing);

  const select = `select c.*, t.expires_at as oauth_expires_at from connections c
    left join connection_oauth_tokens t on t.connection_id = c.id`;

  async function rowToConnection(row: ConnectionRow): Promise<Connection> {
    const tokens = await db.query<{ event: string | null; origin: "settings" | "api"; webhook_id: string | null; url: string | null }>(
      "select event, origin, webhook_id, url from webhook_tokens where connection_id = $1 order by origin, event nulls first, id",
      [row.id],
    );
    return {
      id: row.id,
      name: row.name,
      environment: row.environment as LeverEnvironment,
      baseUrl: row.base_url,
      authKind: row.auth_kind,
      source: row.source as ConnectionSource,
      performAsEmail: row.perform_as_email,
      performAsUserId: row.perform_as_user_id,
      performAsFallback: row.perform_as_fallback,
      fallbackPerformAsUserId: row.fallback_perform_as_user_id,
      performAsResolvedAt: toDate(row.perform_as_resolved_at),
      oauthConnected: row.oauth_expires_at !== null,
      oauthExpiresAt: toDate(row.oauth_expires_at),
      webhookTokens: tokens.rows.map((t) => ({ event: t.event, origin: t.origin, webhookId: t.webhook_id, url: t.url })),
      createdAt: toDate(row.created_at)!,
      updatedAt: toDate(row.updated_at)!,
    };
  }

  async function row(id: string): Promise<ConnectionRow> {
    const r = await db.query<ConnectionRow>(`${select} where c.id = $1`, [id]);
    if (!r.rows[0]) throw new ConnectionError(id, `no connection "${id}" (see \`fulcrum connections list\`)`);
    return r.rows[0];
  }

  async function credentials(id: string): Promise<Credentials> {
    const r = await row(id);
    try {
      return JSON.parse(box.open(r.credentials_encrypted, credentialsContext(id))) as Credentials;
    } catch (error) {
      throw new ConnectionError(id, `connection "${id}": cannot read its stored credentials: ${(error as Error).message}`);
    }
  }

  function invalidateTokens(id: string) {
    tokenCache.delete(id);
  }

  async function loadTokens(id: string): Promise<{ event: string | null; token: string }[] | null> {
    const cached = tokenCache.get(id);
    if (cached && now() - cached.at < tokenCacheMs) return cached.tokens;
    const exists = await db.query("select 1 from connections where id = $1", [id]);
    let tokens: { event: string | null; token: string }[] | null = null;
    if (exists.rows.length > 0) {
      // API-made webhooks' tokens first (one per webhook), then per-event, then "every event".
      const r = await db.query<{ event: string | null; token_encrypted: string }>(
        `select event, token_encrypted from webhook_tokens where connection_id = $1
         order by case origin when 'api' then 0 else 1 end, event nulls last, id`,
        [id],
      );
      tokens = [];
      for (const t of r.rows) {
        try {
          tokens.push({ event: t.event, token: box.open(t.token_encrypted, webhookTokenContext(id)) });
        } catch (error) {
          // One unreadable token must not stop the others from verifying deliveries.
          logger.error({ connectionId: id, err: (error as Error).message }, "a stored webhook signature token cannot be decrypted");
        }
      }
    }
    // Unknown ids are cached too (a flood of deliveries to a bogus connection should not query the
    // database each time), so the cache is bounded: anyone can make up ids.
    if (tokenCache.size >= 1000) tokenCache.clear();
    tokenCache.set(id, { at: now(), tokens });
    return tokens;
  }

  async function writeConnection(tx: Queryable, input: ConnectionInput, source: ConnectionSource, replace: boolean) {
    const environment: LeverEnvironment = input.environment ?? "production";
    let baseUrl: string;
    try {
      baseUrl = apiBaseUrlFor(environment, input.baseUrl);
    } catch {
      throw new ConnectionError(input.id, `connection "${input.id}": environment "custom" needs a baseUrl`);
    }
    checkBaseUrl(input.id, baseUrl);
    let creds: Credentials;
    if (input.apiKey) creds = { kind: "apiKey", apiKey: input.apiKey };
    else if (input.oauth) creds = { kind: "oauth", ...input.oauth, scopes: input.oauth.scopes ?? [] };
    else throw new ConnectionError(input.id, `connection "${input.id}" has neither an API key nor OAuth settings`);
    const sealed = box.seal(JSON.stringify(creds), credentialsContext(input.id));
    const existing = await tx.query<{ perform_as_email: string | null; perform_as_fallback: string | null; credentials_encrypted: string }>(
      "select perform_as_email, perform_as_fallback, credentials_encrypted from connections where id = $1 for update",
      [input.id],
    );
    const prior = existing.rows[0];
    if (prior && !replace) {
      throw new ConnectionError(input.id, `connection "${input.id}" already exists; pass --replace to overwrite it`);
    }
    const performAs = input.performAs ?? null;
    const fallback = input.performAsFallback ?? null;
    // A changed perform-as must be resolved again; an unchanged one keeps its cached ids.
    const keepResolved = prior && prior.perform_as_email === performAs && prior.perform_as_fallback === fallback;
    await tx.query(
      `insert into connections (id, name, environment, base_url, auth_kind, credentials_encrypted, perform_as_email,
         perform_as_fallback, source)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (id) do update set name = excluded.name, environment = excluded.environment,
         base_url = excluded.base_url, auth_kind = excluded.auth_kind,
         credentials_encrypted = excluded.credentials_encrypted, perform_as_email = excluded.perform_as_email,
         perform_as_fallback = excluded.perform_as_fallback, source = excluded.source, updated_at = now()
         ${keepResolved ? "" : ", perform_as_user_id = null, fallback_perform_as_user_id = null, perform_as_resolved_at = null"}`,
      [input.id, input.name ?? input.id, environment, baseUrl, creds.kind === "apiKey" ? "api_key" : "oauth", sealed, performAs, fallback, source],
    );
    // When the OAuth client changed, tokens issued to the old client are worthless.
    if (prior && creds.kind === "apiKey") await tx.query("delete from connection_oauth_tokens where connection_id = $1", [input.id]);
    if (input.webhookSignatureTokens) {
      // Settings-page tokens come as a set from config or CLI: the new set replaces the old one.
      await tx.query("delete from webhook_tokens where connection_id = $1 and origin = 'settings'", [input.id]);
      for (const [event, token] of Object.entries(input.webhookSignatureTokens)) {
        await tx.query("insert into webhook_tokens (connection_id, event, token_encrypted, origin) values ($1, $2, $3, 'settings')", [
          input.id,
          event === "*" ? null : event,
          box.seal(token, webhookTokenContext(input.id)),
        ]);
      }
    }
  }

  async function oauthSettings(id: string): Promise<OAuthClientSettings> {
    const creds = await credentials(id);
    if (creds.kind !== "oauth") throw new ConnectionError(id, `connection "${id}" uses an API key, not OAuth`);
    const r = await row(id);
    const hosts = creds.hosts ?? oauthHostsFor(r.environment as LeverEnvironment);
    return {
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      redirectUri: creds.redirectUri,
      scopes: creds.scopes,
      // Confidential access is asked for unless the connection opted out (see README, OAuth scopes).
      confidential: creds.confidential ?? true,
      authorizeUrl: hosts.authorizeUrl,
      tokenUrl: hosts.tokenUrl,
      audience: hosts.audience,
    };
  }

  async function storeOAuthTokens(id: string, tokens: OAuthTokenSet, tx: Queryable = db): Promise<void> {
    const expiresAt = new Date(now() + tokens.expiresIn * 1000);
    await tx.query(
      `insert into connection_oauth_tokens (connection_id, access_token_encrypted, refresh_token_encrypted, scope, expires_at)
       values ($1, $2, $3, $4, $5)
       on conflict (connection_id) do update set access_token_encrypted = excluded.access_token_encrypted,
         refresh_token_encrypted = coalesce(excluded.refresh_token_encrypted, connection_oauth_tokens.refresh_token_encrypted),
         scope = coalesce(excluded.scope, connection_oauth_tokens.scope), expires_at = excluded.expires_at,
         generation = connection_oauth_tokens.generation + 1, updated_at = now()`,
      [
        id,
        box.seal(tokens.accessToken, oauthContext(id, "access")),
        tokens.refreshToken ? box.seal(tokens.refreshToken, oauthContext(id, "refresh")) : null,
        tokens.scope ?? null,
        expiresAt,
      ],
    );
  }

  interface TokenRow {
    access_token_encrypted: string;
    refresh_token_encrypted: string | null;
    expires_at: Date | string;
    generation: number;
  }

  async function refreshAccessToken(id: string, seenGeneration: number): Promise<string> {
    const settings = await oauthSettings(id);
    // The embedded database serves one process, where the single-flight map is lock enough; a
    // transaction there would hold the whole database (and every webhook intake) during the HTTP call.
    if (db.kind === "pglite") return refreshWith(db, "", id, settings, seenGeneration);
    return db.transaction((tx) => refreshWith(tx, "for update", id, settings, seenGeneration));
  }

  async function refreshWith(tx: Queryable, lock: string, id: string, settings: OAuthClientSettings, seenGeneration: number): Promise<string> {
    // The row lock makes other processes wait; after it, a newer generation means someone else
    // already refreshed, and their token is used rather than spending the rotated refresh token.
    const r = await tx.query<TokenRow>(`select * from connection_oauth_tokens where connection_id = $1 ${lock}`, [id]);
    const current = r.rows[0];
    if (!current) throw new ConnectionError(id, `connection "${id}" has no OAuth tokens; connect it at /oauth/lever/start?connection=${id}`);
    if (current.generation !== seenGeneration && toDate(current.expires_at)!.getTime() - now() > REFRESH_MARGIN_MS) {
      oauthRefreshes.inc({ connection: id, outcome: "reused" });
      return box.open(current.access_token_encrypted, oauthContext(id, "access"));
    }
    if (!current.refresh_token_encrypted) {
      throw new ConnectionError(
        id,
        `connection "${id}": the access token expired and there is no refresh token (add the offline_access scope and connect again)`,
      );
    }
    const refreshToken = box.open(current.refresh_token_encrypted, oauthContext(id, "refresh"));
    let tokens: OAuthTokenSet;
    try {
      tokens = await options.oauthHttp.refreshTokens(settings, refreshToken);
    } catch (error) {
      oauthRefreshes.inc({ connection: id, outcome: "failed" });
      const revoked = (error as { error?: string }).error === "invalid_grant";
      throw new ConnectionError(
        id,
        `connection "${id}": refreshing the OAuth token failed (${(error as Error).message})` +
          (revoked ? `; connect again at /oauth/lever/start?connection=${id} (or fulcrum connections connect ${id})` : "; it will be tried again"),
      );
    }
    await storeOAuthTokens(id, tokens, tx);
    oauthRefreshes.inc({ connection: id, outcome: "refreshed" });
    logger.info({ connectionId: id }, "refreshed the Lever OAuth access token");
    return tokens.accessToken;
  }

  async function accessToken(id: string, opts: { forceRefresh?: boolean } = {}): Promise<string> {
    const r = await db.query<TokenRow>("select * from connection_oauth_tokens where connection_id = $1", [id]);
    const current = r.rows[0];
    if (!current) throw new ConnectionError(id, `connection "${id}" is not connected to Lever yet; open /oauth/lever/start?connection=${id} to connect it`);
    if (!opts.forceRefresh && toDate(current.expires_at)!.getTime() - now() > REFRESH_MARGIN_MS) {
      return box.open(current.access_token_encrypted, oauthContext(id, "access"));
    }
    // One refresh per process at a time; the row lock covers other processes.
    let pending = refreshing.get(id);
    if (!pending) {
      pending = refreshAccessToken(id, current.generation).finally(() => refreshing.delete(id));
      refreshing.set(id, pending);
    }
    return pending;
  }

  async function clientOptions(id: string, performAs: string | undefined): Promise<ConnectionClientOptions> {
    const r = await row(id);
    // A connection stored before hosts were checked (or by hand in the database) gets no key either.
    checkBaseUrl(id, r.base_url);
    const creds = await credentials(id);
    return {
      connectionId: id,
      baseUrl: r.base_url,
      auth:
        creds.kind === "apiKey"
          ? { kind: "apiKey", apiKey: creds.apiKey }
          : { kind: "oauth", getAccessToken: (o?: { forceRefresh?: boolean }) => accessToken(id, o) },
      performAs,
    };
  }

  async function makeClient(id: string, performAs: string | undefined): Promise<Client> {
    return options.lever.create(await clientOptions(id, performAs));
  }

  async function accountApi(id: string): Promise<LeverAccountApi> {
    return options.lever.accountApi(await clientOptions(id, undefined));
  }

  async function lookupUser(
    connectionId: string,
    api: LeverAccountApi,
    who: string,
  ): Promise<{ id: string; deactivatedAt?: number | null | undefined } | undefined> {
    if (!who.includes("@")) {
      // A user id given directly needs no look-up; checking it is a bonus the key may not allow.
      try {
        return await api.getUser(who);
      } catch (error) {
        if ((error as { status?: number }).status === 403 || /\b403\b/.test((error as Error).message)) return { id: who };
        throw error;
      }
    }
    try {
      return await api.findUserByEmail(who);
    } catch (error) {
      if ((error as { status?: number }).status === 403) {
        throw new ConnectionError(
          connectionId,
          `connection "${connectionId}": cannot look up the perform-as user ${who}: the API key lacks the permission to list users ("Find all users"). Add it, or set the perform-as user to the Lever user id instead of the e-mail`,
        );
      }
      throw error;
    }
  }

  async function resolvePerformAs(id: string, opts: { force?: boolean } = {}): Promise<PerformAsResolution | undefined> {
    const r = await row(id);
    if (!r.perform_as_email && !r.perform_as_fallback) return undefined;
    const resolvedAt = toDate(r.perform_as_resolved_at);
    if (!opts.force && resolvedAt && now() - resolvedAt.getTime() < performAsTtl) {
      if (r.perform_as_user_id) return { userId: r.perform_as_user_id, via: "primary" };
      if (r.fallback_perform_as_user_id) return { userId: r.fallback_perform_as_user_id, via: "fallback" };
    }
    const api = await accountApi(id);
    const usable = (u: { deactivatedAt?: number | null } | undefined) => u !== undefined && !u.deactivatedAt;
    const primary = r.perform_as_email ? await lookupUser(id, api, r.perform_as_email) : undefined;
    const primaryId = usable(primary) ? primary!.id : null;
    let fallbackId: string | null = null;
    if (!primaryId && r.perform_as_fallback) {
      const fallback = await lookupUser(id, api, r.perform_as_fallback);
      fallbackId = usable(fallback) ? fallback!.id : null;
      logger.warn({ connectionId: id, reason: primary ? "deactivated" : "not found", usingFallback: fallbackId !== null }, "perform-as user is not usable");
    }
    await db.query("update connections set perform_as_user_id = $2, fallback_perform_as_user_id = $3, perform_as_resolved_at = now() where id = $1", [
      id,
      primaryId,
      fallbackId,
    ]);
    performAsResolutions.inc({ connection: id, outcome: primaryId ? "primary" : fallbackId ? "fallback" : "failed" });
    if (primaryId) return { userId: primaryId, via: "primary" };
    if (fallbackId) return { userId: fallbackId, via: "fallback" };
    const primaryProblem = r.perform_as_email ? `${r.perform_as_email} is ${primary ? "deactivated" : "not a Lever user"}` : "no perform-as user is set";
    const fallbackProblem = r.perform_as_fallback ? ` and the fallback ${r.perform_as_fallback} is not usable either` : "";
    throw new ConnectionError(
      id,
      `connection "${id}": perform-as user ${primaryProblem}${fallbackProblem}. Set LEVER_PERFORM_AS (or performAs) to an active Lever user's e-mail`,
    );
  }

  return {
    async exists(id) {
      return (await loadTokens(id)) !== null;
    },
    async signatureTokens(id, event) {
      const tokens = (await loadTokens(id)) ?? [];
      return tokens.filter((t) => t.event === null || t.event === event).map((t) => t.token);
    },
    async list() {
      const r = await db.query<ConnectionRow>(`${select} order by c.id`);
      return Promise.all(r.rows.map(rowToConnection));
    },
    async get(id) {
      const r = await db.query<ConnectionRow>(`${select} where c.id = $1`, [id]);
      return r.rows[0] ? rowToConnection(r.rows[0]) : undefined;
    },
    async add(input, opts = {}) {
      await db.transaction((tx) => writeConnection(tx, input, opts.source ?? "cli", opts.replace ?? false));
      invalidateTokens(input.id);
      return rowToConnection(await row(input.id));
    },
    async remove(id) {
      const r = await db.query("delete from connections where id = $1", [id]);
      invalidateTokens(id);
      return r.rowCount > 0;
    },
    async upsertFromConfig() {
      const result: Connection[] = [];
      for (const c of options.configConnections ?? []) {
        await db.transaction((tx) => writeConnection(tx, c, "config", true));
        invalidateTokens(c.id);
        result.push(await rowToConnection(await row(c.id)));
      }
      if (result.length) logger.info({ connections: result.map((c) => c.id) }, "connections from configuration stored");
      // Not deleted: a command run without the config file (another directory) must not wipe
      // accounts. Said instead, so a removal from the file is not silently ignored.
      const configured = new Set(result.map((c) => c.id));
      const stale = await db.query<{ id: string }>("select id from connections where source = 'config' order by id");
      const missing = stale.rows.map((r) => r.id).filter((id) => !configured.has(id));
      if (missing.length) {
        logger.warn(
          { connections: missing },
          "connections stored from an earlier configuration are no longer configured; remove them with `fulcrum connections remove <id>` if they are gone for good",
        );
      }
      return result;
    },
    credentials,
    async client(id) {
      const resolved = await resolvePerformAs(id);
      return makeClient(id, resolved?.userId);
    },
    accountApi,
    resolvePerformAs,
    async storeWebhookToken(id, token) {
      await row(id);
      const sealed = box.seal(token.token, webhookTokenContext(id));
      if (token.webhookId) {
        await db.query(
          `insert into webhook_tokens (connection_id, event, webhook_id, url, token_encrypted, origin) values ($1, $2, $3, $4, $5, 'api')
           on conflict (connection_id, webhook_id) where webhook_id is not null
           do update set event = excluded.event, url = excluded.url, token_encrypted = excluded.token_encrypted`,
          [id, token.event, token.webhookId, token.url ?? null, sealed],
        );
      } else {
        await db.transaction(async (tx) => {
          await tx.query("delete from webhook_tokens where connection_id = $1 and origin = 'settings' and event is not distinct from $2", [id, token.event]);
          await tx.query("insert into webhook_tokens (connection_id, event, token_encrypted, origin) values ($1, $2, $3, 'settings')", [
            id,
            token.event,
            sealed,
          ]);
        });
      }
      invalidateTokens(id);
    },
    async removeWebhookToken(id, webhookId) {
      await db.query("delete from webhook_tokens where connection_id = $1 and webhook_id = $2", [id, webhookId]);
      invalidateTokens(id);
    },
    oauthSettings,
    storeOAuthTokens,
    accessToken,
    baseUrlProblem,
    allowOrigin(url) {
      const origin = new URL(url).origin;
      if (!allowedHosts.includes(origin)) allowedHosts.push(origin);
    },
    async rekey() {
      // One transaction: either every secret moves to the new key or none does.
      const counts = await db.transaction(async (tx) => {
        const unreadable: string[] = [];
        // A secret no key opens is left alone and reported: it is lost either way, and one broken
        // row must not keep every other secret on the old key.
        const reseal = (sealed: string, context: string): string | undefined => {
          try {
            return box.seal(box.open(sealed, context), context);
          } catch {
            unreadable.push(context.replace(/^connection:/, ""));
            return undefined;
          }
        };
        let credentials = 0;
        let webhookTokens = 0;
        let oauthTokens = 0;
        const conns = await tx.query<{ id: string; credentials_encrypted: string }>("select id, credentials_encrypted from connections for update");
        for (const c of conns.rows) {
          if (!box.isStale(c.credentials_encrypted)) continue;
          const sealed = reseal(c.credentials_encrypted, credentialsContext(c.id));
          if (sealed === undefined) continue;
          await tx.query("update connections set credentials_encrypted = $2 where id = $1", [c.id, sealed]);
          credentials++;
        }
        const tokens = await tx.query<{ id: number; connection_id: string; token_encrypted: string }>(
          "select id, connection_id, token_encrypted from webhook_tokens for update",
        );
        for (const t of tokens.rows) {
          if (!box.isStale(t.token_encrypted)) continue;
          const sealed = reseal(t.token_encrypted, webhookTokenContext(t.connection_id));
          if (sealed === undefined) continue;
          await tx.query("update webhook_tokens set token_encrypted = $2 where id = $1", [t.id, sealed]);
          webhookTokens++;
        }
        const oauth = await tx.query<{ connection_id: string; access_token_encrypted: string; refresh_token_encrypted: string | null }>(
          "select connection_id, access_token_encrypted, refresh_token_encrypted from connection_oauth_tokens for update",
        );
        for (const o of oauth.rows) {
          const stale = box.isStale(o.access_token_encrypted) || (o.refresh_token_encrypted !== null && box.isStale(o.refresh_token_encrypted));
          if (!stale) continue;
          const access = reseal(o.access_token_encrypted, oauthContext(o.connection_id, "access"));
          const refresh = o.refresh_token_encrypted === null ? null : reseal(o.refresh_token_encrypted, oauthContext(o.connection_id, "refresh"));
          if (access === undefined || refresh === undefined) continue;
          await tx.query("update connection_oauth_tokens set access_token_encrypted = $2, refresh_token_encrypted = $3 where connection_id = $1", [
            o.connection_id,
            access,
            refresh,
          ]);
          oauthTokens++;
        }
        return { credentials, webhookTokens, oauthTokens, unreadable };
      });
      tokenCache.clear();
      logger.info(counts, "stored connection secrets re-sealed with the current key");
      return counts;
    },
  };
}
