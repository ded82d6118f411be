/**
 * Slack incoming webhooks: the neutral notification as Block Kit (header, text, fields, a button),
 * with a plain `text` fallback for notifications and old clients. Slack's per-block limits are
 * applied here (header 150, section text 3,000, field 2,000, at most 10 fields per section) so a
 * long AI summary is shortened rather than rejected.
 */
import { parseNotification, truncate, type Notification, type NotificationInput } from "./message.ts";
import { postJson, type PostOptions, type PostResult } from "./post-json.ts";

/** Escapes the three characters Slack's mrkdwn treats as control (`&`, `<`, `>`). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Builds the Slack payload for a notification (pure; exported for tests and previews). */
export function slackPayload(message: Notification): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [{ type: "header", text: { type: "plain_text", text: truncate(message.title, 150), emoji: false } }];
  if (message.text) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(escapeMrkdwn(message.text), 3000) } });
  for (let i = 0; i < message.fields.length; i += 10) {
    blocks.push({
      type: "section",
      fields: message.fields.slice(i, i + 10).map((f) => ({
        type: "mrkdwn",
        text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, 2000),
      })),
    });
  }
  if (message.link) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: truncate(message.link.label ?? "Open", 75) }, url: message.link.url }],
    });
  }
  return { text: truncate(message.text ? `${message.title}: ${message.text}` : message.title, 3000), blocks };
}

/**
 * Posts a notification to a Slack incoming webhook URL (which is itself a secret: never logged).
 *
 * @example
 * await sendSlack(process.env.SLACK_WEBHOOK_URL!, { title: "Brief ready", text: "Mira Okafor", link: { url: "https://hire.lever.co/candidates/1" } });
 */
export async function sendSlack(webhookUrl: string, message: NotificationInput, options: PostOptions = {}): Promise<PostResult> {
  return postJson(webhookUrl, slackPayload(parseNotification(message)), options);
}
