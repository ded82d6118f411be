/**
 * The change watcher: reads the change feed of every calendar that holds a booked panel's events
 * (from the cursor it last kept), and turns each change to one of those events into a panel change
 * — an interviewer declined, an event was cancelled or deleted, an event was moved — with a dedupe
 * key that is the same however often the same change is seen. The engine stores each as an inbox
 * event; the inbox's dedupe makes a change seen twice start one run.
 */
import {
  readChanges,
  resolveIdentity,
  UnknownIdentityError,
  type CalendarChange,
  type CalendarIdentity,
  type CalendarProvider,
  type CalendarsConfig,
  type TrackedEvent,
} from "../../calendars/index.ts";
import { createSchedulingChangeStore, type BookedPanel, type Database } from "../../store/index.ts";
import type { BookingParams } from "../booking/params.ts";

/** The engine event names a calendar change becomes (source `calendar`). */
export const PANEL_CHANGE_EVENTS = {
  declined: "interviewer.declined",
  cancelled: "event.cancelled",
  moved: "event.moved",
  reschedule: "candidate.reschedule",
} as const;
export type PanelChangeEvent = (typeof PANEL_CHANGE_EVENTS)[keyof typeof PANEL_CHANGE_EVENTS];

/** One change to a booked panel, ready to be stored as an inbox event. */
export interface PanelChange {
  /** The Lever connection of the booking (the run's connection). */
  connectionId: string;
  event: PanelChangeEvent;
  /** The same change always gives the same key. */
  dedupeKey: string;
  data: {
    opportunityId: string;
    panelKey: string;
    /** The booking's revision the change was seen against. */
    revision: number;
    kind: "declined" | "cancelled" | "moved" | "reschedule";
    /** The sessions of the changed event. */
    sessionIds: string[];
    attendee?: string | undefined;
    how?: string | undefined;
    start?: string | undefined;
    end?: string | undefined;
    /** The first session's start as booked: how near the interview is. */
    firstStart: string;
    reason?: string | undefined;
  };
}

export interface WatchDeps {
  db: Database;
  calendars: CalendarsConfig;
  providers: ReadonlyMap<string, CalendarProvider>;
  now?: (() => number) | undefined;
  /**
   * Only the calendars on this calendar connection (a push notification from it); all when absent.
   * Not `connectionId`: that names a Lever connection elsewhere (booking deps), and a caller passing
   * those deps along would filter every calendar out.
   */
  calendarConnectionId?: string | undefined;
}

export interface WatchResult {
  changes: PanelChange[];
  /** Calendars whose feed could not be read, each with why (the others are still read). */
  problems: string[];
  calendarsRead: number;
}

const DAY = 86_400_000;

/** The change key is the panel, its revision and what changed, so a re-booking starts afresh. */
export function panelChange(
  panel: BookedPanel,
  change: Omit<PanelChange["data"], "opportunityId" | "panelKey" | "revision" | "firstStart">,
  detail: string,
): PanelChange {
  const params = panel.params as unknown as BookingParams;
  const first = params.sessions.map((s) => s.start).sort()[0]!;
  return {
    connectionId: panel.connectionId,
    event: PANEL_CHANGE_EVENTS[change.kind],
    dedupeKey: `${panel.panelKey}@${panel.revision}:${change.kind}:${detail}`,
    data: { opportunityId: panel.opportunityId, panelKey: panel.panelKey, revision: panel.revision, firstStart: first, ...change },
  };
}

type Tracked = TrackedEvent & { panel: BookedPanel; sessions: string[] };

/** The calendars that hold booked panels' events (their organisers'), keyed by connection and address. */
export interface WatchedCalendars {
  calendars: Map<string, { identity: CalendarIdentity; tracked: Tracked[] }>;
  problems: string[];
}

/**
 * Groups the events of booked panels by the calendar that holds them (the organiser's), only on
 * `connectionId` when given. The watcher reads these calendars; the push channels are opened on them.
 */
export function watchedCalendars(panels: readonly BookedPanel[], config: CalendarsConfig, connectionId?: string): WatchedCalendars {
  const calendars: WatchedCalendars["calendars"] = new Map();
  const problems: string[] = [];
  for (const panel of panels) {
    const params = panel.params as unknown as BookingParams;
    for (const [key, e] of Object.entries(panel.events)) {
      const sessions = (e.sessions as string[] | undefined) ?? [];
      const inEvent = params.sessions.filter((s) => sessions.includes(s.id));
      if (inEvent.length === 0) continue;
      const organizer = String(e.organizer ?? "").toLowerCase();
      const who = inEvent.flatMap((s) => s.interviewers).find((i) => i.email.toLowerCase() === organizer);
      let identity: CalendarIdentity;
      try {
        const id = resolveIdentity({ id: who?.leverUserId ?? organizer, email: organizer, name: who?.name }, config);
        if ("emailOnly" in id) continue;
        identity = id;
      } catch (error) {
        if (!(error instanceof UnknownIdentityError)) throw error;
        problems.push(`panel ${panel.panelKey}: ${error.message}`);
        continue;
      }
      if (connectionId !== undefined && identity.connectionId !== connectionId) continue;
      const calendarKey = `${identity.connectionId}\n${identity.calendarUrl ?? identity.email}`;
      let entry = calendars.get(calendarKey);
      if (!entry) calendars.set(calendarKey, (entry = { identity, tracked: [] }));
      entry.tracked.push({
        key: String(e.key ?? key),
        eventId: e.id === undefined ? undefined : String(e.id),
        href: e.href === undefined ? undefined : String(e.href),
        start: inEvent[0]!.start,
        end: inEvent.at(-1)!.end,
        declined: (e.declined as string[] | undefined) ?? [],
        panel,
        sessions,
      });
    }
  }
  return { calendars, problems };
}

/** Booked panels worth watching: with a seat that ends after a day ago. All of them, read a page at a time. */
export async function watchedPanels(db: Database, now: number, pageSize = 500): Promise<BookedPanel[]> {
  const store = createSchedulingChangeStore(db);
  const all: BookedPanel[] = [];
  for (;;) {
    const page = await store.upcoming(new Date(now - DAY), pageSize, all.at(-1)?.panelKey ?? "");
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}

/** Reads every watched calendar's changes once. */
export async function watchBookedPanels(deps: WatchDeps): Promise<WatchResult> {
  const now = deps.now?.() ?? Date.now();
  const store = createSchedulingChangeStore(deps.db);
  const { calendars, problems } = watchedCalendars(await watchedPanels(deps.db, now), deps.calendars, deps.calendarConnectionId);

  const changes: PanelChange[] = [];
  let calendarsRead = 0;
  for (const [calendarKey, { identity, tracked }] of calendars) {
    const provider = deps.providers.get(identity.connectionId);
    if (!provider?.changes) {
      problems.push(`calendar ${identity.email}: connection "${identity.connectionId}" ${provider ? "has no change feed" : "is not open"}`);
      continue;
    }
    const ends = tracked.map((t) => Date.parse(t.end));
    const range = { start: new Date(now - DAY).toISOString(), end: new Date(Math.max(...ends) + DAY).toISOString() };
    const calendar = calendarKey.split("\n")[1]!;
    let feed;
    try {
      feed = await readChanges(provider, identity, await store.cursor(identity.connectionId, calendar), range, tracked);
    } catch (error) {
      problems.push(`calendar ${identity.email}: ${(error as Error).message}`);
      continue;
    }
    calendarsRead++;
    for (const c of feed.changes) {
      const t = tracked.find((x) => x.key === c.key);
      if (!t) continue;
      changes.push(toPanelChange(t.panel, t.sessions, c));
      if (c.kind === "declined") await store.recordDecline(t.panel.panelKey, eventKeyOf(t.panel, c.key), c.attendee);
    }
    await store.saveCursor(identity.connectionId, calendar, feed.cursor);
  }
  return { changes, problems, calendarsRead };
}

/** The key under which a booking records the event whose idempotency key is `key`. */
function eventKeyOf(panel: BookedPanel, key: string): string {
  for (const [k, e] of Object.entries(panel.events)) if (String(e.key ?? k) === key) return k;
  return key;
}

function toPanelChange(panel: BookedPanel, sessionIds: string[], c: CalendarChange): PanelChange {
  switch (c.kind) {
    case "declined":
      return panelChange(panel, { kind: "declined", sessionIds, attendee: c.attendee.toLowerCase() }, `${c.key}:${c.attendee.toLowerCase()}`);
    case "cancelled":
      return panelChange(panel, { kind: "cancelled", sessionIds, how: c.how }, c.key);
    case "moved":
      return panelChange(panel, { kind: "moved", sessionIds, start: c.start, end: c.end }, `${c.key}:${Date.parse(c.start)}`);
  }
}
