/** The REST API under `/api` and its bearer tokens. */
export { apiRoutes, authorizeByRole, type Authorize, type ApiOptions } from "./routes.ts";
export { createApiToken, ensureBootstrapToken, verifyApiToken, revokeApiToken, hashToken, type TokenRole } from "./tokens.ts";
export { toolWebhookRoutes, envToolSecrets, type ToolSecrets } from "./tool-webhooks.ts";
