/**
 * Microsoft Graph v1.0 calendars and the Microsoft identity platform's token endpoint, imitated over
 * the calendar store: the client-credentials grant (`/{tenant}/oauth2/v2.0/token`, scope
 * `https://graph.microsoft.com/.default`, a JWT whose `roles` are the application permissions
 * granted), getSchedule (statuses, availabilityView, working hours with a Windows zone), events with
 * Teams links and transactionId, calendarView with `@odata.nextLink` paging, delta queries,
 * `Prefer: outlook.timezone`, subscriptions to a user's events (the validationToken handshake with
 * the notificationUrl and any lifecycleNotificationUrl before creating one, renewal by PATCH,
 * /reauthorize, DELETE; notifications and lifecycle notifications sent by push.ts), and Graph's error body
 * `{error: {code, message, innerError}}`.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { Hono, type Context } from "hono";
import { DateTime } from "luxon";
import { z } from "zod";
import type { CalendarFaults } from "./faults.ts";
import { GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES, type CalendarPush, type GraphSubscription } from "./push.ts";
import type { CalendarStore, Instance, ShowAs, StoredEvent } from "./store.ts";

export const GRAPH_SANDBOX_SCOPE = "https://graph.microsoft.com/.default";

/** Windows zone names Exchange reports, for the zones the demo people live in (IANA passes through). */
const WINDOWS_ZONES: Record<string, string> = {
  "America/Los_Angeles": "Pacific Standard Time",
  "America/Chicago": "Central Standard Time",
  "America/New_York": "Eastern Standard Time",
  "Europe/London": "GMT Standard Time",
  "Europe/Berlin": "W. Europe Standard Time",
  "Europe/Warsaw": "Central European Standard Time",
  "Europe/Paris": "Romance Standard Time",
  "Europe/Istanbul": "Turkey Standard Time",
  "Africa/Nairobi": "E. Africa Standard Time",
  "Asia/Tokyo": "Tokyo Standard Time",
  UTC: "UTC",
};
const IANA_OF_WINDOWS = Object.fromEntries(Object.entries(WINDOWS_ZONES).map(([iana, win]) => [win, iana]));

/** The Windows name Graph would give an IANA zone (the IANA name itself when not in the table). */
export function windowsZoneName(iana: string): string {
  return WINDOWS_ZONES[iana] ?? iana;
}

/** A zone name as Graph accepts it (Windows or IANA) → IANA; undefined when unknown. */
function ianaOf(name: string): string | undefined {
  if (IANA_OF_WINDOWS[name]) return IANA_OF_WINDOWS[name];
  return DateTime.now().setZone(name).isValid ? name : undefined;
}

export class GraphApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
  body(now: number) {
    const id = randomUUID();
    return {
      error: {
        code: this.code,
        message: this.message,
        innerError: { date: new Date(now).toISOString().slice(0, 19), "request-id": id, "client-request-id": id },
      },
    };
  }
}

class AadError extends Error {
  readonly status: number;
  readonly code: string;
  readonly aadsts: number;
  constructor(status: number, code: string, aadsts: number, message: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.aadsts = aadsts;
  }
}

export interface GraphSandboxApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Application permissions with admin consent (the token's `roles`). */
  roles: Set<string>;
  /** True once the client secret has expired (AADSTS7000222). */
  secretExpired: boolean;
}

export interface GraphSandboxDeps {
  store: CalendarStore;
  faults: CalendarFaults;
  app: GraphSandboxApp;
  /** The API root as clients call it (ending in /v1.0), for `@odata.nextLink` and delta links. */
  apiRoot: () => string;
  /** Secret the sandbox signs its tokens with (HS256: Graph clients never check the signature). */
  signingKey: Buffer;
  /** Subscriptions and the notifications they send. */
  push: CalendarPush;
}

/** A Graph id for a store id (Graph's are long opaque base64 strings). */
export const graphId = (id: string) => `AAMkAGSbx${Buffer.from(id).toString("base64url")}`;
const storeId = (id: string) => (id.startsWith("AAMkAGSbx") ? Buffer.from(id.slice(9), "base64url").toString() : "");

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string().optional() });
const eventBodySchema = z.object({
  subject: z.string().optional(),
  body: z.object({ contentType: z.string().optional(), content: z.string().optional() }).optional(),
  start: dateTimeTimeZone.optional(),
  end: dateTimeTimeZone.optional(),
  isAllDay: z.boolean().optional(),
  showAs: z.enum(["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"]).optional(),
  location: z.object({ displayName: z.string().optional() }).optional(),
  attendees: z
    .array(
      z.object({
        emailAddress: z.object({ address: z.string().email(), name: z.string().optional() }),
        type: z.enum(["required", "optional", "resource"]).optional(),
      }),
    )
    .optional(),
  isOnlineMeeting: z.boolean().optional(),
  onlineMeetingProvider: z.enum(["teamsForBusiness", "skypeForBusiness", "skypeForConsumer", "unknown"]).optional(),
  transactionId: z.string().max(255).optional(),
  sensitivity: z.enum(["normal", "personal", "private", "confidential"]).optional(),
});
type EventBody = z.infer<typeof eventBodySchema>;

const AVAILABILITY_DIGIT: Record<ShowAs, string> = { free: "0", tentative: "1", busy: "2", oof: "3", workingElsewhere: "4" };
const PRECEDENCE: ShowAs[] = ["free", "workingElsewhere", "tentative", "busy", "oof"];
const RESPONSE_OUT = { accepted: "accepted", declined: "declined", tentative: "tentativelyAccepted", needsAction: "none" } as const;
type Ctx = Context<{ Variables: { roles: string[] } }>;

export function createGraphApi(deps: GraphSandboxDeps): { login: Hono; graph: Hono<{ Variables: { roles: string[] } }> } {
  const { store, faults, app: registration } = deps;
  const now = () => store.now();

  // ---- login: the client-credentials grant ----
  const login = new Hono();
  login.onError((error, c) => {
    if (error instanceof AadError) {
      const id = randomUUID();
      return c.json(
        {
          error: error.code,
          error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${id} Correlation ID: ${id} Timestamp: ${new Date(now()).toISOString().replace("T", " ").slice(0, 19)}Z`,
          error_codes: [error.aadsts],
          timestamp: new Date(now()).toISOString(),
          trace_id: id,
          correlation_id: id,
        },
        error.status as 400,
      );
    }
    return c.json({ error: "server_error", error_description: "AADSTS50000: There was an error issuing a token." }, 500);
  });
  login.post("/:tenant/oauth2/v2.0/token", async (c) => {
    const tenant = c.req.param("tenant");
    const form = new URLSearchParams(await c.req.text());
    if (tenant !== registration.tenantId)
      throw new AadError(
        400,
        "invalid_request",
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    if (form.get("grant_type") !== "client_credentials")
      throw new AadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    if (form.get("client_id") !== registration.clientId) {
      throw new AadError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${form.get("client_id") ?? ""}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant.`,
      );
    }
    const scope = form.get("scope") ?? "";
    if (scope !== GRAPH_SANDBOX_SCOPE) {
      throw new AadError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    if (registration.secretExpired)
      throw new AadError(
        401,
        "invalid_client",
        7000222,
        `The provided client secret keys for app '${registration.clientId}' are expired. Visit the Azure portal to create new keys for your app.`,
      );
    if (form.get("client_secret") !== registration.clientSecret) {
      throw new AadError(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.",
      );
    }
    const iat = Math.floor(now() / 1000);
    const claims = {
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${tenant}/`,
      iat,
      nbf: iat,
      exp: iat + 3599,
      appid: registration.clientId,
      tid: tenant,
      roles: [...registration.roles],
      idtyp: "app",
      ver: "1.0",
    };
    const unsigned = `${Buffer.from(JSON.stringify({ typ: "JWT", alg: "HS256" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
    const token = `${unsigned}.${createHmac("sha256", deps.signingKey).update(unsigned).digest("base64url")}`;
    return c.json({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
  });

  // ---- Graph v1.0 ----
  const graph = new Hono<{ Variables: { roles: string[] } }>();
  graph.onError((error, c) => {
    if (error instanceof GraphApiError) return c.json(error.body(now()), error.status as 400, error.headers);
    return c.json(new GraphApiError(500, "generalException", "An unexpected error occurred.").body(now()), 500);
  });
  graph.use("*", async (c, next) => {
    const fault = faults.before(c.req.method, c.req.path);
    if (fault.kind === "rate-limit") {
      throw new GraphApiError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", {
        "retry-after": String(fault.retryAfterSeconds),
      });
    }
    if (fault.kind === "unavailable") throw new GraphApiError(503, "serviceNotAvailable", "The service is temporarily unavailable.");
    const auth = c.req.header("authorization") ?? "";
    if (!auth.startsWith("Bearer ")) throw new GraphApiError(401, "InvalidAuthenticationToken", "Access token is empty.");
    const [h, p, s] = auth.slice(7).split(".");
    if (!h || !p || !s || createHmac("sha256", deps.signingKey).update(`${h}.${p}`).digest("base64url") !== s) {
      throw new GraphApiError(401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed, there are no dots (.).");
    }
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { exp: number; roles: string[]; tid: string };
    if (claims.exp * 1000 <= now()) throw new GraphApiError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
    if (claims.tid !== registration.tenantId) throw new GraphApiError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
    c.set("roles", claims.roles);
    await next();
  });
  const need = (c: Ctx, write: boolean) => {
    const roles = c.get("roles");
    const ok = write
      ? roles.includes("Calendars.ReadWrite")
      : roles.some((r) => r === "Calendars.Read" || r === "Calendars.ReadWrite" || r === "Calendars.ReadBasic.All");
    if (!ok) throw new GraphApiError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
  };
  const userOf = (c: Ctx): string => {
    const raw = decodeURIComponent(c.req.param("user") ?? "").toLowerCase();
    if (!store.person(raw)) throw new GraphApiError(404, "ErrorInvalidUser", `The requested user '${raw}' is invalid.`);
    return raw;
  };
  /** The zone `Prefer: outlook.timezone` asks for (UTC when absent or unknown), and page size. */
  const prefer = (c: Ctx) => {
    const header = c.req.header("prefer") ?? "";
    const zoneName = /outlook\.timezone="([^"]+)"/i.exec(header)?.[1];
    const zone = zoneName ? ianaOf(zoneName) : undefined;
    const size = Number(/odata\.maxpagesize=(\d+)/i.exec(header)?.[1] ?? NaN);
    return { zone: zone ?? "UTC", zoneName: zone ? zoneName! : "UTC", maxPageSize: Number.isFinite(size) && size > 0 ? size : undefined };
  };
  const dtz = (ms: number, zone: string, zoneName: string) => ({
    dateTime: `${DateTime.fromMillis(ms, { zone }).toFormat("yyyy-LL-dd'T'HH:mm:ss")}.0000000`,
    timeZone: zoneName,
  });
  const instant = (v: z.infer<typeof dateTimeTimeZone>, name: string): number => {
    const zone = v.timeZone ? ianaOf(v.timeZone) : "UTC";
    if (!zone)
      throw new GraphApiError(
        400,
        "TimeZoneNotSupportedException",
        `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${v.timeZone}'.`,
      );
    const t = DateTime.fromISO(v.dateTime.replace(/(\.\d{3})\d+/, "$1"), { zone });
    if (!t.isValid)
      throw new GraphApiError(400, "ErrorInvalidRequest", `Cannot convert the literal '${v.dateTime}' to the expected type 'Edm.DateTimeOffset' (${name}).`);
    return t.toMillis();
  };

  graph.post("/users/:user/calendar/getSchedule", async (c) => {
    need(c, false);
    userOf(c);
    const parsed = z
      .object({
        schedules: z.array(z.string()).min(1),
        startTime: dateTimeTimeZone,
        endTime: dateTimeTimeZone,
        availabilityViewInterval: z.number().int().optional(),
      })
      .safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      throw new GraphApiError(400, "ErrorInvalidParameter", `Invalid request: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
    const b = parsed.data;
    const interval = b.availabilityViewInterval ?? 30;
    if (interval < 5 || interval > 1440) throw new GraphApiError(400, "ErrorInvalidParameter", "availabilityViewInterval must be between 5 and 1440 minutes.");
    const from = instant(b.startTime, "startTime");
    const to = instant(b.endTime, "endTime");
    if (to <= from) throw new GraphApiError(400, "ErrorInvalidTimeInterval", "The start time must be before the end time.");
    if (to - from > 62 * 86_400_000)
      throw new GraphApiError(400, "ErrorTimeIntervalTooBig", "The requested time duration exceeds the maximum allowed range of 62 days.");
    const { zone, zoneName } = prefer(c);
    const value = b.schedules.map((scheduleId) => {
      const person = store.person(scheduleId);
      if (!person)
        return {
          scheduleId,
          availabilityView: "",
          scheduleItems: [],
          error: { message: "The user or mailbox does not exist.", responseCode: "ErrorMailRecipientNotFound" },
        };
      const items: { status: ShowAs; inst: Instance }[] = [];
      for (const e of store.calendar(person.email)) {
        if (e.status === "cancelled" || store.responseOf(e, person.email) === "declined") continue;
        for (const inst of store.instances(e, from, to)) items.push({ status: store.statusFor(e, person.email, "tentative"), inst });
      }
      items.sort((a, b2) => a.inst.start - b2.inst.start);
      let view = "";
      for (let t = from; t < to; t += interval * 60_000) {
        const end = Math.min(to, t + interval * 60_000);
        let best: ShowAs = "free";
        for (const it of items) if (it.inst.start < end && it.inst.end > t && PRECEDENCE.indexOf(it.status) > PRECEDENCE.indexOf(best)) best = it.status;
        view += AVAILABILITY_DIGIT[best];
      }
      const wh = person.workingHours;
      return {
        scheduleId,
        availabilityView: view,
        scheduleItems: items.map(({ status, inst }) => ({
          isPrivate: inst.event.visibility === "private",
          status,
          ...(inst.event.visibility === "private" ? {} : { subject: inst.event.title, location: inst.event.location ?? "" }),
          isMeeting: inst.event.attendees.length > 0,
          isRecurring: Boolean(inst.event.recurrence),
          isException: inst.exception,
          isReminderSet: true,
          start: dtz(inst.start, zone, zoneName),
          end: dtz(inst.end, zone, zoneName),
        })),
        workingHours: {
          daysOfWeek: wh.days.map((d) => ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][d - 1]),
          startTime: `${wh.start}:00.0000000`,
          endTime: `${wh.end}:00.0000000`,
          timeZone: { name: windowsZoneName(person.timezone) },
        },
      };
    });
    return c.json({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)", value }, 200, {
      "preference-applied": `outlook.timezone="${zoneName}"`,
    });
  });

  const range = (c: Ctx) => {
    const s = c.req.query("startDateTime") ?? c.req.query("StartDateTime");
    const e = c.req.query("endDateTime") ?? c.req.query("EndDateTime");
    if (!s || !e)
      throw new GraphApiError(
        400,
        "ErrorInvalidParameter",
        "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
      );
    const from = Date.parse(s);
    const to = Date.parse(e);
    if (Number.isNaN(from) || Number.isNaN(to))
      throw new GraphApiError(400, "ErrorInvalidParameter", "StartDateTime and EndDateTime must be ISO 8601 date-times.");
    return { from, to, s, e };
  };
  const occurrences = (user: string, from: number, to: number, since?: number, upTo?: number) => {
    const out: { inst: Instance; removed: boolean }[] = [];
    for (const e of store.calendar(user)) {
      if (since !== undefined && (e.changeSeq <= since || e.changeSeq > (upTo ?? Infinity))) continue;
      const gone = e.status === "cancelled" || store.responseOf(e, user) === "declined";
      if (gone && since === undefined) continue;
      for (const inst of store.instances(e, from, to)) out.push({ inst, removed: gone });
    }
    return out.sort((a, b) => a.inst.start - b.inst.start || a.inst.id.localeCompare(b.inst.id));
  };

  graph.get("/users/:user/calendarView", (c) => {
    need(c, false);
    const user = userOf(c);
    const { from, to, s, e } = range(c);
    const p = prefer(c);
    const top = Number(c.req.query("$top") ?? NaN);
    const size = Math.min(Number.isFinite(top) && top > 0 ? top : (p.maxPageSize ?? 10), 1000);
    const skip = Number(c.req.query("$skip") ?? 0);
    const all = occurrences(user, from, to);
    const page = all.slice(skip, skip + size).map((x) => eventJson(x.inst.event, user, p.zone, p.zoneName, x.inst));
    const next =
      skip + size < all.length
        ? `${deps.apiRoot()}/users/${encodeURIComponent(user)}/calendarView?${new URLSearchParams({ startDateTime: s, endDateTime: e, $top: String(size), $skip: String(skip + size) })}`
        : undefined;
    return c.json(
      {
        "@odata.context": `https://graph.microsoft.com/v1.0/$metadata#users('${user}')/calendarView`,
        value: page,
        ...(next ? { "@odata.nextLink": next } : {}),
      },
      200,
      { "preference-applied": `outlook.timezone="${p.zoneName}"` },
    );
  });

  graph.get("/users/:user/calendarView/delta", (c) => {
    need(c, false);
    const user = userOf(c);
    const p = prefer(c);
    const size = p.maxPageSize ?? 100;
    const tokenText = c.req.query("$deltatoken") ?? c.req.query("$skiptoken");
    let state: { g: number; u: string; f: number; t: number; since?: number; upTo: number; skip: number; s: string; e: string };
    if (tokenText) {
      let t: typeof state | undefined;
      try {
        t = JSON.parse(Buffer.from(tokenText, "base64url").toString()) as typeof state;
      } catch {
        t = undefined;
      }
      if (!t || t.g !== store.generation || t.u !== user)
        throw new GraphApiError(410, "SyncStateNotFound", "The sync state generation is not found. Start a new delta query.");
      state = c.req.query("$deltatoken") ? { ...t, since: t.upTo, upTo: store.seq, skip: 0 } : t;
    } else {
      const r = range(c);
      state = { g: store.generation, u: user, f: r.from, t: r.to, upTo: store.seq, skip: 0, s: r.s, e: r.e };
    }
    const all = occurrences(user, state.f, state.t, state.since, state.upTo);
    const slice = all.slice(state.skip, state.skip + size);
    const value = slice.map((x) =>
      x.removed
        ? { "@odata.type": "#microsoft.graph.event", id: graphId(x.inst.id), "@removed": { reason: "deleted" } }
        : eventJson(x.inst.event, user, p.zone, p.zoneName, x.inst),
    );
    const more = state.skip + size < all.length;
    const token = (next: typeof state) => Buffer.from(JSON.stringify(next)).toString("base64url");
    const link = `${deps.apiRoot()}/users/${encodeURIComponent(user)}/calendarView/delta?`;
    return c.json({
      "@odata.context": `https://graph.microsoft.com/v1.0/$metadata#Collection(event)`,
      value,
      ...(more
        ? { "@odata.nextLink": `${link}$skiptoken=${token({ ...state, skip: state.skip + size })}` }
        : { "@odata.deltaLink": `${link}$deltatoken=${token({ ...state, skip: 0 })}` }),
    });
  });

  const create = async (c: Ctx) => {
    need(c, true);
    const user = userOf(c);
    const body = parseBody(await c.req.json().catch(() => undefined));
    if (body.transactionId) {
      // Graph drops a second POST with the same transactionId: the first event is the answer.
      const existing = [...store.events.values()].find((e) => e.organizer === user && e.transactionId === body.transactionId);
      if (existing) return c.json(eventJson(existing, user, prefer(c).zone, prefer(c).zoneName), 201);
    }
    if (!body.start || !body.end) throw new GraphApiError(400, "ErrorInvalidRequest", "Your request can't be completed. An event needs a start and an end.");
    const times = timesOf(body, store.person(user)!.timezone)!;
    const t = now();
    const id = randomBytes(13).toString("hex").slice(0, 26);
    const e: StoredEvent = {
      id,
      organizer: user,
      title: body.subject ?? "",
      description: body.body?.content,
      location: body.location?.displayName,
      ...times,
      showAs: body.showAs && body.showAs !== "unknown" ? body.showAs : "busy",
      kind: body.showAs === "oof" ? "outOfOffice" : "default",
      visibility: body.sensitivity === "private" || body.sensitivity === "confidential" ? "private" : "default",
      attendees: (body.attendees ?? []).map((a) => ({
        email: a.emailAddress.address.toLowerCase(),
        name: a.emailAddress.name,
        optional: a.type === "optional",
        response: "needsAction",
      })),
      transactionId: body.transactionId,
      status: "confirmed",
      sequence: 0,
      created: t,
      updated: t,
      changeSeq: 0,
    };
    if (body.isOnlineMeeting && (body.onlineMeetingProvider ?? "teamsForBusiness") === "teamsForBusiness") e.conference = teams(id);
    store.add(e);
    return c.json(eventJson(e, user, prefer(c).zone, prefer(c).zoneName), 201);
  };
  graph.post("/users/:user/events", create);
  graph.post("/users/:user/calendar/events", create);

  const findFor = (c: Ctx, user: string) => {
    const found = store.find(storeId(c.req.param("id") ?? ""));
    if (!found || !store.onCalendar(found.event, user) || found.event.status === "cancelled")
      throw new GraphApiError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    return found;
  };
  graph.get("/users/:user/events/:id", (c) => {
    need(c, false);
    const user = userOf(c);
    const { event, originalStart } = findFor(c, user);
    const inst = originalStart !== undefined ? store.instances(event).find((i) => i.originalStart === originalStart) : undefined;
    return c.json(eventJson(event, user, prefer(c).zone, prefer(c).zoneName, inst));
  });
  graph.patch("/users/:user/events/:id", async (c) => {
    need(c, true);
    const user = userOf(c);
    const { event: e, originalStart } = findFor(c, user);
    if (e.organizer !== user) throw new GraphApiError(403, "ErrorAccessDenied", "Only the organizer can change this meeting.");
    const body = parseBody(await c.req.json().catch(() => undefined));
    const times = timesOf(body, e.timezone);
    if (originalStart !== undefined) {
      if (times) store.moveOccurrence(e, originalStart, times.start, times.end);
      const inst = store.instances(e).find((i) => i.originalStart === originalStart);
      return c.json(eventJson(e, user, prefer(c).zone, prefer(c).zoneName, inst));
    }
    if (body.subject !== undefined) e.title = body.subject;
    if (body.body?.content !== undefined) e.description = body.body.content;
    if (body.location?.displayName !== undefined) e.location = body.location.displayName;
    if (body.showAs && body.showAs !== "unknown") e.showAs = body.showAs;
    if (times) {
      Object.assign(e, times);
      e.sequence += 1;
    }
    if (body.attendees) {
      const before = new Map(e.attendees.map((a) => [a.email, a.response]));
      e.attendees = body.attendees.map((a) => ({
        email: a.emailAddress.address.toLowerCase(),
        name: a.emailAddress.name,
        optional: a.type === "optional",
        response: before.get(a.emailAddress.address.toLowerCase()) ?? "needsAction",
      }));
    }
    if (body.isOnlineMeeting && !e.conference) e.conference = teams(e.id);
    store.touch(e);
    return c.json(eventJson(e, user, prefer(c).zone, prefer(c).zoneName));
  });
  graph.delete("/users/:user/events/:id", (c) => {
    need(c, true);
    const user = userOf(c);
    const { event: e, originalStart } = findFor(c, user);
    if (e.organizer !== user) store.respond(e.id, user, "declined");
    else if (originalStart !== undefined) store.cancelOccurrence(e, originalStart);
    else {
      e.status = "cancelled";
      store.touch(e);
    }
    return c.body(null, 204);
  });

  // ---- change notifications: subscriptions to a user's events ----
  const subscriptionJson = (sub: GraphSubscription) => ({
    "@odata.context": `${deps.apiRoot()}/$metadata#subscriptions/$entity`,
    id: sub.id,
    resource: sub.resource,
    applicationId: registration.clientId,
    changeType: sub.changeType.join(","),
    clientState: sub.clientState ?? null,
    notificationUrl: sub.notificationUrl,
    expirationDateTime: new Date(sub.expiration).toISOString(),
    creatorId: registration.clientId,
    latestSupportedTlsVersion: "v1_2",
    lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
    notificationContentType: null,
  });
  const expirationOf = (value: unknown): number => {
    const at = typeof value === "string" ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) throw new GraphApiError(400, "InvalidRequest", "expirationDateTime is a required property for subscription creation.");
    if (at <= now())
      throw new GraphApiError(400, "InvalidRequest", `Subscription expiration can only be ${GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES} minutes in the future.`);
    if (at > now() + GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES * 60_000)
      throw new GraphApiError(400, "InvalidRequest", `Subscription expiration can only be ${GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES} minutes in the future.`);
    return at;
  };
  const subscriptionOf = (c: Ctx) => {
    const sub = deps.push.subscriptions.get(c.req.param("id") ?? "");
    if (!sub) throw new GraphApiError(404, "ResourceNotFound", "The object was not found.");
    return sub;
  };
  graph.post("/subscriptions", async (c) => {
    need(c, false);
    const parsed = z
      .object({
        changeType: z.string(),
        notificationUrl: z.string(),
        lifecycleNotificationUrl: z.string().optional(),
        resource: z.string(),
        expirationDateTime: z.string().optional(),
        clientState: z.string().max(128).optional(),
      })
      .safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GraphApiError(400, "InvalidRequest", `Invalid value for property '${issue?.path.join(".") || "body"}': ${issue?.message ?? "not JSON"}`);
    }
    const b = parsed.data;
    const changeType = b.changeType.split(",").map((t) => t.trim());
    if (changeType.length === 0 || !changeType.every((t) => t === "created" || t === "updated" || t === "deleted"))
      throw new GraphApiError(400, "InvalidRequest", `'${b.changeType}' is not a valid change type for this resource.`);
    const m = /^\/?users\/([^/]+)\/events$/i.exec(b.resource);
    if (!m)
      throw new GraphApiError(
        400,
        "ExtensionError",
        `Operation: Create; Exception: [Status Code: BadRequest; Reason: The resource '${b.resource}' is not supported]`,
      );
    const user = decodeURIComponent(m[1]!).toLowerCase();
    if (!store.person(user))
      throw new GraphApiError(404, "ExtensionError", `Operation: Create; Exception: [Status Code: NotFound; Reason: The requested user '${user}' is invalid.]`);
    let url: URL;
    try {
      url = new URL(b.notificationUrl);
    } catch {
      throw new GraphApiError(400, "InvalidRequest", "The notification URL is not a valid URL.");
    }
    if (url.protocol !== "https:") throw new GraphApiError(400, "InvalidRequest", "Subscription Notification Url must be https.");
    if (b.lifecycleNotificationUrl !== undefined) {
      let lifecycle: URL;
      try {
        lifecycle = new URL(b.lifecycleNotificationUrl);
      } catch {
        throw new GraphApiError(400, "InvalidRequest", "The lifecycle notification URL is not a valid URL.");
      }
      if (lifecycle.protocol !== "https:") throw new GraphApiError(400, "InvalidRequest", "Subscription Lifecycle Notification Url must be https.");
    }
    const expiration = expirationOf(b.expirationDateTime);
    // The handshake: Graph creates nothing until each endpoint (both, with a lifecycle URL) echoes its token within 10 seconds.
    for (const endpoint of [b.notificationUrl, ...(b.lifecycleNotificationUrl !== undefined ? [b.lifecycleNotificationUrl] : [])]) {
      if (!(await deps.push.validate(endpoint))) {
        throw new GraphApiError(
          400,
          "InvalidRequest",
          endpoint === b.notificationUrl
            ? "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."
            : "Subscription validation request failed. Lifecycle notification endpoint must respond with 200 OK to validation request.",
        );
      }
    }
    const sub: GraphSubscription = {
      id: randomUUID(),
      user,
      resource: b.resource,
      changeType,
      notificationUrl: b.notificationUrl,
      clientState: b.clientState,
      lifecycleNotificationUrl: b.lifecycleNotificationUrl ?? null,
      expiration,
    };
    deps.push.subscriptions.set(sub.id, sub);
    return c.json(subscriptionJson(sub), 201);
  });
  graph.get("/subscriptions/:id", (c) => {
    need(c, false);
    return c.json(subscriptionJson(subscriptionOf(c)));
  });
  graph.patch("/subscriptions/:id", async (c) => {
    need(c, false);
    const sub = subscriptionOf(c);
    const body = (await c.req.json().catch(() => undefined)) as { expirationDateTime?: unknown } | undefined;
    sub.expiration = expirationOf(body?.expirationDateTime);
    // Renewing also reauthorizes; the lifecycleNotificationUrl cannot be added by an update (other properties are ignored).
    sub.reauthorizationRequired = false;
    return c.json(subscriptionJson(sub));
  });
  // Reauthorizes without extending the expiry: 204 No Content.
  graph.post("/subscriptions/:id/reauthorize", (c) => {
    need(c, false);
    subscriptionOf(c).reauthorizationRequired = false;
    return c.body(null, 204);
  });
  graph.delete("/subscriptions/:id", (c) => {
    need(c, false);
    deps.push.subscriptions.delete(subscriptionOf(c).id);
    return c.body(null, 204);
  });

  /** An event (or an occurrence) in Graph's shape, as `viewer`'s copy of it. */
  function eventJson(e: StoredEvent, viewer: string, zone: string, zoneName: string, inst?: Instance): Record<string, unknown> {
    const isOrganizer = e.organizer === viewer;
    const response = store.responseOf(e, viewer) ?? "needsAction";
    const start = inst?.start ?? e.start;
    const end = inst?.end ?? e.end;
    const type = inst && e.recurrence ? (inst.exception ? "exception" : "occurrence") : e.recurrence ? "seriesMaster" : "singleInstance";
    return {
      "@odata.etag": `W/"${Buffer.from(`${e.id}:${e.changeSeq}`).toString("base64")}"`,
      id: graphId(inst && e.recurrence ? inst.id : e.id),
      createdDateTime: new Date(e.created).toISOString(),
      lastModifiedDateTime: new Date(e.updated).toISOString(),
      changeKey: Buffer.from(String(e.changeSeq)).toString("base64"),
      categories: [],
      transactionId: isOrganizer ? (e.transactionId ?? null) : null,
      originalStartTimeZone: windowsZoneName(e.timezone),
      originalEndTimeZone: windowsZoneName(e.timezone),
      iCalUId: `040000008200E00074C5B7101A82E008${Buffer.from(e.id).toString("hex").toUpperCase().slice(0, 32)}`,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      hasAttachments: false,
      subject: e.title,
      bodyPreview: (e.description ?? "").slice(0, 255),
      importance: "normal",
      sensitivity: e.visibility === "private" ? "private" : "normal",
      isAllDay: e.allDay,
      isCancelled: e.status === "cancelled",
      isOrganizer,
      responseRequested: true,
      seriesMasterId: inst && e.recurrence ? graphId(e.id) : null,
      showAs: store.statusFor(e, viewer, "tentative"),
      type,
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(graphId(e.id))}&exvsurl=1&path=/calendar/item`,
      onlineMeetingUrl: null,
      isOnlineMeeting: Boolean(e.conference),
      onlineMeetingProvider: e.conference ? "teamsForBusiness" : "unknown",
      responseStatus: { response: isOrganizer ? "organizer" : RESPONSE_OUT[response], time: new Date(e.updated).toISOString() },
      body: { contentType: "text", content: e.description ?? "" },
      start: e.allDay
        ? { dateTime: `${DateTime.fromMillis(start, { zone: e.timezone }).toFormat("yyyy-LL-dd")}T00:00:00.0000000`, timeZone: windowsZoneName(e.timezone) }
        : dtz(start, zone, zoneName),
      end: e.allDay
        ? { dateTime: `${DateTime.fromMillis(end, { zone: e.timezone }).toFormat("yyyy-LL-dd")}T00:00:00.0000000`, timeZone: windowsZoneName(e.timezone) }
        : dtz(end, zone, zoneName),
      location: { displayName: e.location ?? "", locationType: "default", uniqueIdType: "unknown" },
      locations: e.location ? [{ displayName: e.location }] : [],
      recurrence: null,
      attendees: e.attendees.map((a) => ({
        type: a.optional ? "optional" : "required",
        status: { response: RESPONSE_OUT[a.response], time: new Date(e.updated).toISOString() },
        emailAddress: { name: a.name ?? a.email, address: a.email },
      })),
      organizer: { emailAddress: { name: store.person(e.organizer)?.name ?? e.organizer, address: e.organizer } },
      onlineMeeting: e.conference ? { joinUrl: e.conference.joinUrl } : null,
    };
  }

  return { login, graph };
}

function parseBody(raw: unknown): EventBody {
  const parsed = eventBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GraphApiError(400, "ErrorInvalidRequest", `Invalid value for property '${issue.path.join(".")}': ${issue.message}`);
  }
  return parsed.data;
}

function timesOf(body: EventBody, ownerZone: string): Pick<StoredEvent, "start" | "end" | "allDay" | "timezone" | "startDate" | "endDate"> | undefined {
  if (!body.start && !body.end) return undefined;
  if (!body.start || !body.end) throw new GraphApiError(400, "ErrorInvalidRequest", "Your request can't be completed. Both start and end must be given.");
  const zoneOf = (v: z.infer<typeof dateTimeTimeZone>) => {
    const zone = v.timeZone ? ianaOf(v.timeZone) : "UTC";
    if (!zone)
      throw new GraphApiError(
        400,
        "TimeZoneNotSupportedException",
        `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${v.timeZone}'.`,
      );
    return zone;
  };
  const read = (v: z.infer<typeof dateTimeTimeZone>) => {
    const t = DateTime.fromISO(v.dateTime.replace(/(\.\d{3})\d+/, "$1"), { zone: zoneOf(v) });
    if (!t.isValid)
      throw new GraphApiError(400, "ErrorInvalidRequest", `Cannot convert the literal '${v.dateTime}' to the expected type 'Edm.DateTimeOffset'.`);
    return t;
  };
  const s = read(body.start);
  const e = read(body.end);
  if (body.isAllDay) {
    if (s.toFormat("HH:mm:ss") !== "00:00:00" || e.toFormat("HH:mm:ss") !== "00:00:00")
      throw new GraphApiError(400, "ErrorPropertyValidationFailure", "An all-day event must start and end at midnight.");
    const startDate = s.toISODate()!;
    const endDate = e.toISODate()!;
    if (endDate <= startDate) throw new GraphApiError(400, "ErrorPropertyValidationFailure", "The end of an all-day event must be after its start.");
    return {
      allDay: true,
      timezone: ownerZone,
      startDate,
      endDate,
      start: DateTime.fromISO(startDate, { zone: ownerZone }).toMillis(),
      end: DateTime.fromISO(endDate, { zone: ownerZone }).toMillis(),
    };
  }
  if (e.toMillis() < s.toMillis())
    throw new GraphApiError(400, "ErrorInvalidRequest", "Your request can't be completed. The end time must be after the start time.");
  return { allDay: false, timezone: zoneOf(body.start), start: s.toMillis(), end: e.toMillis(), startDate: undefined, endDate: undefined };
}

function teams(eventId: string): NonNullable<StoredEvent["conference"]> {
  const thread = Buffer.from(eventId).toString("hex").slice(0, 32);
  return { type: "teamsForBusiness", conferenceId: thread, joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0` };
}
