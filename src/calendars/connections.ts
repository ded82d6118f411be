/**
 * Opens the configured calendar connections, and reads interviewers' availability through them in
 * the shape the scheduling solver takes. Free/busy is read live on every call — nothing is cached,
 * so the staleness bound is the duration of the call itself (tokens alone are cached, until a
 * minute before they expire).
 */
import { CaldavCalendarProvider } from "./caldav.ts";
import type { CalendarConnectionConfig, CalendarsConfig } from "./config.ts";
import { CalendarError } from "./errors.ts";
import { normaliseAvailability, resolveWorkingTime, type Availability } from "./free-busy.ts";
import { GoogleCalendarProvider } from "./google.ts";
import { GraphCalendarProvider } from "./graph.ts";
import { resolveIdentity, UnknownIdentityError, type LeverUserRef } from "./identities.ts";
import type { CalendarProvider } from "./provider.ts";
import { CALENDAR_SECRET_FIELDS, sealCalendarSecret, secretSource, type SecretSealer } from "./secrets.ts";
import type { CalendarCheckRow, CalendarIdentity, FreeBusyResult, TimeRange } from "./types.ts";

/** How connections' secrets are opened: the engine's SecretBox, and where `{ env: NAME }` is read. */
export interface CalendarSecrets {
  box: SecretSealer;
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * The connection with its secret sealed for it: an environment reference is read now, a value in
 * clear is sealed, a sealed one is checked to open. Errors name the connection and the field.
 */
export function sealConnectionSecrets(connection: CalendarConnectionConfig, secrets: CalendarSecrets): CalendarConnectionConfig {
  const field = CALENDAR_SECRET_FIELDS[connection.provider];
  const value = (connection as Record<string, unknown>)[field];
  const sealed = sealCalendarSecret(value, { provider: connection.provider, connectionId: connection.id, field, box: secrets.box, env: secrets.env });
  return { ...connection, [field]: sealed } as CalendarConnectionConfig;
}

/**
 * One provider per configured connection, chosen by its `provider` field. With `secrets`, the
 * provider holds its secret sealed and opens it per request; without, it reads the configuration's
 * value as given (an environment reference at each use; a sealed value then cannot be opened).
 */
export function openCalendarProvider(
  connection: CalendarConnectionConfig,
  settings: Pick<CalendarsConfig, "defaultTimezone" | "maxEventsPerPerson">,
  secrets?: CalendarSecrets,
): CalendarProvider {
  const c = secrets ? sealConnectionSecrets(connection, secrets) : connection;
  const open = { secrets: secrets?.box, env: secrets?.env };
  switch (c.provider) {
    case "google":
      return new GoogleCalendarProvider(c, { maxEventsPerPerson: settings.maxEventsPerPerson, ...open });
    case "graph":
      return new GraphCalendarProvider(c, { maxEventsPerPerson: settings.maxEventsPerPerson, ...open });
    case "caldav":
      return new CaldavCalendarProvider(c, { defaultTimezone: settings.defaultTimezone, maxEventsPerPerson: settings.maxEventsPerPerson, ...open });
  }
}

/** Doctor's row on where a connection's secret is kept (never its value). */
export function secretStorageRow(connection: CalendarConnectionConfig): CalendarCheckRow {
  const field = CALENDAR_SECRET_FIELDS[connection.provider];
  const value = (connection as Record<string, unknown>)[field];
  const check = `calendar ${connection.id}: secret`;
  switch (secretSource(value)) {
    case "sealed":
      return { check, status: "ok", detail: `${field} is sealed with FULCRUM_SECRET_KEY` };
    case "env":
      return { check, status: "ok", detail: `${field} is read from the environment variable ${(value as { env: string }).env}` };
    case "inline":
      return {
        check,
        status: "warn",
        detail: `${field} is written in clear in the configuration`,
        fix: `Move it to an environment variable ({ env: NAME }) or seal it: fulcrum calendars seal --connection ${connection.id}`,
      };
  }
}

/** What was read for one Lever user. */
export type InterviewerAvailability =
  | ({ leverUserId: string; ok: true; source: "configured" | "provider" | "default"; notes: string[] } & Availability)
  | { leverUserId: string; ok: false; error: string; retryable: boolean };

export interface ReadAvailabilityInput {
  users: LeverUserRef[];
  window: TimeRange;
  /** Minutes kept free around every blocking event (the panel's buffer). */
  bufferMinutes?: number | undefined;
}

/**
 * Reads free/busy for each Lever user, live, and applies the policy of `calendars:`. One result per
 * user, in order; a person who cannot be read (unknown, no calendar, calendar not found, e-mail
 * only) gets `ok: false` with the reason, so the caller can say who blocks the panel.
 */
export async function readAvailability(
  config: CalendarsConfig,
  providers: ReadonlyMap<string, CalendarProvider>,
  input: ReadAvailabilityInput,
): Promise<InterviewerAvailability[]> {
  const results = new Map<string, InterviewerAvailability>();
  const byConnection = new Map<string, CalendarIdentity[]>();
  for (const user of input.users) {
    try {
      const identity = resolveIdentity(user, config);
      if ("emailOnly" in identity) {
        results.set(user.id, {
          leverUserId: user.id,
          ok: false,
          error: `${identity.email} has no connected calendar (emailOnly): free/busy cannot be read`,
          retryable: false,
        });
        continue;
      }
      const list = byConnection.get(identity.connectionId) ?? [];
      list.push(identity);
      byConnection.set(identity.connectionId, list);
    } catch (error) {
      if (!(error instanceof UnknownIdentityError)) throw error;
      results.set(user.id, { leverUserId: user.id, ok: false, error: error.message, retryable: false });
    }
  }
  for (const [connectionId, identities] of byConnection) {
    const provider = providers.get(connectionId);
    let read: FreeBusyResult[];
    try {
      if (!provider) throw new Error(`calendar connection "${connectionId}" is not open`);
      read = await provider.freeBusy(identities, input.window);
    } catch (error) {
      const retryable = error instanceof CalendarError ? error.retryable : false;
      for (const i of identities) results.set(i.id, { leverUserId: i.id, ok: false, error: (error as Error).message, retryable });
      continue;
    }
    for (const [n, identity] of identities.entries()) {
      const fb = read[n];
      if (!fb || fb.error) {
        results.set(identity.id, { leverUserId: identity.id, ok: false, error: fb?.error ?? `no answer for ${identity.email}`, retryable: false });
        continue;
      }
      try {
        const time = resolveWorkingTime(identity.email, {
          configured: { timezone: identity.timezone, workingHours: identity.workingHours },
          provider: fb,
          defaults: { timezone: config.defaultTimezone, workingHours: config.defaultWorkingHours },
        });
        const availability = normaliseAvailability({
          identity: { id: identity.id, email: identity.email },
          timezone: time.timezone,
          window: input.window,
          items: fb.items,
          workingHours: time.workingHours,
          policy: {
            tentative: config.tentative,
            bufferMinutes: input.bufferMinutes,
            openEndedMinutes: config.openEndedMinutes,
            maxItems: config.maxEventsPerPerson,
          },
        });
        results.set(identity.id, {
          leverUserId: identity.id,
          ok: true,
          source: time.source,
          notes: [...(fb.notes ?? []), ...availability.warnings],
          ...availability,
        });
      } catch (error) {
        results.set(identity.id, { leverUserId: identity.id, ok: false, error: (error as Error).message, retryable: false });
      }
    }
  }
  return input.users.map((u) => results.get(u.id)!);
}

/**
 * `fulcrum doctor` for calendars: every configured connection's credentials, scopes or
 * permissions, and a read, tried on a person mapped to it. Never throws.
 */
export async function checkCalendarConnections(
  config: CalendarsConfig,
  open?: ((c: CalendarConnectionConfig) => CalendarProvider) | undefined,
  secrets?: CalendarSecrets,
): Promise<CalendarCheckRow[]> {
  const openWith = open ?? ((c: CalendarConnectionConfig) => openCalendarProvider(c, config, secrets));
  if (config.connections.length === 0) {
    return [
      {
        check: "calendars",
        status: "skip",
        detail: "no calendar connection is configured (calendars.connections): interviews cannot be scheduled from calendars",
        fix: "Add a Google Workspace, Microsoft 365 or CalDAV connection under calendars.connections",
      },
    ];
  }
  const rows: CalendarCheckRow[] = [];
  for (const connection of config.connections) {
    rows.push(secretStorageRow(connection));
    let provider: CalendarProvider;
    try {
      provider = openWith(connection);
    } catch (error) {
      rows.push({
        check: `calendar ${connection.id}`,
        status: "fail",
        detail: (error as Error).message,
        fix: error instanceof CalendarError ? error.fix : undefined,
      });
      continue;
    }
    // Try the checks on the first configured person this connection serves (else the provider's own subject).
    let probe: CalendarIdentity | undefined;
    for (const o of config.identities) {
      if (o.emailOnly || !(o.lever || o.email)) continue;
      try {
        const identity = resolveIdentity({ id: o.leverUserId ?? o.lever ?? "", email: o.lever ?? o.email }, config);
        if (!("emailOnly" in identity) && identity.connectionId === connection.id) {
          probe = identity;
          break;
        }
      } catch {
        // Not resolvable: the identity's own rows will say so when it is used.
      }
    }
    try {
      rows.push(...(await provider.check(probe)));
    } catch (error) {
      rows.push({ check: `calendar ${connection.id}`, status: "fail", detail: (error as Error).message });
    }
  }
  return rows;
}
