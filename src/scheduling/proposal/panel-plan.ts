/**
 * Which panel a candidate entering a stage gets: the first `scheduling.panels` template whose
 * posting and stage match (by id or name, case-insensitive), its pools resolved to Lever users; or,
 * without a template, one session with the posting's hiring manager and followers. Opted-out
 * interviewers are taken out of every pool, saying so.
 */
import type { PanelTemplate, SchedulingConfig } from "../../config/index.ts";

/** The Lever user fields used. */
export interface PanelUser {
  id: string;
  name?: string | null | undefined;
  email?: string | null | undefined;
  deactivatedAt?: number | null | undefined;
}

export interface PanelPosting {
  id: string;
  text?: string | null | undefined;
  hiringManager?: string | null | undefined;
  followers?: string[] | null | undefined;
}

export interface PlannedSession {
  id: string;
  title: string;
  minutes: number;
  need: number;
  /** Lever user ids. */
  pool: string[];
  feedbackTemplateId?: string | undefined;
}

export interface PanelPlan {
  source: "template" | "hiring team";
  /** Where the template is in the configuration, e.g. `scheduling.panels[2]`. */
  templatePath?: string | undefined;
  sessions: PlannedSession[];
  maxGapMinutes: number;
  bufferMinutes: number;
  windowBusinessDays: number;
  granularityMinutes: number;
  loadCaps: { perDay?: number | undefined; perWeek?: number | undefined };
  shadow?: { pool: string[]; sessions: "first" | "all" } | undefined;
  /** Sentences for the proposal: who was left out and why. */
  notes: string[];
  /** Problems that stop the panel (an unknown user in a pool, no hiring manager): the proposal is routed to a person. */
  problems: string[];
}

/** Defaults when neither the template nor `scheduling.defaults` sets a value. */
export const PANEL_DEFAULTS = { maxGapMinutes: 30, bufferMinutes: 10, windowBusinessDays: 5, granularityMinutes: 15, defaultSessionMinutes: 45 } as const;

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The first template for this posting and stage, with its index. */
export function findPanelTemplate(
  config: SchedulingConfig,
  posting: PanelPosting | undefined,
  stage: { id: string; text?: string | undefined },
): { template: PanelTemplate; index: number } | undefined {
  for (const [index, template] of config.panels.entries()) {
    const stageOk = template.stage.some((s) => same(s, stage.id) || (stage.text !== undefined && same(s, stage.text)));
    if (!stageOk) continue;
    const postingOk =
      !template.posting || (posting !== undefined && template.posting.some((p) => same(p, posting.id) || (!!posting.text && same(p, posting.text))));
    if (postingOk) return { template, index };
  }
  return undefined;
}

/** Resolves the panel for a posting and stage against the account's users. */
export function planPanel(
  config: SchedulingConfig,
  posting: PanelPosting | undefined,
  stage: { id: string; text?: string | undefined },
  users: PanelUser[],
): PanelPlan {
  const found = findPanelTemplate(config, posting, stage);
  const template = found?.template;
  const d = config.defaults;
  const notes: string[] = [];
  const problems: string[] = [];
  const byId = new Map(users.map((u) => [u.id, u]));
  const byEmail = new Map(users.filter((u) => u.email).map((u) => [u.email!.toLowerCase(), u]));
  const where = found ? `scheduling.panels[${found.index}]` : "scheduling.defaults";
  const label = (u: PanelUser) => u.name ?? u.id;

  const lookup = (ref: string, at: string): string[] => {
    if (ref === "hiringManager") {
      if (!posting?.hiringManager) {
        problems.push(`${at}: the posting has no hiring manager in Lever`);
        return [];
      }
      return [posting.hiringManager];
    }
    if (ref === "followers") return [...(posting?.followers ?? [])];
    const user = ref.includes("@") ? byEmail.get(ref.toLowerCase()) : byId.get(ref);
    if (!user) {
      problems.push(`${at}: "${ref}" is not a Lever user of this account`);
      return [];
    }
    return [user.id];
  };
  const optedOut = new Set(
    [...(template?.optedOut ?? []), ...(d.optedOut ?? [])].flatMap((ref) => {
      const user = ref.includes("@") ? byEmail.get(ref.toLowerCase()) : byId.get(ref);
      return user ? [user.id] : [];
    }),
  );
  const keep = (ids: string[], what: string): string[] => {
    const out: string[] = [];
    for (const id of [...new Set(ids)]) {
      const user = byId.get(id);
      if (!user) {
        problems.push(`${what}: Lever user ${id} is not among the account's active users`);
        continue;
      }
      if (user.deactivatedAt) {
        notes.push(`${label(user)} is deactivated in Lever and left out of ${what}`);
        continue;
      }
      if (optedOut.has(id)) {
        notes.push(`${label(user)} opted out of interviewing and is left out of ${what}`);
        continue;
      }
      out.push(id);
    }
    return out;
  };

  let sessions: PlannedSession[];
  if (template) {
    const list = template.sessions.map((s, i) => {
      const at = `${where}.sessions[${i}]`;
      return {
        id: s.id ?? `s${i + 1}`,
        title: s.title,
        minutes: s.minutes,
        need: s.need,
        pool: keep(
          s.pool.flatMap((ref, p) => lookup(ref, `${at}.pool[${p}]`)),
          `"${s.title}"`,
        ),
        feedbackTemplateId: s.feedbackTemplateId,
        hmOnly: s.pool.length === 1 && s.pool[0] === "hiringManager",
      };
    });
    if (template.order === "hiringManagerFirst") list.sort((a, b) => Number(b.hmOnly) - Number(a.hmOnly));
    sessions = list.map(({ hmOnly: _hmOnly, ...s }) => s);
  } else {
    const team = [...(posting?.hiringManager ? [posting.hiringManager] : []), ...(posting?.followers ?? [])];
    if (team.length === 0)
      problems.push(
        `no panel is configured for stage "${stage.text ?? stage.id}" (scheduling.panels) and the posting has no hiring manager or followers to make one`,
      );
    const pool = keep(team, "the hiring team");
    sessions = [
      {
        id: "s1",
        title: "Interview with the hiring team",
        minutes: d.defaultSessionMinutes ?? PANEL_DEFAULTS.defaultSessionMinutes,
        need: Math.max(1, pool.length),
        pool,
      },
    ];
    if (team.length > 0)
      notes.push(
        `no panel is configured for stage "${stage.text ?? stage.id}": one session with the posting's hiring manager and followers (${pool.map((id) => label(byId.get(id)!)).join(", ") || "none left"})`,
      );
  }
  const shadowRefs = template?.shadow ?? d.shadow;
  return {
    source: template ? "template" : "hiring team",
    templatePath: found ? where : undefined,
    sessions,
    maxGapMinutes: template?.maxGapMinutes ?? d.maxGapMinutes ?? PANEL_DEFAULTS.maxGapMinutes,
    bufferMinutes: template?.bufferMinutes ?? d.bufferMinutes ?? PANEL_DEFAULTS.bufferMinutes,
    windowBusinessDays: template?.windowBusinessDays ?? d.windowBusinessDays ?? PANEL_DEFAULTS.windowBusinessDays,
    granularityMinutes: template?.granularityMinutes ?? d.granularityMinutes ?? PANEL_DEFAULTS.granularityMinutes,
    loadCaps: { ...d.loadCaps, ...template?.loadCaps },
    shadow: shadowRefs
      ? {
          pool: keep(
            shadowRefs.pool.flatMap((ref, p) => lookup(ref, `${where}.shadow.pool[${p}]`)),
            "the shadow seat",
          ),
          sessions: shadowRefs.sessions,
        }
      : undefined,
    notes,
    problems,
  };
}
