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

  toJSON(): { error: { code: string; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}
