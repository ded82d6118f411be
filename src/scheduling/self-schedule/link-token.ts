/**
 * A self-scheduling link's token at rest. The booking page looks links up by the token's hash;
 * the token itself is kept only sealed with the service's secret key (AES-256-GCM, bound to the
 * link's connection and panel request), so the reminders can repeat the booking's reschedule
 * link while neither the database alone nor a reminder run's output holds a working one. (The
 * run that made the link still keeps its URL in its output, for the coordinator to copy or for
 * the e-mail a person approves: see the store's booking-links.ts.)
 */
import type { SecretSealer } from "../../calendars/index.ts";

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
