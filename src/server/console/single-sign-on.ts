/**
 * Single sign-on for the console through OpenID Connect (Google, Okta, Microsoft Entra…) with
 * `openid-client`: authorization code flow with PKCE, state and nonce. The identity provider vouches
 * for an e-mail address; the person must already have a console account with that address (an
 * admin creates it, choosing the role), so signing in through the provider never grants a role.
 *
 * Routes: `GET /console/sso/start` → the provider → `GET /console/sso/callback` → a new session.
 */
import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as oidc from "openid-client";
import type { Logger } from "../../observability/index.ts";
import type { Queryable } from "../../store/index.ts";
import { recordAccountSuccess, recordAttempt } from "./login-throttle.ts";
import { clientIp, SESSION_COOKIE, setSessionCookies } from "./session-cookie.ts";
import { createSession, deleteSession } from "./sessions.ts";
import { findUserByEmail } from "./users.ts";

export interface SingleSignOnSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** Shown on the sign-in button. */
  name: string;
}

const FLOW_COOKIE = "fulcrum_sso";
const FLOW_MAX_AGE = 600;

function isLocal(url: URL): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

function page(c: Context, status: 400 | 403 | 502, message: string): Response {
  // Plain text through c.text: the provider's error text is never rendered as markup.
  return c.text(`Single sign-on did not complete: ${message}\n\nGo back to the console and try again, or sign in with your password.`, status);
}

export function mountSingleSignOn(app: Hono, options: { db: Queryable; logger: Logger; publicUrl?: string | undefined; settings: SingleSignOnSettings }): void {
  const { db, logger, settings } = options;
  let configuration: Promise<oidc.Configuration> | undefined;
  const discover = () => {
    const issuer = new URL(settings.issuer);
    // Plain http is accepted only for a provider on this machine (development and tests).
    configuration ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(), {
        execute: issuer.protocol === "http:" && isLocal(issuer) ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        configuration = undefined; // try discovery again next time
        throw error;
      });
    return configuration;
  };
  const redirectUri = (c: Context) => `${options.publicUrl ?? new URL(c.req.url).origin}/console/sso/callback`;

  app.get("/console/api/sso", (c) => c.json({ name: settings.name, start: "/console/sso/start" }));

  app.get("/console/sso/start", async (c) => {
    let config: oidc.Configuration;
    try {
      config = await discover();
    } catch (error) {
      logger.warn({ err: error }, "OpenID Connect discovery failed");
      return page(c, 502, `the identity provider at ${settings.issuer} could not be reached`);
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(c),
      scope: "openid email profile",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    // The flow's secrets wait in a short-lived HttpOnly cookie; Lax lets it come back with the
    // provider's top-level redirect to the callback.
    setCookie(c, FLOW_COOKIE, JSON.stringify({ verifier, state, nonce }), {
      httpOnly: true,
      sameSite: "Lax",
      path: "/console/sso",
      maxAge: FLOW_MAX_AGE,
      secure: redirectUri(c).startsWith("https:"),
    });
    return c.redirect(url.href, 302);
  });

  app.get("/console/sso/callback", async (c) => {
    const raw = getCookie(c, FLOW_COOKIE);
    deleteCookie(c, FLOW_COOKIE, { path: "/console/sso" });
    let flow: { verifier: string; state: string; nonce: string };
    try {
      flow = JSON.parse(raw ?? "") as typeof flow;
      if (typeof flow.verifier !== "string" || typeof flow.state !== "string" || typeof flow.nonce !== "string") throw new Error();
    } catch {
      return page(c, 400, "the sign-in started too long ago or in another browser");
    }
    const current = new URL(c.req.url);
    const callbackUrl = new URL(redirectUri(c));
    callbackUrl.search = current.search;
    let email: string | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(await discover(), callbackUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (claims?.email_verified === false) return page(c, 403, "the identity provider has not verified this e-mail address");
      email = typeof claims?.email === "string" ? claims.email : undefined;
    } catch (error) {
      logger.info({ err: error }, "OpenID Connect callback refused");
      return page(c, 400, "the identity provider's answer could not be verified");
    }
    if (!email) return page(c, 403, "the identity provider did not give an e-mail address (ask for the email scope)");
    const user = await findUserByEmail(db, email);
    const ip = clientIp(c);
    if (!user || user.disabled) {
      await recordAttempt(db, email, ip, false);
      return page(c, 403, "there is no console account for this e-mail address; ask an admin to create one");
    }
    await recordAttempt(db, email, ip, true);
    await recordAccountSuccess(db, user.id);
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) await deleteSession(db, previous);
    const session = await createSession(db, user.id, { ip, userAgent: c.req.header("user-agent") });
    setSessionCookies(c, options.publicUrl, session);
    logger.info({ userId: user.id, role: user.role }, "console sign-in through single sign-on");
    return c.redirect("/", 302);
  });
}
