/**
 * Calendar secrets — the Google service account key, the Graph client secret, CalDAV passwords —
 * sealed like Lever's. The configuration gives each one as an environment reference
 * (`{ env: NAME }`), a value sealed with FULCRUM_SECRET_KEY (`fcs1.…`, made by
 * `fulcrum calendars seal`), or, discouraged, in clear. Opened connections hold only the sealed form
 * and open it at the moment a request needs it, so a dumped or logged configuration shows ciphertext.
 *
 * The box that seals is the engine's SecretBox (AES-256-GCM); this module only names the port it
 * needs, so that calendars import nothing from above (the configuration, below, says how a secret
 * may be given).
 */
import type { SecretReference } from "../config/index.ts";
import { CalendarError } from "./errors.ts";

export { secretReferenceSchema, type SecretReference } from "../config/index.ts";

/** What sealing needs: `createSecretBox(...)` of the engine satisfies it. */
export interface SecretSealer {
  readonly keyId: string;
  seal(plaintext: string, context?: string): string;
  open(sealed: string, context?: string): string;
}

/** A secret as the configuration may give it. */
export type SecretValue = string | SecretReference;

/** The secret field of each provider's connection. */
export const CALENDAR_SECRET_FIELDS = { google: "serviceAccountKey", graph: "clientSecret", caldav: "password" } as const;
export type CalendarSecretField = (typeof CALENDAR_SECRET_FIELDS)[keyof typeof CALENDAR_SECRET_FIELDS];

const SEALED = /^fcs1\.[^.]+\.[^.]+\.[^.]*\.[^.]+$/;

/** True for a value in the sealed format (`fcs1.<key id>.<iv>.<ciphertext>.<tag>`). */
export function isSealed(value: unknown): value is string {
  return typeof value === "string" && SEALED.test(value);
}

/**
 * Associated data bound to a sealed calendar secret: a value sealed for one connection's field does
 * not open as another's.
 */
export function calendarSecretContext(connectionId: string, field: CalendarSecretField): string {
  return `calendar:${connectionId}:${field}`;
}

/** Where a secret comes from, as doctor reports it (never the value). */
export function secretSource(value: unknown): "sealed" | "env" | "inline" {
  if (isSealed(value)) return "sealed";
  if (value && typeof value === "object" && "env" in value && Object.keys(value).length === 1) return "env";
  return "inline";
}

export interface SecretScope {
  provider: "google" | "graph" | "caldav";
  connectionId: string;
  field: CalendarSecretField;
  /** Opens sealed values; without it a sealed value cannot be used. */
  box?: SecretSealer | undefined;
  /** Where `{ env: NAME }` is looked up (default the process environment). */
  env?: NodeJS.ProcessEnv | undefined;
}

function secretError(scope: SecretScope, message: string, fix: string, cause?: unknown): CalendarError {
  return new CalendarError({
    kind: "auth",
    provider: scope.provider,
    connectionId: scope.connectionId,
    endpoint: `configuration (${scope.field})`,
    message,
    fix,
    cause,
  });
}

/**
 * The secret in clear, for the one request that needs it. A missing variable, a value sealed with
 * another key or altered, or a sealed value with no key at hand is a CalendarError naming the
 * connection and the field, never the value.
 */
export function openCalendarSecret(value: unknown, scope: SecretScope): string {
  if (isSealed(value)) {
    if (!scope.box) {
      throw secretError(
        scope,
        `${scope.field} is sealed, but no secret key was given to open it`,
        "Start Fulcrum with the FULCRUM_SECRET_KEY the value was sealed with",
      );
    }
    try {
      return scope.box.open(value, calendarSecretContext(scope.connectionId, scope.field));
    } catch (error) {
      const reason = (error as { reason?: string }).reason;
      const fix =
        reason === "wrong-key"
          ? `Start Fulcrum with the FULCRUM_SECRET_KEY it was sealed with (or FULCRUM_SECRET_KEY_PREVIOUS after a rotation), or seal it again: fulcrum calendars seal --connection ${scope.connectionId}`
          : `Seal it again for this connection: fulcrum calendars seal --connection ${scope.connectionId}`;
      throw secretError(scope, `${scope.field} could not be opened: ${(error as Error).message}`, fix, error);
    }
  }
  if (value && typeof value === "object" && "env" in value) {
    const name = (value as SecretReference).env;
    const text = (scope.env ?? process.env)[name];
    if (!text) {
      throw secretError(
        scope,
        `${scope.field} is read from the environment variable ${name}, which is not set`,
        `Set ${name} in the environment of every Fulcrum process`,
      );
    }
    return text;
  }
  if (typeof value === "string" && value.length > 0) return value;
  if (value && typeof value === "object") return JSON.stringify(value);
  throw secretError(scope, `${scope.field} is empty`, `Give ${scope.field} as { env: NAME } or a sealed value`);
}

/**
 * The secret sealed for this connection's field: environment references are read now (so a missing
 * variable stops start-up, not the first booking), values in clear are sealed, and sealed values
 * are checked to open with the current key.
 */
export function sealCalendarSecret(value: unknown, scope: SecretScope & { box: SecretSealer }): string {
  if (isSealed(value)) {
    openCalendarSecret(value, scope);
    return value;
  }
  return scope.box.seal(openCalendarSecret(value, scope), calendarSecretContext(scope.connectionId, scope.field));
}
