/**
 * Prometheus metrics, one registry per process. Every module records through these objects;
 * `/metrics` serves the registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "fulcrum_process_" });

export const webhooksReceived = new Counter({
  name: "fulcrum_webhooks_total",
  help: "Webhook deliveries by source, event and outcome (accepted, duplicate, rejected_*).",
  labelNames: ["source", "event", "outcome"] as const,
  registers: [registry],
});

export const leverCalls = new Counter({
  name: "fulcrum_lever_calls_total",
  help: "Calls to the Lever API by method and HTTP status (0 = network error).",
  labelNames: ["method", "status"] as const,
  registers: [registry],
});

export const leverRateLimitWaitSeconds = new Counter({
  name: "fulcrum_lever_rate_limit_wait_seconds_total",
  help: "Time spent waiting for the shared Lever rate limit.",
  labelNames: ["connection"] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: "fulcrum_job_duration_seconds",
  help: "Job run time by queue and outcome.",
  labelNames: ["queue", "outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const jobFailures = new Counter({
  name: "fulcrum_job_failures_total",
  help: "Failed job attempts by queue.",
  labelNames: ["queue"] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: "fulcrum_queue_depth",
  help: "Jobs waiting per queue (sampled at scrape).",
  labelNames: ["queue"] as const,
  registers: [registry],
});

export const webhookReplaysRejected = new Counter({
  name: "fulcrum_webhook_replays_rejected_total",
  help: "Signed webhook deliveries refused because their signature token was already used, within the replay window, with another body (a captured delivery re-sent with new data), by source and connection.",
  labelNames: ["source", "connection"] as const,
  registers: [registry],
});

export const interviewEventFieldsMissing = new Counter({
  name: "fulcrum_interview_event_fields_missing_total",
  help: "Interview webhooks (interviewCreated/Updated/Deleted) whose data lacked a field Fulcrum reads (interviewId, panelId, opportunityId, contactId; Lever has not confirmed them), by event and field. Fulcrum then looks the interview up through the API.",
  labelNames: ["event", "field"] as const,
  registers: [registry],
});

export const interviewEventsUnresolved = new Counter({
  name: "fulcrum_interview_events_unresolved_total",
  help: "Interview webhooks whose interview could not be found even through the API (no opportunity named or found, or no such interview), by event and reason: no feedback nudge is scheduled for them.",
  labelNames: ["event", "reason"] as const,
  registers: [registry],
});
