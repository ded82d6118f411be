/**
 * Adapts E1's OAuth functions (`src/lever/oauth.ts`) to the registry's port, adding what a
 * connection needs on top: Fulcrum's default scopes and, always, `offline_access` — without it
 * Lever issues no refresh token and a connection dies after an hour.
 */
import { buildAuthorizeUrl, exchangeCode, refreshTokens, type LeverTokens } from "../../lever/index.ts";
import type { LeverOAuthHttp, OAuthClientSettings, OAuthTokenSet } from "./ports.ts";

/** The scopes Fulcrum needs when a connection names none (reference §1.3, suggested minimal set). */
export const DEFAULT_SCOPES = [
  "offline_access",
  "opportunities:write:admin",
  "notes:write:admin",
  "panels:write:admin",
  "interviews:read:admin",
  "feedback:read:admin",
  "postings:read:admin",
  "stages:read:admin",
  "archive_reasons:read:admin",
  "users:read:admin",
  "webhooks:write:admin",
  "resumes:read:admin",
  "files:read:admin",
  "contact:read:admin",
  "tags:read:admin",
  // The console's fairness report compares groups from Lever's EEO survey answers; without this
  // scope the Fairness page says the answers cannot be read.
  "eeo_responses_pii:read:admin",
];

const hostsOf = (s: OAuthClientSettings) => ({ hosts: { authorizeUrl: s.authorizeUrl, tokenUrl: s.tokenUrl, audience: s.audience } });
const toSet = (t: LeverTokens): OAuthTokenSet => ({ accessToken: t.accessToken, refreshToken: t.refreshToken, expiresIn: t.expiresIn, scope: t.scope });

export function leverOAuthHttp(options: { fetch?: typeof fetch | undefined; timeoutMs?: number | undefined } = {}): LeverOAuthHttp {
  return {
    buildAuthorizeUrl(settings, state) {
      const scopes = new Set(settings.scopes.length ? settings.scopes : DEFAULT_SCOPES);
      scopes.add("offline_access");
      return buildAuthorizeUrl({ ...hostsOf(settings), clientId: settings.clientId, redirectUri: settings.redirectUri, state, scopes: [...scopes], prompt: "consent" });
    },
    async exchangeCode(settings, code) {
      return toSet(await exchangeCode({ ...hostsOf(settings), ...options, clientId: settings.clientId, clientSecret: settings.clientSecret, code, redirectUri: settings.redirectUri }));
    },
    async refreshTokens(settings, refreshToken) {
      return toSet(await refreshTokens({ ...hostsOf(settings), ...options, clientId: settings.clientId, clientSecret: settings.clientSecret, refreshToken }));
    },
  };
}
