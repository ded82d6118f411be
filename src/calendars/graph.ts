/**
 * Microsoft 365 calendars through Microsoft Graph with an app's client-credentials token (scope
 * `https://graph.microsoft.com/.default`, cached until a minute before expiry). Free/busy from
 * getSchedule (statuses and working hours, the Windows zone mapped to IANA), events from
 * calendarView, writes with Teams links and a transactionId so that a retry makes no second event,
 * changes from delta queries or from subscriptions (the validationToken handshake and the
 * clientState check of change and lifecycle notifications are here too).
 */
import { timingSafeEqual } from "node:crypto";
import { DateTime } from "luxon";
import { z } from "zod";
import { CalendarError, type CalendarErrorKind } from "./errors.ts";
import { providerError, requestJson, type JsonResponse } from "./http.ts";
import type { GraphConnectionConfig } from "./config.ts";
import type { CalendarProvider, PushChannel } from "./provider.ts";
import { openCalendarSecret, type SecretSealer } from "./secrets.ts";
import {
  weekdayKeys,
  type AvailabilityStatus,
  type CalendarCheckRow,
  type CalendarEvent,
  type CalendarIdentity,
  type EventChanges,
  type EventPatch,
  type EventRef,
  type FreeBusyResult,
  type NewEvent,
  type RawItem,
  type TimeRange,
  type WeeklyHours,
} from "./types.ts";
import { windowsZoneToIana } from "./windows-zones.ts";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
/** The application permission booking needs (reading alone would do with Calendars.Read). */
export const GRAPH_PERMISSION = "Calendars.ReadWrite";
const DEFAULT_API = "https://graph.microsoft.com/v1.0";
const DEFAULT_LOGIN = "https://login.microsoftonline.com";
/** Mailboxes per getSchedule call (20 per third-party guides; not stated in Microsoft's reference). */
export const GRAPH_SCHEDULE_BATCH = 20;
/** Graph's longest subscription to Outlook events: 10,080 minutes (under 7 days). */
export const GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES = 10_080;
/** getSchedule's longest window: 62 days (ErrorTimeIntervalTooBig beyond; microsoftgraph/microsoft-graph-docs#19703). */
export const GRAPH_SCHEDULE_MAX_MS = 62 * 86_400_000;
const PREFER_UTC = { prefer: 'outlook.timezone="UTC"' };

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string().optional() });
const scheduleSchema = z.object({
  value: z.array(
    z.object({
      scheduleId: z.string(),
      scheduleItems: z
        .array(
          z.object({
            status: z.string(),
            start: dateTimeTimeZone,
            end: dateTimeTimeZone.optional(),
            subject: z.string().optional(),
            isPrivate: z.boolean().optional(),
          }),
        )
        .optional(),
      workingHours: z
        .object({
          daysOfWeek: z.array(z.string()).optional(),
          startTime: z.string().optional(),
          endTime: z.string().optional(),
          timeZone: z.object({ name: z.string().optional() }).passthrough().optional(),
        })
        .optional(),
      error: z.object({ message: z.string().optional(), responseCode: z.string().optional() }).optional(),
    }),
  ),
});
const graphEventSchema = z.object({
  id: z.string(),
  subject: z.string().nullish(),
  isAllDay: z.boolean().optional(),
  isCancelled: z.boolean().optional(),
  showAs: z.string().optional(),
  start: dateTimeTimeZone.optional(),
  end: dateTimeTimeZone.optional(),
  transactionId: z.string().nullish(),
  responseStatus: z.object({ response: z.string().optional() }).optional(),
  attendees: z
    .array(
      z.object({ emailAddress: z.object({ address: z.string().optional() }).optional(), status: z.object({ response: z.string().optional() }).optional() }),
    )
    .optional(),
  onlineMeeting: z.object({ joinUrl: z.string().optional() }).nullish(),
  "@removed": z.object({ reason: z.string().optional() }).optional(),
});
type GraphEvent = z.infer<typeof graphEventSchema>;
const pageSchema = z.object({ value: z.array(z.unknown()).default([]), "@odata.nextLink": z.string().optional(), "@odata.deltaLink": z.string().optional() });

/** A Graph `dateTimeTimeZone` as an ISO instant in UTC. */
export function graphInstant(value: { dateTime: string; timeZone?: string | undefined }, where: string): string {
  const zone = !value.timeZone || /^(UTC|tzone:\/\/Microsoft\/Utc)$/i.test(value.timeZone) ? "utc" : windowsZoneToIana(value.timeZone, where);
  const t = DateTime.fromISO(value.dateTime.replace(/(\.\d{3})\d+/, "$1"), { zone });
  if (!t.isValid) throw new RangeError(`${where}: "${value.dateTime}" is not a date-time`);
  return t.toUTC().toISO({ suppressMilliseconds: true })!;
}

/** Graph's working hours as our weekly hours in an IANA zone; a zone we cannot map gives a note instead. */
export function graphWorkingHours(
  wh: z.infer<typeof scheduleSchema>["value"][number]["workingHours"],
  who: string,
): { hours?: { timezone: string; hours: WeeklyHours }; note?: string } {
  if (!wh?.daysOfWeek?.length || !wh.startTime || !wh.endTime) return {};
  const name = wh.timeZone?.name;
  let timezone: string;
  try {
    timezone = windowsZoneToIana(name ?? "", `working hours of ${who}`);
  } catch (error) {
    return { note: `${(error as Error).message}; the configured or default working hours are used instead` };
  }
  const range: [string, string] = [wh.startTime.slice(0, 5), wh.endTime.slice(0, 5) === "00:00" ? "24:00" : wh.endTime.slice(0, 5)];
  const hours: WeeklyHours = {};
  for (const d of wh.daysOfWeek) {
    const key = weekdayKeys.find((k) => d.toLowerCase().startsWith(k));
    if (key) hours[key] = [range];
  }
  return { hours: { timezone, hours } };
}

/**
 * Answers Graph's subscription validation: a request carrying `validationToken` must be echoed
 * back as text/plain within 10 seconds. Returns undefined for an ordinary notification.
 */
export function graphValidationResponse(url: URL): { status: 200; contentType: "text/plain"; body: string } | undefined {
  const token = url.searchParams.get("validationToken");
  return token === null ? undefined : { status: 200, contentType: "text/plain", body: token };
}

const notificationsSchema = z.object({
  value: z.array(
    z.object({
      subscriptionId: z.string(),
      clientState: z.string().optional(),
      changeType: z.string(),
      resource: z.string(),
      resourceData: z.object({ id: z.string().optional() }).passthrough().optional(),
    }),
  ),
});
export type GraphNotification = z.infer<typeof notificationsSchema>["value"][number];

/**
 * Keeps the notifications whose clientState is our secret (compared in constant time) and counts
 * the others, which are not from our subscription and must be ignored.
 */
export function verifyGraphNotifications(body: unknown, clientState: string): { accepted: GraphNotification[]; rejected: number } {
  return verifiedBatch(notificationsSchema, "change notification", body, clientState);
}

/**
 * A batch of Graph notifications parsed by `schema` (a body that is not one throws a RangeError
 * naming the field), split into those whose clientState is our secret, compared in constant time,
 * and a count of the others.
 */
function verifiedBatch<T extends { clientState?: string | undefined }>(
  schema: z.ZodType<{ value: T[] }>,
  what: string,
  body: unknown,
  clientState: string,
): { accepted: T[]; rejected: number } {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new RangeError(`not a Graph ${what} (${parsed.error.issues[0]?.path.join(".") || "body"}: ${parsed.error.issues[0]?.message})`);
  const secret = Buffer.from(clientState);
  const accepted: T[] = [];
  let rejected = 0;
  for (const n of parsed.data.value) {
    const given = Buffer.from(n.clientState ?? "");
    if (given.length === secret.length && timingSafeEqual(given, secret)) accepted.push(n);
    else rejected++;
  }
  return { accepted, rejected };
}

/** Graph's lifecycle events (learn.microsoft.com/graph/change-notifications-lifecycle-events). */
export const graphLifecycleEvents = ["reauthorizationRequired", "subscriptionRemoved", "missed"] as const;
const lifecycleSchema = z.object({
  value: z.array(
    z.object({
      subscriptionId: z.string().min(1),
      subscriptionExpirationDateTime: z.string().optional(),
      tenantId: z.string().optional(),
      clientState: z.string().optional(),
      lifecycleEvent: z.enum(graphLifecycleEvents),
    }),
  ),
});
export type GraphLifecycleNotification = z.infer<typeof lifecycleSchema>["value"][number];

/**
 * Keeps the lifecycle notifications whose clientState is our secret (compared in constant time)
 * and counts the others. A body that is not a lifecycle notification batch (no value array, an
 * unknown lifecycleEvent) throws a RangeError naming the field.
 */
export function verifyGraphLifecycleNotifications(body: unknown, clientState: string): { accepted: GraphLifecycleNotification[]; rejected: number } {
  return verifiedBatch(lifecycleSchema, "lifecycle notification", body, clientState);
}

/** Reads the `roles` claim of an app token (application permissions granted), when it is a readable JWT. */
export function tokenRoles(token: string): string[] | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return undefined;
  }
}

const STATUSES: Record<string, AvailabilityStatus> = {
  free: "free",
  tentative: "tentative",
  busy: "busy",
  oof: "oof",
  workingelsewhere: "workingElsewhere",
  unknown: "busy",
};

export interface GraphOptions {
  now?: () => number;
  /** Most events read for one person in one call (default 20,000): beyond, an error instead of unbounded memory. */
  maxEventsPerPerson?: number | undefined;
  /** Opens a sealed clientSecret (the engine's SecretBox). */
  secrets?: SecretSealer | undefined;
  /** Where `{ env: NAME }` is read (default the process environment). */
  env?: NodeJS.ProcessEnv | undefined;
}

export class GraphCalendarProvider implements CalendarProvider {
  readonly kind = "graph" as const;
  readonly connectionId: string;
  readonly #config: GraphConnectionConfig;
  readonly #api: string;
  readonly #login: string;
  readonly #now: () => number;
  readonly #maxEvents: number;
  readonly #options: GraphOptions;
  #token: { token: string; expiresAt: number } | undefined;

  constructor(config: GraphConnectionConfig, options: GraphOptions = {}) {
    this.connectionId = config.id;
    this.#config = config;
    this.#api = (config.apiBaseUrl ?? DEFAULT_API).replace(/\/$/, "");
    this.#login = (config.loginBaseUrl ?? DEFAULT_LOGIN).replace(/\/$/, "");
    this.#now = options.now ?? Date.now;
    this.#maxEvents = options.maxEventsPerPerson ?? 20_000;
    this.#options = options;
    // A secret that cannot be opened (variable unset, sealed with another key) is said when the connection opens.
    this.#clientSecret();
  }

  /** The client secret, opened from the configuration for the one token request that needs it. */
  #clientSecret(): string {
    return openCalendarSecret(this.#config.clientSecret, {
      provider: "graph",
      connectionId: this.#config.id,
      field: "clientSecret",
      box: this.#options.secrets,
      env: this.#options.env,
    });
  }

  #error(kind: CalendarErrorKind, endpoint: string, message: string, fix?: string, extra: { status?: number; code?: string } = {}): CalendarError {
    return new CalendarError({ kind, provider: "graph", connectionId: this.#config.id, endpoint, message, fix, ...extra });
  }

  #permissionFix(): string {
    return `Give app ${this.#config.clientId} the Microsoft Graph application permission ${GRAPH_PERMISSION} and grant admin consent (Entra admin center → App registrations → API permissions); if an application access policy limits the app, add these mailboxes to it`;
  }

  #http() {
    return { timeoutMs: this.#config.timeoutMs, maxAttempts: this.#config.maxAttempts };
  }

  /** The app's access token, from the cache while it has over a minute left. */
  async accessToken(refresh = false): Promise<string> {
    if (this.#token && !refresh && this.#token.expiresAt - 60_000 > this.#now()) return this.#token.token;
    const endpoint = "POST /oauth2/v2.0/token (client credentials)";
    const res = await requestJson(
      {
        provider: "graph",
        connectionId: this.#config.id,
        endpoint,
        url: `${this.#login}/${encodeURIComponent(this.#config.tenantId)}/oauth2/v2.0/token`,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: this.#config.clientId,
          client_secret: this.#clientSecret(),
          scope: GRAPH_SCOPE,
          grant_type: "client_credentials",
        }),
      },
      this.#http(),
    );
    if (res.status !== 200) {
      const { code, message } = providerError(res.body);
      const aadsts = /AADSTS\d+/.exec(message ?? "")?.[0];
      const extra = { status: res.status, ...(code ? { code } : {}) };
      const said = `${res.status}${code ? ` ${code}` : ""}${aadsts ? ` ${aadsts}` : ""}`;
      if (aadsts === "AADSTS90002" || aadsts === "AADSTS900023")
        throw this.#error(
          "auth",
          endpoint,
          `tenant "${this.#config.tenantId}" was not found (${said})`,
          "Set tenantId to your directory (tenant) ID from the Entra admin center",
          extra,
        );
      if (aadsts === "AADSTS700016")
        throw this.#error(
          "auth",
          endpoint,
          `app ${this.#config.clientId} is not in tenant ${this.#config.tenantId} (${said})`,
          "Check clientId (the application ID) and tenantId",
          extra,
        );
      if (aadsts === "AADSTS7000222")
        throw this.#error(
          "auth",
          endpoint,
          `the client secret has expired (${said})`,
          "Create a new client secret under App registrations → Certificates & secrets and put it in clientSecret",
          extra,
        );
      throw this.#error(
        "auth",
        endpoint,
        `Microsoft refused the app's credentials (${said})`,
        "Check clientId, clientSecret and tenantId; a secret may have expired",
        extra,
      );
    }
    const body = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().optional() }).safeParse(res.body);
    if (!body.success) throw this.#error("invalid", endpoint, "the token answer has no access_token");
    this.#token = { token: body.data.access_token, expiresAt: this.#now() + (body.data.expires_in ?? 3600) * 1000 };
    return body.data.access_token;
  }

  async #call(endpoint: string, pathOrUrl: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonResponse> {
    const url = /^https?:/.test(pathOrUrl) ? pathOrUrl : this.#api + pathOrUrl;
    // Paging links come from the server; they must stay on the API host the token is meant for.
    if (new URL(url).origin !== new URL(this.#api).origin)
      throw this.#error("invalid", endpoint, `a paging link points at another host (${new URL(url).origin})`);
    return requestJson(
      {
        provider: "graph",
        connectionId: this.#config.id,
        endpoint,
        url,
        method: init.method,
        body: init.body,
        headers: { ...PREFER_UTC, ...init.headers },
        token: (refresh) => this.accessToken(refresh),
      },
      this.#http(),
    );
  }

  #fail(endpoint: string, res: JsonResponse, about: string): CalendarError {
    const { code, message } = providerError(res.body);
    const detail = `${res.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`;
    const extra = { status: res.status, ...(code ? { code } : {}) };
    if (res.status === 401) return this.#error("auth", endpoint, `Graph refused the access token (${detail})`, "Check the app's credentials", extra);
    if (res.status === 403) return this.#error("permission", endpoint, `Graph refused access to ${about} (${detail})`, this.#permissionFix(), extra);
    if (res.status === 404 || code === "ErrorInvalidUser" || code === "ErrorItemNotFound") {
      return this.#error("not-found", endpoint, `${about} does not exist (${detail})`, "Check the person's calendar address under calendars.identities", extra);
    }
    if (res.status === 410) return this.#error("gone", endpoint, `the delta link expired (${detail})`, undefined, extra);
    return this.#error("invalid", endpoint, `Graph answered ${detail}`, undefined, extra);
  }

  async freeBusy(identities: CalendarIdentity[], range: TimeRange): Promise<FreeBusyResult[]> {
    const via = this.#config.subject ?? identities[0]?.email;
    if (!via) return [];
    const endpoint = "POST /users/:user/calendar/getSchedule";
    const utc = (ms: number) => ({ dateTime: DateTime.fromMillis(ms, { zone: "utc" }).toFormat("yyyy-LL-dd'T'HH:mm:ss"), timeZone: "UTC" });
    // getSchedule refuses a window over 62 days (ErrorTimeIntervalTooBig): longer ones are read in pieces.
    const chunks: [number, number][] = [];
    const to = Date.parse(range.end);
    for (let from = Date.parse(range.start); from < to; from += GRAPH_SCHEDULE_MAX_MS) chunks.push([from, Math.min(to, from + GRAPH_SCHEDULE_MAX_MS)]);
    const acc = new Map<string, { items: Map<string, RawItem>; notes: string[]; error?: string; workingHours?: { timezone: string; hours: WeeklyHours } }>();
    for (let i = 0; i < identities.length; i += GRAPH_SCHEDULE_BATCH) {
      const batch = identities.slice(i, i + GRAPH_SCHEDULE_BATCH);
      for (const [from, until] of chunks) {
        const res = await this.#call(endpoint, `/users/${encodeURIComponent(via)}/calendar/getSchedule`, {
          method: "POST",
          body: { schedules: batch.map((p) => p.email), startTime: utc(from), endTime: utc(until), availabilityViewInterval: 15 },
        });
        if (res.status !== 200) throw this.#fail(endpoint, res, `the schedules of ${batch.length} mailbox(es)`);
        const parsed = scheduleSchema.safeParse(res.body);
        if (!parsed.success) throw this.#error("invalid", endpoint, `the answer has an unexpected shape (${parsed.error.issues[0]?.path.join(".")})`);
        for (const p of batch) {
          const entry = acc.get(p.id) ?? { items: new Map<string, RawItem>(), notes: [] };
          acc.set(p.id, entry);
          const s = parsed.data.value.find((v) => v.scheduleId.toLowerCase() === p.email.toLowerCase());
          if (!s || s.error) {
            entry.error ??= `Graph has no schedule for ${p.email}${s?.error ? ` (${[s.error.responseCode, s.error.message].filter(Boolean).join(": ")})` : ""}: check the address or that the mailbox is in this tenant`;
            continue;
          }
          for (const it of s.scheduleItems ?? []) {
            try {
              const item: RawItem = {
                start: graphInstant(it.start, `${p.email} item`),
                ...(it.end ? { end: graphInstant(it.end, `${p.email} item`) } : {}),
                status: STATUSES[it.status.toLowerCase()] ?? "busy",
                ...(it.subject ? { title: it.subject } : {}),
              };
              // An item across a piece boundary comes back in both pieces: keep it once.
              entry.items.set(`${item.start}|${item.end ?? ""}|${item.status}|${item.title ?? ""}`, item);
            } catch (error) {
              entry.notes.push(`${(error as Error).message}; item ignored`);
            }
          }
          if (!entry.workingHours) {
            const wh = graphWorkingHours(s.workingHours, p.email);
            if (wh.hours) entry.workingHours = wh.hours;
            else if (wh.note && !entry.notes.includes(wh.note)) entry.notes.push(wh.note);
          }
        }
      }
    }
    return identities.map((p) => {
      const entry = acc.get(p.id)!;
      if (entry.error) return { identityId: p.id, email: p.email, items: [], error: entry.error };
      return {
        identityId: p.id,
        email: p.email,
        items: [...entry.items.values()],
        ...(entry.workingHours ? { workingHours: entry.workingHours, timezone: entry.workingHours.timezone } : {}),
        ...(entry.notes.length ? { notes: entry.notes } : {}),
      };
    });
  }

  async #pages(endpoint: string, first: string, who: string, maxPages = 200): Promise<{ items: GraphEvent[]; deltaLink?: string }> {
    const items: GraphEvent[] = [];
    let next: string | undefined = first;
    let deltaLink: string | undefined;
    for (let page = 0; next; page++) {
      if (page >= maxPages) throw this.#error("invalid", endpoint, `over ${maxPages} pages of events for ${who}`, "Narrow the window");
      const res = await this.#call(endpoint, next, { headers: { prefer: 'outlook.timezone="UTC", odata.maxpagesize=500' } });
      if (res.status !== 200) throw this.#fail(endpoint, res, `the calendar of ${who}`);
      const parsed = pageSchema.safeParse(res.body);
      if (!parsed.success) throw this.#error("invalid", endpoint, "a page has no value array");
      for (const raw of parsed.data.value) {
        const e = graphEventSchema.safeParse(raw);
        if (e.success) items.push(e.data);
      }
      if (items.length > this.#maxEvents)
        throw this.#error(
          "invalid",
          endpoint,
          `${who} has more than ${this.#maxEvents} events in the window`,
          "Narrow the window or raise calendars.maxEventsPerPerson",
        );
      next = parsed.data["@odata.nextLink"];
      deltaLink = parsed.data["@odata.deltaLink"] ?? deltaLink;
    }
    return { items, ...(deltaLink ? { deltaLink } : {}) };
  }

  #toEvent(e: GraphEvent, owner: string): CalendarEvent {
    const where = `event ${e.id} of ${owner}`;
    const allDay = Boolean(e.isAllDay);
    const start = e.start ? graphInstant(e.start, where) : "";
    const end = e.end ? graphInstant(e.end, where) : undefined;
    const response = e.responseStatus?.response?.toLowerCase();
    let status = STATUSES[(e.showAs ?? "busy").toLowerCase()] ?? "busy";
    if (response === "declined") status = "free";
    const answer = (r: string | undefined): CalendarEvent["attendees"][number]["response"] =>
      r === "accepted" || r === "organizer" ? "accepted" : r === "declined" ? "declined" : r === "tentativelyAccepted" ? "tentative" : "needsAction";
    return {
      id: e.id,
      title: e.subject ?? undefined,
      start,
      end,
      allDay,
      status,
      cancelled: Boolean(e.isCancelled),
      attendees: (e.attendees ?? [])
        .filter((a) => a.emailAddress?.address)
        .map((a) => ({ email: a.emailAddress!.address!, response: answer(a.status?.response) })),
      conferenceUrl: e.onlineMeeting?.joinUrl,
      key: e.transactionId ?? undefined,
    };
  }

  async events(identity: CalendarIdentity, range: TimeRange): Promise<CalendarEvent[]> {
    const q = new URLSearchParams({ startDateTime: range.start, endDateTime: range.end });
    const { items } = await this.#pages("GET /users/:user/calendarView", `/users/${encodeURIComponent(identity.email)}/calendarView?${q}`, identity.email);
    return items.map((e) => this.#toEvent(e, identity.email));
  }

  async createEvent(organizer: CalendarIdentity, event: NewEvent): Promise<CalendarEvent> {
    const endpoint = "POST /users/:user/events";
    const res = await this.#call(endpoint, `/users/${encodeURIComponent(organizer.email)}/events`, {
      method: "POST",
      // transactionId: Graph itself drops a second POST with the same id, so a retry makes no second event.
      body: {
        ...graphBody(event),
        transactionId: event.key.slice(0, 255),
        ...(event.showAs === "tentative" ? { showAs: "tentative" } : {}),
        ...(event.conference ? { isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" } : {}),
      },
    });
    if (res.status !== 201 && res.status !== 200) throw this.#fail(endpoint, res, `the calendar of ${organizer.email}`);
    return this.#toEvent(graphEventSchema.parse(res.body), organizer.email);
  }

  async updateEvent(organizer: CalendarIdentity, ref: EventRef, patch: EventPatch): Promise<CalendarEvent> {
    const endpoint = "PATCH /users/:user/events/:event";
    const res = await this.#call(endpoint, `/users/${encodeURIComponent(organizer.email)}/events/${encodeURIComponent(ref.id)}`, {
      method: "PATCH",
      body: graphBody(patch),
    });
    if (res.status !== 200) throw this.#fail(endpoint, res, `event ${ref.id}`);
    return this.#toEvent(graphEventSchema.parse(res.body), organizer.email);
  }

  async deleteEvent(organizer: CalendarIdentity, ref: EventRef): Promise<void> {
    const endpoint = "DELETE /users/:user/events/:event";
    const res = await this.#call(endpoint, `/users/${encodeURIComponent(organizer.email)}/events/${encodeURIComponent(ref.id)}`, { method: "DELETE" });
    if (res.status === 204 || res.status === 200 || res.status === 404) return;
    throw this.#fail(endpoint, res, `event ${ref.id}`);
  }

  /** Delta query over `range`; the cursor is the delta link. An expired one (410) reads everything again. */
  async changes(identity: CalendarIdentity, cursor: string | undefined, range: TimeRange): Promise<EventChanges> {
    const endpoint = "GET /users/:user/calendarView/delta";
    const fresh = `/users/${encodeURIComponent(identity.email)}/calendarView/delta?${new URLSearchParams({ startDateTime: range.start, endDateTime: range.end })}`;
    let fullResync = cursor === undefined;
    let result: { items: GraphEvent[]; deltaLink?: string } | undefined;
    if (cursor) {
      try {
        result = await this.#pages(endpoint, cursor, identity.email);
      } catch (error) {
        if (!(error instanceof CalendarError && error.kind === "gone")) throw error;
        fullResync = true;
      }
    }
    result ??= await this.#pages(endpoint, fresh, identity.email);
    if (!result.deltaLink) throw this.#error("invalid", endpoint, `no @odata.deltaLink for ${identity.email}`);
    return {
      events: result.items.filter((e) => !e["@removed"]).map((e) => this.#toEvent(e, identity.email)),
      removed: result.items.filter((e) => e["@removed"]).map((e) => e.id),
      cursor: result.deltaLink,
      fullResync,
    };
  }

  /**
   * Subscribes to changes of a person's events; Graph will first call `notificationUrl` (and
   * `lifecycleNotificationUrl`, where reauthorizationRequired, subscriptionRemoved and missed are
   * sent) with a validationToken. `minutes` is capped at Graph's limit for events (10,080).
   */
  async subscribe(
    identity: CalendarIdentity,
    notificationUrl: string,
    clientState: string,
    minutes = GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES - 60,
    lifecycleNotificationUrl?: string,
  ): Promise<{ id: string; expiresAt: string }> {
    minutes = Math.min(minutes, GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES - 1);
    const endpoint = "POST /subscriptions";
    const res = await this.#call(endpoint, "/subscriptions", {
      method: "POST",
      body: {
        changeType: "created,updated,deleted",
        notificationUrl,
        ...(lifecycleNotificationUrl ? { lifecycleNotificationUrl } : {}),
        resource: `/users/${identity.email}/events`,
        expirationDateTime: new Date(this.#now() + minutes * 60_000).toISOString(),
        clientState,
      },
    });
    if (res.status !== 201 && res.status !== 200) throw this.#fail(endpoint, res, `a subscription to ${identity.email}'s events`);
    const body = z.object({ id: z.string(), expirationDateTime: z.string() }).safeParse(res.body);
    if (!body.success) throw this.#error("invalid", endpoint, "the answer has no subscription id and expirationDateTime");
    return { id: body.data.id, expiresAt: body.data.expirationDateTime };
  }

  /** Extends a subscription (PATCH expirationDateTime); `not-found` when Graph no longer has it. */
  async renewSubscription(
    id: string,
    minutes = GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES - 60,
  ): Promise<{ id: string; expiresAt: string; lifecycleNotificationUrl: string | null }> {
    minutes = Math.min(minutes, GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES - 1);
    const endpoint = "PATCH /subscriptions/:id";
    const res = await this.#call(endpoint, `/subscriptions/${encodeURIComponent(id)}`, {
      method: "PATCH",
      body: { expirationDateTime: new Date(this.#now() + minutes * 60_000).toISOString() },
    });
    if (res.status !== 200) throw this.#fail(endpoint, res, `subscription ${id}`);
    const body = z.object({ id: z.string(), expirationDateTime: z.string(), lifecycleNotificationUrl: z.string().nullish() }).safeParse(res.body);
    if (!body.success) throw this.#error("invalid", endpoint, "the answer has no subscription id and expirationDateTime");
    return { id: body.data.id, expiresAt: body.data.expirationDateTime, lifecycleNotificationUrl: body.data.lifecycleNotificationUrl ?? null };
  }

  /** Deletes a subscription; one Graph no longer has (404) is already gone. */
  async unsubscribe(id: string): Promise<void> {
    const endpoint = "DELETE /subscriptions/:id";
    const res = await this.#call(endpoint, `/subscriptions/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (res.status === 204 || res.status === 200 || res.status === 404) return;
    throw this.#fail(endpoint, res, `subscription ${id}`);
  }

  async openChannel(identity: CalendarIdentity, address: string, secret: string, lifecycleAddress?: string): Promise<PushChannel> {
    const sub = await this.subscribe(identity, address, secret, undefined, lifecycleAddress);
    return { channelId: sub.id, expiresAt: sub.expiresAt };
  }

  /**
   * PATCHes the expiry (which also reauthorizes the subscription); a subscription Graph dropped
   * (404) is made again, and so is one without the wanted lifecycleNotificationUrl, which Graph
   * lets no update add.
   */
  async renewChannel(identity: CalendarIdentity, channel: PushChannel, address: string, secret: string, lifecycleAddress?: string): Promise<PushChannel> {
    let sub: Awaited<ReturnType<GraphCalendarProvider["renewSubscription"]>>;
    try {
      sub = await this.renewSubscription(channel.channelId);
    } catch (error) {
      if (error instanceof CalendarError && error.kind === "not-found") return await this.openChannel(identity, address, secret, lifecycleAddress);
      throw error;
    }
    if (lifecycleAddress && sub.lifecycleNotificationUrl !== lifecycleAddress) {
      const fresh = await this.openChannel(identity, address, secret, lifecycleAddress);
      // The new subscription is the one to keep even if the old one cannot be deleted now: it
      // expires on its own (within three days), and its notifications cost a read, nothing more.
      await this.unsubscribe(channel.channelId).catch(() => undefined);
      return fresh;
    }
    return { channelId: sub.id, expiresAt: sub.expiresAt };
  }

  async closeChannel(_identity: CalendarIdentity, channel: PushChannel): Promise<void> {
    await this.unsubscribe(channel.channelId);
  }

  async check(probe?: CalendarIdentity): Promise<CalendarCheckRow[]> {
    const name = `calendar ${this.#config.id}: `;
    const rows: CalendarCheckRow[] = [];
    let token: string;
    try {
      token = await this.accessToken(true);
      rows.push({ check: `${name}app credentials`, status: "ok", detail: `token issued for app ${this.#config.clientId} in tenant ${this.#config.tenantId}` });
    } catch (error) {
      const e = error as CalendarError;
      rows.push({ check: `${name}app credentials`, status: e.retryable ? "warn" : "fail", detail: e.message, fix: e.fix });
      return rows;
    }
    const roles = tokenRoles(token);
    if (roles === undefined) rows.push({ check: `${name}permission`, status: "skip", detail: "the token is not readable, so its permissions were not listed" });
    else if (roles.includes(GRAPH_PERMISSION)) rows.push({ check: `${name}permission`, status: "ok", detail: `${GRAPH_PERMISSION} (application) is granted` });
    else
      rows.push({
        check: `${name}permission`,
        status: "fail",
        detail: `the app's token lacks ${GRAPH_PERMISSION}${roles.length ? ` (it has ${roles.join(", ")})` : " (it has no application permissions)"}`,
        fix: this.#permissionFix(),
      });
    const who = probe?.email ?? this.#config.subject;
    if (!who) {
      rows.push({
        check: `${name}schedule read`,
        status: "skip",
        detail: "nobody to try: no subject and nobody mapped to this connection",
        fix: "Set calendars.connections[].subject to a mailbox",
      });
      return rows;
    }
    const now = this.#now();
    try {
      const [r] = await this.freeBusy([{ id: who, email: who, connectionId: this.#config.id }], {
        start: new Date(now).toISOString(),
        end: new Date(now + 86_400_000).toISOString(),
      });
      rows.push(
        r?.error
          ? { check: `${name}schedule read`, status: "fail", detail: r.error }
          : { check: `${name}schedule read`, status: "ok", detail: `read a day of ${who}'s schedule` },
      );
    } catch (error) {
      const e = error as CalendarError;
      rows.push({ check: `${name}schedule read`, status: e.retryable ? "warn" : "fail", detail: e.message, fix: e.fix });
    }
    return rows;
  }
}

function graphBody(e: EventPatch): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const utc = (iso: string) => ({ dateTime: DateTime.fromISO(iso, { setZone: true }).toUTC().toFormat("yyyy-LL-dd'T'HH:mm:ss"), timeZone: "UTC" });
  if (e.title !== undefined) body.subject = e.title;
  if (e.description !== undefined) body.body = { contentType: "text", content: e.description };
  if (e.location !== undefined) body.location = { displayName: e.location };
  if (e.start !== undefined) body.start = utc(e.start);
  if (e.end !== undefined) body.end = utc(e.end);
  if (e.attendees !== undefined)
    body.attendees = e.attendees.map((a) => ({
      emailAddress: { address: a.email, ...(a.name ? { name: a.name } : {}) },
      type: a.optional ? "optional" : "required",
    }));
  return body;
}
