/**
 * The deployment's connection registry over the Lever module's client: the generic registry
 * (sealed credentials, perform-as, environments) wired to the database-backed rate limiter and
 * write ledger, plus webhook installation, doctor and the OAuth connect flow.
 */
import type { Logger } from "pino";
import type { Config } from "../../config/index.ts";
import { LEVER_RATE_LIMITS, type LeverClient, type RateLimiter, type WriteLedger } from "../../lever/index.ts";
import { createDatabaseRateLimiter, createDatabaseWriteLedger, type Database } from "../../store/index.ts";
import { runDoctor, type DoctorOptions, type DoctorRow } from "./doctor.ts";
import { leverClientFactory } from "./lever-wiring.ts";
import { beginOAuthConnect, completeOAuthConnect } from "./oauth-connect.ts";
import { leverOAuthHttp } from "./oauth-http.ts";
import type { LeverOAuthHttp } from "./ports.ts";
import { createRegistry, type ConnectionRegistry as GenericRegistry } from "./registry.ts";
import { createSecretBox } from "./secret-box.ts";
import { enabledWorkflows } from "./enabled-workflows.ts";
import type { Workflow } from "../workflows/index.ts";
import { installWebhooks, listWebhookSubscriptions, removeWebhooks, type WebhookInstallResult, type WebhookListRow } from "./webhook-install.ts";

export interface ConnectionRegistryOptions {
  db: Database;
  config: Pick<Config, "connections"> & Partial<Pick<Config, "publicUrl" | "leverAllowedHosts" | "workflowsDir">>;
  /** 32 bytes, from `loadSecretKey(config).key`. */
  secretKey: Buffer;
  /** Keys from before a rotation (`loadSecretKey(config).previous`): they still open what they sealed. */
  previousSecretKeys?: readonly Buffer[] | undefined;
  logger: Logger;
  /** Lever rate limiter; default: the database-backed one shared by every process. */
  rateLimiter?: RateLimiter | undefined;
  /** Write ledger; default: the database-backed one shared by every process. */
  ledger?: WriteLedger | undefined;
  /** Lever's OAuth token endpoint calls (replaceable in tests). */
  oauthHttp?: LeverOAuthHttp | undefined;
  fetch?: typeof fetch | undefined;
  /**
   * The enabled workflows, for the OAuth scopes to ask for and doctor's per-workflow checks;
   * default: the workflow files (built-in and `workflowsDir`) with the console's switches.
   */
  workflows?: (() => Promise<readonly Workflow[]>) | undefined;
}

/** The registry with the Lever module's client, plus webhook installation and doctor. */
export interface ConnectionRegistry extends GenericRegistry<LeverClient> {
  /** Subscribes the connection to every Lever event at `publicUrl` and stores the tokens. */
  installWebhooks(id: string, publicUrl: string): Promise<WebhookInstallResult>;
  listWebhooks(id: string): Promise<WebhookListRow[]>;
  removeWebhooks(id: string, publicUrl?: string): Promise<string[]>;
  /** Runs every doctor check on the connection (public URL from config unless given). */
  doctor(id: string, options?: DoctorOptions): Promise<DoctorRow[]>;
  /** Starts the OAuth connect flow: the Lever authorize URL to send an admin to. */
  beginOAuthConnect(id: string): Promise<{ url: string; expiresAt: Date }>;
  /** Finishes it from the callback's query; throws OAuthConnectError with a reason. */
  completeOAuthConnect(query: URLSearchParams): Promise<{ connectionId: string; scope: string | undefined }>;
}

/** Creates the deployment's connection registry over the Lever module's client. */
export function createConnectionRegistry(options: ConnectionRegistryOptions): ConnectionRegistry {
  const oauthHttp = options.oauthHttp ?? leverOAuthHttp({ fetch: options.fetch });
  // The registry decides where keys may go; the Lever transport asks it again before each request.
  let hostProblem: (url: string) => string | undefined = () => "the connection registry is not ready";
  const registry = createRegistry<LeverClient>({
    allowedLeverHosts: options.config.leverAllowedHosts,
    db: options.db,
    secretBox: createSecretBox(options.secretKey, { previous: options.previousSecretKeys }),
    logger: options.logger,
    configConnections: options.config.connections,
    oauthHttp,
    lever: leverClientFactory({
      // The database-backed limiter and ledger: every client of every process on this database
      // shares a connection's Lever budget and its write history.
      rateLimiter: options.rateLimiter ?? createDatabaseRateLimiter(options.db, LEVER_RATE_LIMITS),
      ledger: options.ledger ?? createDatabaseWriteLedger(options.db),
      logger: options.logger,
      fetch: options.fetch,
      hostProblem: (url) => hostProblem(url),
    }),
  });
  hostProblem = registry.baseUrlProblem;
  const workflows = options.workflows ?? (() => enabledWorkflows(options.db, { workflowsDir: options.config.workflowsDir }));
  return Object.assign(registry, {
    installWebhooks: (id: string, publicUrl: string) => installWebhooks(registry, id, publicUrl),
    listWebhooks: (id: string) => listWebhookSubscriptions(registry, id),
    removeWebhooks: (id: string, publicUrl?: string) => removeWebhooks(registry, id, publicUrl),
    doctor: async (id: string, doctorOptions: DoctorOptions = {}) =>
      runDoctor(registry, id, { publicUrl: options.config.publicUrl, ...doctorOptions, workflows: doctorOptions.workflows ?? (await workflows()) }),
    beginOAuthConnect: (id: string) => beginOAuthConnect({ db: options.db, registry, oauthHttp, workflows }, id),
    completeOAuthConnect: (query: URLSearchParams) => completeOAuthConnect({ db: options.db, registry, oauthHttp }, query),
  });
}
