/**
 * What changed in the calendars since a cursor, normalised for reconciliation: an attendee declined
 * (who), an event was cancelled or deleted, an event was moved (its new times) — each tied to the
 * idempotency key of the Fulcrum event it concerns. Each provider's `changes()` reads the raw feed
 * (Google sync tokens, Graph delta links, CalDAV sync-collection or etags); this module compares it
 * with the events Fulcrum is tracking, so that a change is reported once, not on every read.
 */
import { caldavUid } from "./caldav.ts";
import { googleEventId } from "./google.ts";
import type { CalendarProvider } from "./provider.ts";
import type { CalendarEvent, CalendarIdentity, EventChanges, TimeRange } from "./types.ts";

/**
 * The idempotency key of one session's calendar event: the same panel and session always give the
 * same key, so a retried booking finds the event it made (Google's private `fulcrumKey` and event
 * id, Graph's transactionId, the CalDAV UID are all derived from it). The panel booker writes the
 * same form (`<panelKey>:<session id>`, or `<panelKey>:panel-event` for one event per panel).
 *
 * @example
 * fulcrumEventKey("run-42/opp-7", "tech") // "run-42/opp-7:tech"
 */
export function fulcrumEventKey(panelKey: string, sessionId: string): string {
  if (!panelKey || !sessionId) throw new RangeError("fulcrumEventKey needs a panel key and a session id");
  if (sessionId.includes(":")) throw new RangeError(`session id "${sessionId}" may not contain ":"`);
  return `${panelKey}:${sessionId}`;
}

/** The panel key and session id back from {@link fulcrumEventKey}; undefined for another key. */
export function parseFulcrumEventKey(key: string): { panelKey: string; sessionId: string } | undefined {
  const at = key.lastIndexOf(":");
  if (at <= 0 || at === key.length - 1) return undefined;
  return { panelKey: key.slice(0, at), sessionId: key.slice(at + 1) };
}

/** An event Fulcrum booked and watches: what it last knew of it. */
export interface TrackedEvent {
  key: string;
  /** The provider's id of the event (Graph's is only known this way). */
  eventId?: string | undefined;
  /** CalDAV: the object's URL. */
  href?: string | undefined;
  start: string;
  end: string;
  /** Attendees already known to have declined (their declines are not reported again). */
  declined?: readonly string[] | undefined;
}

export type CalendarChange =
  | { kind: "declined"; key: string; eventId: string; attendee: string }
  | { kind: "cancelled"; key: string; eventId: string; how: "cancelled" | "deleted" }
  | { kind: "moved"; key: string; eventId: string; start: string; end: string | undefined; previous: { start: string; end: string } };

export interface ChangeFeed {
  changes: CalendarChange[];
  /** Pass back next time. */
  cursor: string;
  /** The old cursor was refused (expired) and everything in the range was read again. */
  fullResync: boolean;
  /** Changed events that are not Fulcrum's (other meetings): free/busy read before them is stale. */
  otherEvents: number;
}

/** The ids a provider gives the event made with `key`, besides what was tracked. */
function derivedIds(kind: CalendarProvider["kind"], t: TrackedEvent): string[] {
  const ids = [t.key, ...(t.eventId ? [t.eventId] : []), ...(t.href ? [t.href] : [])];
  if (kind === "google") ids.push(googleEventId(t.key));
  if (kind === "caldav") ids.push(caldavUid(t.key));
  return ids;
}

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Date.parse(a) === Date.parse(b);
}

function overlaps(t: TrackedEvent, range: TimeRange): boolean {
  return Date.parse(t.start) < Date.parse(range.end) && Date.parse(t.end) > Date.parse(range.start);
}

/**
 * The changes to tracked events in a raw feed. An event of Fulcrum's (it carries a key, or its id is
 * one we track) that is cancelled or removed is `cancelled`; one whose times differ from the tracked
 * ones is `moved`; each attendee who declined and was not known to have is `declined`. After a full
 * resync, a tracked event in the range that is no longer there was deleted.
 */
export function normaliseChanges(
  kind: CalendarProvider["kind"],
  raw: EventChanges,
  tracked: readonly TrackedEvent[],
  range: TimeRange,
): Omit<ChangeFeed, "cursor" | "fullResync"> {
  const byId = new Map<string, TrackedEvent>();
  for (const t of tracked) for (const id of derivedIds(kind, t)) byId.set(id, t);
  const find = (id: string, key?: string): TrackedEvent | undefined => {
    const direct = (key ? byId.get(key) : undefined) ?? byId.get(id);
    if (direct) return direct;
    // CalDAV reports removals by href; the object's file is named after its UID.
    if (kind === "caldav") return tracked.find((t) => id.endsWith(`/${caldavUid(t.key).replace(/@.*/, "")}.ics`));
    return undefined;
  };
  const changes: CalendarChange[] = [];
  const seen = new Set<TrackedEvent>();
  let otherEvents = 0;
  for (const e of raw.events) {
    const t = find(e.id, e.key) ?? (e.href ? find(e.href) : undefined);
    if (!t) {
      otherEvents++;
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    changes.push(...eventChanges(t, e));
  }
  for (const id of raw.removed) {
    const t = find(id);
    if (!t) {
      otherEvents++;
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    changes.push({ kind: "cancelled", key: t.key, eventId: id, how: "deleted" });
  }
  if (raw.fullResync) {
    for (const t of tracked) {
      if (!seen.has(t) && overlaps(t, range)) changes.push({ kind: "cancelled", key: t.key, eventId: t.eventId ?? t.href ?? t.key, how: "deleted" });
    }
  }
  return { changes, otherEvents };
}

function eventChanges(t: TrackedEvent, e: CalendarEvent): CalendarChange[] {
  if (e.cancelled) return [{ kind: "cancelled", key: t.key, eventId: e.id, how: "cancelled" }];
  const out: CalendarChange[] = [];
  if (!sameInstant(e.start, t.start) || !sameInstant(e.end, t.end)) {
    out.push({ kind: "moved", key: t.key, eventId: e.id, start: e.start, end: e.end, previous: { start: t.start, end: t.end } });
  }
  const known = new Set((t.declined ?? []).map((a) => a.toLowerCase()));
  for (const a of e.attendees) {
    if (a.response === "declined" && !known.has(a.email.toLowerCase())) out.push({ kind: "declined", key: t.key, eventId: e.id, attendee: a.email });
  }
  return out;
}

/**
 * Reads a calendar's changes since `cursor` through its provider and normalises them against the
 * tracked events. Without a cursor (first read) everything in `range` is read and compared.
 */
export async function readChanges(
  provider: CalendarProvider,
  identity: CalendarIdentity,
  cursor: string | undefined,
  range: TimeRange,
  tracked: readonly TrackedEvent[],
): Promise<ChangeFeed> {
  if (!provider.changes) throw new Error(`the ${provider.kind} provider of connection "${provider.connectionId}" has no change feed`);
  const raw = await provider.changes(identity, cursor, range);
  return { ...normaliseChanges(provider.kind, raw, tracked, range), cursor: raw.cursor, fullResync: raw.fullResync };
}
