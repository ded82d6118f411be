/**
 * The one error type of the sandbox API: handlers throw it, the app turns it into Lever's error
 * body `{code, message}` in one place.
 *
 * Lever's documentation confirms two `code` values, `ResourceNotFound` (404) and `RequestTimeout`
 * (408-style, "File took too long to upload."). Both are the codes of the restify error classes
 * (`ResourceNotFoundError`, `RequestTimeoutError`): the class name without its `Error` suffix. The
 * other codes here follow that same rule for the status (our inference, unconfirmed by Lever), so
 * no code carries an `Error` suffix and each status has exactly one code.
 */
export const leverErrorCodes = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "ResourceNotFound",
  408: "RequestTimeout",
  413: "PayloadTooLarge",
  422: "UnprocessableEntity",
  429: "TooManyRequests",
  500: "InternalServer",
  503: "ServiceUnavailable",
} as const;

export type LeverErrorStatus = keyof typeof leverErrorCodes;

export class SandboxError extends Error {
  readonly status: LeverErrorStatus;
  readonly code: string;

  /** An error answered with `status` and Lever's code for it. */
  constructor(status: LeverErrorStatus, message: string) {
    super(message);
    this.name = "SandboxError";
    this.status = status;
    this.code = leverErrorCodes[status];
  }
}

/** Lever's error body for a status, e.g. `{code: "BadRequest", message}`. */
export function leverErrorBody(status: LeverErrorStatus, message: string): { code: string; message: string } {
  return { code: leverErrorCodes[status], message };
}

/** 404 with Lever's wording, e.g. `stages a80b… was not found`. */
export function notFound(kind: string, id: string): SandboxError {
  return new SandboxError(404, `${kind} ${id} was not found`);
}

/** 400: a parameter is missing or malformed. */
export function badRequest(message: string): SandboxError {
  return new SandboxError(400, message);
}

/** 400 as Lever answers a write that needs `perform_as` when the query string has none. */
export function missingPerformAs(): SandboxError {
  return badRequest("Missing required query parameter: perform_as");
}
