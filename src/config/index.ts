export { loadConfig, auditAnchorSettings, ConfigError, configSchema, connectionConfigSchema, leverEventNames, aiConfigSchema, aiProviderNames, smtpSettingsSchema } from "./config.ts";
export type { Config, ConnectionConfig, Mode, LeverEventName, AiConfig, AiProviderName, SmtpSettings } from "./config.ts";
