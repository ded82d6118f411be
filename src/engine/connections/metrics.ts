/**
 * Connection metrics, on the process registry that `/metrics` serves. Labels carry connection ids
 * only (never e-mails or tokens).
 */
import { Counter } from "prom-client";
import { registry } from "../../observability/index.ts";

export const oauthRefreshes = new Counter({
  name: "fulcrum_lever_oauth_refreshes_total",
  help: "Lever OAuth access-token refreshes by connection and outcome (refreshed, reused = another process had just refreshed, failed).",
  labelNames: ["connection", "outcome"] as const,
  registers: [registry],
});

export const performAsResolutions = new Counter({
  name: "fulcrum_lever_perform_as_resolutions_total",
  help: "Perform-as user look-ups in Lever by connection and outcome (primary, fallback, failed).",
  labelNames: ["connection", "outcome"] as const,
  registers: [registry],
});
