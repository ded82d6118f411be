/**
 * What a self-scheduling link keeps so the public page can solve and book without reading Lever:
 * the panel plan, the pool's Lever users, the candidate, and the booking's identity. Stored as the
 * link's `request`; checked with zod when read back, so a damaged row is refused, not half-used.
 */
import { z } from "zod";

export const LINK_LANGUAGES = ["en", "pt", "de", "fr", "es"] as const;
export type LinkLanguage = (typeof LINK_LANGUAGES)[number];

/** How long a link works for booking when the workflow does not say (days). */
export const DEFAULT_LINK_DAYS = 7;
/** A cancellation this close to the interview goes to a person (hours), unless the workflow says otherwise. */
export const DEFAULT_CANCEL_NOTICE_HOURS = 24;

const plannedSession = z.object({
  id: z.string(),
  title: z.string(),
  minutes: z.number(),
  need: z.number(),
  pool: z.array(z.string()),
  feedbackTemplateId: z.string().optional(),
});

export const linkRequestSchema = z.object({
  plan: z.object({
    source: z.enum(["template", "hiring team"]),
    templatePath: z.string().optional(),
    sessions: z.array(plannedSession).min(1),
    maxGapMinutes: z.number(),
    bufferMinutes: z.number(),
    windowBusinessDays: z.number(),
    granularityMinutes: z.number(),
    loadCaps: z.object({ perDay: z.number().optional(), perWeek: z.number().optional() }),
    shadow: z.object({ pool: z.array(z.string()), sessions: z.enum(["first", "all"]) }).optional(),
    notes: z.array(z.string()),
    problems: z.array(z.string()),
  }),
  users: z.array(z.object({ id: z.string(), name: z.string().nullish(), email: z.string().nullish() })),
  candidate: z.object({ name: z.string(), email: z.string().optional(), timezone: z.string() }),
  opportunityId: z.string(),
  postingId: z.string().optional(),
  stageId: z.string().optional(),
  /** The interview's name as the candidate sees it (the stage, e.g. "On-site Interview"). */
  title: z.string(),
  panelKey: z.string(),
  format: z.enum(["video", "onsite"]),
  interviewPattern: z.string(),
  language: z.enum(LINK_LANGUAGES),
  /** Who is told about reschedules and cancellations (e-mail), besides the note in Lever. */
  coordinator: z.string().optional(),
  cancelNoticeHours: z
    .number()
    .min(0)
    .max(24 * 14),
});

export type LinkRequest = z.infer<typeof linkRequestSchema>;

/** The first name only: all the public page says about the candidate. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? "";
}

/** A language code from a posting or setting ("pt-BR", "de") as one the page speaks; English otherwise. */
export function linkLanguage(code: string | undefined): LinkLanguage {
  const base = (code ?? "").trim().toLowerCase().slice(0, 2);
  return (LINK_LANGUAGES as readonly string[]).includes(base) ? (base as LinkLanguage) : "en";
}
