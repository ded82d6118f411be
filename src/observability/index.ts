export { createLogger, silentLogger, REDACTED_PATHS, type Logger } from "./logger.ts";
export {
  registry,
  webhooksReceived,
  webhookReplaysRejected,
  leverCalls,
  leverRateLimitWaitSeconds,
  jobDuration,
  jobFailures,
  queueDepth,
  interviewEventFieldsMissing,
  interviewEventsUnresolved,
} from "./metrics.ts";
