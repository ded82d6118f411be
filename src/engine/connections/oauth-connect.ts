/**
 * The OAuth connect flow's state: `begin` stores a random one-time `state` (only its hash, with an
 * expiry) and returns Lever's authorize URL; `complete` checks the callback against it, trades the
 * code for tokens and stores them sealed. The server routes and `fulcrum connections connect` are
 * thin shells over these two functions.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../../store/index.ts";
import type { Workflow } from "../workflows/index.ts";
import type { LeverOAuthHttp } from "./ports.ts";
import { ConnectionError, type ConnectionRegistry } from "./registry.ts";
import { scopesFor } from "./workflow-needs.ts";

/** How long an admin has between opening the authorize page and coming back (default 10 min). */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

const hashState = (state: string) => createHash("sha256").update(state).digest("hex");

/** A callback that cannot be honoured; `code` says why (for the page shown to the admin). */
export class OAuthConnectError extends Error {
  override readonly name = "OAuthConnectError";
  readonly code: "invalid_state" | "access_denied" | "authorization_failed" | "exchange_failed";
  readonly connectionId: string | undefined;
  constructor(code: OAuthConnectError["code"], message: string, connectionId?: string) {
    super(message);
    this.code = code;
    this.connectionId = connectionId;
  }
}

export interface OAuthConnectDeps<C> {
  db: Database;
  registry: ConnectionRegistry<C>;
  oauthHttp: LeverOAuthHttp;
  /** The enabled workflows: the scopes asked for are what they (and Fulcrum) need. */
  workflows?: (() => Promise<readonly Workflow[]>) | undefined;
  now?: () => number;
}

/**
 * The scopes a connect asks for: the connection's explicit list when it has one, otherwise what
 * Fulcrum and the enabled workflows need (plus `confidential:access:admin` unless opted out).
 */
export async function scopesToRequest<C>(
  deps: Pick<OAuthConnectDeps<C>, "workflows">,
  settings: { scopes: string[]; confidential?: boolean | undefined },
): Promise<string[]> {
  if (settings.scopes.length) return [...new Set(["offline_access", ...settings.scopes])];
  return scopesFor((await deps.workflows?.()) ?? [], { confidential: settings.confidential ?? true });
}

/** Starts connecting `connectionId`: returns the Lever authorize URL to send the admin to. */
export async function beginOAuthConnect<C>(deps: OAuthConnectDeps<C>, connectionId: string): Promise<{ url: string; expiresAt: Date }> {
  const settings = await deps.registry.oauthSettings(connectionId);
  settings.scopes = await scopesToRequest(deps, settings);
  const state = randomBytes(32).toString("base64url");
  const now = deps.now?.() ?? Date.now();
  const expiresAt = new Date(now + OAUTH_STATE_TTL_MS);
  // Old attempts are swept here rather than by a timer: rows only matter while they are young.
  await deps.db.query("delete from oauth_states where expires_at < $1", [new Date(now)]);
  await deps.db.query("insert into oauth_states (state_hash, connection_id, redirect_uri, expires_at) values ($1, $2, $3, $4)", [
    hashState(state),
    connectionId,
    settings.redirectUri,
    expiresAt,
  ]);
  return { url: deps.oauthHttp.buildAuthorizeUrl(settings, state), expiresAt };
}

/**
 * Handles Lever's redirect back (`?state=&code=` or `?state=&error=access_denied`). The state is
 * used up whatever the outcome, so a callback URL cannot be replayed. Returns the connection id.
 */
export async function completeOAuthConnect<C>(deps: OAuthConnectDeps<C>, query: URLSearchParams): Promise<{ connectionId: string; scope: string | undefined }> {
  const state = query.get("state");
  if (!state) throw new OAuthConnectError("invalid_state", "the callback carries no state: start connecting again from Fulcrum");
  const now = deps.now?.() ?? Date.now();
  const taken = await deps.db.query<{ connection_id: string; expires_at: Date | string }>(
    "delete from oauth_states where state_hash = $1 returning connection_id, expires_at",
    [hashState(state)],
  );
  const row = taken.rows[0];
  if (!row) throw new OAuthConnectError("invalid_state", "this sign-in link is unknown or was already used: start connecting again from Fulcrum");
  const connectionId = row.connection_id;
  if (new Date(row.expires_at).getTime() < now) {
    throw new OAuthConnectError(
      "invalid_state",
      `this sign-in started more than ${OAUTH_STATE_TTL_MS / 60_000} minutes ago and expired: start again`,
      connectionId,
    );
  }
  const error = query.get("error");
  if (error) {
    const description = query.get("error_description")?.slice(0, 200);
    if (error === "access_denied") {
      throw new OAuthConnectError(
        "access_denied",
        `access was declined in Lever${description ? ` (${description})` : ""}; connection "${connectionId}" is unchanged`,
        connectionId,
      );
    }
    throw new OAuthConnectError(
      "authorization_failed",
      `Lever refused the authorization: ${error}${description ? ` (${description})` : ""}; connection "${connectionId}" is unchanged`,
      connectionId,
    );
  }
  const code = query.get("code");
  if (!code) throw new OAuthConnectError("authorization_failed", "the callback carries no code", connectionId);
  try {
    const settings = await deps.registry.oauthSettings(connectionId);
    const tokens = await deps.oauthHttp.exchangeCode(settings, code);
    await deps.registry.storeOAuthTokens(connectionId, tokens);
    return { connectionId, scope: tokens.scope };
  } catch (error) {
    if (error instanceof ConnectionError) throw new OAuthConnectError("exchange_failed", error.message, connectionId);
    throw new OAuthConnectError("exchange_failed", `exchanging the code with Lever failed: ${(error as Error).message}`, connectionId);
  }
}
