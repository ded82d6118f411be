/**
 * The Lever sandbox: an in-memory Lever v1 API with signed webhooks, a seeded demo organisation
 * and fault injection. It is Lever's stand-in in every test and in `npm start` without credentials.
 *
 * @example
 * const sandbox = await startSandbox({ port: 0, seed: 1 });
 * const res = await fetch(`${sandbox.url}/stages`, {
 *   headers: { authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString("base64")}` },
 * });
 * await sandbox.close();
 */
import { createHash } from "node:crypto";
import type { Server } from "node:http";
import { KeyRateLimiter, sandboxPermissions, type ApiKeyRecord, type SandboxPermission } from "./access.ts";
import { createSandboxApi } from "./api.ts";
import { seedDemoOrg, type DemoOrgSummary } from "./demo-org.ts";
import { seedDemoEeo } from "./eeo.ts";
import { FaultInjector, type FaultConfig } from "./faults.ts";
import { closeServer, listen } from "./http-server.ts";
import type { Origin } from "./model.ts";
import { createOperations, type InterviewEventField, type Operations } from "./operations.ts";
import { Paginator } from "./pagination.ts";
import { OAuthServer, type OAuthClient } from "./oauth.ts";
import { createPrng, hashSeed } from "./resumes/prng.ts";
import { leverEventNames, type LeverEventName } from "../lever/index.ts";
import { createState, type FiredEvent, type SandboxState } from "./state.ts";
import { WebhookDispatcher, type DeliveryAttempt } from "./webhook-delivery.ts";
import { startCalendarSandbox, type CalendarSandbox } from "./calendars/index.ts";
import { createDemoActivity, type DemoActivity } from "./activity.ts";

export { sandboxPermissions, type SandboxPermission } from "./access.ts";
export type { FaultConfig } from "./faults.ts";
export type { DeliveryAttempt, SettingsSubscription } from "./webhook-delivery.ts";
export { signDelivery, defaultRetryDelaysMs } from "./webhook-delivery.ts";
export { conditionalEvents, type FiredEvent, type SandboxState } from "./state.ts";
export type * from "./model.ts";
export type { Operations, NewOpportunityInput, UploadedFile, InterviewEventField } from "./operations.ts";
export { interviewEventFields } from "./operations.ts";
export type { DemoOrgSummary } from "./demo-org.ts";
export { demoAnchor, fixedStages } from "./demo-org.ts";
export { demoPostings } from "./demo-postings.ts";
export { SandboxError } from "./errors.ts";
export type { OAuthClient } from "./oauth.ts";
export type { ActivityBurst, DemoActivity } from "./activity.ts";
export { sandboxCalendarsConfig, startCalendarSandbox, type CalendarSandbox, type CalendarSandboxOptions } from "./calendars/index.ts";

export interface SandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Seed for the demo organisation, ids, tokens and fault choices (default 1). */
  seed?: number;
  /** Seed the demo organisation (default true). Without it the org has only stages, reasons and one admin user. */
  demo?: boolean;
  /** Number of demo candidates (default 66). */
  candidates?: number;
  /** Enforce Lever's per-key rate limit of 10/s with bursts of 20 (default true). */
  rateLimit?: boolean;
  /** Initial faults; change them later through `sandbox.faults`. */
  faults?: FaultConfig;
  /** Waits before each of the (up to five) webhook retries. */
  webhookRetryDelaysMs?: number[];
  /** Timeout of one webhook delivery attempt (default 10 s). */
  webhookTimeoutMs?: number;
  /** Clock for timestamps of new records and webhook `triggeredAt` (default `Date.now`). */
  now?: () => number;
  /**
   * Test-only: let `POST /webhooks` and `PUT /webhooks` accept `http://` URLs on a loopback host
   * (127.x, `::1`, `localhost`), for a local server without a certificate. Lever accepts https
   * only, and so does the sandbox by default (400 `BadRequest` for anything else).
   */
  allowHttpLoopbackWebhooks?: boolean;
  /**
   * The `data` fields interview events carry (default: `interviewId`, `panelId`, `opportunityId`,
   * `contactId`, the set the reference lists as likely; Lever has not confirmed it). Name fewer to
   * test a receiver against a payload without some of them.
   */
  interviewEventFields?: readonly InterviewEventField[];
  /**
   * Also serve Google Calendar and Microsoft Graph imitations (on a port of their own) holding a
   * three-week demo calendar for every active user (default false).
   */
  calendars?: boolean;
}

export interface CreateApiKeyOptions {
  /** Endpoint permissions; all of them when absent. */
  permissions?: readonly SandboxPermission[];
  /** "Allow access to confidential data" (default false for new keys). */
  confidentialAccess?: boolean;
}

/** Helpers for tests that cause events through the same code the API runs. */
export interface SandboxActions extends Operations {
  /** Moves an opportunity to a stage (as `PUT /opportunities/:id/stage`). */
  moveStage(opportunityId: string, stageId: string, performAs?: string | null): void;
  /** Archives with the account's "Hired" reason: fires candidateArchiveChange and candidateHired. */
  hire(opportunityId: string, performAs?: string | null): void;
}

export interface Sandbox {
  /** Base URL of the API, ending in `/v1`. */
  url: string;
  /** An API key with every permission and confidential access. */
  apiKey: string;
  /** The in-memory organisation, for assertions. */
  state: SandboxState;
  /** Ground truth of the demo org (resume profiles by opportunity id, user ids by name); null without demo. */
  demo: DemoOrgSummary | null;
  /** Live fault configuration: change fields at any time. */
  faults: FaultConfig;
  /** How many faults of each kind were injected. */
  faultCounts: FaultInjector["counts"];
  /** Every webhook delivery attempt, in order. */
  deliveries: DeliveryAttempt[];
  /** Events fired, whether or not anyone was subscribed. */
  events: FiredEvent[];
  actions: SandboxActions;
  /** Subscribes a URL to an event as Lever's settings page does; returns the event's signature token. */
  subscribeWebhook(event: LeverEventName, url: string): string;
  /** Subscribes one URL to every event; returns each event's signature token. */
  subscribeAllWebhooks(url: string): Record<LeverEventName, string>;
  unsubscribeWebhook(event: LeverEventName): void;
  /** Sends the settings page's test ping (`data: {}`) for an event. */
  pingWebhook(event: LeverEventName): Promise<DeliveryAttempt | null>;
  /**
   * The settings page's Rerun button: sends a past delivery (its `deliveryId` from `deliveries`)
   * again with the same body, so the same `triggeredAt`; null when it is not in the two-week history.
   */
  rerunDelivery(deliveryId: string): Promise<DeliveryAttempt | null>;
  /** Resolves when no webhook delivery is in flight or waiting for a retry. */
  deliveriesSettled(): Promise<void>;
  /** Makes a key with a restricted permission set and/or confidential access. */
  createApiKey(options?: CreateApiKeyOptions): string;
  revokeApiKey(key: string): void;
  /** Turns the per-key rate limit on or off. */
  setRateLimit(enabled: boolean): void;
  /** Makes every pagination token issued so far answer 400 "Invalid offset token". */
  invalidatePageTokens(): void;
  /** Moves an opportunity to a stage (alias of `actions.moveStage`). */
  triggerStageChange(opportunityId: string, stageId: string, performAs?: string | null): void;
  /** Archives (reason id) or unarchives (null) an opportunity (alias of `actions.archive`). */
  triggerArchive(opportunityId: string, reasonId: string | null, performAs?: string | null): void;
  /**
   * Lever's OAuth flow: `hosts` plug into the client's OAuth functions; the default client accepts
   * any redirect URI; `consent` decides what the simulated admin answers.
   */
  oauth: {
    hosts: { authorizeUrl: string; tokenUrl: string; audience: string };
    clientId: string;
    clientSecret: string;
    consent: "approve" | "deny";
    /** Registers another OAuth application (with exact redirect URIs when given). */
    registerClient(options?: { clientId?: string; clientSecret?: string; redirectUris?: string[] }): OAuthClient;
    /** The admin revoked access: refresh and access tokens stop working. */
    revokeAll(): void;
    /** Every access token expires now (refresh tokens keep working). */
    expireAccessTokens(): void;
  };
  /** The Google Calendar and Microsoft Graph imitations, when started with `calendars: true`. */
  calendars: CalendarSandbox | null;
  /**
   * The demo organisation's day (new applications, stage moves, phone screens and feedback, each
   * firing its webhooks): a burst on demand, or one every N seconds once started. Null without demo.
   */
  activity: DemoActivity | null;
  /** Handles a request in process, without the network or faults. */
  fetch(request: Request): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const state = createState(seed, options.now);
  const dispatcher = new WebhookDispatcher(state, {
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
    ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
  });
  const emit = (event: LeverEventName, data: Record<string, unknown>, origin: Origin | null): void => {
    const fired: FiredEvent = { id: state.rng.uuid(), event, triggeredAt: state.now(), data };
    state.events.push(fired);
    dispatcher.dispatch(fired, origin);
  };
  const ops = createOperations(state, emit, {
    allowHttpLoopbackWebhooks: options.allowHttpLoopbackWebhooks === true,
    ...(options.interviewEventFields ? { interviewEventFields: options.interviewEventFields } : {}),
  });

  let demo: DemoOrgSummary | null = null;
  if (options.demo ?? true) {
    demo = await seedDemoOrg(state, seed, options.candidates);
    seedDemoEeo(state, seed);
  } else {
    seedMinimalOrg(state);
  }

  const keyRng = createPrng(hashSeed(`keys:${seed}`));
  const keys = new Map<string, ApiKeyRecord>();
  const createApiKey = (o: CreateApiKeyOptions = {}): string => {
    const key = createHash("sha256").update(keyRng.hex(32)).digest("base64url").slice(0, 40);
    keys.set(key, { key, permissions: new Set(o.permissions ?? sandboxPermissions), confidentialAccess: o.confidentialAccess ?? false });
    return key;
  };
  const apiKey = createApiKey({ confidentialAccess: true });
  const limiter = new KeyRateLimiter({ enabled: options.rateLimit ?? true });
  const paginator = new Paginator();
  let apiRoot = "";
  const oauthServer = new OAuthServer(createPrng(hashSeed(`oauth:${seed}`)), state.now, () => `${apiRoot}/`);
  const defaultClient = oauthServer.registerClient({ clientId: "fulcrum-sandbox", clientSecret: createPrng(hashSeed(`oauth-secret:${seed}`)).hex(40) });
  const app = createSandboxApi({ state, ops, paginator, keys, limiter, oauth: oauthServer });
  const faultConfig: FaultConfig = { ...options.faults };
  const faults = new FaultInjector(faultConfig, createPrng(hashSeed(`faults:${seed}`)));
  const { server, url } = await listen((request) => app.fetch(request), faults, options.port ?? 0, options.host ?? "127.0.0.1");
  apiRoot = `${url}/v1`;
  const activeUsers = [...state.users.values()].filter((u) => u.deactivatedAt === null && u.email).map((u) => ({ name: u.name, email: u.email }));
  const calendars = options.calendars
    ? await startCalendarSandbox({ seed, people: activeUsers, ...(options.now ? { now: options.now } : {}), ...(options.host ? { host: options.host } : {}) })
    : null;

  const hiredReason = (): string => {
    const reason = state.archiveReasons.find((r) => r.type === "hired");
    if (!reason) throw new Error("the sandbox has no hired archive reason");
    return reason.id;
  };
  const actions: SandboxActions = {
    ...ops,
    moveStage: (id, stageId, performAs = null) => void ops.changeStage(id, stageId, performAs),
    hire: (id, performAs = null) => void ops.archive(id, hiredReason(), performAs),
  };

  const activity = demo ? createDemoActivity(state, ops, { seed }) : null;

  const oauth: Sandbox["oauth"] = {
    hosts: { authorizeUrl: `${url}/authorize`, tokenUrl: `${url}/oauth/token`, audience: `${url}/v1/` },
    clientId: defaultClient.clientId,
    clientSecret: defaultClient.clientSecret,
    get consent() {
      return oauthServer.consent;
    },
    set consent(value) {
      oauthServer.consent = value;
    },
    registerClient: (o = {}) => oauthServer.registerClient(o),
    revokeAll: () => oauthServer.revokeAll(),
    expireAccessTokens: () => oauthServer.expireAccessTokens(),
  };

  return {
    url: `${url}/v1`,
    oauth,
    apiKey,
    state,
    demo,
    faults: faultConfig,
    faultCounts: faults.counts,
    deliveries: dispatcher.log,
    events: state.events,
    actions,
    subscribeWebhook: (event, hookUrl) => dispatcher.subscribe(event, hookUrl),
    subscribeAllWebhooks: (hookUrl) => Object.fromEntries(leverEventNames.map((e) => [e, dispatcher.subscribe(e, hookUrl)])) as Record<LeverEventName, string>,
    unsubscribeWebhook: (event) => dispatcher.unsubscribe(event),
    pingWebhook: (event) => dispatcher.ping(event),
    rerunDelivery: (deliveryId) => dispatcher.rerun(deliveryId),
    deliveriesSettled: () => dispatcher.idle(),
    createApiKey,
    revokeApiKey: (key) => void keys.delete(key),
    setRateLimit: (enabled) => {
      limiter.enabled = enabled;
      limiter.reset();
    },
    invalidatePageTokens: () => paginator.invalidateTokens(),
    triggerStageChange: actions.moveStage,
    triggerArchive: (id, reasonId, performAs = null) => void ops.archive(id, reasonId, performAs),
    calendars,
    activity,
    fetch: async (request) => await app.fetch(request),
    close: async () => {
      activity?.stop();
      await calendars?.close();
      await closeAll(server, dispatcher);
    },
  };
}

async function closeAll(server: Server, dispatcher: WebhookDispatcher): Promise<void> {
  await dispatcher.close();
  await closeServer(server);
}

/** Just what every Lever account has: the fixed stages, a Hired reason and one super admin. */
function seedMinimalOrg(state: SandboxState): void {
  const t = Date.UTC(2026, 0, 1);
  state.stages = [
    { id: "lead-new", text: "New lead" },
    { id: "lead-reached-out", text: "Reached out" },
    { id: "lead-responded", text: "Responded" },
    { id: "applicant-new", text: "New applicant" },
    { id: "offer", text: "Offer" },
  ];
  state.archiveReasons = [
    { id: state.rng.uuid(), text: "Hired", status: "active", type: "hired" },
    { id: state.rng.uuid(), text: "Underqualified", status: "active", type: null },
  ];
  const id = state.rng.uuid();
  state.users.set(id, {
    id,
    name: "Sandbox Admin",
    username: "sandbox.admin",
    email: "admin@sandbox.example",
    createdAt: t,
    deactivatedAt: null,
    externalDirectoryId: null,
    accessRole: "super admin",
    photo: null,
    linkedContactIds: null,
    jobTitle: null,
    managerId: null,
  });
}
