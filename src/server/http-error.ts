import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiErrorBody } from "../contract/console-api.ts";

/**
 * What kind of refusal an error below the HTTP layer is (the engine's `EngineError`, the console's
 * stores): the error says what went wrong, and only this layer chooses the status code.
 */
export type ErrorKind = "invalid" | "not_found" | "conflict" | "forbidden";

const STATUS_OF_KIND: Record<ErrorKind, ContentfulStatusCode> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 };
const CODE_OF_KIND: Record<ErrorKind, string> = { invalid: "bad_request", forbidden: "forbidden", not_found: "not_found", conflict: "conflict" };

/**
 * The one error type HTTP handlers throw. `createApp` turns it into a JSON reply in one place:
 * `{ "error": { "code": "...", "message": "..." } }` with the given status.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  /** Stable machine-readable reason, e.g. `signature_invalid`. */
  readonly code: string;
  /** Extra fields for the JSON body (never secrets or request contents). */
  readonly details: Record<string, unknown> | undefined;
  /**
   * @example
   * throw new HttpError(404, "connection_unknown", `no connection named "${id}"`);
   */
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /**
   * The HTTP answer to a refusal of a kind: invalid 400, forbidden 403, not_found 404, conflict 409.
   *
   * @example
   * if (error instanceof EngineError) throw HttpError.of(error.kind, error.message);
   */
  static of(kind: ErrorKind, message: string, code = CODE_OF_KIND[kind], details?: Record<string, unknown>): HttpError {
    return new HttpError(STATUS_OF_KIND[kind], code, message, details);
  }

  toJSON(): ApiErrorBody {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}

/**
 * The JSON reply for an HttpError, for the places that answer instead of throwing (middleware
 * guards, Hono's own hooks). Handlers throw; `createApp` and the console's API answer with this.
 */
export function errorReply(c: Context, error: HttpError): Response {
  return c.json(error.toJSON(), error.status as ContentfulStatusCode);
}
