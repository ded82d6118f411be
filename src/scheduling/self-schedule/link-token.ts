/**
 * A self-scheduling link's token at rest. The booking page looks links up by the token's hash;
 * the token itself is kept only sealed with the service's secret key (AES-256-GCM, bound to the
 * link's connection and panel request), so the reminders can repeat the booking's reschedule
 * link while neither the database alone nor a run's output holds a working one. The run that
 * makes the link keeps only a reference to it (`BookingLinkRef`) and writes the placeholder
 * `[booking link]` where the link goes; the e-mail is given the link when it is sent, and the
 * coordinator sees it only when they ask for it in the console.
 */
import { z } from "zod";
import type { SecretSealer } from "../../calendars/index.ts";
import type { Queryable } from "../../store/index.ts";

/** Where a booking link goes in a text kept on record (the e-mail proposal); filled in at send time. */
export const BOOKING_LINK_PLACEHOLDER = "[booking link]";

/** Which link a placeholder stands for: the link's row (one live link per connection and panel request). */
export const bookingLinkRefSchema = z.strictObject({ connectionId: z.string().min(1).max(200), requestKey: z.string().min(1).max(1000) });
export type BookingLinkRef = z.infer<typeof bookingLinkRefSchema>;

/** The placeholder replaced by the link (every occurrence). */
export function fillBookingLink(text: string, url: string): string {
  return text.split(BOOKING_LINK_PLACEHOLDER).join(url);
}

/** What a sealed token is bound to: sealed for one link, it does not open as another's. */
export function linkTokenContext(connectionId: string, requestKey: string): string {
  return `booking-link:${connectionId}:${requestKey}`;
}

/** The booking page's address for a token, under the service's public address. */
export function bookingLinkUrl(publicUrl: string, token: string): string {
  return new URL(`book/${token}`, publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`).href;
}

/**
 * The booking link of a sealed token, or why there is none (no key, no public address, a link
 * made before tokens were sealed, or sealed with another key).
 * @example
 * const link = openBookingLink({ box, publicUrl, sealed, connectionId, requestKey });
 * if (link.url) send(link.url); else log(link.reason);
 */
export function openBookingLink(o: {
  box: SecretSealer | undefined;
  publicUrl: string | undefined;
  sealed: string | null | undefined;
  connectionId: string;
  requestKey: string;
}): { url: string; reason?: undefined } | { url?: undefined; reason: string } {
  if (!o.sealed) return { reason: "the booking link was made before links were kept sealed, or without the service's key" };
  if (!o.box) return { reason: "the service's secret key is not available to open the booking link" };
  if (!o.publicUrl) return { reason: "the service's public address (FULCRUM_PUBLIC_URL) is not set" };
  try {
    return { url: bookingLinkUrl(o.publicUrl, o.box.open(o.sealed, linkTokenContext(o.connectionId, o.requestKey))) };
  } catch (error) {
    return { reason: `the booking link could not be opened: ${(error as Error).message}` };
  }
}

/** Replaces a booking link in a text meant for a record (run output, audit), so the record holds no working link. */
export function withoutBookingLink(text: string, url: string | undefined): string {
  return url ? text.split(url).join("[the candidate's booking link, sent in the e-mail only]") : text;
}

/**
 * The link of a stored link row, opened from its sealed token, or why there is none (gone,
 * expired, or never sealed). Made again for the same request, the row holds the newest link. A booked link still opens: it
 * is then the booking's reschedule and cancel link.
 * @example
 * const link = await openStoredBookingLink(db, ref, { box, publicUrl, now: new Date() });
 */
export async function openStoredBookingLink(
  db: Queryable,
  ref: BookingLinkRef,
  o: { box: SecretSealer | undefined; publicUrl: string | undefined; now: Date },
): Promise<{ url: string; reason?: undefined } | { url?: undefined; reason: string }> {
  const { rows } = await db.query<{ token_sealed: string | null; expires_at: Date | string }>(
    "select token_sealed, expires_at from booking_links where connection_id = $1 and request_key = $2",
    [ref.connectionId, ref.requestKey],
  );
  const row = rows[0];
  if (!row) return { reason: "the booking link no longer exists" };
  if (new Date(row.expires_at).getTime() <= o.now.getTime()) return { reason: "the booking link has expired" };
  return openBookingLink({ box: o.box, publicUrl: o.publicUrl, sealed: row.token_sealed, connectionId: ref.connectionId, requestKey: ref.requestKey });
}
