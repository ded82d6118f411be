/**
 * What every HTTP route may use. Built once at start-up (`fulcrum serve`) or by a test; modules
 * that need more add optional fields here with a targeted edit.
 */
import type { Config } from "../config/index.ts";
import type { Logger } from "../observability/index.ts";
import type { Database } from "../store/index.ts";
import type { ConnectionDirectory, ConnectionRegistry, EventSource, Inbox, JobQueue, WorkflowEngine, WorkflowSet } from "../engine/index.ts";
import type { EeoSource } from "./console/fairness-report.ts";
import type { DemoActivity } from "../sandbox/index.ts";

export interface AppContext {
  config: Config;
  db: Database;
  logger: Logger;
  queue: JobQueue;
  inbox: Inbox;
  /** Routes and verifies webhook deliveries (the connection registry in production). */
  connections: ConnectionDirectory;
  /** Verifies Lever deliveries; built from `connections` and the config when absent. */
  leverSource?: EventSource;
  /** The full connection registry (OAuth connect routes, doctor); `connections` is its narrow port. */
  connectionRegistry?: ConnectionRegistry;
  /** The workflow engine and its workflows; the REST API under /api is mounted when present. */
  engine?: WorkflowEngine;
  workflows?: WorkflowSet;
  /** Lever's EEO responses for the console's fairness report; default: read through the connection's Lever client. */
  eeoSource?: EeoSource;
  /** The built-in sandbox's demo activity (the console's "Simulate activity"), when the sandbox runs with its demo organisation. */
  sandboxActivity?: Pick<DemoActivity, "burst" | "everySeconds">;
}
