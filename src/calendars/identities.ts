/**
 * Lever users to calendar identities: by e-mail, routed to the connection that serves the
 * address's domain (or the only connection), with per-person overrides from `calendars.identities`.
 * Someone no connection serves is an error that says how to fix it, never a silent "free".
 */
import type { CalendarsConfig } from "./config.ts";
import type { CalendarIdentity } from "./types.ts";

/** The Lever user fields needed (a Lever user object has more). */
export interface LeverUserRef {
  id: string;
  email?: string | null | undefined;
  name?: string | null | undefined;
}

/** A person reached by e-mail invites only (no connected calendar, so no free/busy). */
export interface EmailOnlyIdentity {
  id: string;
  email: string;
  emailOnly: true;
}

export class UnknownIdentityError extends Error {
  override readonly name = "UnknownIdentityError";
  readonly leverUserId: string;
  constructor(leverUserId: string, message: string) {
    super(message);
    this.leverUserId = leverUserId;
  }
}

const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/**
 * The calendar identity of a Lever user.
 *
 * @example
 * resolveIdentity({ id: "u1", email: "ana@example.com" }, config.calendars)
 * // → { id: "u1", email: "ana@example.com", connectionId: "google" } when "google" serves example.com
 */
export function resolveIdentity(user: LeverUserRef, config: Pick<CalendarsConfig, "connections" | "identities">): CalendarIdentity | EmailOnlyIdentity {
  const who = `Lever user ${user.name ? `${user.name} ` : ""}(${user.id}${user.email ? `, ${user.email}` : ""})`;
  const leverEmail = user.email?.trim().toLowerCase();
  const override = config.identities.find(
    (o) => (o.leverUserId && o.leverUserId === user.id) || (o.lever && leverEmail && o.lever.toLowerCase() === leverEmail),
  );
  const email = (override?.email ?? leverEmail)?.toLowerCase();
  if (!email) {
    throw new UnknownIdentityError(
      user.id,
      `${who} has no e-mail address in Lever, so no calendar can be found; add { leverUserId: "${user.id}", email: … } under calendars.identities`,
    );
  }
  if (override?.emailOnly) return { id: user.id, email, emailOnly: true };
  let connectionId = override?.connection;
  if (connectionId && !config.connections.some((c) => c.id === connectionId)) {
    throw new UnknownIdentityError(
      user.id,
      `${who}: calendars.identities names connection "${connectionId}", which is not among calendars.connections (${config.connections.map((c) => c.id).join(", ") || "none"})`,
    );
  }
  if (!connectionId) {
    const domain = domainOf(email);
    const serving = config.connections.filter((c) => c.domains.some((d) => d.toLowerCase() === domain));
    if (serving.length > 1) {
      throw new UnknownIdentityError(
        user.id,
        `${who}: connections ${serving.map((c) => `"${c.id}"`).join(" and ")} both serve ${domain}; name one with an entry under calendars.identities`,
      );
    }
    connectionId = serving[0]?.id ?? (config.connections.length === 1 ? config.connections[0]!.id : undefined);
  }
  if (!connectionId) {
    throw new UnknownIdentityError(
      user.id,
      config.connections.length === 0
        ? `${who} has no calendar: no calendar connection is configured (calendars.connections); add one, or mark this person emailOnly under calendars.identities`
        : `${who} has no calendar: no calendar connection serves "${domainOf(email)}"; add the domain to a connection's domains, or an entry under calendars.identities with connection (or emailOnly: true)`,
    );
  }
  return { id: user.id, email, connectionId, timezone: override?.timezone, workingHours: override?.workingHours, calendarUrl: override?.calendarUrl };
}
