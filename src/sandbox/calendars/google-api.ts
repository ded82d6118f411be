/**
 * Google Calendar API v3 and Google's OAuth token endpoint, imitated over the calendar store:
 * the JWT-bearer grant of a service account with domain-wide delegation (RS256 checked against the
 * account's public key, `sub` naming the user acted as), freeBusy.query, events.list with
 * singleEvents, time bounds, page and sync tokens, events.insert/get/patch/delete with Meet links,
 * attendees' answers and private extended properties, push channels (events.watch, channels.stop;
 * notifications sent by push.ts) — answering with Google's shapes and error envelope `{error: {code, message, errors: [{domain, reason, message}], status}}`.
 */
import { createHash, createVerify, randomBytes, type KeyObject } from "node:crypto";
import { Hono, type Context } from "hono";
import { DateTime } from "luxon";
import { z } from "zod";
import type { CalendarFaults } from "./faults.ts";
import type { CalendarPush } from "./push.ts";
import { isoWeekdays, type CalendarStore, type Instance, type StoredEvent } from "./store.ts";

export const GOOGLE_SANDBOX_SCOPE = "https://www.googleapis.com/auth/calendar";
/** freeBusy.query's calendarExpansionMax: more items in one call is refused. */
export const GOOGLE_FREEBUSY_MAX_ITEMS = 50;

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  410: "FAILED_PRECONDITION",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/** An answer in Google's error envelope; handlers throw it. */
export class GoogleApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly domain: string;
  readonly headers: Record<string, string>;
  constructor(status: number, reason: string, message: string, options: { domain?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.domain = options.domain ?? "global";
    this.headers = options.headers ?? {};
  }
  body() {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ domain: this.domain, reason: this.reason, message: this.message }],
        status: statusNames[this.status] ?? "UNKNOWN",
      },
    };
  }
}

/** Google's OAuth error: `{error, error_description}` (not the API envelope). */
class OAuthError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, description: string) {
    super(description);
    this.status = status;
    this.code = code;
  }
}

export interface GoogleSandboxAccount {
  clientEmail: string;
  clientId: string;
  privateKeyId: string;
  publicKey: KeyObject;
  /** Scopes the Workspace admin allowed this client for domain-wide delegation. */
  delegatedScopes: Set<string>;
}

export interface GoogleSandboxDeps {
  store: CalendarStore;
  faults: CalendarFaults;
  account: GoogleSandboxAccount;
  /** The token endpoint's own URL: the assertion's `aud` must be it. */
  tokenUrl: () => string;
  /** Every invitation Google would have e-mailed (sendUpdates), for assertions. */
  sentUpdates: { eventId: string; action: "created" | "updated" | "cancelled"; sendUpdates: string; recipients: string[] }[];
  /** Push channels opened with events.watch. */
  push: CalendarPush;
}

type Ctx = Context<{ Variables: { token: TokenRecord } }>;

interface TokenRecord {
  subject: string | undefined;
  scopes: string[];
  expiresAt: number;
}

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
function unb64json(token: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString()) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
function rfc3339(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!RFC3339.test(value)) throw new GoogleApiError(400, "badRequest", `Bad Request: ${name} must be an RFC3339 timestamp with a time-zone offset`);
  return Date.parse(value);
}

const dateOrTime = z.object({ date: z.string().optional(), dateTime: z.string().optional(), timeZone: z.string().optional() });
const eventBodySchema = z.object({
  id: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: dateOrTime.optional(),
  end: dateOrTime.optional(),
  transparency: z.enum(["opaque", "transparent"]).optional(),
  visibility: z.enum(["default", "public", "private", "confidential"]).optional(),
  eventType: z.enum(["default", "outOfOffice", "focusTime", "workingLocation"]).optional(),
  attendees: z
    .array(z.object({ email: z.string().email(), displayName: z.string().optional(), optional: z.boolean().optional(), responseStatus: z.string().optional() }))
    .optional(),
  extendedProperties: z.object({ private: z.record(z.string(), z.string()).optional(), shared: z.record(z.string(), z.string()).optional() }).optional(),
  conferenceData: z
    .object({ createRequest: z.object({ requestId: z.string().min(1), conferenceSolutionKey: z.object({ type: z.string() }).optional() }).optional() })
    .optional(),
});
type EventBody = z.infer<typeof eventBodySchema>;

export function createGoogleApi(deps: GoogleSandboxDeps): Hono {
  const { store, faults, account } = deps;
  const tokens = new Map<string, TokenRecord>();
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof GoogleApiError) return c.json(error.body(), error.status as 400, error.headers);
    if (error instanceof OAuthError) return c.json({ error: error.code, error_description: error.message }, error.status as 400);
    return c.json(new GoogleApiError(500, "backendError", "Backend Error").body(), 500);
  });

  // ---- OAuth: the JWT-bearer grant (RFC 7523) ----
  app.post("/token", async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const grant = form.get("grant_type");
    if (grant !== "urn:ietf:params:oauth:grant-type:jwt-bearer") throw new OAuthError(400, "unsupported_grant_type", `Invalid grant_type: ${grant ?? ""}`);
    const assertion = form.get("assertion") ?? "";
    const [h, p, s] = assertion.split(".");
    if (!h || !p || !s) throw new OAuthError(400, "invalid_request", "Invalid JWT: the assertion is not a compact JWS.");
    const header = unb64json(h);
    const claims = unb64json(p);
    if (!header || !claims) throw new OAuthError(400, "invalid_grant", "Invalid JWT: the assertion could not be decoded.");
    if (claims.iss !== account.clientEmail) throw new OAuthError(400, "invalid_grant", "Invalid JWT Signature.");
    const signatureOk = header.alg === "RS256" && createVerify("RSA-SHA256").update(`${h}.${p}`).verify(account.publicKey, Buffer.from(s, "base64url"));
    if (!signatureOk) throw new OAuthError(400, "invalid_grant", "Invalid JWT Signature.");
    if (claims.aud !== deps.tokenUrl())
      throw new OAuthError(400, "invalid_grant", `Invalid JWT: Failed audience check. The expected audience is ${deps.tokenUrl()}.`);
    const now = Math.floor(store.now() / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp - iat > 3600 || exp <= now || iat > now + 300) {
      throw new OAuthError(
        400,
        "invalid_grant",
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
      );
    }
    const scopes = String(claims.scope ?? "")
      .split(/\s+/)
      .filter(Boolean);
    if (scopes.length === 0) throw new OAuthError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    const subject = typeof claims.sub === "string" ? claims.sub.toLowerCase() : undefined;
    if (subject !== undefined) {
      // Domain-wide delegation: the admin console must allow this client every scope asked for.
      if (!scopes.every((sc) => account.delegatedScopes.has(sc))) {
        throw new OAuthError(
          401,
          "unauthorized_client",
          "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
        );
      }
      if (!store.person(subject)) throw new OAuthError(400, "invalid_grant", "Invalid email or User ID");
    }
    const token = `ya29.sandbox-${randomBytes(24).toString("base64url")}`;
    tokens.set(token, { subject, scopes, expiresAt: store.now() + 3599_000 });
    return c.json({ access_token: token, expires_in: 3599, token_type: "Bearer" });
  });

  // ---- Calendar API v3 ----
  const api = new Hono<{ Variables: { token: TokenRecord } }>();
  api.use("*", async (c, next) => {
    const fault = faults.before(c.req.method, c.req.path);
    if (fault.kind === "rate-limit") {
      throw new GoogleApiError(429, "rateLimitExceeded", "Rate Limit Exceeded", {
        domain: "usageLimits",
        headers: { "retry-after": String(fault.retryAfterSeconds) },
      });
    }
    if (fault.kind === "unavailable") throw new GoogleApiError(503, "backendError", "The service is currently unavailable.");
    const auth = c.req.header("authorization") ?? "";
    if (!auth.startsWith("Bearer ")) {
      throw new GoogleApiError(
        401,
        "required",
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      );
    }
    const record = tokens.get(auth.slice(7));
    if (!record || record.expiresAt <= store.now()) throw new GoogleApiError(401, "authError", "Invalid Credentials");
    if (!record.scopes.some((sc) => sc.startsWith(GOOGLE_SANDBOX_SCOPE)))
      throw new GoogleApiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
    c.set("token", record);
    await next();
  });
  const tokenOf = (c: Ctx) => c.get("token");
  const canWrite = (t: TokenRecord) => t.scopes.includes(GOOGLE_SANDBOX_SCOPE) || t.scopes.includes(`${GOOGLE_SANDBOX_SCOPE}.events`);

  api.post("/freeBusy", async (c) => {
    const parsed = z
      .object({
        timeMin: z.string().optional(),
        timeMax: z.string().optional(),
        timeZone: z.string().optional(),
        items: z.array(z.object({ id: z.string() })).default([]),
      })
      .safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new GoogleApiError(400, "parseError", "Parse Error");
    const b = parsed.data;
    if (!b.timeMin) throw new GoogleApiError(400, "required", "Missing timeMin parameter.");
    if (!b.timeMax) throw new GoogleApiError(400, "required", "Missing timeMax parameter.");
    const from = rfc3339(b.timeMin, "timeMin")!;
    const to = rfc3339(b.timeMax, "timeMax")!;
    if (to <= from) throw new GoogleApiError(400, "timeRangeEmpty", "The specified time range is empty.");
    // Our reading of calendarExpansionMax (at most 50): a longer list is refused, not cut short.
    if (b.items.length > GOOGLE_FREEBUSY_MAX_ITEMS)
      throw new GoogleApiError(400, "tooManyCalendarsRequested", `Too many calendars requested: at most ${GOOGLE_FREEBUSY_MAX_ITEMS} per query.`);
    const zone = b.timeZone && DateTime.now().setZone(b.timeZone).isValid ? b.timeZone : "UTC";
    const calendars: Record<string, unknown> = {};
    for (const { id } of b.items) {
      const person = store.person(id === "primary" ? (tokenOf(c).subject ?? "") : id);
      if (!person) {
        calendars[id] = { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
        continue;
      }
      calendars[id] = { busy: busyBlocks(store, person.email, from, to).map(([s, e]) => ({ start: stamp(s, zone), end: stamp(e, zone) })) };
    }
    return c.json({ kind: "calendar#freeBusy", timeMin: stamp(from, zone), timeMax: stamp(to, zone), calendars });
  });

  /** The calendar a path names, as the acting user may see it (their own only: others are not shared). */
  const calendarOf = (c: Ctx): string => {
    const raw = decodeURIComponent(c.req.param("calendarId") ?? "");
    const subject = tokenOf(c).subject;
    const id = raw === "primary" ? subject : raw.toLowerCase();
    if (!id || !store.person(id) || id !== subject) throw new GoogleApiError(404, "notFound", "Not Found");
    return id;
  };

  api.get("/calendars/:calendarId/events", (c) => {
    const cal = calendarOf(c);
    const person = store.person(cal)!;
    const q = (n: string) => c.req.query(n);
    const single = q("singleEvents") === "true";
    const showDeleted = q("showDeleted") === "true";
    const zone = q("timeZone") && DateTime.now().setZone(q("timeZone")).isValid ? q("timeZone")! : person.timezone;
    const maxResults = q("maxResults") === undefined ? 250 : Number(q("maxResults"));
    if (!Number.isInteger(maxResults) || maxResults < 1) throw new GoogleApiError(400, "invalid", "Invalid value for: maxResults");
    const pageSize = Math.min(maxResults, 2500);
    const syncToken = q("syncToken");
    const privateFilter = c.req.queries("privateExtendedProperty") ?? [];
    let from = -Infinity;
    let to = Infinity;
    let since: number | undefined;
    if (syncToken !== undefined) {
      if (q("timeMin") || q("timeMax") || q("orderBy") || privateFilter.length || q("iCalUID")) {
        throw new GoogleApiError(400, "invalid", "Sync token cannot be combined with timeMin, timeMax, orderBy, iCalUID or privateExtendedProperty.");
      }
      const t = unb64json(syncToken);
      if (!t || t.g !== store.generation || t.c !== cal || typeof t.s !== "number")
        throw new GoogleApiError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.");
      since = t.s;
    } else {
      from = rfc3339(q("timeMin"), "timeMin") ?? -Infinity;
      to = rfc3339(q("timeMax"), "timeMax") ?? Infinity;
      if (to <= from) throw new GoogleApiError(400, "timeRangeEmpty", "The specified time range is empty.");
      if (q("orderBy") === "startTime" && !single)
        throw new GoogleApiError(400, "badRequest", "The requested ordering is not available for the particular query.");
    }
    const page = q("pageToken") ? unb64json(q("pageToken")!) : { o: 0, s: store.seq };
    if (!page || typeof page.o !== "number" || typeof page.s !== "number") throw new GoogleApiError(400, "invalid", "Invalid page token value.");
    const seenSeq = page.s;
    const all: { start: number; json: Record<string, unknown> }[] = [];
    for (const e of store.calendar(cal)) {
      if (since !== undefined && (e.changeSeq <= since || e.changeSeq > seenSeq)) continue;
      if (
        privateFilter.some((f) => {
          const [k, ...v] = f.split("=");
          return e.privateProperties?.[k!] !== v.join("=");
        })
      )
        continue;
      if (q("iCalUID") && `${e.id}@google.com` !== q("iCalUID")) continue;
      if (e.status === "cancelled") {
        if (since !== undefined || showDeleted) all.push({ start: e.start, json: { kind: "calendar#event", etag: etag(e), id: e.id, status: "cancelled" } });
        continue;
      }
      if (single || e.recurrence) {
        const instances = store.instances(e, from, to);
        if (single) for (const i of instances) all.push({ start: i.start, json: eventJson(store, e, cal, zone, i) });
        else if (instances.length) {
          all.push({ start: e.start, json: eventJson(store, e, cal, zone) });
          for (const i of instances.filter((x) => x.exception)) all.push({ start: i.start, json: eventJson(store, e, cal, zone, i) });
        }
        continue;
      }
      if (e.start < to && e.end > from) all.push({ start: e.start, json: eventJson(store, e, cal, zone) });
    }
    all.sort((a, b) => a.start - b.start || String(a.json.id).localeCompare(String(b.json.id)));
    const items = all.slice(page.o, page.o + pageSize).map((x) => x.json);
    const more = page.o + pageSize < all.length;
    return c.json({
      kind: "calendar#events",
      etag: `"${store.seq}"`,
      summary: cal,
      updated: new Date(store.now()).toISOString(),
      timeZone: person.timezone,
      accessRole: "owner",
      defaultReminders: [{ method: "popup", minutes: 10 }],
      ...(more ? { nextPageToken: b64json({ o: page.o + pageSize, s: seenSeq }) } : { nextSyncToken: b64json({ g: store.generation, c: cal, s: seenSeq }) }),
      items,
    });
  });

  const channelSchema = z.object({
    id: z.string().optional(),
    type: z.string().optional(),
    address: z.string().optional(),
    token: z.string().max(256).optional(),
    params: z.object({ ttl: z.string().optional() }).optional(),
  });
  // events.watch: a channel that POSTs to `address` whenever an event on this calendar changes.
  api.post("/calendars/:calendarId/events/watch", async (c) => {
    const cal = calendarOf(c);
    const parsed = channelSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new GoogleApiError(400, "parseError", "Parse Error");
    const b = parsed.data;
    if (!b.id) throw new GoogleApiError(400, "required", "Required: id");
    if (!b.address) throw new GoogleApiError(400, "required", "Required: address");
    if (b.type !== "web_hook" && b.type !== "webhook") throw new GoogleApiError(400, "invalid", `Invalid value for: type (${b.type ?? ""})`);
    if (!/^[A-Za-z0-9\-_+/=]{1,64}$/.test(b.id)) throw new GoogleApiError(400, "invalid", "Invalid value for: id");
    let url: URL;
    try {
      url = new URL(b.address);
    } catch {
      throw new GoogleApiError(400, "push.webhookUrlUnparseable", `Invalid webhook URL: ${b.address}`, { domain: "push" });
    }
    if (url.protocol !== "https:") throw new GoogleApiError(400, "push.webhookUrlNotHttps", `WebHook callback must be HTTPS: ${b.address}`, { domain: "push" });
    if (deps.push.channels.has(b.id)) throw new GoogleApiError(400, "channelIdNotUnique", "Channel id not unique", { domain: "push" });
    const ttl = b.params?.ttl === undefined ? undefined : Number(b.params.ttl);
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0)) throw new GoogleApiError(400, "invalid", "Invalid value for: params.ttl");
    const channel = deps.push.openChannel(cal, { id: b.id, address: b.address, token: b.token, ttlSeconds: ttl });
    return c.json({
      kind: "api#channel",
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(cal)}/events?alt=json`,
      ...(channel.token !== undefined ? { token: channel.token } : {}),
      expiration: String(channel.expiration),
    });
  });

  // channels.stop: the channel's id and the resourceId events.watch gave.
  api.post("/channels/stop", async (c) => {
    const parsed = z.object({ id: z.string(), resourceId: z.string() }).safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw new GoogleApiError(400, "required", "Required: id and resourceId");
    const channel = deps.push.channels.get(parsed.data.id);
    if (!channel || channel.resourceId !== parsed.data.resourceId)
      throw new GoogleApiError(404, "notFound", `Channel '${parsed.data.id}' not found for project '${account.clientId}'`);
    deps.push.channels.delete(channel.id);
    return c.body(null, 204);
  });

  const findOn = (cal: string, id: string) => {
    const found = store.find(id);
    if (!found || !store.onCalendar(found.event, cal)) throw new GoogleApiError(404, "notFound", "Not Found");
    return found;
  };

  api.get("/calendars/:calendarId/events/:eventId", (c) => {
    const cal = calendarOf(c);
    const { event, originalStart } = findOn(cal, c.req.param("eventId"));
    const zone = c.req.query("timeZone") ?? store.person(cal)!.timezone;
    const instance = originalStart !== undefined ? store.instances(event).find((i) => i.originalStart === originalStart) : undefined;
    return c.json(eventJson(store, event, cal, zone, instance));
  });

  api.post("/calendars/:calendarId/events", async (c) => {
    const cal = calendarOf(c);
    if (!canWrite(tokenOf(c))) throw new GoogleApiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
    const body = parseEventBody(await c.req.json().catch(() => undefined));
    const sendUpdates = sendUpdatesOf(c.req.query("sendUpdates"));
    const id =
      body.id ??
      createHash("sha256")
        .update(`${cal}:${store.seq}:${randomBytes(8).toString("hex")}`)
        .digest("hex")
        .slice(0, 26);
    if (!/^[a-v0-9]{5,1024}$/.test(id)) throw new GoogleApiError(400, "invalid", "Invalid resource id value.");
    if (store.events.has(id)) throw new GoogleApiError(409, "duplicate", "The requested identifier already exists.");
    const times = timesOf(body, store.person(cal)!.timezone, true)!;
    const now = store.now();
    const e: StoredEvent = {
      id,
      organizer: cal,
      title: body.summary ?? "",
      description: body.description,
      location: body.location,
      ...times,
      showAs:
        body.transparency === "transparent" || body.eventType === "workingLocation"
          ? body.eventType === "workingLocation"
            ? "workingElsewhere"
            : "free"
          : body.eventType === "outOfOffice"
            ? "oof"
            : "busy",
      kind: body.eventType ?? "default",
      visibility: body.visibility === "private" || body.visibility === "confidential" ? "private" : "default",
      attendees: (body.attendees ?? []).map((a) => ({
        email: a.email.toLowerCase(),
        name: a.displayName,
        optional: a.optional,
        response: a.email.toLowerCase() === cal ? "accepted" : "needsAction",
      })),
      privateProperties: body.extendedProperties?.private,
      status: "confirmed",
      sequence: 0,
      created: now,
      updated: now,
      changeSeq: 0,
    };
    if (c.req.query("conferenceDataVersion") === "1" && body.conferenceData?.createRequest) e.conference = meet(body.conferenceData.createRequest, id);
    store.add(e);
    notify(deps, e, "created", sendUpdates);
    return c.json(eventJson(store, e, cal, store.person(cal)!.timezone));
  });

  api.patch("/calendars/:calendarId/events/:eventId", async (c) => {
    const cal = calendarOf(c);
    if (!canWrite(tokenOf(c))) throw new GoogleApiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
    const { event: e, originalStart } = findOn(cal, c.req.param("eventId"));
    if (e.status === "cancelled") throw new GoogleApiError(410, "deleted", "Resource has been deleted");
    if (e.organizer !== cal) throw new GoogleApiError(403, "forbiddenForNonOrganizer", "Shared properties can only be changed by the organizer of the event.");
    const body = parseEventBody(await c.req.json().catch(() => undefined));
    const sendUpdates = sendUpdatesOf(c.req.query("sendUpdates"));
    const times = timesOf(body, e.timezone, false);
    if (originalStart !== undefined) {
      // Patching one occurrence moves it (an exception of the series).
      const i = store.instances(e).find((x) => x.originalStart === originalStart)!;
      if (times) store.moveOccurrence(e, originalStart, times.start, times.end);
      notify(deps, e, "updated", sendUpdates);
      const moved = store.instances(e).find((x) => x.originalStart === originalStart) ?? i;
      return c.json(eventJson(store, e, cal, store.person(cal)!.timezone, moved));
    }
    if (body.summary !== undefined) e.title = body.summary;
    if (body.description !== undefined) e.description = body.description;
    if (body.location !== undefined) e.location = body.location;
    if (times) {
      Object.assign(e, times);
      e.sequence += 1;
    }
    if (body.attendees) {
      const before = new Map(e.attendees.map((a) => [a.email, a.response]));
      e.attendees = body.attendees.map((a) => ({
        email: a.email.toLowerCase(),
        name: a.displayName,
        optional: a.optional,
        response: before.get(a.email.toLowerCase()) ?? (a.email.toLowerCase() === cal ? "accepted" : "needsAction"),
      }));
    }
    if (body.extendedProperties?.private) e.privateProperties = { ...e.privateProperties, ...body.extendedProperties.private };
    if (body.transparency) e.showAs = body.transparency === "transparent" ? "free" : e.showAs === "free" ? "busy" : e.showAs;
    if (c.req.query("conferenceDataVersion") === "1" && body.conferenceData?.createRequest && !e.conference)
      e.conference = meet(body.conferenceData.createRequest, e.id);
    store.touch(e);
    notify(deps, e, "updated", sendUpdates);
    return c.json(eventJson(store, e, cal, store.person(cal)!.timezone));
  });

  api.delete("/calendars/:calendarId/events/:eventId", (c) => {
    const cal = calendarOf(c);
    if (!canWrite(tokenOf(c))) throw new GoogleApiError(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
    const { event: e, originalStart } = findOn(cal, c.req.param("eventId"));
    if (e.status === "cancelled") throw new GoogleApiError(410, "deleted", "Resource has been deleted");
    const sendUpdates = sendUpdatesOf(c.req.query("sendUpdates"));
    if (e.organizer !== cal) {
      // An attendee who deletes an invitation declines it.
      store.respond(e.id, cal, "declined");
      return c.body(null, 204);
    }
    if (originalStart !== undefined) store.cancelOccurrence(e, originalStart);
    else {
      e.status = "cancelled";
      e.sequence += 1;
      store.touch(e);
    }
    notify(deps, e, "cancelled", sendUpdates);
    return c.body(null, 204);
  });

  app.route("/calendar/v3", api);
  return app;
}

function sendUpdatesOf(value: string | undefined): string {
  if (value === undefined) return "none";
  if (!["all", "externalOnly", "none"].includes(value)) throw new GoogleApiError(400, "invalid", `Invalid value for: sendUpdates (${value})`);
  return value;
}

function notify(deps: GoogleSandboxDeps, e: StoredEvent, action: "created" | "updated" | "cancelled", sendUpdates: string): void {
  const recipients = e.attendees.filter((a) => a.email !== e.organizer).map((a) => a.email);
  const domain = e.organizer.slice(e.organizer.indexOf("@"));
  const sent = sendUpdates === "all" ? recipients : sendUpdates === "externalOnly" ? recipients.filter((r) => !r.endsWith(domain)) : [];
  deps.sentUpdates.push({ eventId: e.id, action, sendUpdates, recipients: sent });
}

function parseEventBody(raw: unknown): EventBody {
  const parsed = eventBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GoogleApiError(400, "invalid", `Invalid value for: ${issue.path.join(".")} (${issue.message})`);
  }
  return parsed.data;
}

/** Start and end of an event body: all-day dates or instants, checked as Google checks them. */
function timesOf(
  body: EventBody,
  calendarZone: string,
  required: boolean,
): Pick<StoredEvent, "start" | "end" | "allDay" | "timezone" | "startDate" | "endDate"> | undefined {
  if (!body.start && !body.end && !required) return undefined;
  if (!body.start) throw new GoogleApiError(400, "required", "Missing start time.");
  if (!body.end) throw new GoogleApiError(400, "required", "Missing end time.");
  const zoneOf = (t: z.infer<typeof dateOrTime>) => {
    if (t.timeZone && !DateTime.now().setZone(t.timeZone).isValid)
      throw new GoogleApiError(400, "timeZoneInvalid", `Invalid time zone definition for start time: ${t.timeZone}`);
    return t.timeZone ?? calendarZone;
  };
  if (body.start.date || body.end.date) {
    if (!body.start.date || !body.end.date || !/^\d{4}-\d{2}-\d{2}$/.test(body.start.date) || !/^\d{4}-\d{2}-\d{2}$/.test(body.end.date))
      throw new GoogleApiError(400, "invalid", "Invalid start or end date.");
    if (body.end.date <= body.start.date) throw new GoogleApiError(400, "timeRangeEmpty", "The specified time range is empty.");
    const zone = calendarZone;
    return {
      allDay: true,
      timezone: zone,
      startDate: body.start.date,
      endDate: body.end.date,
      start: DateTime.fromISO(body.start.date, { zone }).toMillis(),
      end: DateTime.fromISO(body.end.date, { zone }).toMillis(),
    };
  }
  const instant = (t: z.infer<typeof dateOrTime>, which: string) => {
    const zone = zoneOf(t);
    const v = DateTime.fromISO(t.dateTime ?? "", { zone, setZone: false });
    if (!t.dateTime || !v.isValid) throw new GoogleApiError(400, "invalid", `Invalid ${which} time.`);
    if (!/(Z|[+-]\d{2}:\d{2})$/i.test(t.dateTime) && !t.timeZone)
      throw new GoogleApiError(400, "timeZoneRequired", `Missing time zone definition for ${which} time.`);
    return v.toMillis();
  };
  const start = instant(body.start, "start");
  const end = instant(body.end, "end");
  if (end <= start) throw new GoogleApiError(400, "timeRangeEmpty", "The specified time range is empty.");
  return { allDay: false, timezone: body.start.timeZone ?? calendarZone, start, end, startDate: undefined, endDate: undefined };
}

function meet(request: { requestId: string; conferenceSolutionKey?: { type: string } | undefined }, eventId: string): NonNullable<StoredEvent["conference"]> {
  const type = request.conferenceSolutionKey?.type ?? "hangoutsMeet";
  if (type !== "hangoutsMeet") throw new GoogleApiError(400, "invalid", "Invalid conference type value.");
  const letters = createHash("sha256").update(`${request.requestId}:${eventId}`).digest().subarray(0, 10);
  const code = [...letters].map((b) => String.fromCharCode(97 + (b % 26))).join("");
  const conferenceId = `${code.slice(0, 3)}-${code.slice(3, 7)}-${code.slice(7, 10)}`;
  return { type: "hangoutsMeet", conferenceId, joinUrl: `https://meet.google.com/${conferenceId}`, requestId: request.requestId };
}

const etag = (e: StoredEvent) => `"${e.updated}${String(e.changeSeq).padStart(3, "0")}"`;

function stamp(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** An event (or one occurrence) as Google lists it for `viewer`. */
function eventJson(store: CalendarStore, e: StoredEvent, viewer: string, zone: string, instance?: Instance): Record<string, unknown> {
  const when = (ms: number, date?: string) => (e.allDay ? { date } : { dateTime: stamp(ms, zone), timeZone: e.timezone });
  const start = instance ? instance.start : e.start;
  const end = instance ? instance.end : e.end;
  const json: Record<string, unknown> = {
    kind: "calendar#event",
    etag: etag(e),
    id: instance ? instance.id : e.id,
    status: e.status,
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${instance?.id ?? e.id} ${e.organizer}`).toString("base64url")}`,
    created: new Date(e.created).toISOString(),
    updated: new Date(e.updated).toISOString(),
    summary: e.title,
    ...(e.description ? { description: e.description } : {}),
    ...(e.location ? { location: e.location } : {}),
    creator: { email: e.organizer, ...(e.organizer === viewer ? { self: true } : {}) },
    organizer: { email: e.organizer, ...(e.organizer === viewer ? { self: true } : {}) },
    start: when(start, e.startDate),
    end: when(end, e.endDate),
    ...(e.showAs === "free" || e.showAs === "workingElsewhere" ? { transparency: "transparent" } : {}),
    ...(e.visibility === "private" ? { visibility: "private" } : {}),
    iCalUID: `${e.id}@google.com`,
    sequence: e.sequence,
    eventType: e.kind,
    reminders: { useDefault: true },
  };
  if (instance) {
    json.recurringEventId = e.id;
    json.originalStartTime = when(instance.originalStart ?? instance.start, e.startDate);
  } else if (e.recurrence) {
    const r = e.recurrence;
    const until = DateTime.fromISO(r.until, { zone: e.timezone }).endOf("day").toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'");
    json.recurrence = [`RRULE:FREQ=${r.freq};BYDAY=${r.byDay.map((d) => isoWeekdays[d - 1]).join(",")};UNTIL=${until}`];
    if (r.exdates.length)
      (json.recurrence as string[]).push(
        `EXDATE;TZID=${e.timezone}:${r.exdates.map((x) => DateTime.fromMillis(x, { zone: e.timezone }).toFormat("yyyyLLdd'T'HHmmss")).join(",")}`,
      );
  }
  if (e.attendees.length) {
    const organizerListed = e.attendees.some((a) => a.email === e.organizer);
    json.attendees = [
      ...(organizerListed ? [] : [{ email: e.organizer, organizer: true, responseStatus: "accepted", ...(e.organizer === viewer ? { self: true } : {}) }]),
      ...e.attendees.map((a) => ({
        email: a.email,
        ...(a.name ? { displayName: a.name } : {}),
        ...(a.email === e.organizer ? { organizer: true } : {}),
        ...(a.email === viewer ? { self: true } : {}),
        ...(a.optional ? { optional: true } : {}),
        responseStatus: a.response,
      })),
    ];
  }
  if (e.privateProperties && e.organizer === viewer) json.extendedProperties = { private: e.privateProperties };
  if (e.conference) {
    json.hangoutLink = e.conference.joinUrl;
    json.conferenceData = {
      ...(e.conference.requestId
        ? { createRequest: { requestId: e.conference.requestId, conferenceSolutionKey: { type: "hangoutsMeet" }, status: { statusCode: "success" } } }
        : {}),
      entryPoints: [{ entryPointType: "video", uri: e.conference.joinUrl, label: e.conference.joinUrl.replace(/^https:\/\//, "") }],
      conferenceSolution: { key: { type: "hangoutsMeet" }, name: "Google Meet" },
      conferenceId: e.conference.conferenceId,
    };
  }
  if (e.kind === "outOfOffice")
    json.outOfOfficeProperties = { autoDeclineMode: "declineOnlyNewConflictingInvitations", declineMessage: "Declined because I am out of office" };
  if (e.kind === "focusTime") json.focusTimeProperties = { autoDeclineMode: "declineNone", chatStatus: "doNotDisturb" };
  if (e.kind === "workingLocation") json.workingLocationProperties = { type: "homeOffice", homeOffice: {} };
  void store;
  return json;
}

/**
 * Busy blocks of one calendar as freeBusy.query gives them: opaque events the owner has not
 * declined (unanswered and tentative invitations count), out-of-office included, clipped to the
 * query and merged where they touch.
 */
export function busyBlocks(store: CalendarStore, email: string, from: number, to: number): [number, number][] {
  const spans: [number, number][] = [];
  for (const e of store.calendar(email)) {
    if (e.status === "cancelled" || e.showAs === "free" || e.showAs === "workingElsewhere") continue;
    if (store.responseOf(e, email) === "declined") continue;
    for (const i of store.instances(e, from, to)) spans.push([Math.max(i.start, from), Math.min(i.end, to)]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}
