/**
 * E-mail over SMTP with nodemailer: the neutral notification as a plain-text body plus a simple
 * HTML rendering (every user-supplied string escaped). SMTP servers are operator-configured, not
 * user-typed, so the webhook SSRF rules do not apply; deadlines and size limits do.
 */
import nodemailer from "nodemailer";
import { z } from "zod";
import { parseNotification, type Notification, type NotificationInput } from "./message.ts";
import { NotifyError } from "./post-json.ts";

export const smtpConfigSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** true = TLS from the first byte (port 465); false = STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  /** Refuse to send unless the connection is upgraded to TLS. */
  requireTls: z.boolean().default(false),
  user: z.string().optional(),
  password: z.string().optional(),
  from: z.string().min(3),
  /** Deadline for connecting and for each SMTP exchange, in milliseconds (default 15 s). */
  timeoutMs: z.number().int().min(100).default(15_000),
  /** Accept self-signed server certificates (local relays only). */
  allowSelfSigned: z.boolean().default(false),
});
export type SmtpConfig = z.input<typeof smtpConfigSchema>;

const recipients = z.union([z.email(), z.array(z.email()).min(1).max(50)]);

export interface EmailMessage extends NotificationInput {
  to: string | string[];
  cc?: string | string[] | undefined;
  replyTo?: string | undefined;
}

/** Largest rendered message (text + HTML) we will hand to the SMTP server. */
const MAX_EMAIL_BYTES = 1024 * 1024;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Renders a notification as e-mail text and HTML (pure; exported for tests). */
export function emailBodies(message: Notification): { subject: string; text: string; html: string } {
  const textParts = [message.text, ...message.fields.map((f) => `${f.label}: ${f.value}`)];
  if (message.link) textParts.push(`${message.link.label ?? "Open"}: ${message.link.url}`);
  // Subjects are one line: a newline in an untrusted title must not become a header break.
  const subject = message.title.replace(/[\r\n]+/g, " ").slice(0, 250);
  const html = [
    `<h2>${escapeHtml(subject)}</h2>`,
    message.text ? `<p>${escapeHtml(message.text).replace(/\n/g, "<br>")}</p>` : "",
    message.fields.length
      ? `<table>${message.fields.map((f) => `<tr><th align="left">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`).join("")}</table>`
      : "",
    message.link ? `<p><a href="${escapeHtml(message.link.url)}">${escapeHtml(message.link.label ?? "Open")}</a></p>` : "",
  ].join("\n");
  return { subject, text: textParts.filter(Boolean).join("\n\n"), html };
}

/**
 * Sends a notification as an e-mail. Resolves with the server's message id; throws NotifyError
 * (retryable for connection problems and 4xx SMTP replies, not for 5xx rejections).
 */
export async function sendEmail(smtp: SmtpConfig, message: EmailMessage): Promise<{ messageId: string; accepted: string[] }> {
  const config = smtpConfigSchema.parse(smtp);
  const to = recipients.safeParse(message.to);
  if (!to.success) throw new NotifyError("e-mail recipients (to) must be one to 50 valid addresses", { retryable: false });
  const cc = message.cc === undefined ? undefined : recipients.safeParse(message.cc);
  if (cc && !cc.success) throw new NotifyError("e-mail recipients (cc) must be valid addresses", { retryable: false });
  const notification = parseNotification(message);
  const bodies = emailBodies(notification);
  if (Buffer.byteLength(bodies.text) + Buffer.byteLength(bodies.html) > MAX_EMAIL_BYTES) {
    throw new NotifyError(`e-mail is over the ${MAX_EMAIL_BYTES}-byte limit`, { retryable: false });
  }
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls,
    auth: config.user ? { user: config.user, pass: config.password ?? "" } : undefined,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    tls: config.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: to.data,
      cc: cc?.data,
      replyTo: message.replyTo,
      subject: bodies.subject,
      text: bodies.text,
      html: bodies.html,
    });
    return { messageId: info.messageId, accepted: (info.accepted as (string | { address: string })[]).map((a) => (typeof a === "string" ? a : a.address)) };
  } catch (error) {
    const e = error as Error & { responseCode?: number; code?: string };
    const permanent = e.responseCode !== undefined && e.responseCode >= 500;
    throw new NotifyError(`SMTP ${config.host}:${config.port} refused or failed: ${e.responseCode ?? e.code ?? ""} ${e.message}`.trim(), {
      status: e.responseCode,
      retryable: !permanent,
      cause: error,
    });
  } finally {
    transport.close();
  }
}
