export { loadConfig, ConfigError, configSchema, connectionConfigSchema, leverEventNames, aiConfigSchema, aiProviderNames } from "./config.ts";
export type { Config, ConnectionConfig, Mode, LeverEventName, AiConfig, AiProviderName } from "./config.ts";
