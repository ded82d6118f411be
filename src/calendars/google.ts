/**
 * Google Workspace calendars through a service account with domain-wide delegation: the
 * JWT-bearer grant (RFC 7523) signed RS256 with the account's key, one token per person acted as,
 * cached until a minute before it expires. Free/busy by events.list (statuses kept) or
 * freeBusy.query (50 calendars a call); events written with attendees, a Meet link and
 * sendUpdates=all, under an id derived from the caller's key so that a retry never makes a second one.
 */
import { createHash, createSign, randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { CalendarError } from "./errors.ts";
import { providerError, requestJson, type JsonResponse } from "./http.ts";
import { googleServiceAccountKeySchema, type GoogleConnectionConfig, type GoogleServiceAccountKey } from "./config.ts";
import type { CalendarProvider, PushChannel } from "./provider.ts";
import { openCalendarSecret, type SecretScope, type SecretSealer } from "./secrets.ts";
import type {
  CalendarCheckRow,
  CalendarEvent,
  CalendarIdentity,
  EventChanges,
  EventPatch,
  EventRef,
  FreeBusyResult,
  NewEvent,
  RawItem,
  TimeRange,
} from "./types.ts";

/** The one scope Fulcrum asks for: reading free/busy and events, and writing interview events. */
export const GOOGLE_CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar";
const DEFAULT_API = "https://www.googleapis.com/calendar/v3";
const DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token";
/** freeBusy.query takes at most 50 calendars per call (calendarExpansionMax). */
export const GOOGLE_FREEBUSY_BATCH = 50;

const dateOrTime = z.object({ date: z.string().optional(), dateTime: z.string().optional(), timeZone: z.string().optional() });
const googleEventSchema = z.object({
  id: z.string(),
  status: z.string().optional(),
  summary: z.string().optional(),
  transparency: z.string().optional(),
  eventType: z.string().optional(),
  start: dateOrTime.optional(),
  end: dateOrTime.optional(),
  endTimeUnspecified: z.boolean().optional(),
  hangoutLink: z.string().optional(),
  attendees: z.array(z.object({ email: z.string().optional(), self: z.boolean().optional(), responseStatus: z.string().optional() })).optional(),
  extendedProperties: z.object({ private: z.record(z.string(), z.string()).optional() }).optional(),
  conferenceData: z.object({ entryPoints: z.array(z.object({ entryPointType: z.string().optional(), uri: z.string().optional() })).optional() }).optional(),
});
type GoogleEvent = z.infer<typeof googleEventSchema>;
const eventsPageSchema = z.object({
  items: z.array(googleEventSchema).default([]),
  nextPageToken: z.string().optional(),
  nextSyncToken: z.string().optional(),
  timeZone: z.string().optional(),
});
const freeBusySchema = z.object({
  calendars: z.record(
    z.string(),
    z.object({
      busy: z.array(z.object({ start: z.string(), end: z.string() })).default([]),
      errors: z.array(z.object({ domain: z.string().optional(), reason: z.string().optional() })).optional(),
    }),
  ),
});

/**
 * Google answers some rate limits with 403 and a reason instead of 429; its guidance is to retry
 * those with exponential backoff, like a 429 (a 403 for a missing permission is not retried).
 */
export function googleRateLimited(status: number, body: unknown): boolean {
  return status === 403 && /^(rateLimitExceeded|userRateLimitExceeded)$/.test(providerError(body).code ?? "");
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** Signs the JWT-bearer assertion for `subject` (RS256, one hour). Exported for tests. */
export function signGoogleAssertion(
  key: GoogleServiceAccountKey,
  subject: string | undefined,
  scope: string,
  audience: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const claims: Record<string, unknown> = { iss: key.client_email, scope, aud: audience, iat: nowSeconds, exp: nowSeconds + 3600 };
  if (subject) claims.sub = subject;
  const unsigned = `${header}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(key.private_key);
  return `${unsigned}.${b64url(signature)}`;
}

/** Google accepts event ids of base32hex characters, 5 to 1024 long: a hash of the key is one. */
export function googleEventId(key: string): string {
  return createHash("sha256").update(`fulcrum:${key}`).digest("hex");
}

export interface GoogleOptions {
  /** Clock for token expiry (tests). */
  now?: () => number;
  /** Most events read for one person in one call (default 20,000): beyond, an error instead of unbounded memory. */
  maxEventsPerPerson?: number | undefined;
  /** Opens a sealed serviceAccountKey (the engine's SecretBox). */
  secrets?: SecretSealer | undefined;
  /** Where `{ env: NAME }` is read (default the process environment). */
  env?: NodeJS.ProcessEnv | undefined;
}

export class GoogleCalendarProvider implements CalendarProvider {
  readonly kind = "google" as const;
  readonly connectionId: string;
  readonly #config: GoogleConnectionConfig;
  /** The key's public fields; the private key is opened from the configuration only to sign. */
  readonly #account: Omit<GoogleServiceAccountKey, "private_key">;
  readonly #secretScope: SecretScope;
  readonly #api: string;
  readonly #tokenUrl: string;
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>();
  readonly #now: () => number;
  readonly #maxEvents: number;

  constructor(config: GoogleConnectionConfig, options: GoogleOptions = {}) {
    this.connectionId = config.id;
    this.#config = config;
    this.#secretScope = { provider: "google", connectionId: config.id, field: "serviceAccountKey", box: options.secrets, env: options.env };
    // Read once now so a broken key is reported when the connection opens; the private key itself
    // stays in the configuration's (sealed) form and is opened only to sign a grant.
    const { private_key: _, ...account } = this.#readKey();
    this.#account = account;
    this.#api = (config.apiBaseUrl ?? DEFAULT_API).replace(/\/$/, "");
    this.#tokenUrl = config.tokenUrl ?? account.token_uri ?? DEFAULT_TOKEN_URL;
    this.#now = options.now ?? Date.now;
    this.#maxEvents = options.maxEventsPerPerson ?? 20_000;
  }

  /** The service account key, opened from the configuration (sealed, an environment variable, or in clear). */
  #readKey(): GoogleServiceAccountKey {
    let raw: unknown = openCalendarSecret(this.#config.serviceAccountKey, this.#secretScope);
    try {
      raw = JSON.parse(raw as string);
    } catch {
      throw this.#error(
        "invalid",
        "service account key",
        "serviceAccountKey is not JSON",
        "Paste the whole JSON key file downloaded from the Google Cloud console",
      );
    }
    const key = googleServiceAccountKeySchema.safeParse(raw);
    if (!key.success) {
      const issue = key.error.issues[0]!;
      throw this.#error(
        "invalid",
        "service account key",
        `serviceAccountKey.${issue.path.join(".")} ${issue.message}`,
        "Use the JSON key file of a service account (it has client_email and private_key)",
      );
    }
    return key.data;
  }

  #error(
    kind: ConstructorParameters<typeof CalendarError>[0]["kind"],
    endpoint: string,
    message: string,
    fix?: string,
    extra: { status?: number; code?: string; retryAfterMs?: number } = {},
  ): CalendarError {
    return new CalendarError({ kind, provider: "google", connectionId: this.#config.id, endpoint, message, fix, ...extra });
  }

  #delegationFix(): string {
    return `In the Google Admin console (Security → Access and data control → API controls → Domain-wide delegation) allow client ID ${this.#account.client_id ?? `of ${this.#account.client_email}`} the scope ${GOOGLE_CALENDAR_SCOPE}`;
  }

  /** An access token acting as `subject`, from the cache while it has over a minute left. */
  async accessToken(subject: string | undefined, refresh = false): Promise<string> {
    const cacheKey = subject ?? "";
    const cached = this.#tokens.get(cacheKey);
    if (cached && !refresh && cached.expiresAt - 60_000 > this.#now()) return cached.token;
    const assertion = signGoogleAssertion(this.#readKey(), subject, GOOGLE_CALENDAR_SCOPE, this.#tokenUrl, Math.floor(this.#now() / 1000));
    const endpoint = "POST token (JWT bearer)";
    const res = await requestJson(
      {
        provider: "google",
        connectionId: this.#config.id,
        endpoint,
        url: this.#tokenUrl,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      },
      this.#http(),
    );
    if (res.status !== 200) {
      const { code, message } = providerError(res.body);
      const who = subject ? ` as ${subject}` : "";
      if (code === "unauthorized_client") {
        throw this.#error(
          "permission",
          endpoint,
          `Google refused to delegate${who} (${code}: ${message ?? "client not authorized for the scope"})`,
          this.#delegationFix(),
          { status: res.status, code },
        );
      }
      if (code === "invalid_grant" && /user|email|subject/i.test(message ?? "")) {
        throw this.#error(
          "not-found",
          endpoint,
          `${subject ?? "the subject"} is not a user Google knows (${message})`,
          "Map this Lever user to their Workspace address under calendars.identities",
          { status: res.status, code },
        );
      }
      throw this.#error(
        "auth",
        endpoint,
        `Google refused the service account's credentials${who} (${res.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""})`,
        "Check that the service account and its key still exist and are enabled; download a new key if needed",
        { status: res.status, ...(code ? { code } : {}) },
      );
    }
    const body = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() }).safeParse(res.body);
    if (!body.success) throw this.#error("invalid", endpoint, "the token answer has no access_token");
    this.#tokens.set(cacheKey, { token: body.data.access_token, expiresAt: this.#now() + (body.data.expires_in ?? 3600) * 1000 });
    return body.data.access_token;
  }

  #http() {
    return { timeoutMs: this.#config.timeoutMs, maxAttempts: this.#config.maxAttempts };
  }

  async #call(
    subject: string,
    endpoint: string,
    path: string,
    init: { method?: string; body?: unknown; query?: Record<string, string | undefined> } = {},
  ): Promise<JsonResponse> {
    const url = new URL(this.#api + path);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return requestJson(
      {
        provider: "google",
        connectionId: this.#config.id,
        endpoint,
        url: url.href,
        method: init.method,
        body: init.body,
        token: (refresh) => this.accessToken(subject, refresh),
        rateLimited: googleRateLimited,
      },
      this.#http(),
    );
  }

  /** Maps a non-2xx answer of the Calendar API to a CalendarError with the fix. */
  #fail(endpoint: string, res: JsonResponse, about: string): CalendarError {
    const { code, message } = providerError(res.body);
    const detail = `${res.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`;
    const extra = { status: res.status, ...(code ? { code } : {}) };
    if (res.status === 401) return this.#error("auth", endpoint, `Google refused the access token (${detail})`, "Check the service account key", extra);
    if (res.status === 403 && /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/.test(code ?? "")) {
      return this.#error("rate-limited", endpoint, `Google's quota is used up (${detail})`, "Fulcrum will try again later", extra);
    }
    if (res.status === 403) return this.#error("permission", endpoint, `Google refused access to ${about} (${detail})`, this.#delegationFix(), extra);
    if (res.status === 404)
      return this.#error(
        "not-found",
        endpoint,
        `${about} does not exist or is not shared with the service account (${detail})`,
        "Check the person's calendar address under calendars.identities",
        extra,
      );
    if (res.status === 410) return this.#error("gone", endpoint, `the sync token expired (${detail})`, undefined, extra);
    return this.#error("invalid", endpoint, `Google answered ${detail}`, undefined, extra);
  }

  async freeBusy(identities: CalendarIdentity[], range: TimeRange): Promise<FreeBusyResult[]> {
    if (this.#config.read === "events") {
      const out: FreeBusyResult[] = [];
      for (const identity of identities) {
        try {
          const { events, timezone } = await this.#list(identity, range);
          out.push({ identityId: identity.id, email: identity.email, items: events.flatMap((e) => toItem(e, identity.email)), timezone });
        } catch (error) {
          // One person's unreadable calendar (unknown, not delegated, too many events) is theirs alone.
          if (error instanceof CalendarError && (error.kind === "not-found" || error.kind === "permission" || error.kind === "invalid")) {
            out.push({ identityId: identity.id, email: identity.email, items: [], error: error.message });
          } else throw error;
        }
      }
      return out;
    }
    const subject = this.#config.subject ?? identities[0]?.email;
    if (!subject) return [];
    const out: FreeBusyResult[] = [];
    for (let i = 0; i < identities.length; i += GOOGLE_FREEBUSY_BATCH) {
      const batch = identities.slice(i, i + GOOGLE_FREEBUSY_BATCH);
      const endpoint = "POST /freeBusy";
      const res = await this.#call(subject, endpoint, "/freeBusy", {
        method: "POST",
        body: {
          timeMin: range.start,
          timeMax: range.end,
          timeZone: "UTC",
          calendarExpansionMax: GOOGLE_FREEBUSY_BATCH,
          items: batch.map((p) => ({ id: p.email })),
        },
      });
      if (res.status !== 200) throw this.#fail(endpoint, res, `free/busy of ${batch.length} calendar(s)`);
      const parsed = freeBusySchema.safeParse(res.body);
      if (!parsed.success) throw this.#error("invalid", endpoint, "the answer has no calendars map");
      for (const p of batch) {
        const cal = parsed.data.calendars[p.email];
        const reasons = cal?.errors?.map((e) => e.reason ?? "error").join(", ");
        if (!cal || reasons) {
          out.push({
            identityId: p.id,
            email: p.email,
            items: [],
            error: `Google has no free/busy for ${p.email} (${reasons || "missing from the answer"}): check the address or that it is in this Workspace`,
          });
          continue;
        }
        out.push({ identityId: p.id, email: p.email, items: cal.busy.map((b) => ({ start: b.start, end: b.end, status: "busy" as const })) });
      }
    }
    return out;
  }

  async #list(
    identity: CalendarIdentity,
    range: TimeRange | undefined,
    syncToken?: string,
  ): Promise<{ events: GoogleEvent[]; timezone?: string; nextSyncToken?: string }> {
    const endpoint = "GET /calendars/:calendar/events";
    const events: GoogleEvent[] = [];
    let pageToken: string | undefined;
    let timezone: string | undefined;
    let nextSyncToken: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= 200) throw this.#error("invalid", endpoint, `over 200 pages of events for ${identity.email}`, "Narrow the window");
      const res = await this.#call(identity.email, endpoint, `/calendars/${encodeURIComponent(identity.email)}/events`, {
        query: syncToken
          ? { syncToken, pageToken, singleEvents: "true", showDeleted: "true", maxResults: "2500" }
          : {
              timeMin: range?.start,
              timeMax: range?.end,
              pageToken,
              singleEvents: "true",
              orderBy: "startTime",
              maxResults: "2500",
              showDeleted: range ? undefined : "true",
            },
      });
      if (res.status !== 200) throw this.#fail(endpoint, res, `the calendar of ${identity.email}`);
      const parsed = eventsPageSchema.safeParse(res.body);
      if (!parsed.success)
        throw this.#error("invalid", endpoint, `an events page for ${identity.email} has an unexpected shape (${parsed.error.issues[0]?.path.join(".")})`);
      events.push(...parsed.data.items);
      if (events.length > this.#maxEvents) {
        throw this.#error(
          "invalid",
          endpoint,
          `${identity.email} has more than ${this.#maxEvents} events in ${range ? `${range.start}–${range.end}` : "the changes"}`,
          "Narrow the window or raise calendars.maxEventsPerPerson",
        );
      }
      timezone ??= parsed.data.timeZone;
      if (parsed.data.nextSyncToken) nextSyncToken = parsed.data.nextSyncToken;
      if (!parsed.data.nextPageToken) break;
      pageToken = parsed.data.nextPageToken;
    }
    return { events, ...(timezone ? { timezone } : {}), ...(nextSyncToken ? { nextSyncToken } : {}) };
  }

  async events(identity: CalendarIdentity, range: TimeRange): Promise<CalendarEvent[]> {
    const { events } = await this.#list(identity, range);
    return events.map((e) => toEvent(e, identity.email));
  }

  async createEvent(organizer: CalendarIdentity, event: NewEvent): Promise<CalendarEvent> {
    const id = googleEventId(event.key);
    const endpoint = "POST /calendars/:calendar/events";
    const body = {
      id,
      ...googleBody(event),
      extendedProperties: { private: { fulcrumKey: event.key } },
      // A hold blocks the time (opaque); its title says it is a hold.
      ...(event.showAs === "tentative" ? { transparency: "opaque" } : {}),
      ...(event.conference ? { conferenceData: { createRequest: { requestId: id.slice(0, 40), conferenceSolutionKey: { type: "hangoutsMeet" } } } } : {}),
    };
    const path = `/calendars/${encodeURIComponent(organizer.email)}/events`;
    const res = await this.#call(organizer.email, endpoint, path, { method: "POST", body, query: { conferenceDataVersion: "1", sendUpdates: "all" } });
    if (res.status === 409) {
      // Made by an earlier attempt whose answer was lost: read it instead of making a second one.
      const existing = await this.#call(organizer.email, "GET /calendars/:calendar/events/:event", `${path}/${id}`);
      if (existing.status === 200) return toEvent(googleEventSchema.parse(existing.body), organizer.email);
      throw this.#fail(endpoint, res, `event ${id}`);
    }
    if (res.status !== 200) throw this.#fail(endpoint, res, `the calendar of ${organizer.email}`);
    return toEvent(googleEventSchema.parse(res.body), organizer.email);
  }

  async updateEvent(organizer: CalendarIdentity, ref: EventRef, patch: EventPatch): Promise<CalendarEvent> {
    const endpoint = "PATCH /calendars/:calendar/events/:event";
    const res = await this.#call(organizer.email, endpoint, `/calendars/${encodeURIComponent(organizer.email)}/events/${encodeURIComponent(ref.id)}`, {
      method: "PATCH",
      body: googleBody(patch),
      query: { sendUpdates: "all", conferenceDataVersion: "1" },
    });
    if (res.status !== 200) throw this.#fail(endpoint, res, `event ${ref.id}`);
    return toEvent(googleEventSchema.parse(res.body), organizer.email);
  }

  async deleteEvent(organizer: CalendarIdentity, ref: EventRef): Promise<void> {
    const endpoint = "DELETE /calendars/:calendar/events/:event";
    const res = await this.#call(organizer.email, endpoint, `/calendars/${encodeURIComponent(organizer.email)}/events/${encodeURIComponent(ref.id)}`, {
      method: "DELETE",
      query: { sendUpdates: "all" },
    });
    // Already gone (404, or 410 for an event deleted before) is what we wanted.
    if (res.status === 204 || res.status === 200 || res.status === 404 || res.status === 410) return;
    throw this.#fail(endpoint, res, `event ${ref.id}`);
  }

  /** Changes since `cursor` (a sync token); an expired one (410) reads everything again. */
  async changes(identity: CalendarIdentity, cursor: string | undefined, range: TimeRange): Promise<EventChanges> {
    let fullResync = cursor === undefined;
    let listed: { events: GoogleEvent[]; nextSyncToken?: string } | undefined;
    if (cursor) {
      try {
        listed = await this.#list(identity, undefined, cursor);
      } catch (error) {
        if (!(error instanceof CalendarError && error.kind === "gone")) throw error;
        fullResync = true;
      }
    }
    listed ??= await this.#list(identity, range);
    if (!listed.nextSyncToken) throw this.#error("invalid", "GET /calendars/:calendar/events", `no nextSyncToken for ${identity.email}`);
    const live = listed.events.filter((e) => e.status !== "cancelled");
    return {
      events: live.map((e) => toEvent(e, identity.email)),
      removed: listed.events.filter((e) => e.status === "cancelled").map((e) => e.id),
      cursor: listed.nextSyncToken,
      fullResync,
    };
  }

  /**
   * Opens a push channel (events.watch) on a person's calendar: Google then POSTs to `address`
   * (https) with our `token` whenever an event changes; read the changes with {@link changes}.
   */
  async watch(
    identity: CalendarIdentity,
    address: string,
    token: string,
    ttlSeconds = 7 * 86_400,
  ): Promise<{ channelId: string; resourceId: string; expiresAt: string }> {
    const endpoint = "POST /calendars/:calendar/events/watch";
    const channelId = randomUUID();
    const res = await this.#call(identity.email, endpoint, `/calendars/${encodeURIComponent(identity.email)}/events/watch`, {
      method: "POST",
      body: { id: channelId, type: "web_hook", address, token, params: { ttl: String(ttlSeconds) } },
    });
    if (res.status !== 200) throw this.#fail(endpoint, res, `a push channel on ${identity.email}'s calendar`);
    const body = z.object({ id: z.string(), resourceId: z.string(), expiration: z.union([z.string(), z.number()]).optional() }).safeParse(res.body);
    if (!body.success) throw this.#error("invalid", endpoint, "the answer has no channel id and resourceId");
    const expiration = body.data.expiration === undefined ? this.#now() + ttlSeconds * 1000 : Number(body.data.expiration);
    return { channelId: body.data.id, resourceId: body.data.resourceId, expiresAt: new Date(expiration).toISOString() };
  }

  /** Closes a push channel; one Google no longer knows (404) is already closed. */
  async stopWatch(identity: CalendarIdentity, channel: { channelId: string; resourceId: string }): Promise<void> {
    const endpoint = "POST /channels/stop";
    const res = await this.#call(identity.email, endpoint, "/channels/stop", {
      method: "POST",
      body: { id: channel.channelId, resourceId: channel.resourceId },
    });
    if (res.status === 204 || res.status === 200 || res.status === 404) return;
    throw this.#fail(endpoint, res, `channel ${channel.channelId}`);
  }

  async openChannel(identity: CalendarIdentity, address: string, secret: string): Promise<PushChannel> {
    return await this.watch(identity, address, secret);
  }

  /** Google channels cannot be extended: a new one is opened, then the old one stopped. */
  async renewChannel(identity: CalendarIdentity, channel: PushChannel, address: string, secret: string): Promise<PushChannel> {
    const fresh = await this.watch(identity, address, secret);
    if (channel.resourceId) await this.stopWatch(identity, { channelId: channel.channelId, resourceId: channel.resourceId });
    return fresh;
  }

  async closeChannel(identity: CalendarIdentity, channel: PushChannel): Promise<void> {
    if (channel.resourceId) await this.stopWatch(identity, { channelId: channel.channelId, resourceId: channel.resourceId });
  }

  async check(probe?: CalendarIdentity): Promise<CalendarCheckRow[]> {
    const rows: CalendarCheckRow[] = [];
    const subject = probe?.email ?? this.#config.subject;
    const name = `calendar ${this.#config.id}: `;
    try {
      await this.accessToken(subject, true);
      rows.push({
        check: `${name}delegation`,
        status: "ok",
        detail: `${this.#account.client_email} may act${subject ? ` as ${subject}` : ""} with ${GOOGLE_CALENDAR_SCOPE}`,
      });
    } catch (error) {
      const e = error as CalendarError;
      rows.push({ check: `${name}delegation`, status: "fail", detail: e.message, fix: e.fix });
      return rows;
    }
    if (!subject) {
      rows.push({
        check: `${name}calendar read`,
        status: "skip",
        detail: "no subject to try: nobody is mapped to this connection",
        fix: "Set calendars.connections[].subject to a Workspace user",
      });
      return rows;
    }
    const now = this.#now();
    try {
      await this.#list(
        { id: subject, email: subject, connectionId: this.#config.id },
        { start: new Date(now).toISOString(), end: new Date(now + 86_400_000).toISOString() },
      );
      rows.push({ check: `${name}calendar read`, status: "ok", detail: `read a day of ${subject}'s events` });
    } catch (error) {
      const e = error as CalendarError;
      rows.push({ check: `${name}calendar read`, status: e.retryable ? "warn" : "fail", detail: e.message, fix: e.fix });
    }
    return rows;
  }
}

function googleBody(e: EventPatch): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (e.title !== undefined) body.summary = e.title;
  if (e.description !== undefined) body.description = e.description;
  if (e.location !== undefined) body.location = e.location;
  if (e.start !== undefined) body.start = { dateTime: e.start, ...(e.timezone ? { timeZone: e.timezone } : {}) };
  if (e.end !== undefined) body.end = { dateTime: e.end, ...(e.timezone ? { timeZone: e.timezone } : {}) };
  if (e.attendees !== undefined)
    body.attendees = e.attendees.map((a) => ({ email: a.email, ...(a.name ? { displayName: a.name } : {}), ...(a.optional ? { optional: true } : {}) }));
  return body;
}

const RESPONSES = new Set(["accepted", "declined", "tentative", "needsAction"]);

function toEvent(e: GoogleEvent, owner: string): CalendarEvent {
  const allDay = Boolean(e.start?.date);
  const self = e.attendees?.find((a) => a.self || a.email?.toLowerCase() === owner.toLowerCase());
  return {
    id: e.id,
    title: e.summary,
    start: e.start?.dateTime ?? e.start?.date ?? "",
    end: e.endTimeUnspecified ? undefined : (e.end?.dateTime ?? e.end?.date),
    allDay,
    status: statusOf(e, self?.responseStatus),
    cancelled: e.status === "cancelled",
    attendees: (e.attendees ?? [])
      .filter((a) => a.email)
      .map((a) => ({
        email: a.email!,
        response: (RESPONSES.has(a.responseStatus ?? "") ? a.responseStatus : "needsAction") as CalendarEvent["attendees"][number]["response"],
      })),
    conferenceUrl: e.hangoutLink ?? e.conferenceData?.entryPoints?.find((p) => p.entryPointType === "video")?.uri,
    key: e.extendedProperties?.private?.fulcrumKey,
  };
}

function statusOf(e: GoogleEvent, response: string | undefined): CalendarEvent["status"] {
  if (e.eventType === "outOfOffice") return "oof";
  if (e.eventType === "workingLocation") return "workingElsewhere";
  if (e.transparency === "transparent" || response === "declined") return "free";
  if (response === "tentative") return "tentative";
  return "busy";
}

/** An event of events.list as a free/busy item; cancelled events and ones the owner declined give none. */
function toItem(e: GoogleEvent, owner: string): RawItem[] {
  if (e.status === "cancelled") return [];
  const ev = toEvent(e, owner);
  if (!ev.start) return [];
  const item: RawItem = { start: ev.start, status: ev.status, eventId: e.id };
  if (ev.end) item.end = ev.end;
  if (ev.allDay) item.allDay = true;
  if (e.summary) item.title = e.summary;
  return [item];
}

/** A push notification Google sent to a channel's address, read from its headers. */
export interface GooglePush {
  channelId: string;
  resourceId: string;
  /** `sync` right after the channel opens; `exists` when something changed; `not_exists` when the resource went away. */
  state: string;
  messageNumber: number | undefined;
}

/**
 * Reads a Google push notification and checks that it carries our channel token (compared in
 * constant time). Returns undefined for a request that is not ours: ignore it.
 */
export function verifyGooglePush(headers: Record<string, string | string[] | undefined>, token: string): GooglePush | undefined {
  const h = (name: string) => {
    const v = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const given = Buffer.from(h("x-goog-channel-token") ?? "");
  const ours = Buffer.from(token);
  if (given.length !== ours.length || !timingSafeEqual(given, ours)) return undefined;
  const channelId = h("x-goog-channel-id");
  const resourceId = h("x-goog-resource-id");
  const state = h("x-goog-resource-state");
  if (!channelId || !resourceId || !state) return undefined;
  const n = Number(h("x-goog-message-number"));
  return { channelId, resourceId, state, messageNumber: Number.isFinite(n) ? n : undefined };
}
