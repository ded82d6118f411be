/**
 * The configuration's `interviews:` block: how recorded interviews are transcribed, how long their
 * transcripts are kept, and per posting (and optionally stage) the question set, the rubric and the
 * triage thresholds the `interview-analysis` workflow uses. The shapes of a question set and a
 * rubric live here, below the interviews module, so the config file and the CLI's files are read
 * with one schema each (the interviews module re-exports them).
 */
import { z } from "zod";

/** One question of a set. */
export const interviewQuestionSchema = z.object({
  id: z.string().trim().min(1).max(80),
  text: z.string().trim().min(3).max(1000),
});
export type InterviewQuestion = z.infer<typeof interviewQuestionSchema>;

/** A question set: at least one question, ids unique. */
export const questionSetSchema = z
  .array(interviewQuestionSchema)
  .min(1, "the question set is empty: give at least one { id, text }")
  .max(100)
  .superRefine((qs, ctx) => {
    const seen = new Set<string>();
    for (const [i, q] of qs.entries()) {
      if (seen.has(q.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate question id "${q.id}"` });
      seen.add(q.id);
    }
  });

/** One competency of an interview rubric. */
export const competencySchema = z.object({
  id: z.string().min(1).max(80),
  label: z.string().min(1).max(300),
  /** Words that show the competency in an answer (matched on stems and synonyms). */
  keywords: z.array(z.string().min(1)).default([]),
  /** Ids of the questions of the set that probe it: their answers are searched first. */
  questions: z.array(z.string()).default([]),
  weight: z.number().min(0).max(10).default(1),
});
export type Competency = z.infer<typeof competencySchema>;

/** An interview rubric: competencies, and whether the posting wants an (advisory) score. */
export const interviewRubricSchema = z.object({
  competencies: z.array(competencySchema).min(1).max(40),
  score: z.boolean().default(false),
});
export type InterviewRubric = z.infer<typeof interviewRubricSchema>;

/**
 * A triage tag from the advisory score: `<tagPrefix>-strong` at or above `strongAt`,
 * `<tagPrefix>-weak` below `weakBelow`, `<tagPrefix>-review` between. It needs a rubric with
 * `score: true`; the tag is a suggestion for sorting, never a stage move.
 */
export const interviewTriageSchema = z
  .strictObject({
    strongAt: z.number().min(0).max(100),
    weakBelow: z.number().min(0).max(100),
    tagPrefix: z
      .string()
      .regex(/^[\w-]{1,40}$/, "letters, digits, - and _ (at most 40)")
      .default("interview"),
  })
  .refine((t) => t.weakBelow <= t.strongAt, { message: "weakBelow must not be above strongAt", path: ["weakBelow"] });
export type InterviewTriage = z.infer<typeof interviewTriageSchema>;

/** The questions (and rubric, triage) for one posting, or one stage of it. */
export const interviewPostingSchema = z.strictObject({
  /** The posting's id or title. */
  posting: z.string().min(1),
  /** A stage id or name; without it the set applies to every stage of the posting. */
  stage: z.string().min(1).optional(),
  questions: questionSetSchema,
  rubric: interviewRubricSchema.optional(),
  triage: interviewTriageSchema.optional(),
});
export type InterviewPostingConfig = z.infer<typeof interviewPostingSchema>;

/** The notice used when the configuration gives none. */
export const DEFAULT_INTERVIEW_NOTICE = [
  "Notice: this video interview is analysed with the help of software.",
  "What it does: your recording is turned into a written transcript, and the transcript is compared with the questions of this interview so the hiring team can find your answer to each question, with its time. The recording is deleted as soon as the transcript exists.",
  "What it does not do: it does not analyse your face, your voice or your emotions, it does not judge your personality, and it makes no hiring decision; people on the hiring team review your answers.",
  "Who sees it: only the people involved in this hiring decision. The transcript is deleted after {retentionDays} days, or within 30 days of your request.",
  "Your consent: by going on with this interview you agree to this analysis. If you do not agree, tell the recruiter and you will be offered another way to interview, with no disadvantage.",
].join("\n\n");

export const transcriptionEngineNames = ["pocketsphinx", "openai", "whisper-cpp"] as const;

export const interviewsConfigSchema = z.strictObject({
  /** The engine for recordings that come without a transcript (default pocketsphinx, offline). */
  engine: z.enum(transcriptionEngineNames).default("pocketsphinx"),
  /** openai: the model name (default whisper-1); whisper-cpp: the path of a ggml model file. */
  model: z.string().min(1).optional(),
  /** openai: the API base of any OpenAI-compatible /audio/transcriptions server (the key is FULCRUM_TRANSCRIBE_API_KEY). */
  baseUrl: z.url().optional(),
  /** pocketsphinx: a model folder laid out like Debian's. */
  modelDir: z.string().min(1).optional(),
  /**
   * Who finds the answers to the question set: `local` (default), Fulcrum's own matcher; `ai`, the
   * configured AI provider (the `ai:` settings) with every quote verified against the transcript and
   * the local engine answering when the provider fails or a quote does not check out. Opt-in,
   * because it sends candidates' transcripts to that provider.
   */
  analysisEngine: z.enum(["local", "ai"]).default("local"),
  /** Recordings longer than this are refused (minutes). */
  maxMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(240),
  /** Where recordings are downloaded while they are transcribed (deleted right after); default the system's temp folder. */
  workDir: z.string().min(1).optional(),
  /** Days a transcript and its analysis are kept; then they are deleted. */
  retentionDays: z.number().int().min(1).max(3650).default(180),
  /**
   * The notice for the video platform's invitation (`fulcrum interview notice` prints it): that AI
   * analyses the interview, how, and that the candidate consents or asks for another way, as the
   * Illinois Artificial Intelligence Video Interview Act asks. `{retentionDays}` is filled in;
   * without one, DEFAULT_INTERVIEW_NOTICE is used.
   */
  notice: z.string().trim().min(40, "the notice must say what is analysed, how, and ask for consent").max(5000).optional(),
  postings: z.array(interviewPostingSchema).default([]),
});
export type InterviewsConfig = z.infer<typeof interviewsConfigSchema>;
