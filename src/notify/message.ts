/**
 * The neutral notification every channel renders: a title, a text, optional label/value fields and
 * an optional link. Workflows build one of these; Slack, Teams and e-mail each turn it into their
 * own format, so a workflow never knows which channel it talks to.
 */
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, error: "link must be an http(s) URL" });

export const notificationSchema = z.object({
  title: z.string().min(1).max(500),
  text: z.string().max(20_000).default(""),
  fields: z
    .array(z.object({ label: z.string().min(1).max(200), value: z.string().max(2_000) }))
    .max(25)
    .default([]),
  link: z.object({ url: httpUrl, label: z.string().min(1).max(100).optional() }).optional(),
});

/** A notification as given by a caller (defaults not yet applied). */
export type NotificationInput = z.input<typeof notificationSchema>;
/** A validated notification. */
export type Notification = z.output<typeof notificationSchema>;

/** Validates a notification, naming the field at fault. */
export function parseNotification(input: NotificationInput): Notification {
  const parsed = notificationSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`notification ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

/** Shortens `text` to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
