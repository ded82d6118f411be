/**
 * Microsoft Teams incoming webhooks: the neutral notification as an Adaptive Card inside a
 * `message` envelope — the shape both Teams Workflows (Power Automate) webhooks and the older
 * Office 365 connector webhooks accept.
 */
import { parseNotification, truncate, type Notification, type NotificationInput } from "./message.ts";
import { postJson, type PostOptions, type PostResult } from "./post-json.ts";

/** Builds the Teams payload for a notification (pure; exported for tests and previews). */
export function teamsPayload(message: Notification): Record<string, unknown> {
  const body: Record<string, unknown>[] = [{ type: "TextBlock", text: truncate(message.title, 500), weight: "Bolder", size: "Medium", wrap: true }];
  if (message.text) body.push({ type: "TextBlock", text: truncate(message.text, 10_000), wrap: true });
  if (message.fields.length > 0) {
    body.push({ type: "FactSet", facts: message.fields.map((f) => ({ title: f.label, value: f.value })) });
  }
  const card: Record<string, unknown> = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body,
  };
  if (message.link) card.actions = [{ type: "Action.OpenUrl", title: message.link.label ?? "Open", url: message.link.url }];
  return {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }],
  };
}

/**
 * The same notification as a legacy Office 365 connector MessageCard, for old "Incoming Webhook"
 * connectors that do not render Adaptive Cards.
 */
export function teamsMessageCardPayload(message: Notification): Record<string, unknown> {
  const card: Record<string, unknown> = {
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    summary: truncate(message.title, 200),
    title: truncate(message.title, 500),
    sections: [
      {
        ...(message.text ? { text: truncate(message.text, 10_000) } : {}),
        ...(message.fields.length ? { facts: message.fields.map((f) => ({ name: f.label, value: f.value })) } : {}),
      },
    ],
  };
  if (message.link) {
    card.potentialAction = [{ "@type": "OpenUri", name: message.link.label ?? "Open", targets: [{ os: "default", uri: message.link.url }] }];
  }
  return card;
}

export interface TeamsOptions extends PostOptions {
  /** `adaptive` (default: Teams Workflows webhooks) or `messagecard` (legacy connectors). */
  format?: "adaptive" | "messagecard" | undefined;
}

/** Posts a notification to a Microsoft Teams incoming webhook URL (a secret: never logged). */
export async function sendTeams(webhookUrl: string, message: NotificationInput, options: TeamsOptions = {}): Promise<PostResult> {
  const notification = parseNotification(message);
  return postJson(webhookUrl, options.format === "messagecard" ? teamsMessageCardPayload(notification) : teamsPayload(notification), options);
}
