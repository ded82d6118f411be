/** Errors the API and CLI turn into clear answers. */
export class EngineError extends Error {
  override readonly name = "EngineError";
  /** HTTP status that fits: 400 bad input, 404 not found, 409 wrong state. */
  readonly status: 400 | 404 | 409;
  constructor(status: 400 | 404 | 409, message: string) {
    super(message);
    this.status = status;
  }
}

/** A step failure that retrying will not fix (bad data, missing stage, refused write). */
export class StepFailure extends Error {
  override readonly name = "StepFailure";
  readonly retryable = false;
}
