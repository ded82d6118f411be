/**
 * The one error type calendar providers throw. It says which connection and endpoint failed, what
 * kind of failure it was, what to do (`fix`, e.g. the scope to grant), and whether a retry can help,
 * so the engine steers retries by fields and nobody parses messages.
 */

export type CalendarErrorKind =
  /** Credentials refused or expired beyond refresh. */
  | "auth"
  /** Authenticated, but a scope, delegation or permission is missing. */
  | "permission"
  /** The calendar, user or event does not exist. */
  | "not-found"
  /** 429 or a quota: wait `retryAfterMs`. */
  | "rate-limited"
  /** 5xx, timeouts, network failures. */
  | "unavailable"
  /** The provider refused what we sent, or answered in a shape we do not understand. */
  | "invalid"
  /** CalDAV etag mismatch: the event changed since it was read. */
  | "conflict"
  /** A sync cursor expired (410): read everything again. */
  | "gone";

export class CalendarError extends Error {
  override readonly name = "CalendarError";
  readonly kind: CalendarErrorKind;
  /** `google`, `graph`, `caldav` or `email`. */
  readonly provider: string;
  /** `calendars.connections[].id`. */
  readonly connectionId: string;
  /** e.g. `POST /freeBusy` — never a URL with credentials or a token. */
  readonly endpoint: string;
  readonly status: number | undefined;
  /** The provider's own error code (`notFound`, `ErrorAccessDenied`, `unauthorized_client`…). */
  readonly code: string | undefined;
  /** What a person should do about it. */
  readonly fix: string | undefined;
  readonly retryable: boolean;
  /** How long the provider asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(input: {
    kind: CalendarErrorKind;
    provider: string;
    connectionId: string;
    endpoint: string;
    message: string;
    status?: number | undefined;
    code?: string | undefined;
    fix?: string | undefined;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    super(`${input.provider} calendar connection "${input.connectionId}", ${input.endpoint}: ${input.message}${input.fix ? `. ${input.fix}` : ""}`, {
      cause: input.cause,
    });
    this.kind = input.kind;
    this.provider = input.provider;
    this.connectionId = input.connectionId;
    this.endpoint = input.endpoint;
    this.status = input.status;
    this.code = input.code;
    this.fix = input.fix;
    this.retryAfterMs = input.retryAfterMs;
    this.retryable = input.kind === "rate-limited" || input.kind === "unavailable";
  }
}
