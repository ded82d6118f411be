/**
 * Interview reminders, pure: which reminder is due for a booked panel (the configured offsets
 * before its start, 24 h and 1 h by default) and the text of the candidate's and the interviewers'
 * reminders, with the time written for people in the candidate's own zone.
 */
import { DateTime } from "luxon";
import type { BookingParams } from "../booking/params.ts";

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

/** "Tuesday 12 January, 14:30–15:15 (Lisbon time)": a panel's span in one zone. */
export function peopleTime(start: string, end: string, zone: string): string {
  const s = DateTime.fromISO(start, { zone });
  const e = DateTime.fromISO(end, { zone });
  const sameDay = s.hasSame(e, "day");
  return `${s.toFormat("cccc d LLLL, HH:mm")}–${sameDay ? e.toFormat("HH:mm") : e.toFormat("cccc d LLLL, HH:mm")} (${zoneLabel(zone)})`;
}

function inWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "tomorrow" : `in ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "in one hour" : `in ${minutes / 60} hours`;
  return `in ${minutes} minutes`;
}

export interface ReminderText {
  subject: string;
  text: string;
}

/**
 * The candidate's reminder: when (their zone), how to join, how to reschedule. Only the candidate's
 * first name is used, and nothing about the interviewers' calendars.
 */
export function candidateReminder(
  b: BookingParams,
  o: { offsetMinutes: number; joinUrl?: string | undefined; rescheduleUrl?: string | undefined; rescheduleHint?: string | undefined },
): ReminderText {
  const first = b.candidate.name.trim().split(/\s+/)[0] ?? "";
  const end = b.sessions.reduce((m, s) => (Date.parse(s.end) > Date.parse(m) ? s.end : m), b.sessions[0]!.end);
  const when = peopleTime(panelStart(b), end, b.candidate.timezone);
  const lines = [`Hello ${first},`, "", `A reminder that your interview is ${inWords(o.offsetMinutes)}: ${when}.`];
  if (b.sessions.length > 1) {
    lines.push(
      "",
      ...b.sessions.map(
        (s) =>
          `${DateTime.fromISO(s.start, { zone: b.candidate.timezone }).toFormat("HH:mm")}–${DateTime.fromISO(s.end, { zone: b.candidate.timezone }).toFormat("HH:mm")} ${s.title}`,
      ),
    );
  }
  if (b.format === "onsite") lines.push("", "The interview is on site.");
  else if (o.joinUrl) lines.push("", `Join by video: ${o.joinUrl}`);
  if (o.rescheduleUrl) lines.push("", `Need another time? Reschedule or cancel here: ${o.rescheduleUrl}`);
  else if (o.rescheduleHint) lines.push("", o.rescheduleHint);
  return { subject: `Reminder: your interview ${inWords(o.offsetMinutes)}, ${when}`, text: lines.join("\n") };
}

/** The reminder to interviewers who have not accepted the invite yet. */
export function interviewerReminder(b: BookingParams, o: { offsetMinutes: number; joinUrl?: string | undefined }): ReminderText {
  const end = b.sessions.reduce((m, s) => (Date.parse(s.end) > Date.parse(m) ? s.end : m), b.sessions[0]!.end);
  const when = `${DateTime.fromISO(panelStart(b), { zone: "UTC" }).toFormat("ccc d LLL, HH:mm")}–${DateTime.fromISO(end, { zone: "UTC" }).toFormat("HH:mm")} UTC`;
  const lines = [
    `You have not accepted the calendar invite for an interview panel ${inWords(o.offsetMinutes)} (${when}).`,
    "Please accept it, or decline it so the coordinator can find someone else in time.",
    "",
    ...b.sessions.map(
      (s) => `${DateTime.fromISO(s.start, { zone: "UTC" }).toFormat("HH:mm")}–${DateTime.fromISO(s.end, { zone: "UTC" }).toFormat("HH:mm")} UTC ${s.title}`,
    ),
  ];
  if (b.format !== "onsite" && o.joinUrl) lines.push("", `Video: ${o.joinUrl}`);
  return { subject: `Please answer the interview invite: ${when}`, text: lines.join("\n") };
}
