/** The OAuth connect routes for Lever partner connections (`/oauth/lever/start`, `/oauth/lever/callback`). */
export { oauthRoutes, type OAuthRoutesOptions } from "./oauth-routes.ts";
