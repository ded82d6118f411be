/**
 * Adapts the Lever module's OAuth functions (`src/lever/oauth.ts`) to the registry's port, adding what a
 * connection needs on top: always `offline_access` — without it Lever issues no refresh token and a
 * connection dies after an hour — and, when the caller names no scopes, what Fulcrum itself needs.
 */
import { buildAuthorizeUrl, exchangeCode, refreshTokens, type LeverTokens } from "../../lever/index.ts";
import type { LeverOAuthHttp, OAuthClientSettings, OAuthTokenSet } from "./ports.ts";
import { scopesFor } from "./workflow-needs.ts";

const hostsOf = (s: OAuthClientSettings) => ({ hosts: { authorizeUrl: s.authorizeUrl, tokenUrl: s.tokenUrl, audience: s.audience } });
const toSet = (t: LeverTokens): OAuthTokenSet => ({ accessToken: t.accessToken, refreshToken: t.refreshToken, expiresIn: t.expiresIn, scope: t.scope });

export function leverOAuthHttp(options: { fetch?: typeof fetch | undefined; timeoutMs?: number | undefined } = {}): LeverOAuthHttp {
  return {
    buildAuthorizeUrl(settings, state) {
      // `beginOAuthConnect` fills in the enabled workflows' scopes; this fallback is Fulcrum's own.
      const scopes = new Set(settings.scopes.length ? settings.scopes : scopesFor([], { confidential: settings.confidential ?? true }));
      scopes.add("offline_access");
      return buildAuthorizeUrl({
        ...hostsOf(settings),
        clientId: settings.clientId,
        redirectUri: settings.redirectUri,
        state,
        scopes: [...scopes],
        prompt: "consent",
      });
    },
    async exchangeCode(settings, code) {
      return toSet(
        await exchangeCode({
          ...hostsOf(settings),
          ...options,
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          code,
          redirectUri: settings.redirectUri,
        }),
      );
    },
    async refreshTokens(settings, refreshToken) {
      return toSet(await refreshTokens({ ...hostsOf(settings), ...options, clientId: settings.clientId, clientSecret: settings.clientSecret, refreshToken }));
    },
  };
}
