/**
 * What kind of refusal an engine error is; the caller (the HTTP layer, the CLI) chooses how to
 * answer it: `invalid` bad input, `not_found` no such thing, `conflict` not in a state that allows it.
 */
export type EngineErrorKind = "invalid" | "not_found" | "conflict";

/** Errors the API and CLI turn into clear answers. */
export class EngineError extends Error {
  override readonly name = "EngineError";
  readonly kind: EngineErrorKind;
  constructor(kind: EngineErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** A step failure that retrying will not fix (bad data, missing stage, refused write). */
export class StepFailure extends Error {
  override readonly name = "StepFailure";
  readonly retryable = false;
}
