/**
 * CalDAV calendars (Fastmail, iCloud, Nextcloud, Radicale…) with tsdav: events in a range by a
 * calendar-query REPORT, recurring series expanded locally (`ics.ts`) because many servers neither
 * expand nor answer free-busy queries; events written as iCalendar objects with ORGANIZER and
 * ATTENDEE, created with If-None-Match so a retry makes no second one, changed and removed by
 * href and etag so that a change made meanwhile is never overwritten.
 */
import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Element } from "domhandler";
import ICAL from "ical.js";
import { DAVClient, type DAVCalendar, type DAVObject } from "tsdav";
import { CalendarError, type CalendarErrorKind } from "./errors.ts";
import type { CaldavConnectionConfig } from "./config.ts";
import { retryAfterMs } from "./http.ts";
import { buildEventIcs, expandCalendarObjects, TooManyOccurrencesError, zoneForTzid } from "./ics.ts";
import type { CalendarProvider } from "./provider.ts";
import { openCalendarSecret, type SecretSealer } from "./secrets.ts";
import type { CalendarCheckRow, CalendarEvent, CalendarIdentity, EventChanges, EventPatch, EventRef, FreeBusyResult, NewEvent, TimeRange } from "./types.ts";

export interface CaldavOptions {
  /** Zone for floating times when neither the person nor the calendar names one. */
  defaultTimezone?: string | undefined;
  /** Most occurrences read for one person in one call. */
  maxEventsPerPerson?: number | undefined;
  /** A Retry-After longer than this is not slept through: the error carries it instead (default 30 s). */
  maxRetryDelayMs?: number | undefined;
  /** Opens a sealed password (the engine's SecretBox). */
  secrets?: SecretSealer | undefined;
  /** Where `{ env: NAME }` is read (default the process environment). */
  env?: NodeJS.ProcessEnv | undefined;
}

/** The UID (and file name) of the object for an idempotency key. */
export function caldavUid(key: string): string {
  return `${createHash("sha256").update(`fulcrum:${key}`).digest("hex").slice(0, 40)}@fulcrum`;
}

export class CaldavCalendarProvider implements CalendarProvider {
  readonly kind = "caldav" as const;
  readonly connectionId: string;
  readonly #config: CaldavConnectionConfig;
  readonly #options: CaldavOptions;
  #client: Promise<DAVClient> | undefined;
  #calendars: Promise<DAVCalendar[]> | undefined;

  constructor(config: CaldavConnectionConfig, options: CaldavOptions = {}) {
    this.connectionId = config.id;
    this.#config = config;
    this.#options = options;
    // A password that cannot be opened (variable unset, sealed with another key) is said when the connection opens.
    this.#password();
  }

  /** The password, opened from the configuration for the request that needs it. */
  #password(): string {
    return openCalendarSecret(this.#config.password, {
      provider: "caldav",
      connectionId: this.#config.id,
      field: "password",
      box: this.#options.secrets,
      env: this.#options.env,
    });
  }

  #error(
    kind: CalendarErrorKind,
    endpoint: string,
    message: string,
    fix?: string,
    extra: { status?: number; cause?: unknown; retryAfterMs?: number | undefined } = {},
  ): CalendarError {
    return new CalendarError({ kind, provider: "caldav", connectionId: this.#config.id, endpoint, message, fix, ...extra });
  }

  #auth(): string {
    return `Basic ${Buffer.from(`${this.#config.username}:${this.#password()}`).toString("base64")}`;
  }

  /**
   * Every CalDAV request (tsdav's included): the connection's deadline, the password opened for
   * this request only (tsdav is given none to keep), and 429/503 answers retried after their
   * Retry-After (or with backoff) a few times; a server that keeps refusing is a rate-limited error.
   */
  #fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const maxAttempts = this.#config.maxAttempts ?? 4;
    const headers = new Headers(init?.headers);
    if (!headers.has("authorization")) headers.set("authorization", this.#auth());
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(input, { ...init, headers, signal: AbortSignal.timeout(this.#config.timeoutMs ?? 30_000) });
      if (res.status !== 429 && res.status !== 503) return res;
      await res.body?.cancel();
      const wait = retryAfterMs(res.headers.get("retry-after"));
      if (attempt < maxAttempts && (wait === undefined || wait <= (this.#options.maxRetryDelayMs ?? 30_000))) {
        await delay(wait ?? 500 * 2 ** (attempt - 1));
        continue;
      }
      const method = init?.method ?? "GET";
      throw this.#error(
        res.status === 429 ? "rate-limited" : "unavailable",
        `${method} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`,
        `answered ${res.status} after ${attempt} attempt${attempt === 1 ? "" : "s"}${wait !== undefined ? `; asked to wait ${Math.ceil(wait / 1000)} s` : ""}`,
        undefined,
        { status: res.status, retryAfterMs: wait },
      );
    }
  };

  async #dav(): Promise<DAVClient> {
    this.#client ??= (async () => {
      const endpoint = "PROPFIND / (sign in)";
      let res: Response;
      try {
        // tsdav's own discovery hides the status; one plain request first tells refused credentials apart.
        res = await this.#fetch(this.#config.serverUrl, {
          method: "PROPFIND",
          headers: { depth: "0", "content-type": "application/xml; charset=utf-8" },
          body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>',
        });
        await res.body?.cancel();
      } catch (error) {
        if (error instanceof CalendarError) throw error;
        throw this.#error(
          "unavailable",
          endpoint,
          `${new URL(this.#config.serverUrl).origin} could not be reached (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`,
          "Check serverUrl and this machine's network access",
          { cause: error },
        );
      }
      if (res.status === 401)
        throw this.#error(
          "auth",
          endpoint,
          `the server refused user "${this.#config.username}" (401)`,
          "Check the username and password (many providers need an app-specific password)",
          { status: 401 },
        );
      if (res.status === 403)
        throw this.#error(
          "permission",
          endpoint,
          `user "${this.#config.username}" may not read ${this.#config.serverUrl} (403)`,
          "Use the account's own CalDAV URL, or ask the server's admin for read-write rights",
          { status: 403 },
        );
      if (res.status >= 500) throw this.#error("unavailable", endpoint, `the server answered ${res.status}`, undefined, { status: res.status });
      const client = new DAVClient({
        serverUrl: this.#config.serverUrl,
        credentials: { username: this.#config.username },
        authMethod: "Custom",
        authFunction: async () => ({}),
        defaultAccountType: "caldav",
        fetch: this.#fetch,
      });
      try {
        await client.login();
      } catch (error) {
        throw this.#error(
          "invalid",
          "CalDAV discovery",
          `no CalDAV principal or calendar home found at ${this.#config.serverUrl} (${(error as Error).message})`,
          "Point serverUrl at the provider's CalDAV root",
          { cause: error },
        );
      }
      return client;
    })();
    try {
      return await this.#client;
    } catch (error) {
      this.#client = undefined;
      throw error;
    }
  }

  async #allCalendars(): Promise<DAVCalendar[]> {
    const client = await this.#dav();
    this.#calendars ??= client.fetchCalendars();
    try {
      return await this.#calendars;
    } catch (error) {
      this.#calendars = undefined;
      throw this.#error("unavailable", "PROPFIND calendar home", (error as Error).message, undefined, { cause: error });
    }
  }

  /** The calendar collection of a person: their configured URL, else the account's first event calendar. */
  async #calendarOf(identity: CalendarIdentity): Promise<DAVCalendar> {
    if (identity.calendarUrl) {
      const url = new URL(identity.calendarUrl, this.#config.serverUrl).href;
      const known = (await this.#allCalendars()).find((c) => c.url === url || c.url === `${url}/`);
      if (known) return known;
      // Not in this account's home (a shared or delegated calendar): use it as given.
      return { url: url.endsWith("/") ? url : `${url}/`, components: ["VEVENT"] } as DAVCalendar;
    }
    const calendars = (await this.#allCalendars()).filter((c) => !c.components || c.components.includes("VEVENT"));
    if (calendars.length === 0) {
      throw this.#error(
        "not-found",
        "PROPFIND calendar home",
        `account "${this.#config.username}" has no calendar for events, so ${identity.email} cannot be read`,
        "Create a calendar, or set calendarUrl for this person under calendars.identities",
      );
    }
    return calendars[0]!;
  }

  #zoneOf(identity: CalendarIdentity, calendar: DAVCalendar): string {
    if (identity.timezone) return identity.timezone;
    const tzid = calendar.timezone ? /TZID:([^\r\n]+)/.exec(calendar.timezone)?.[1] : undefined;
    const zone = tzid ? zoneForTzid(tzid) : undefined;
    return zone?.name ?? this.#options.defaultTimezone ?? "UTC";
  }

  async #objects(identity: CalendarIdentity, range: TimeRange): Promise<{ objects: DAVObject[]; calendar: DAVCalendar }> {
    const client = await this.#dav();
    const calendar = await this.#calendarOf(identity);
    try {
      const objects = await client.fetchCalendarObjects({ calendar, timeRange: range, urlFilter: () => true });
      return { objects: objects.filter((o) => typeof o.data === "string" && o.data.includes("BEGIN:VCALENDAR")), calendar };
    } catch (error) {
      if (error instanceof CalendarError) throw error;
      throw this.#error(
        "unavailable",
        "REPORT calendar-query",
        `${identity.email}'s calendar ${calendar.url} could not be read (${(error as Error).message})`,
        undefined,
        { cause: error },
      );
    }
  }

  #expand(identity: CalendarIdentity, range: TimeRange, objects: DAVObject[], calendar: DAVCalendar) {
    return expandCalendarObjects(
      objects.map((o) => ({ data: o.data as string, href: o.url, etag: o.etag })),
      { range, ownerZone: this.#zoneOf(identity, calendar), ownerEmail: identity.email, maxOccurrences: this.#options.maxEventsPerPerson },
    );
  }

  async freeBusy(identities: CalendarIdentity[], range: TimeRange): Promise<FreeBusyResult[]> {
    const out: FreeBusyResult[] = [];
    for (const identity of identities) {
      try {
        const { objects, calendar } = await this.#objects(identity, range);
        const expanded = this.#expand(identity, range, objects, calendar);
        out.push({
          identityId: identity.id,
          email: identity.email,
          items: expanded.items,
          timezone: this.#zoneOf(identity, calendar),
          ...(expanded.notes.length ? { notes: expanded.notes } : {}),
        });
      } catch (error) {
        // One person's unreadable calendar is theirs alone: the others in the call are still read.
        if ((error instanceof CalendarError && error.kind === "not-found") || error instanceof TooManyOccurrencesError)
          out.push({ identityId: identity.id, email: identity.email, items: [], error: `${identity.email}: ${error.message}` });
        else throw error;
      }
    }
    return out;
  }

  async events(identity: CalendarIdentity, range: TimeRange): Promise<CalendarEvent[]> {
    const { objects, calendar } = await this.#objects(identity, range);
    return this.#expand(identity, range, objects, calendar).events;
  }

  async #read(href: string): Promise<DAVObject | undefined> {
    const res = await this.#fetch(href);
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok)
      throw this.#error(res.status >= 500 ? "unavailable" : "invalid", "GET event", `${href} answered ${res.status}`, undefined, { status: res.status });
    return { url: href, etag: res.headers.get("etag") ?? undefined, data: await res.text() };
  }

  #asEvent(object: DAVObject, fallback: { start: string; end: string }): CalendarEvent {
    const expanded = expandCalendarObjects([{ data: object.data as string, href: object.url, etag: object.etag }], {
      range: { start: fallback.start, end: fallback.end },
      ownerZone: "UTC",
    });
    const event = expanded.events[0];
    if (!event) throw this.#error("invalid", "GET event", `${object.url} holds no event`);
    return { ...event, id: object.url, href: object.url, etag: object.etag };
  }

  async createEvent(organizer: CalendarIdentity, event: NewEvent): Promise<CalendarEvent> {
    const client = await this.#dav();
    const calendar = await this.#calendarOf(organizer);
    const uid = caldavUid(event.key);
    const data = buildEventIcs({
      uid,
      sequence: 0,
      start: event.start,
      end: event.end,
      title: event.title,
      description: event.description,
      location: event.location,
      organizer: { email: organizer.email },
      attendees: event.attendees,
      status: event.showAs === "tentative" ? "TENTATIVE" : undefined,
    });
    const filename = `${uid.replace(/@.*/, "")}.ics`;
    const href = new URL(filename, calendar.url.endsWith("/") ? calendar.url : `${calendar.url}/`).href;
    const res = await client.createCalendarObject({ calendar, filename, iCalString: data });
    await res.body?.cancel();
    // 412: If-None-Match found the object an earlier attempt made; read it instead of making another.
    if (res.status !== 201 && res.status !== 204 && res.status !== 412) {
      throw this.#error(
        res.status === 403 ? "permission" : res.status >= 500 ? "unavailable" : "invalid",
        "PUT event",
        `${organizer.email}'s calendar refused the event (${res.status})`,
        res.status === 403 ? `Give "${this.#config.username}" write access to ${calendar.url}` : undefined,
        { status: res.status },
      );
    }
    const stored = await this.#read(href);
    if (!stored) throw this.#error("invalid", "PUT event", `${href} is missing right after it was written`);
    return { ...this.#asEvent(stored, { start: event.start, end: event.end }), key: event.key };
  }

  async updateEvent(_organizer: CalendarIdentity, ref: EventRef, patch: EventPatch): Promise<CalendarEvent> {
    const href = ref.href ?? ref.id;
    const current = await this.#read(href);
    if (!current) throw this.#error("not-found", "PUT event", `${href} does not exist`);
    if (ref.etag && current.etag && ref.etag !== current.etag) {
      throw this.#error(
        "conflict",
        "PUT event",
        `${href} changed since it was read (etag ${ref.etag} is now ${current.etag})`,
        "Read the event again and re-apply the change",
      );
    }
    const root = new ICAL.Component(ICAL.parse(current.data as string));
    const vevent = root.getFirstSubcomponent("vevent");
    if (!vevent) throw this.#error("invalid", "PUT event", `${href} holds no VEVENT`);
    const set = (name: string, value: string | InstanceType<typeof ICAL.Time>) => vevent.updatePropertyWithValue(name, value);
    if (patch.title !== undefined) set("summary", patch.title);
    if (patch.description !== undefined) set("description", patch.description);
    if (patch.location !== undefined) set("location", patch.location);
    if (patch.start !== undefined) set("dtstart", ICAL.Time.fromJSDate(new Date(patch.start), true));
    if (patch.end !== undefined) set("dtend", ICAL.Time.fromJSDate(new Date(patch.end), true));
    if (patch.attendees !== undefined) {
      vevent.removeAllProperties("attendee");
      for (const a of patch.attendees) {
        const p = vevent.addPropertyWithValue("attendee", `mailto:${a.email}`);
        if (a.name) p.setParameter("cn", a.name);
        p.setParameter("partstat", "NEEDS-ACTION");
        p.setParameter("rsvp", "TRUE");
      }
    }
    // RFC 5546: a change attendees must see raises SEQUENCE.
    vevent.updatePropertyWithValue("sequence", Number(vevent.getFirstPropertyValue("sequence") ?? 0) + 1);
    vevent.updatePropertyWithValue("dtstamp", ICAL.Time.fromJSDate(new Date(), true));
    const client = await this.#dav();
    const res = await client.updateCalendarObject({ calendarObject: { url: href, etag: ref.etag ?? current.etag, data: root.toString() } });
    await res.body?.cancel();
    if (res.status === 412)
      throw this.#error("conflict", "PUT event", `${href} changed since it was read (412)`, "Read the event again and re-apply the change", { status: 412 });
    if (!res.ok)
      throw this.#error(res.status >= 500 ? "unavailable" : "invalid", "PUT event", `${href} answered ${res.status}`, undefined, { status: res.status });
    const stored = (await this.#read(href))!;
    const start = patch.start ?? new Date().toISOString();
    return this.#asEvent(stored, { start: "1970-01-01T00:00:00Z", end: new Date(Math.max(Date.parse(start), Date.now()) + 400 * 86_400_000).toISOString() });
  }

  async deleteEvent(_organizer: CalendarIdentity, ref: EventRef): Promise<void> {
    const client = await this.#dav();
    const href = ref.href ?? ref.id;
    const res = await client.deleteCalendarObject({ calendarObject: { url: href, etag: ref.etag } });
    await res.body?.cancel();
    if (res.ok || res.status === 404) return;
    if (res.status === 412)
      throw this.#error("conflict", "DELETE event", `${href} changed since it was read (412)`, "Read the event again before deleting it", { status: 412 });
    throw this.#error(res.status >= 500 ? "unavailable" : "invalid", "DELETE event", `${href} answered ${res.status}`, undefined, { status: res.status });
  }

  /**
   * Changes since `cursor`. Where the server supports it, a sync-collection REPORT (RFC 6578) names
   * the objects changed and removed since its sync token (`sync:<token>`); an expired token reads
   * everything again. Otherwise the collection's ctag and the objects' etags in `range` are compared
   * with the last read (`etag:<state>`).
   */
  async changes(identity: CalendarIdentity, cursor: string | undefined, range: TimeRange): Promise<EventChanges> {
    const calendar = await this.#calendarOf(identity);
    if (!cursor?.startsWith("etag:")) {
      let token = cursor?.startsWith("sync:") ? cursor.slice(5) : "";
      let fullResync = !token;
      let synced = await this.#syncCollection(calendar.url, token);
      if (synced === "invalid-token") {
        token = "";
        fullResync = true;
        synced = await this.#syncCollection(calendar.url, "");
      }
      if (synced !== "unsupported" && synced !== "invalid-token") {
        const removed = synced.members.filter((m) => m.removed).map((m) => m.href);
        const changed = new Set(synced.members.filter((m) => !m.removed).map((m) => m.href));
        let objects: DAVObject[];
        if (!token || changed.size > 200) {
          objects = (await this.#objects(identity, range)).objects;
          if (token) objects = objects.filter((o) => changed.has(new URL(o.url, this.#config.serverUrl).pathname) || changed.has(o.url));
        } else {
          objects = [];
          for (const href of changed) {
            const o = await this.#read(new URL(href, this.#config.serverUrl).href);
            if (o && typeof o.data === "string" && o.data.includes("BEGIN:VCALENDAR")) objects.push(o);
            else if (!o) removed.push(href);
          }
        }
        return { events: this.#expand(identity, range, objects, calendar).events, removed, cursor: `sync:${synced.token}`, fullResync };
      }
    }
    // No sync-collection: compare the collection's ctag, then each object's etag, with the last read.
    const before = cursor?.startsWith("etag:") ? decodeEtagState(cursor.slice(5)) : undefined;
    const ctag = await this.#ctag(calendar.url);
    if (before && ctag && before.ctag === ctag) return { events: [], removed: [], cursor: cursor!, fullResync: false };
    const { objects } = await this.#objects(identity, range);
    const etags: Record<string, string> = {};
    for (const o of objects) etags[o.url] = o.etag ?? "";
    const changed = before ? objects.filter((o) => before.etags[o.url] !== etags[o.url]) : objects;
    const removed = before ? Object.keys(before.etags).filter((href) => !(href in etags)) : [];
    return {
      events: this.#expand(identity, range, changed, calendar).events,
      removed,
      cursor: `etag:${encodeEtagState({ ctag, etags })}`,
      fullResync: !before,
    };
  }

  /** A sync-collection REPORT: the members changed since `token` and the new token. */
  async #syncCollection(
    url: string,
    token: string,
  ): Promise<{ token: string; members: { href: string; removed: boolean }[] } | "unsupported" | "invalid-token"> {
    const body = `<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${escapeXml(token)}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    let res: Response;
    try {
      res = await this.#fetch(url, { method: "REPORT", headers: { depth: "1", "content-type": "application/xml; charset=utf-8" }, body });
    } catch (error) {
      if (error instanceof CalendarError) throw error;
      throw this.#error("unavailable", "REPORT sync-collection", `${url} could not be read (${(error as Error).message})`, undefined, { cause: error });
    }
    const text = await res.text();
    // RFC 6578 §3.2: a token the server no longer knows is refused with the valid-sync-token precondition.
    if (token && (/valid-sync-token/.test(text) || res.status === 403 || res.status === 409 || res.status === 410)) return "invalid-token";
    if (res.status === 401)
      throw this.#error("auth", "REPORT sync-collection", `the server refused user "${this.#config.username}" (401)`, "Check the username and password", {
        status: 401,
      });
    if (res.status >= 500 && res.status !== 501)
      throw this.#error("unavailable", "REPORT sync-collection", `${url} answered ${res.status}`, undefined, { status: res.status });
    if (res.status !== 207) return "unsupported";
    const parsed = parseMultistatus(text);
    if (!parsed.syncToken) return "unsupported";
    const base = new URL(url).pathname;
    return {
      token: parsed.syncToken,
      members: parsed.responses
        .filter((r) => r.href.replace(/\/$/, "") !== base.replace(/\/$/, ""))
        .map((r) => ({ href: r.href, removed: /\s404\s/.test(` ${r.status} `) })),
    };
  }

  /** The collection's ctag (CalendarServer's getctag), when the server keeps one. */
  async #ctag(url: string): Promise<string | undefined> {
    const res = await this.#fetch(url, {
      method: "PROPFIND",
      headers: { depth: "0", "content-type": "application/xml; charset=utf-8" },
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/></d:prop></d:propfind>',
    });
    const text = await res.text();
    if (res.status !== 207) return undefined;
    return parseMultistatus(text).responses[0]?.ctag || undefined;
  }

  async check(probe?: CalendarIdentity): Promise<CalendarCheckRow[]> {
    const name = `calendar ${this.#config.id}: `;
    const rows: CalendarCheckRow[] = [];
    let calendars: DAVCalendar[];
    try {
      await this.#dav();
      rows.push({ check: `${name}sign-in`, status: "ok", detail: `${this.#config.username} signed in to ${new URL(this.#config.serverUrl).origin}` });
      calendars = await this.#allCalendars();
    } catch (error) {
      const e = error as CalendarError;
      rows.push({ check: `${name}sign-in`, status: e.retryable ? "warn" : "fail", detail: e.message, fix: e.fix });
      return rows;
    }
    const events = calendars.filter((c) => !c.components || c.components.includes("VEVENT"));
    rows.push(
      events.length
        ? { check: `${name}calendars`, status: "ok", detail: `${events.length} event calendar(s)` }
        : { check: `${name}calendars`, status: "fail", detail: "the account has no calendar for events", fix: "Create one, or set calendarUrl per person" },
    );
    if (events.length === 0 && !probe?.calendarUrl) return rows;
    try {
      const who = probe ?? { id: this.#config.username, email: this.#config.username, connectionId: this.#config.id };
      const now = Date.now();
      await this.#objects(who, { start: new Date(now).toISOString(), end: new Date(now + 86_400_000).toISOString() });
      rows.push({ check: `${name}calendar read`, status: "ok", detail: "a day of events read" });
    } catch (error) {
      const e = error as CalendarError;
      rows.push({ check: `${name}calendar read`, status: e.retryable ? "warn" : "fail", detail: e.message, fix: e.fix });
    }
    return rows;
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The parts of a WebDAV multistatus the change feed needs, by local name (servers pick their own prefixes). */
export function parseMultistatus(xml: string): {
  syncToken?: string | undefined;
  responses: { href: string; status: string; etag?: string | undefined; ctag?: string | undefined }[];
} {
  const doc = parseDocument(xml, { xmlMode: true });
  const local = (e: Element) => e.name.replace(/^.*:/, "");
  const first = (root: Element, name: string) => DomUtils.findOne((e) => local(e) === name, root.children, true);
  const text = (e: Element | null) => (e ? DomUtils.textContent(e).trim() : undefined);
  const multistatus = DomUtils.findOne((e) => local(e) === "multistatus", doc.children, true);
  if (!multistatus) return { responses: [] };
  const responses = multistatus.children
    .filter((c): c is Element => c.type === "tag" && local(c as Element) === "response")
    .map((r) => {
      // The response-level status (a removed member) comes before any propstat's.
      const direct = r.children.find((c): c is Element => c.type === "tag" && local(c as Element) === "status");
      const propstatStatus = text(first(r, "status"));
      return {
        href: decodeURIComponent(text(first(r, "href")) ?? ""),
        status: text(direct ?? null) ?? propstatStatus ?? "",
        etag: text(first(r, "getetag")),
        ctag: text(first(r, "getctag")),
      };
    });
  const token = multistatus.children.find((c): c is Element => c.type === "tag" && local(c as Element) === "sync-token");
  return { syncToken: text(token ?? null), responses };
}

function encodeEtagState(state: { ctag?: string | undefined; etags: Record<string, string> }): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

function decodeEtagState(text: string): { ctag?: string | undefined; etags: Record<string, string> } | undefined {
  try {
    const state = JSON.parse(Buffer.from(text, "base64url").toString()) as { ctag?: unknown; etags?: unknown };
    if (!state.etags || typeof state.etags !== "object") return undefined;
    return { ctag: typeof state.ctag === "string" ? state.ctag : undefined, etags: state.etags as Record<string, string> };
  } catch {
    return undefined;
  }
}
