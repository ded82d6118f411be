/**
 * Invites by e-mail for people without a connected calendar — the candidate always: an iCalendar
 * METHOD:REQUEST (or CANCEL with the same UID and a higher SEQUENCE, RFC 5546) sent with
 * nodemailer's `icalEvent` through the deployment's SMTP settings (`smtp:` / FULCRUM_SMTP_URL), with
 * a plain-text body that states the time in the recipient's own zone.
 */
import nodemailer from "nodemailer";
import { DateTime } from "luxon";
import { z } from "zod";
import { CalendarError } from "./errors.ts";
import { buildEventIcs } from "./ics.ts";
import { assertZone } from "./local-time.ts";
import type { Attendee } from "./types.ts";

/** The SMTP settings of the configuration (the same fields as `config.smtp`). */
export interface InviteSmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTls?: boolean | undefined;
  allowSelfSigned?: boolean | undefined;
  user?: string | undefined;
  password?: string | undefined;
  /** The sender, `address` or `Name <address>`; also the invite's ORGANIZER unless one is given. */
  from: string;
  timeoutMs?: number | undefined;
}

export interface EmailInvite {
  method: "REQUEST" | "CANCEL";
  /** Stable per booking: a reschedule or cancellation reuses it. */
  uid: string;
  /** 0 for the first invite; higher for every update and for the cancellation. */
  sequence: number;
  start: string;
  end: string;
  title: string;
  description?: string | undefined;
  location?: string | undefined;
  /** A video link, shown in the text and as the event's URL. */
  joinUrl?: string | undefined;
  /** Who receives it (the candidate; anyone else without a connected calendar). */
  to: Attendee[];
  /** The times in the text are given in this zone (the candidate's). */
  timezone: string;
  organizer?: { email: string; name?: string | undefined } | undefined;
}

const addresses = z.array(z.email()).min(1).max(50);

function senderAddress(from: string): { email: string; name?: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+)>\s*$/.exec(from);
  return m ? { email: m[2]!, ...(m[1] ? { name: m[1] } : {}) } : { email: from.trim() };
}

/** The plain-text body: what, when in the recipient's zone, where, and the description. */
export function inviteText(invite: EmailInvite): string {
  const zone = assertZone(invite.timezone, "invite time zone");
  const s = DateTime.fromISO(invite.start, { zone });
  const e = DateTime.fromISO(invite.end, { zone });
  const when = `${s.toFormat("cccc d LLLL yyyy, HH:mm")}–${e.toFormat("HH:mm")} (${zone.name}, ${s.toFormat("ZZZZ")})`;
  const lines = [invite.method === "CANCEL" ? `Cancelled: ${invite.title}` : invite.title, "", `When: ${when}`];
  if (invite.location) lines.push(`Where: ${invite.location}`);
  if (invite.joinUrl && invite.method !== "CANCEL") lines.push(`Join: ${invite.joinUrl}`);
  if (invite.description) lines.push("", invite.description);
  return lines.join("\n");
}

/**
 * Sends one invite (or cancellation) to every recipient. Throws CalendarError: `unavailable`
 * (retryable) when the server cannot be reached or answers 4xx, `invalid` for bad addresses or a 5xx
 * rejection.
 */
export async function sendEmailInvite(smtp: InviteSmtpSettings, invite: EmailInvite): Promise<{ messageId: string; accepted: string[] }> {
  const endpoint = `SMTP ${smtp.host}:${smtp.port}`;
  const fail = (kind: "invalid" | "unavailable", message: string, cause?: unknown) =>
    new CalendarError({ kind, provider: "email", connectionId: "smtp", endpoint, message, cause });
  const to = addresses.safeParse(invite.to.map((a) => a.email));
  if (!to.success) throw fail("invalid", "invite recipients must be one to 50 valid e-mail addresses");
  const organizer = invite.organizer ?? senderAddress(smtp.from);
  const ics = buildEventIcs({
    method: invite.method,
    uid: invite.uid,
    sequence: invite.sequence,
    start: invite.start,
    end: invite.end,
    title: invite.title,
    description: invite.description,
    location: invite.location,
    url: invite.joinUrl,
    organizer,
    attendees: invite.to,
  });
  const subject = `${invite.method === "CANCEL" ? "Cancelled" : invite.sequence > 0 ? "Updated invitation" : "Invitation"}: ${invite.title}`
    .replace(/[\r\n]+/g, " ")
    .slice(0, 250);
  let text: string;
  try {
    text = inviteText(invite);
  } catch (error) {
    throw fail("invalid", (error as Error).message, error);
  }
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls ?? false,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? "" } : undefined,
    connectionTimeout: smtp.timeoutMs ?? 15_000,
    greetingTimeout: smtp.timeoutMs ?? 15_000,
    socketTimeout: smtp.timeoutMs ?? 15_000,
    tls: smtp.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from: smtp.from,
      to: invite.to.map((a) => (a.name ? { name: a.name, address: a.email } : a.email)),
      subject,
      text,
      icalEvent: { method: invite.method, filename: invite.method === "CANCEL" ? "cancel.ics" : "invite.ics", content: ics },
    });
    return { messageId: info.messageId, accepted: (info.accepted as (string | { address: string })[]).map((a) => (typeof a === "string" ? a : a.address)) };
  } catch (error) {
    const e = error as Error & { responseCode?: number; code?: string };
    const permanent = e.responseCode !== undefined && e.responseCode >= 500;
    // Never the password; nodemailer's message names the step and the server's reply.
    throw fail(permanent ? "invalid" : "unavailable", `invite not sent: ${e.responseCode ?? e.code ?? ""} ${e.message}`.trim(), error);
  } finally {
    transport.close();
  }
}
