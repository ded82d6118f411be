/**
 * Errors that tell the engine what to do with a failed AI step, so nobody parses messages.
 */

/** Retrying will not help (bad input, a missing prompt, a provider refusing our credentials). */
export class NonRetriableError extends Error {
  override readonly name = "NonRetriableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Try again at `retryAt`, not before (the provider's circuit is open, or it asked us to wait). */
export class RetryAfterError extends Error {
  override readonly name = "RetryAfterError";
  /** The earliest useful moment to retry. */
  readonly retryAt: Date;
  constructor(message: string, retryAt: Date, options?: { cause?: unknown }) {
    super(message, options);
    this.retryAt = retryAt;
  }
}
