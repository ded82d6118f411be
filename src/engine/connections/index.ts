/**
 * Connections: the Lever accounts a deployment talks to. Front door for the registry (sealed
 * credentials and tokens, perform-as, environment), `webhooks install`, `doctor`, and the secret
 * key handling every module that stores secrets uses.
 *
 * @example
 * const { key } = loadSecretKey(config);
 * const connections = createConnectionRegistry({ db, config, secretKey: key, logger });
 * await connections.upsertFromConfig();
 * const lever = await connections.client("default"); // the Lever module's LeverClient, perform-as resolved
 */
export { createConnectionRegistry, type ConnectionRegistry, type ConnectionRegistryOptions } from "./connection-registry.ts";
export {
  ConnectionError,
  type ConnectionDirectory,
  type Connection,
  type ConnectionInput,
  type Credentials,
  type ConnectionSource,
  type PerformAsResolution,
} from "./registry.ts";
export { createSecretBox, loadSecretKey, parseSecretKey, SecretDecryptionError, type SecretBox } from "./secret-box.ts";
export { runDoctor, formatDoctorTable, doctorFailed, type DoctorRow, type DoctorStatus, type DoctorOptions } from "./doctor.ts";
export { webhookUrlFor, SUPER_ADMIN_REMINDER, type WebhookInstallResult, type WebhookInstallRow, type WebhookListRow } from "./webhook-install.ts";
export { LEVER_ENVIRONMENTS, apiBaseUrlFor, type LeverEnvironment } from "./environments.ts";
export type { LeverOAuthHttp, OAuthClientSettings, OAuthTokenSet } from "./ports.ts";
export { OAuthConnectError, OAUTH_STATE_TTL_MS } from "./oauth-connect.ts";
export { scopesFor, scopeUsers, workflowEndpoints, stepEndpoints, FULCRUM_NEEDS, CONFIDENTIAL_SCOPE } from "./workflow-needs.ts";
export { enabledWorkflows } from "./enabled-workflows.ts";
export type { OAuthHostsOverride } from "./registry.ts";
export { openConnections, type OpenedConnections } from "./open-registry.ts";
