/**
 * No-show risk of a booked interview, explained: low / medium / high from signals a person can be
 * shown and can check — the candidate's answer to the invite, the local hour and the time-zone gap,
 * how long before the interview it was booked, earlier reschedules, the candidate's replies and
 * whether they answered the reminder. No protected characteristic and nothing that stands in for
 * one (name, age, address, e-mail) is an input: the signals are built from the booking's times and
 * zones only (see `noShowSignals`), and a property test holds the level still when only those change.
 */
import { DateTime } from "luxon";
import type { BookingParams } from "../booking/params.ts";
import { panelStart } from "../reminders/reminders.ts";

export type InviteAnswer = "accepted" | "tentative" | "declined" | "needsAction" | "unknown";

export interface NoShowSignals {
  /** The panel's first session, an ISO instant. */
  start: string;
  /** The candidate's IANA zone. */
  candidateZone: string;
  /** The interviewers' zones (the organisers' calendars), to measure the gap. */
  interviewerZones: readonly string[];
  /** When the panel was booked. */
  bookedAt: string;
  /** How often it was moved before (re-bookings and the candidate's own reschedules). */
  reschedules: number;
  /** The candidate's answer to the invite, `unknown` when no calendar told us. */
  invite: InviteAnswer;
  /** Messages from the candidate since booking, when known. */
  candidateReplies?: number | undefined;
  /** A reminder went out; whether the candidate answered it, when known. */
  reminder?: { sentAt: string; answered?: boolean | undefined } | undefined;
  /**
   * When the candidate pressed "I'll be there" for this start (booking page, reached from each
   * reminder): counts as the invite accepted and the reminder answered.
   */
  confirmedAt?: string | undefined;
  /** When the risk is computed. */
  now: string;
}

export interface NoShowRisk {
  level: "low" | "medium" | "high";
  /** Points behind the level (each reason adds or takes its weight). */
  score: number;
  /** Why, one line per signal that counted, for the person reading it. */
  reasons: string[];
}

/** Local hours before this or from this on count as early or late. */
const EARLY_HOUR = 8;
const LATE_HOUR = 19;
/** Time-zone gaps from this many hours count as large. */
const LARGE_GAP_HOURS = 6;
/** Booked this many days or more before the interview counts as long ago. */
const LONG_AGO_DAYS = 14;

/** "2026-03-23 14:00 UTC". */
function utc(at: string): string {
  return `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function offsetHours(zone: string, at: string): number {
  return DateTime.fromISO(at, { zone }).offset / 60;
}

/**
 * The risk level and its reasons. Pure: the same signals always give the same answer.
 * @example
 * noShowRisk({ start: "2026-03-24T05:00:00Z", candidateZone: "America/New_York", interviewerZones: ["Europe/Berlin"], bookedAt: "2026-03-01T00:00:00Z", reschedules: 2, invite: "needsAction", now: "2026-03-23T05:00:00Z" }).level // "high"
 */
export function noShowRisk(s: NoShowSignals): NoShowRisk {
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(reason);
  };

  const confirmed = s.confirmedAt !== undefined && Date.parse(s.confirmedAt) <= Date.parse(s.now);
  if (confirmed) add(-1, `the candidate confirmed they will be there (${utc(s.confirmedAt!)})`);
  else if (s.invite === "declined") add(3, "the candidate declined the invite");
  else if (s.invite === "needsAction") add(1, "the candidate has not accepted the invite");
  else if (s.invite === "tentative") add(1, "the candidate accepted the invite only tentatively");
  else if (s.invite === "accepted") add(-1, "the candidate accepted the invite");

  const local = DateTime.fromISO(s.start, { zone: s.candidateZone });
  if (local.hour < EARLY_HOUR || local.hour >= LATE_HOUR)
    add(
      1,
      `it starts at ${local.toFormat("HH:mm")} the candidate's time (${s.candidateZone}), outside ${String(EARLY_HOUR).padStart(2, "0")}:00–${LATE_HOUR}:00`,
    );
  const candidateOffset = offsetHours(s.candidateZone, s.start);
  const gap = Math.max(0, ...s.interviewerZones.map((z) => Math.abs(offsetHours(z, s.start) - candidateOffset)));
  if (gap >= LARGE_GAP_HOURS) add(1, `the candidate's zone is ${gap} hours from the interviewers'`);

  const lead = (Date.parse(s.start) - Date.parse(s.bookedAt)) / 86_400_000;
  if (lead >= LONG_AGO_DAYS) add(1, `it was booked ${Math.floor(lead)} days before the interview`);

  if (s.reschedules >= 2) add(2, `it was rescheduled ${s.reschedules} times`);
  else if (s.reschedules === 1) add(1, "it was rescheduled once");

  if (s.candidateReplies !== undefined) {
    if (s.candidateReplies > 0) add(-1, `the candidate replied since booking (${s.candidateReplies} message${s.candidateReplies === 1 ? "" : "s"})`);
  }
  // A confirmation answers the reminder: it is what the reminder asks for.
  if (s.reminder && !confirmed && s.reminder.answered === false && Date.parse(s.now) - Date.parse(s.reminder.sentAt) >= 6 * 3_600_000) {
    add(1, `no answer to the reminder sent at ${utc(s.reminder.sentAt)}`);
  }

  const level = score >= 4 ? "high" : score >= 2 ? "medium" : "low";
  if (reasons.length === 0) reasons.push("no signal of a missed interview");
  return { level, score, reasons };
}

/**
 * The signals of a booked panel, from its times and zones only: the candidate's name and e-mail
 * (and anything else about them) are not read.
 */
export function noShowSignals(
  b: Pick<BookingParams, "sessions"> & { candidate: Pick<BookingParams["candidate"], "timezone"> },
  facts: {
    interviewerZones: readonly string[];
    bookedAt: string;
    reschedules: number;
    invite?: InviteAnswer | undefined;
    candidateReplies?: number | undefined;
    reminder?: NoShowSignals["reminder"];
    confirmedAt?: string | undefined;
    now: string;
  },
): NoShowSignals {
  return {
    start: panelStart(b),
    candidateZone: b.candidate.timezone,
    interviewerZones: facts.interviewerZones,
    bookedAt: facts.bookedAt,
    reschedules: facts.reschedules,
    invite: facts.invite ?? "unknown",
    candidateReplies: facts.candidateReplies,
    reminder: facts.reminder,
    confirmedAt: facts.confirmedAt,
    now: facts.now,
  };
}
