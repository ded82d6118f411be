/**
 * Refusing to send a Lever key where it may not go. The policy (Lever's hosts, the operator's
 * FULCRUM_LEVER_ALLOWED_HOSTS) is part of the configuration (`src/config/lever.ts`), which checks
 * base URLs when it loads; this is the client's own check of the same policy.
 */
import { LEVER_HOSTS_HELP, leverBaseUrlProblem } from "../config/index.ts";

/** A base URL that may not receive a Lever key; `message` says why and what is allowed. */
export class LeverHostNotAllowedError extends Error {
  override readonly name = "LeverHostNotAllowedError";
  readonly url: string;
  constructor(url: string, problem: string) {
    super(`${problem}. ${LEVER_HOSTS_HELP}.`);
    this.url = url;
  }
}

/** Throws LeverHostNotAllowedError when `baseUrl` may not receive a Lever key. */
export function assertLeverBaseUrl(baseUrl: string, allowed: readonly string[] = []): void {
  const problem = leverBaseUrlProblem(baseUrl, allowed);
  if (problem) throw new LeverHostNotAllowedError(baseUrl, problem);
}
