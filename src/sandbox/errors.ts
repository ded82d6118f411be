/**
 * The one error type of the sandbox API: handlers throw it, the app turns it into Lever's error
 * body `{code, message}` in one place.
 */
export class SandboxError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "SandboxError";
    this.status = status;
    this.code = code;
  }
}

/** 404 with Lever's wording, e.g. `stages a80b… was not found`. */
export function notFound(kind: string, id: string): SandboxError {
  return new SandboxError(404, "ResourceNotFound", `${kind} ${id} was not found`);
}

export function badRequest(message: string): SandboxError {
  return new SandboxError(400, "BadRequestError", message);
}
