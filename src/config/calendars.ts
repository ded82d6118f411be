/**
 * The `calendars:` section of the configuration: connections (Google Workspace, Microsoft 365,
 * CalDAV), how Lever users map to calendar identities, and the availability policy. The config
 * loader validates it with these schemas and reports the path of a bad value; `calendars/` takes
 * its settings' types from here.
 */
import { z } from "zod";
import { IANAZone } from "luxon";

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time "HH:MM" from 00:00 to 24:00');

/** Working hours of one weekday: a list of `["09:00", "17:00"]` ranges in the owner's zone. */
export const dayHoursSchema = z.array(z.tuple([hhmm, hhmm])).refine((ranges) => ranges.every(([a, b]) => a < b), "each range must end after it starts");
export const weekdayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type WeekdayKey = (typeof weekdayKeys)[number];

/** Working hours per weekday; a weekday missing is not a working day (the scheduling request's shape). */
export const weeklyHoursSchema = z.object({
  mon: dayHoursSchema.optional(),
  tue: dayHoursSchema.optional(),
  wed: dayHoursSchema.optional(),
  thu: dayHoursSchema.optional(),
  fri: dayHoursSchema.optional(),
  sat: dayHoursSchema.optional(),
  sun: dayHoursSchema.optional(),
});
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

/** `{ env: NAME }`: the secret is in that environment variable of every Fulcrum process. */
export const secretReferenceSchema = z.strictObject({
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name (letters, digits and _)"),
});
export type SecretReference = z.infer<typeof secretReferenceSchema>;

const zone = z.string().refine((z) => IANAZone.isValidZone(z), "not an IANA time zone (e.g. Europe/Berlin)");
const connectionId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _ (at most 63)");
const httpSettings = {
  /** Deadline of one HTTP attempt. */
  timeoutMs: z.number().int().min(100).optional(),
  /** Attempts per request when the provider answers 429 or 5xx. */
  maxAttempts: z.number().int().min(1).max(10).optional(),
};

/** A Google service account's JSON key, as downloaded from the Cloud console (only the fields used). */
export const googleServiceAccountKeySchema = z.object({
  type: z.literal("service_account").optional(),
  client_email: z.email(),
  private_key: z.string().includes("PRIVATE KEY", { message: "is not a PEM private key" }),
  client_id: z.string().optional(),
  token_uri: z.url().optional(),
});
export type GoogleServiceAccountKey = z.infer<typeof googleServiceAccountKeySchema>;

export const googleConnectionSchema = z.object({
  id: connectionId,
  provider: z.literal("google"),
  /**
   * The service account key: `{ env: NAME }`, a value sealed with `fulcrum calendars seal`, or the
   * JSON text (or use `serviceAccountKeyFile`, read by the loader). Held sealed once opened.
   */
  serviceAccountKey: z.union([z.string().min(2), secretReferenceSchema, googleServiceAccountKeySchema]),
  /** A Workspace user to act as for calls that are not about one person (free/busy, doctor). */
  subject: z.email().optional(),
  /** E-mail domains this connection serves (used to route people without an override). */
  domains: z.array(z.string().min(1)).default([]),
  /**
   * `events` (default): events.list per person, which keeps tentative, out-of-office, all-day and
   * free/transparent apart. `freeBusy`: freeBusy.query, 50 people a call, busy blocks only.
   */
  read: z.enum(["events", "freeBusy"]).default("events"),
  /** For tests and proxies: where the Calendar API and the token endpoint are. */
  apiBaseUrl: z.url().optional(),
  tokenUrl: z.url().optional(),
  ...httpSettings,
});

export const graphConnectionSchema = z.object({
  id: connectionId,
  provider: z.literal("graph"),
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  /** `{ env: NAME }` or a value sealed with `fulcrum calendars seal` (in clear is accepted, and doctor warns). */
  clientSecret: z.union([z.string().min(1), secretReferenceSchema]),
  /** A mailbox to call getSchedule through (any licensed user; default the first person asked about). */
  subject: z.email().optional(),
  domains: z.array(z.string().min(1)).default([]),
  apiBaseUrl: z.url().optional(),
  /** Login host, for national clouds and tests (default Microsoft's global one). */
  loginBaseUrl: z.url().optional(),
  ...httpSettings,
});

export const caldavConnectionSchema = z.object({
  id: connectionId,
  provider: z.literal("caldav"),
  /** The server's CalDAV root, e.g. https://caldav.fastmail.com/ or a Nextcloud remote.php/dav URL. */
  serverUrl: z.url(),
  username: z.string().min(1),
  /** `{ env: NAME }` or a value sealed with `fulcrum calendars seal` (in clear is accepted, and doctor warns). */
  password: z.union([z.string().min(1), secretReferenceSchema]),
  domains: z.array(z.string().min(1)).default([]),
  ...httpSettings,
});

export const calendarConnectionSchema = z.discriminatedUnion("provider", [googleConnectionSchema, graphConnectionSchema, caldavConnectionSchema]);
export type CalendarConnectionConfig = z.infer<typeof calendarConnectionSchema>;
export type GoogleConnectionConfig = z.infer<typeof googleConnectionSchema>;
export type GraphConnectionConfig = z.infer<typeof graphConnectionSchema>;
export type CaldavConnectionConfig = z.infer<typeof caldavConnectionSchema>;

/** A person whose calendar is not found by their Lever e-mail alone, or who needs their own hours. */
export const identityOverrideSchema = z
  .object({
    /** The Lever user, by e-mail (or `leverUserId`). */
    lever: z.email().optional(),
    leverUserId: z.string().min(1).optional(),
    /** Their calendar address, when it differs from the Lever e-mail. */
    email: z.email().optional(),
    connection: connectionId.optional(),
    timezone: zone.optional(),
    workingHours: weeklyHoursSchema.optional(),
    /** CalDAV only: the calendar collection to use. */
    calendarUrl: z.string().min(1).optional(),
    /** True for someone who has no connected calendar: they get e-mail invites. */
    emailOnly: z.boolean().optional(),
  })
  .refine((o) => o.lever || o.leverUserId, "needs `lever` (the Lever user's e-mail) or `leverUserId`");

export const calendarsConfigSchema = z.object({
  connections: z.array(calendarConnectionSchema).default([]),
  identities: z.array(identityOverrideSchema).default([]),
  /** Whether a tentative event blocks (default busy). */
  tentative: z.enum(["busy", "free"]).default("busy"),
  /** Zone for people whose zone neither the configuration nor the provider gives. */
  defaultTimezone: zone.default("UTC"),
  /** Working hours for people without their own (default Monday–Friday 09:00–17:00). */
  defaultWorkingHours: weeklyHoursSchema.optional(),
  /** Length given to an event that has no end, in minutes. */
  openEndedMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** How often booked panels' calendars are read for declines, cancellations and moves, in seconds (rounded up to whole minutes). */
  pollSeconds: z.number().int().min(60).max(86_400).default(300),
  /** Most events read for one person in one window; more is an error, not unbounded memory. */
  maxEventsPerPerson: z.number().int().min(100).max(1_000_000).default(20_000),
});
export type CalendarsConfig = z.infer<typeof calendarsConfigSchema>;
export type CalendarsConfigInput = z.input<typeof calendarsConfigSchema>;
