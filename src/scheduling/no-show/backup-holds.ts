/**
 * Backup interviewers held and released. A hold is a tentative event in the backup's own calendar
 * (CalDAV STATUS:TENTATIVE, Graph showAs tentative, an opaque Google event titled as a hold), with
 * no attendees and nothing about the candidate, claimed once per panel session and start. It is
 * released (the event deleted) when the interview has passed, or its panel was cancelled, moved
 * or re-planned: `releaseBackupHolds` is run by the calendar watcher on every tick, and by the
 * mitigation step before it holds anyone, so a moved panel's old hold goes before the new one is made.
 */
import { createHash } from "node:crypto";
import { resolveIdentity, type CalendarProvider, type CalendarsConfig } from "../../calendars/index.ts";
import { createBackupHoldStore, type OpenBackupHold, type Queryable } from "../../store/index.ts";
import type { BookingParams } from "../booking/params.ts";
import type { BackupPick } from "./mitigations.ts";

export interface HoldDeps {
  db: Queryable;
  calendars: CalendarsConfig;
  providers: ReadonlyMap<string, CalendarProvider>;
}

export interface HeldBackup {
  sessionId: string;
  start: string;
  leverUserId: string;
  email: string;
  status: "held" | "already held" | "not held";
  reason?: string | undefined;
}

/** The calendar event's idempotency key for a hold (no ":" so it is never read as a panel event's key). */
export function holdEventKey(holdKey: string): string {
  return `fulcrum-hold-${createHash("sha256").update(holdKey).digest("hex").slice(0, 32)}`;
}

/** Holds each picked backup's time in their calendar, once per session and start. */
export async function holdBackups(deps: HoldDeps, booking: BookingParams, picks: BackupPick[]): Promise<HeldBackup[]> {
  const store = createBackupHoldStore(deps.db);
  const out: HeldBackup[] = [];
  for (const pick of picks) {
    const b = pick.backup;
    if (!b) continue;
    const session = booking.sessions.find((s) => s.id === pick.sessionId)!;
    let identity;
    try {
      identity = resolveIdentity({ id: b.leverUserId, email: b.email, name: b.name }, deps.calendars);
    } catch (error) {
      out.push({
        sessionId: pick.sessionId,
        start: pick.start,
        leverUserId: b.leverUserId,
        email: b.email,
        status: "not held",
        reason: (error as Error).message,
      });
      continue;
    }
    if ("emailOnly" in identity) {
      out.push({
        sessionId: pick.sessionId,
        start: pick.start,
        leverUserId: b.leverUserId,
        email: b.email,
        status: "not held",
        reason: `${b.email} has no connected calendar to hold time in`,
      });
      continue;
    }
    const provider = deps.providers.get(identity.connectionId);
    if (!provider) {
      out.push({
        sessionId: pick.sessionId,
        start: pick.start,
        leverUserId: b.leverUserId,
        email: b.email,
        status: "not held",
        reason: `calendar connection "${identity.connectionId}" is not open`,
      });
      continue;
    }
    const hold = {
      panelKey: booking.panelKey,
      sessionId: pick.sessionId,
      start: pick.start,
      end: pick.end,
      leverUserId: b.leverUserId,
      interviewer: identity.email,
      calendarConnection: identity.connectionId,
    };
    const key = `${booking.panelKey}|${pick.sessionId}|${new Date(pick.start).toISOString()}`;
    if (!(await store.claim(hold))) {
      out.push({ sessionId: pick.sessionId, start: pick.start, leverUserId: b.leverUserId, email: identity.email, status: "already held" });
      continue;
    }
    try {
      const event = await provider.createEvent(identity, {
        title: `Hold: backup interviewer for ${session.title}`,
        description:
          "Fulcrum holds this time in case an interviewer is needed at short notice. It is removed once the interview has taken place, or when it is moved or cancelled. Please keep it free if you can.",
        start: pick.start,
        end: pick.end,
        timezone: identity.timezone ?? deps.calendars.defaultTimezone ?? "UTC",
        attendees: [],
        key: holdEventKey(key),
        showAs: "tentative",
      });
      await store.recordEvent(key, { id: event.id, ...(event.href ? { href: event.href } : {}), ...(event.etag ? { etag: event.etag } : {}) });
      out.push({ sessionId: pick.sessionId, start: pick.start, leverUserId: b.leverUserId, email: identity.email, status: "held" });
    } catch (error) {
      // The next run may try again; a hold is a courtesy and never stops the reminders.
      await store.unclaim(key);
      out.push({
        sessionId: pick.sessionId,
        start: pick.start,
        leverUserId: b.leverUserId,
        email: identity.email,
        status: "not held",
        reason: (error as Error).message,
      });
    }
  }
  return out;
}

/** Why an open hold should go now, or undefined to keep it. */
export function releaseReason(h: Pick<OpenBackupHold, "panelState" | "sessionStartNow" | "start" | "end">, now: number): string | undefined {
  if (Date.parse(h.end) <= now) return "the interview has taken place";
  if (h.panelState === null) return "the panel is no longer booked";
  if (h.panelState !== "booked") return `the panel is ${h.panelState}`;
  if (h.sessionStartNow === null) return "the session is no longer on the panel";
  if (Date.parse(h.sessionStartNow) !== Date.parse(h.start)) return `the session moved to ${h.sessionStartNow}`;
  return undefined;
}

/**
 * Deletes the holds whose interview has passed or whose panel was cancelled, moved or is being
 * re-planned (of one panel, or all). A hold whose event cannot be deleted now stays open for the
 * next run. Returns what was released and what could not be.
 */
export async function releaseBackupHolds(
  deps: HoldDeps & { now: number; panelKey?: string | undefined },
): Promise<{ released: { holdKey: string; reason: string }[]; problems: string[] }> {
  const store = createBackupHoldStore(deps.db);
  const released: { holdKey: string; reason: string }[] = [];
  const problems: string[] = [];
  for (const h of await store.open(deps.panelKey)) {
    const reason = releaseReason(h, deps.now);
    if (!reason) continue;
    if (h.event) {
      const provider = deps.providers.get(h.calendarConnection);
      if (!provider) {
        problems.push(`hold ${h.holdKey}: calendar connection "${h.calendarConnection}" is not open`);
        continue;
      }
      try {
        const identity = resolveIdentity({ id: h.leverUserId, email: h.interviewer }, deps.calendars);
        if ("emailOnly" in identity) throw new Error(`${h.interviewer} has no connected calendar`);
        await provider.deleteEvent(identity, h.event);
      } catch (error) {
        problems.push(`hold ${h.holdKey}: ${(error as Error).message}`);
        continue;
      }
    } else if (h.status === "holding" && Date.parse(h.end) > deps.now && reason !== "the interview has taken place") {
      // Being written by another run right now; it is released on the next run.
      continue;
    }
    await store.released(h.holdKey, reason);
    released.push({ holdKey: h.holdKey, reason });
  }
  return { released, problems };
}
