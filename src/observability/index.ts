export { createLogger, silentLogger, REDACTED_PATHS, type Logger } from "./logger.ts";
export * as metrics from "./metrics.ts";
export { registry } from "./metrics.ts";
