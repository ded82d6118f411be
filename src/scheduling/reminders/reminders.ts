/**
 * Interview reminders, pure: which reminder is due for a booked panel (the configured offsets
 * before its start, 24 h and 1 h by default) and the text of the candidate's and the interviewers'
 * reminders, with the time written for people in the candidate's own zone.
 */
import { DateTime } from "luxon";
import type { BookingParams } from "../booking/params.ts";
import { localeOf, timeRange, whenText, zoneName } from "../people-dates.ts";
import type { LinkLanguage } from "../self-schedule/link-request.ts";
import { interviewerReminderWords, reminderWords } from "./reminder-words.ts";

export const DEFAULT_REMINDER_OFFSETS = ["24h", "1h"] as const;

/** A reminder offset that cannot be read; `value` is what was given. */
export class ReminderOffsetError extends Error {
  override readonly name = "ReminderOffsetError";
  readonly retryable = false;
}

/**
 * Offsets before the start, in minutes, largest first, from `"24h, 1h"`, `["2d", "30m"]` and the like.
 * @throws {ReminderOffsetError} naming the offset that is not a number of minutes (m), hours (h) or days (d).
 * @example
 * parseReminderOffsets("24h, 1h") // [1440, 60]
 */
export function parseReminderOffsets(input: unknown): number[] {
  const items = Array.isArray(input) ? input.map(String) : String(input ?? "").split(",");
  const out = new Set<number>();
  for (const raw of items.map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{1,4})\s*(m|h|d)$/.exec(raw);
    if (!m) throw new ReminderOffsetError(`reminder offset "${raw.slice(0, 40)}" is not a duration such as 24h, 90m or 2d`);
    const minutes = Number(m[1]) * (m[2] === "d" ? 1440 : m[2] === "h" ? 60 : 1);
    if (minutes < 5 || minutes > 14 * 1440) throw new ReminderOffsetError(`reminder offset "${raw}" must be between 5 minutes and 14 days`);
    out.add(minutes);
  }
  if (out.size === 0) throw new ReminderOffsetError("no reminder offset is set: give at least one, e.g. 24h, 1h");
  return [...out].sort((a, b) => b - a);
}

/** When a panel starts: its earliest session. */
export function panelStart(b: Pick<BookingParams, "sessions">): string {
  return b.sessions.reduce((m, s) => (Date.parse(s.start) < Date.parse(m) ? s.start : m), b.sessions[0]!.start);
}

/**
 * The reminder due at `now` for a panel starting at `start`: the smallest offset whose moment has
 * come (a timer may fire a little early or late: `slackMinutes`), none once the panel has started.
 * Only the nearest one is sent, so a panel booked two hours ahead gets its 1 h reminder, not a late 24 h one too.
 */
export function dueReminder(start: string, offsets: readonly number[], now: number, slackMinutes = 5): number | undefined {
  const at = Date.parse(start);
  if (!(now < at)) return undefined;
  const due = offsets.filter((o) => at - o * 60_000 <= now + slackMinutes * 60_000);
  return due.length ? Math.min(...due) : undefined;
}

/** "Lisbon time" for Europe/Lisbon; the zone's id when it names no city. */
export function zoneLabel(zone: string): string {
  const city = zone.split("/").at(-1)!.replace(/_/g, " ");
  return zone.includes("/") ? `${city} time` : zone;
}

/**
 * "Tuesday 12 January, 14:30–15:15 (Portugal time)": a panel's span in one zone, in the candidate's
 * language (the booking page's words: people-dates.ts).
 */
export function peopleTime(start: string, end: string, zone: string, language: LinkLanguage = "en"): string {
  return whenText(start, end, zone, language);
}

/**
 * How far off the interview is, in words, from the time actually left when the reminder is sent
 * (not from the offset that armed it: a timer fires late, a panel is moved after its timers were
 * set). Hours and minutes under six hours, rounded to five minutes past twenty; beyond that the
 * day as the person lives it in `zone` ("today", "tomorrow", "on Friday"), in `language`.
 * @example
 * timeLeftWords("2027-01-12T14:30:00Z", Date.parse("2027-01-12T13:31:00Z"), "Europe/Lisbon") // "in one hour"
 */
export function timeLeftWords(start: string, now: number, zone: string, language: LinkLanguage = "en"): string {
  const w = reminderWords(language).left;
  const minutes = Math.round((Date.parse(start) - now) / 60_000);
  if (minutes <= 1) return w.now;
  if (minutes < 20) return w.minutes(minutes);
  const rounded = Math.round(minutes / 5) * 5;
  if (rounded < 60) return w.minutes(rounded);
  if (rounded < 6 * 60) return w.hours(Math.floor(rounded / 60), rounded % 60);
  const s = DateTime.fromISO(start, { zone });
  const days = Math.round(s.startOf("day").diff(DateTime.fromMillis(now, { zone }).startOf("day"), "days").days);
  if (days <= 0) return w.today;
  if (days === 1) return w.tomorrow;
  if (days < 7) return w.on(new Intl.DateTimeFormat(localeOf(language), { timeZone: zone, weekday: "long" }).format(new Date(start)), s.weekday);
  return w.days(days);
}

function panelEnd(b: Pick<BookingParams, "sessions">): string {
  return b.sessions.reduce((m, s) => (Date.parse(s.end) > Date.parse(m) ? s.end : m), b.sessions[0]!.end);
}

export interface ReminderText {
  subject: string;
  text: string;
}

/**
 * The candidate's reminder: when (their zone), how to join, how to reschedule, in `language` (the
 * posting's, as their booking link keeps it; English by default). Only the candidate's first name
 * is used, and nothing about the interviewers' calendars.
 */
export function candidateReminder(
  b: BookingParams,
  o: {
    now: number;
    language?: LinkLanguage | undefined;
    joinUrl?: string | undefined;
    rescheduleUrl?: string | undefined;
    /** Without a reschedule link: point at the one in the booking confirmation. */
    confirmationHint?: boolean | undefined;
    /** Without a reschedule link: this text instead (overrides `confirmationHint`). */
    rescheduleHint?: string | undefined;
    /** The booking page's one-click "I'll be there". */
    confirmUrl?: string | undefined;
  },
): ReminderText {
  const language = o.language ?? "en";
  const w = reminderWords(language);
  const zone = b.candidate.timezone;
  const first = b.candidate.name.trim().split(/\s+/)[0] ?? "";
  const when = peopleTime(panelStart(b), panelEnd(b), zone, language);
  const left = timeLeftWords(panelStart(b), o.now, zone, language);
  const lines = [w.hello(first), "", w.reminder(left, when)];
  if (b.sessions.length > 1) lines.push("", ...b.sessions.map((s) => `${timeRange(s.start, s.end, zone, language)} ${s.title}`));
  if (b.format === "onsite") lines.push("", w.onsite);
  else if (o.joinUrl) lines.push("", w.join(o.joinUrl));
  if (o.confirmUrl) lines.push("", w.confirm(o.confirmUrl));
  if (o.rescheduleUrl) lines.push("", w.reschedule(o.rescheduleUrl));
  else if (o.rescheduleHint) lines.push("", o.rescheduleHint);
  else if (o.confirmationHint) lines.push("", w.hint);
  return { subject: w.subject(left, when), text: lines.join("\n") };
}

/** An interviewer to remind, and the zone their times are written in (where it came from). */
export interface ReminderRecipient {
  email: string;
  timezone: string;
  /** `calendar`: their calendar identity's own zone; `organisation`: the configured default, none being known for them; `utc`: neither is set. */
  zoneSource: "calendar" | "organisation" | "utc";
}

/**
 * The reminder to interviewers who have not accepted the invite yet, with the times in each
 * recipient's own zone. Recipients in several zones get each zone's times, labelled; a zone that is
 * the organisation's default (or UTC) rather than the person's own is said to be so. Worded in
 * `language`, the organisation's (English by default), never the candidate's: see reminder-words.ts.
 */
export function interviewerReminder(
  b: BookingParams,
  o: { now: number; recipients: readonly ReminderRecipient[]; joinUrl?: string | undefined; language?: LinkLanguage | undefined },
): ReminderText {
  const language = o.language ?? "en";
  const w = interviewerReminderWords(language);
  const zones = [...new Map(o.recipients.map((r) => [r.timezone, r])).keys()];
  if (zones.length === 0) zones.push("UTC");
  const start = panelStart(b);
  const first = zones[0]!;
  const left = timeLeftWords(start, o.now, first, language);
  // English keeps the zone's city and luxon's day ("Berlin time", "Tue 9 Feb"); other languages name
  // the zone and the day as the candidate's reminder and the booking page do.
  const label = (zone: string) => (language === "en" ? zoneLabel(zone) : zoneName(zone, language, new Date(start)));
  const day = (zone: string) =>
    language === "en"
      ? DateTime.fromISO(start, { zone }).toFormat("ccc d LLL")
      : new Intl.DateTimeFormat(localeOf(language), { timeZone: zone, weekday: "short", day: "numeric", month: "short" }).format(new Date(start));
  const span = (zone: string, s: string, e: string) => `${DateTime.fromISO(s, { zone }).toFormat("HH:mm")}–${DateTime.fromISO(e, { zone }).toFormat("HH:mm")}`;
  const when = (zone: string) => `${day(zone)}, ${span(zone, start, panelEnd(b))} (${label(zone)})`;
  const lines = [w.notAccepted(left, zones.map(when).join("; ")), w.ask];
  for (const zone of zones) {
    const who = o.recipients.filter((r) => r.timezone === zone);
    lines.push("", zones.length > 1 ? `${label(zone)} (${who.map((r) => r.email).join(", ")}):` : `${label(zone)}:`);
    lines.push(...b.sessions.map((s) => `${span(zone, s.start, s.end)} ${s.title}`));
    const fallback = who.filter((r) => r.zoneSource !== "calendar");
    const names = fallback.map((r) => r.email).join(", ");
    if (fallback.length > 0) lines.push(fallback[0]!.zoneSource === "utc" ? w.utc(names) : w.organisationZone(label(zone), names));
  }
  if (b.format !== "onsite" && o.joinUrl) lines.push("", w.video(o.joinUrl));
  return { subject: w.subject(when(first)), text: lines.join("\n") };
}
