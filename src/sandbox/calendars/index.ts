/**
 * The calendar sandbox: Google Calendar and Microsoft Graph imitated over one set of calendars, on
 * one local port, with a service account and an app registration ready to use, fault injection,
 * and a realistic three-week demo for the demo organisation's people. It is what `npm start` points
 * the calendar connections at when no real ones are configured.
 *
 * @example
 * const cal = await startCalendarSandbox({ people: [{ name: "Ana Diaz", email: "ana@example.com" }] });
 * const google = new GoogleCalendarProvider(cal.googleConnection());
 * await google.freeBusy([{ id: "ana", email: "ana@example.com", connectionId: "sandbox-google" }], range);
 * await cal.close();
 */
import { generateKeyPair, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { Hono } from "hono";
import type { CalendarsConfigInput, GoogleConnectionConfig, GraphConnectionConfig } from "../../calendars/index.ts";
import { createPrng, hashSeed } from "../resumes/prng.ts";
import { seedDemoWeek } from "./demo-week.ts";
import { CalendarFaults, type CalendarFaultConfig } from "./faults.ts";
import { createGoogleApi, GOOGLE_SANDBOX_SCOPE, type GoogleSandboxDeps } from "./google-api.ts";
import { createGraphApi, type GraphSandboxApp } from "./graph-api.ts";
import { CalendarPush, type PushDelivery } from "./push.ts";
import { CalendarStore, type AttendeeResponse } from "./store.ts";

export { CalendarStore, type CalendarPerson, type StoredEvent, type Instance, type ShowAs, type AttendeeResponse } from "./store.ts";
export { demoCalendarPerson, demoWeekStart } from "./demo-week.ts";
export type { CalendarFaultConfig } from "./faults.ts";
export { GOOGLE_FREEBUSY_MAX_ITEMS, busyBlocks } from "./google-api.ts";
export { graphId, windowsZoneName } from "./graph-api.ts";
export { CalendarPush, GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES, type PushDelivery, type PushAttempt, type GoogleChannel, type GraphSubscription } from "./push.ts";

const generateKeyPairAsync = promisify(generateKeyPair);

export interface CalendarSandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** Seed of the demo calendars and credentials (default 1). */
  seed?: number;
  /** Clock for token expiry, "this week" of the demo and `updated` times (default `Date.now`). */
  now?: () => number;
  /** The people who have calendars (the demo organisation's users, when started by the Lever sandbox). */
  people?: { name: string; email: string }[];
  /** Fill the people's calendars with the three-week demo (default true). */
  demo?: boolean;
  faults?: CalendarFaultConfig;
  /** How push notifications reach their https address (default fetch); tests route it in process. */
  deliver?: PushDelivery;
}

export interface CalendarSandbox {
  /** Root URL; the APIs live under `/google`, `/graph/v1.0` and `/login`. */
  url: string;
  store: CalendarStore;
  /** Live fault configuration (both APIs; token endpoints are never faulted). */
  faults: CalendarFaultConfig;
  faultCounts: CalendarFaults["counts"];
  google: {
    apiBaseUrl: string;
    tokenUrl: string;
    /** The service account's JSON key, as the Cloud console would download it. */
    serviceAccountKey: {
      type: "service_account";
      project_id: string;
      private_key_id: string;
      private_key: string;
      client_email: string;
      client_id: string;
      token_uri: string;
    };
    /** Scopes the simulated Workspace admin allowed the service account (domain-wide delegation). */
    delegatedScopes: Set<string>;
    /** Every update Google would have e-mailed to attendees. */
    sentUpdates: GoogleSandboxDeps["sentUpdates"];
  };
  graph: GraphSandboxApp & { apiBaseUrl: string; loginBaseUrl: string };
  /** Google push channels and Graph subscriptions opened, and every notification sent. */
  push: CalendarPush;
  /** Ids of demo events tests name; null without the demo. */
  demo: { weekStart: string; standupId?: string } | null;
  /** A person answers an invitation in their own calendar app. */
  respond(eventId: string, email: string, response: AttendeeResponse): void;
  /** Every sync token and delta link issued so far expires (410). */
  invalidateSyncTokens(): void;
  /** A Google connection (`calendars.connections[]`) pointing at this sandbox. */
  googleConnection(overrides?: Partial<GoogleConnectionConfig>): GoogleConnectionConfig;
  /** A Microsoft Graph connection pointing at this sandbox. */
  graphConnection(overrides?: Partial<GraphConnectionConfig>): GraphConnectionConfig;
  fetch(request: Request): Promise<Response>;
  close(): Promise<void>;
}

/** The demo people whose calendars are served through Graph when `npm start` wires both APIs. */
export const demoGraphPeople = ["Owen Clarke", "Grace Mwangi", "Chloe Martin"] as const;

/**
 * The `calendars:` section `npm start` uses with the built-in sandbox: Google serves the demo
 * domain, and a few people (sales, finance, product) are on Microsoft 365 through Graph, so both
 * imitations take part in every demo panel.
 */
export function sandboxCalendarsConfig(sandbox: CalendarSandbox): CalendarsConfigInput {
  const people = [...sandbox.store.people.values()];
  const domains = [...new Set(people.map((p) => p.email.slice(p.email.indexOf("@") + 1)))];
  const googlePerson = people.find((p) => !(demoGraphPeople as readonly string[]).includes(p.name));
  return {
    connections: [sandbox.googleConnection({ domains, ...(googlePerson ? { subject: googlePerson.email } : {}) }), sandbox.graphConnection()],
    identities: people.filter((p) => (demoGraphPeople as readonly string[]).includes(p.name)).map((p) => ({ lever: p.email, connection: "sandbox-graph" })),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startCalendarSandbox(options: CalendarSandboxOptions = {}): Promise<CalendarSandbox> {
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const store = new CalendarStore(now);
  let demo: CalendarSandbox["demo"] = null;
  if (options.demo ?? true) demo = seedDemoWeek(store, options.people ?? [], seed, now());
  else
    for (const p of options.people ?? [])
      store.addPerson({ email: p.email, name: p.name, timezone: "UTC", workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" } });

  const rng = createPrng(hashSeed(`calendar-sandbox:${seed}`));
  const { publicKey, privateKey } = await generateKeyPairAsync("rsa", { modulusLength: 2048 });
  const faultConfig: CalendarFaultConfig = { ...options.faults };
  const faults = new CalendarFaults(faultConfig);
  const push = new CalendarPush(store, options.deliver);
  const sentUpdates: GoogleSandboxDeps["sentUpdates"] = [];
  const domain = [...store.people.values()][0]?.email.split("@")[1] ?? "sandbox.example";
  const project = `${domain.split(".")[0]}-scheduling`;
  const account = {
    clientEmail: `fulcrum-calendars@${project}.iam.gserviceaccount.com`,
    clientId: String(100_000_000_000_000_000_000n + BigInt(rng.int(0, 2 ** 30)) * 1_000_003n),
    privateKeyId: rng.hex(40),
    publicKey,
    delegatedScopes: new Set([GOOGLE_SANDBOX_SCOPE]),
  };
  let root = "";
  const googleApp = createGoogleApi({ store, faults, account, tokenUrl: () => `${root}/google/token`, sentUpdates, push });
  const registration: GraphSandboxApp = {
    tenantId: rng.uuid(),
    clientId: rng.uuid(),
    clientSecret: `${rng.hex(5)}8Q~${randomBytes(27).toString("base64url")}`,
    roles: new Set(["Calendars.ReadWrite"]),
    secretExpired: false,
  };
  push.tenantId = registration.tenantId;
  const { login, graph } = createGraphApi({ store, faults, app: registration, apiRoot: () => `${root}/graph/v1.0`, signingKey: randomBytes(32), push });

  const app = new Hono();
  app.route("/google", googleApp);
  app.route("/login", login);
  app.route("/graph/v1.0", graph);
  app.notFound((c) => c.json({ error: { code: 404, message: `No calendar sandbox route for ${c.req.method} ${c.req.path}` } }, 404));

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else if (value !== undefined) headers.set(name, value);
      }
      const method = req.method ?? "GET";
      const response = await app.fetch(
        new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
          method,
          headers,
          ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }),
        }),
      );
      const bytes = Buffer.from(await response.arrayBuffer());
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => (out[k] = v));
      res.writeHead(response.status, out);
      res.end(bytes);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"code":500,"message":"calendar sandbox failure"}}');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";
  root = `http://${host}:${address.port}`;

  const serviceAccountKey = {
    type: "service_account" as const,
    project_id: project,
    private_key_id: account.privateKeyId,
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    client_email: account.clientEmail,
    client_id: account.clientId,
    token_uri: `${root}/google/token`,
  };
  const graphInfo = Object.assign(registration, { apiBaseUrl: `${root}/graph/v1.0`, loginBaseUrl: `${root}/login` });

  return {
    url: root,
    store,
    faults: faultConfig,
    faultCounts: faults.counts,
    google: {
      apiBaseUrl: `${root}/google/calendar/v3`,
      tokenUrl: `${root}/google/token`,
      serviceAccountKey,
      delegatedScopes: account.delegatedScopes,
      sentUpdates,
    },
    graph: graphInfo,
    push,
    demo,
    respond: (eventId, email, response) => void store.respond(eventId, email, response),
    invalidateSyncTokens: () => store.invalidateSyncTokens(),
    googleConnection: (o = {}) => ({
      id: "sandbox-google",
      provider: "google",
      serviceAccountKey,
      domains: [],
      read: "events",
      apiBaseUrl: `${root}/google/calendar/v3`,
      tokenUrl: `${root}/google/token`,
      ...o,
    }),
    graphConnection: (o = {}) => ({
      id: "sandbox-graph",
      provider: "graph",
      tenantId: registration.tenantId,
      clientId: registration.clientId,
      clientSecret: registration.clientSecret,
      domains: [],
      apiBaseUrl: `${root}/graph/v1.0`,
      loginBaseUrl: `${root}/login`,
      ...o,
    }),
    fetch: async (request) => await app.fetch(request),
    close: async () => {
      await push.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
