/**
 * Notifications: Slack and Microsoft Teams incoming webhooks and e-mail over SMTP, all from one
 * neutral message `{ title, text, fields, link }`. Webhook calls go through an SSRF guard (https
 * only, public addresses only unless allow-listed), with deadlines and size limits; webhook URLs
 * are secrets and never appear in errors or logs.
 */
export { sendSlack, slackPayload } from "./slack.ts";
export { sendTeams, teamsPayload, teamsMessageCardPayload, type TeamsOptions } from "./teams.ts";
export { sendEmail, emailBodies, smtpConfigSchema, type SmtpConfig, type EmailMessage } from "./email.ts";
export { notificationSchema, parseNotification, type Notification, type NotificationInput } from "./message.ts";
export { postJson, NotifyError, type PostOptions, type PostResult } from "./post-json.ts";
export { isPublicAddress, checkOutboundUrl, describeUrl, guardedLookup, OutboundBlockedError, type OutboundPolicy } from "./outbound-guard.ts";
