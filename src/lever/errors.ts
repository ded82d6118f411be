/**
 * Errors the Lever client throws. Each carries what a person or the engine needs: Lever's `code`
 * and `message`, the HTTP status, the endpoint, and whether a retry can help. Nobody parses messages.
 */

/** Lever answered with an error status. */
export class LeverApiError extends Error {
  override readonly name: string = "LeverApiError";
  /** HTTP status (e.g. 400, 404, 500). */
  readonly status: number;
  /** Lever's error code (`ResourceNotFound`, `RequestTimeout`, …) when the body carried one. */
  readonly code: string | undefined;
  /** Lever's own message, verbatim (never includes request bodies). */
  readonly leverMessage: string | undefined;
  /** `GET /opportunities/:opportunity` style: which endpoint failed. */
  readonly endpoint: string;
  /** True for 429 and 5xx: the same request may succeed later. */
  readonly retryable: boolean;
  /** Milliseconds Lever asked us to wait (`Retry-After`), if it said. */
  readonly retryAfterMs: number | undefined;
  constructor(input: {
    status: number;
    code?: string | undefined;
    message?: string | undefined;
    endpoint: string;
    retryable?: boolean;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    const detail = [input.code, input.message].filter(Boolean).join(": ");
    super(`Lever ${input.endpoint} answered ${input.status}${detail ? ` (${detail})` : ""}`, { cause: input.cause });
    this.status = input.status;
    this.code = input.code;
    this.leverMessage = input.message;
    this.endpoint = input.endpoint;
    this.retryable = input.retryable ?? (input.status === 429 || input.status >= 500);
    this.retryAfterMs = input.retryAfterMs;
  }
}

/**
 * 403: the API key (or OAuth app) lacks the permission for this endpoint. `permission` names the
 * checkbox to tick in Lever's Settings → Integrations and API → API Credentials, as Lever words it.
 */
export class LeverPermissionError extends LeverApiError {
  override readonly name: string = "LeverPermissionError";
  /** The API-key permission to add, e.g. "Create an opportunity note". */
  readonly permission: string;
  /** False when the wording is our inference from Lever's pattern, not confirmed verbatim. */
  readonly permissionConfirmed: boolean;
  /** The OAuth scope that covers the endpoint, for OAuth connections. */
  readonly scope: string | undefined;
  constructor(input: {
    code?: string | undefined;
    message?: string | undefined;
    endpoint: string;
    permission: string;
    permissionConfirmed: boolean;
    scope?: string | undefined;
  }) {
    super({ ...input, status: 403, retryable: false });
    this.message = `${this.message}. The Lever API key lacks the permission "${input.permission}": a Super Admin can add it in Lever under Settings → Integrations and API → API Credentials${input.scope ? ` (OAuth scope: ${input.scope})` : ""}.`;
    this.permission = input.permission;
    this.permissionConfirmed = input.permissionConfirmed;
    this.scope = input.scope;
  }
}

/** 429 from Lever, after the client's own retries ran out. */
export class LeverRateLimitError extends LeverApiError {
  override readonly name: string = "LeverRateLimitError";
  constructor(input: { code?: string | undefined; message?: string | undefined; endpoint: string; retryAfterMs?: number | undefined }) {
    super({ ...input, status: 429, retryable: true });
  }
}

/** No answer: connection refused or reset, DNS failure, or the per-request timeout. */
export class LeverNetworkError extends Error {
  override readonly name: string = "LeverNetworkError";
  readonly endpoint: string;
  readonly timedOut: boolean;
  /**
   * False only when the request certainly never reached Lever (connection refused). Otherwise a
   * write may have been applied: its outcome is unknown.
   */
  readonly maybeSent: boolean;
  readonly retryable = true;
  constructor(input: { endpoint: string; timedOut: boolean; maybeSent: boolean; cause?: unknown }) {
    super(input.timedOut ? `Lever ${input.endpoint} did not answer in time` : `Lever ${input.endpoint} could not be reached`, { cause: input.cause });
    this.endpoint = input.endpoint;
    this.timedOut = input.timedOut;
    this.maybeSent = input.maybeSent;
  }
}

/** Lever answered 2xx with a body that does not fit the expected shape (field path in the message). */
export class LeverResponseError extends Error {
  override readonly name: string = "LeverResponseError";
  readonly endpoint: string;
  constructor(endpoint: string, problem: string, options?: { cause?: unknown }) {
    super(`Lever ${endpoint} answered with an unexpected body: ${problem}`, options);
    this.endpoint = endpoint;
  }
}

/** A write that needs `perform_as` was attempted with no perform-as user configured. */
export class LeverPerformAsRequiredError extends Error {
  override readonly name: string = "LeverPerformAsRequiredError";
  readonly endpoint: string;
  constructor(endpoint: string) {
    super(
      `Lever ${endpoint} needs a "perform as" user (perform_as): set the connection's perform-as user ` +
        `(LEVER_PERFORM_AS, an e-mail resolved to a Lever user id) or pass { performAs } to this call`,
    );
    this.endpoint = endpoint;
  }
}

/**
 * A write whose outcome stayed unknown (timeouts or lost answers on every attempt) and that could not
 * be checked against Lever. The write ledger holds it as `unknown`; the next attempt with the same key
 * checks Lever before writing.
 */
export class LeverWriteOutcomeUnknownError extends Error {
  override readonly name: string = "LeverWriteOutcomeUnknownError";
  readonly endpoint: string;
  readonly key: string;
  readonly retryable = true;
  constructor(endpoint: string, key: string, options?: { cause?: unknown; reason?: string }) {
    super(
      `Lever ${endpoint}: the outcome of write "${key}" is unknown${options?.reason ? ` (${options.reason})` : ""}; ` +
        `a retry with the same key checks Lever before writing`,
      { cause: options?.cause },
    );
    this.endpoint = endpoint;
    this.key = key;
  }
}

/** The same idempotency key was used for two different operations. */
export class LeverIdempotencyKeyConflictError extends Error {
  override readonly name: string = "LeverIdempotencyKeyConflictError";
  constructor(key: string, recorded: string, attempted: string) {
    super(`write key "${key}" was used for ${recorded}; it cannot be reused for ${attempted}`);
  }
}
