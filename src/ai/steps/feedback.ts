/**
 * Lever feedback forms (scorecards), read leniently: only the fields the synthesis needs.
 */
import { z } from "zod";

const userRef = z.union([z.string(), z.object({ id: z.string().optional(), name: z.string().optional() }).loose()]);

export const feedbackFieldSchema = z
  .object({
    text: z.string().optional(),
    type: z.string().optional(),
    value: z.unknown().optional(),
    scores: z.array(z.object({ text: z.string().optional(), description: z.string().optional() }).loose()).optional(),
  })
  .loose();

export const feedbackFormSchema = z
  .object({
    id: z.string().optional(),
    text: z.string().optional(),
    user: userRef.optional(),
    completedAt: z.union([z.number(), z.string(), z.null()]).optional(),
    fields: z.array(feedbackFieldSchema).default([]),
  })
  .loose();
export type FeedbackForm = z.infer<typeof feedbackFormSchema>;

export function submitterName(form: FeedbackForm): string {
  const u = form.user;
  if (!u) return "unknown interviewer";
  return typeof u === "string" ? u : (u.name ?? u.id ?? "unknown interviewer");
}

/** "4 - Strong Hire" → 4; 3 → 3; "thumbs up" and the like → undefined. */
export function ratingOf(value: unknown): number | undefined {
  if (typeof value === "number" && value >= 1 && value <= 4) return value;
  if (typeof value === "string") {
    const m = /^\s*([1-4])\b/.exec(value);
    if (m) return Number(m[1]);
  }
  return undefined;
}

export interface Rating {
  competency: string;
  score: number;
  by: string;
  comment?: string;
}

/** Every competency rating, overall recommendation and free-text comment in the forms. */
export function readFeedback(forms: readonly FeedbackForm[]) {
  const ratings: Rating[] = [];
  const overall: { score: number; label: string; by: string }[] = [];
  const comments: { by: string; question: string; text: string }[] = [];
  for (const form of forms) {
    const by = submitterName(form);
    for (const field of form.fields) {
      const question = field.text ?? "";
      switch (field.type) {
        case "score-system": {
          const score = ratingOf(field.value);
          if (score !== undefined) overall.push({ score, label: String(field.value), by });
          break;
        }
        case "score": {
          const score = ratingOf(field.value);
          if (score !== undefined && question) ratings.push({ competency: question, score, by });
          break;
        }
        case "scorecard": {
          const values = Array.isArray(field.value) ? (field.value as { score?: unknown; comment?: unknown }[]) : [];
          values.forEach((v, i) => {
            const score = ratingOf(v?.score);
            const name = field.scores?.[i]?.text ?? `${question} ${i + 1}`;
            if (score !== undefined)
              ratings.push({ competency: name, score, by, ...(typeof v.comment === "string" && v.comment ? { comment: v.comment } : {}) });
            if (typeof v?.comment === "string" && v.comment.trim()) comments.push({ by, question: name, text: v.comment.trim() });
          });
          break;
        }
        case "text":
        case "textarea":
          if (typeof field.value === "string" && field.value.trim()) comments.push({ by, question, text: field.value.trim() });
          break;
        default:
          break;
      }
    }
  }
  return { ratings, overall, comments };
}

/** All free text of the forms, one block per comment, for fencing and language checks. */
export function feedbackText(forms: readonly FeedbackForm[]): string {
  return readFeedback(forms)
    .comments.map((c) => `${c.question}: ${c.text}`)
    .join("\n");
}
