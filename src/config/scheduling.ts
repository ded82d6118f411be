/**
 * The `scheduling:` section of the configuration: interview panels per posting and stage (sessions,
 * pools of Lever users, order, gaps, buffer, window, load caps, opted-out interviewers, a shadow
 * seat), and the defaults a panel without its own values takes. The config loader validates it with
 * these schemas and reports the path of a bad value (`scheduling.panels[0].sessions[1].need`).
 */
import { z } from "zod";

/** A Lever user by id or e-mail; which one is told by the `@`. */
const userRef = z.string().trim().min(1).max(320);
const oneOrMany = z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** Interviews per interviewer, counting those already in their calendars (see `interviewPattern`). */
export const loadCapsSchema = z.strictObject({
  perDay: z.number().int().min(1).max(20).optional(),
  perWeek: z.number().int().min(1).max(100).optional(),
});

export const panelSessionSchema = z.strictObject({
  /** Stable id of the session within the panel (default `s1`, `s2`, … by position). */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,59}$/, "letters, digits, _ . : - (up to 60)")
    .optional(),
  title: z.string().trim().min(1).max(200),
  minutes: z.number().int().min(5).max(480),
  /** How many interviewers sit this session. */
  need: z.number().int().min(1).max(10).default(1),
  /**
   * Who may sit it: Lever users by id or e-mail, or the words `hiringManager` (the posting's) and
   * `followers` (the posting's followers).
   */
  pool: z.array(userRef).min(1).max(200),
  /** The Lever feedback template for the session's interview. */
  feedbackTemplateId: z.string().min(1).max(200).optional(),
});

/** Settings a panel template may set and that otherwise come from `scheduling.defaults`. */
const panelSettings = {
  /** The largest idle time between two sessions. */
  maxGapMinutes: z.number().int().min(0).max(240).optional(),
  /** Free minutes kept between a session and each interviewer's other events. */
  bufferMinutes: z.number().int().min(0).max(120).optional(),
  /** The whole panel on one calendar day of the candidate (the only kind of panel the solver makes). */
  sameDay: z.literal(true, { error: "only same-day panels are scheduled (write sameDay: true or leave it out)" }).optional(),
  /** The window: the next N business days (Monday–Friday in the candidate's zone), from tomorrow. */
  windowBusinessDays: z.number().int().min(1).max(30).optional(),
  /** Start times fall on multiples of this many minutes in the candidate's zone. */
  granularityMinutes: z.number().int().min(5).max(60).optional(),
  loadCaps: loadCapsSchema.optional(),
  /** Lever users (id or e-mail) never put on a panel. */
  optedOut: z.array(userRef).max(1000).optional(),
  /** An extra seat for interviewers in training: one of `pool` joins each session where one is free. */
  shadow: z.strictObject({ pool: z.array(userRef).min(1).max(200), sessions: z.enum(["first", "all"]).default("first") }).optional(),
};

export const panelTemplateSchema = z.strictObject({
  /** Postings (ids or titles) this panel is for; absent: every posting. */
  posting: oneOrMany.optional(),
  /** Stages (ids or names) on entry to which this panel is proposed. */
  stage: oneOrMany,
  /**
   * `listed` (default): sessions in the order written; `hiringManagerFirst`: a session whose pool is
   * only `hiringManager` is moved first.
   */
  order: z.enum(["listed", "hiringManagerFirst"]).default("listed"),
  sessions: z.array(panelSessionSchema).min(1).max(12),
  ...panelSettings,
});

export const schedulingConfigSchema = z
  .strictObject({
    defaults: z
      .strictObject({
        ...panelSettings,
        /** Length of the one-session panel made from the hiring manager and followers when no template matches. */
        defaultSessionMinutes: z.number().int().min(5).max(480).optional(),
      })
      .default({}),
    /**
     * A calendar event counts toward the load caps when its title matches this (case-insensitive)
     * regular expression; Fulcrum's own bookings always count.
     */
    interviewPattern: z
      .string()
      .max(200)
      .refine((p) => {
        try {
          new RegExp(p, "i");
          return true;
        } catch {
          return false;
        }
      }, "not a regular expression")
      .default("\\binterview"),
    panels: z.array(panelTemplateSchema).max(500).default([]),
  })
  .superRefine((s, ctx) => {
    s.panels.forEach((panel, p) => {
      const ids = new Set<string>();
      panel.sessions.forEach((session, i) => {
        const id = session.id ?? `s${i + 1}`;
        if (ids.has(id)) ctx.addIssue({ code: "custom", path: ["panels", p, "sessions", i, "id"], message: `session id "${id}" is used twice in this panel` });
        ids.add(id);
        const named = session.pool.filter((u) => u !== "hiringManager" && u !== "followers");
        if (named.length === session.pool.length && new Set(named.map((u) => u.toLowerCase())).size < session.need) {
          ctx.addIssue({
            code: "custom",
            path: ["panels", p, "sessions", i, "need"],
            message: `needs ${session.need} interviewers but the pool names only ${new Set(named).size}`,
          });
        }
      });
    });
  });

export type SchedulingConfig = z.infer<typeof schedulingConfigSchema>;
export type SchedulingConfigInput = z.input<typeof schedulingConfigSchema>;
export type PanelTemplate = z.infer<typeof panelTemplateSchema>;
export type PanelSessionTemplate = z.infer<typeof panelSessionSchema>;
