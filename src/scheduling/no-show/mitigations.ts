/**
 * What to do about a no-show risk, pure: which mitigations apply at the risk's level (an extra
 * reminder to the candidate, a backup interviewer held from the session's pool, an alert to the
 * recruiter), and who the backup is — the first person in the session's pool who is not on the
 * panel and is free for the whole session (working hours, buffers, busy and tentative time) and
 * under the panel's load caps, fewest interviews that week first, as filling a declined seat does.
 */
import { DateTime } from "luxon";
import type { InterviewerAvailability } from "../../calendars/index.ts";
import type { BookingParams, BookingSession } from "../booking/params.ts";
import { isFree, loadOn, patternOf } from "../changes/replan.ts";
import type { PanelPlan, PanelUser } from "../proposal/panel-plan.ts";
import type { NoShowRisk } from "./risk.ts";

export const MITIGATIONS = ["extraReminder", "backup", "alert"] as const;
export type Mitigation = (typeof MITIGATIONS)[number];

const LEVELS = { low: 0, medium: 1, high: 2 } as const;

export interface MitigationChoice {
  /** The mitigations that apply, in the order given. */
  apply: Mitigation[];
  /** One line per mitigation: why it applies or not. */
  reasons: string[];
}

/** A mitigations setting that cannot be read; the message names the value. */
export class MitigationSettingError extends Error {
  override readonly name = "MitigationSettingError";
  readonly retryable = false;
}

/**
 * Reads `"extraReminder, backup"` (or a list) into mitigations.
 * @throws {MitigationSettingError} naming an unknown mitigation.
 * @example
 * parseMitigations("extraReminder, backup") // ["extraReminder", "backup"]
 */
export function parseMitigations(input: unknown): Mitigation[] {
  const items = (Array.isArray(input) ? input.map(String) : String(input ?? "").split(",")).map((s) => s.trim()).filter(Boolean);
  const out: Mitigation[] = [];
  for (const item of items) {
    if (!(MITIGATIONS as readonly string[]).includes(item))
      throw new MitigationSettingError(`mitigation "${item.slice(0, 40)}" is not one of ${MITIGATIONS.join(", ")}`);
    if (!out.includes(item as Mitigation)) out.push(item as Mitigation);
  }
  return out;
}

/** Reads the level from which mitigations apply (`high` by default). */
export function parseRiskLevel(input: unknown): NoShowRisk["level"] {
  const v = input === undefined || input === "" ? "high" : String(input).trim();
  if (v in LEVELS) return v as NoShowRisk["level"];
  throw new MitigationSettingError(`risk level "${v.slice(0, 40)}" is not low, medium or high`);
}

/**
 * The mitigations to apply for a risk: every one asked for when the level reaches `from`, none below.
 * @example
 * chooseMitigations({ level: "high", score: 4, reasons: [] }, ["extraReminder", "backup"], "high").apply // ["extraReminder", "backup"]
 */
export function chooseMitigations(risk: Pick<NoShowRisk, "level">, wanted: readonly Mitigation[], from: NoShowRisk["level"]): MitigationChoice {
  if (LEVELS[risk.level] < LEVELS[from]) {
    return { apply: [], reasons: [`the no-show risk is ${risk.level}, below ${from}: no mitigation`] };
  }
  return { apply: [...wanted], reasons: wanted.map((m) => `the no-show risk is ${risk.level} (mitigations from ${from}): ${WHAT[m]}`) };
}

const WHAT: Record<Mitigation, string> = {
  extraReminder: "an extra reminder to the candidate",
  backup: "a backup interviewer held from the pool",
  alert: "an alert to the recruiter",
};

type Readable = Extract<InterviewerAvailability, { ok: true }>;

export interface BackupPick {
  sessionId: string;
  start: string;
  end: string;
  /** The backup, when someone fits. */
  backup?: { leverUserId: string; email: string; name?: string | undefined } | undefined;
  /** Who was passed over and why, or why nobody fits. */
  reasons: string[];
}

/** A backup for each session of the panel, from that session's pool. */
export function pickBackups(input: {
  booking: BookingParams;
  plan: PanelPlan;
  users: PanelUser[];
  availability: InterviewerAvailability[];
  interviewPattern: string;
}): BackupPick[] {
  const { booking, plan } = input;
  const users = new Map(input.users.map((u) => [u.id, u]));
  const readable = new Map<string, Readable>();
  for (const a of input.availability) if (a.ok) readable.set(a.leverUserId, a);
  const name = (id: string) => users.get(id)?.name ?? id;
  const pattern = patternOf(input.interviewPattern);
  const onPanel = new Set(booking.sessions.flatMap((s) => s.interviewers.map((i) => i.leverUserId)));
  const taken = new Set<string>();
  return booking.sessions.map((s: BookingSession): BackupPick => {
    const pool = (plan.sessions.find((p) => p.id === s.id)?.pool ?? []).filter((id) => !onPanel.has(id) && !taken.has(id));
    const passed: string[] = [];
    const free: { id: string; week: number }[] = [];
    for (const id of pool) {
      const a = readable.get(id);
      if (!a) {
        passed.push(`${name(id)}: calendar not read`);
        continue;
      }
      if (!isFree(a, s.start, s.end)) {
        const inWork = a.working.some((w) => Date.parse(w.start) <= Date.parse(s.start) && Date.parse(w.end) >= Date.parse(s.end));
        passed.push(`${name(id)}: ${inWork ? `busy, or within the ${plan.bufferMinutes}-minute buffer` : "outside working hours"}`);
        continue;
      }
      const load = loadOn(a, s.start, pattern);
      if (plan.loadCaps.perDay !== undefined && load.day >= plan.loadCaps.perDay) {
        passed.push(`${name(id)}: ${load.day} interviews already that day (cap ${plan.loadCaps.perDay})`);
        continue;
      }
      if (plan.loadCaps.perWeek !== undefined && load.week >= plan.loadCaps.perWeek) {
        passed.push(`${name(id)}: ${load.week} interviews already that week (cap ${plan.loadCaps.perWeek})`);
        continue;
      }
      free.push({ id, week: load.week });
    }
    free.sort((a, b) => a.week - b.week);
    const pick = free[0];
    const when = `${DateTime.fromISO(s.start, { zone: "UTC" }).toFormat("ccc d LLL HH:mm")} UTC`;
    if (!pick) {
      return {
        sessionId: s.id,
        start: s.start,
        end: s.end,
        reasons: [
          `nobody in the pool of ${s.title} is free for the whole session at ${when}${passed.length ? `: ${passed.join("; ")}` : " (the pool has no one beside the panel)"}`,
        ],
      };
    }
    taken.add(pick.id);
    const email = (users.get(pick.id)?.email ?? readable.get(pick.id)!.interviewer.email).toLowerCase();
    const n = users.get(pick.id)?.name ?? undefined;
    return {
      sessionId: s.id,
      start: s.start,
      end: s.end,
      backup: { leverUserId: pick.id, email, ...(n ? { name: n } : {}) },
      reasons: [`${name(pick.id)} is held as the backup for ${s.title} at ${when}`, ...passed],
    };
  });
}
