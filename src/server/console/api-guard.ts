/**
 * The console's gate in front of the REST API (`/api/*`). A request with a session cookie is
 * resolved to its caller, checked for CSRF when it changes state, and checked against the role's
 * permissions — on the server, whatever the page shows. Requests with a bearer token pass through
 * to the API's own token check.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Queryable } from "../../store/index.ts";
import { errorReply, HttpError } from "../http-error.ts";
import { isStateChanging, originProblem, tokenProblem } from "./csrf.ts";
import { actionForApiRequest, coversPosting, permits, type Caller } from "./roles.ts";
import { readSignedIn } from "./session-cookie.ts";

export interface ApiGuardOptions {
  db: Queryable;
  publicUrl?: string | undefined;
  /** The Lever posting a proposal belongs to (for the hiring-manager check); undefined when unknown. */
  proposalPosting: (proposalId: string) => Promise<string | null | undefined>;
}

/** Sets the resolved caller on the context, under both names the API may read. */
export function setCaller(c: Context, caller: Caller): void {
  (c.set as (key: string, value: unknown) => void)("caller", caller);
  (c.set as (key: string, value: unknown) => void)("auth", caller);
}

/** The caller the guard resolved for this request, if any. */
export function getCaller(c: Context): Caller | undefined {
  return (c.get as (key: string) => unknown)("caller") as Caller | undefined;
}

export function createApiGuard(options: ApiGuardOptions): MiddlewareHandler {
  return async (c, next) => {
    if (/^bearer\s/i.test(c.req.header("authorization") ?? "")) return next();
    const signedIn = await readSignedIn(c, options.db);
    if (!signedIn) return errorReply(c, new HttpError(401, "unauthenticated", "Sign in to the console first, or send an API bearer token."));
    const { caller } = signedIn;
    if (isStateChanging(c.req.method)) {
      const problem = originProblem(c, options.publicUrl) ?? tokenProblem(c, signedIn.session.csrfToken);
      if (problem) return errorReply(c, new HttpError(403, "cross_site", `Refused as a possible cross-site request: ${problem}.`));
    }
    const action = actionForApiRequest(c.req.method, c.req.path);
    if (!permits(caller.role, action)) {
      return errorReply(c, new HttpError(403, "forbidden", `The ${caller.role.replace("_", " ")} role may not do this (${action}).`));
    }
    const proposalId = /^\/api\/proposals\/([^/]+)/.exec(c.req.path)?.[1];
    if (caller.role === "hiring_manager" && proposalId) {
      const posting = await options.proposalPosting(decodeURIComponent(proposalId));
      if (!coversPosting(caller, posting)) {
        return errorReply(c, new HttpError(403, "forbidden", "This proposal belongs to a posting you do not manage."));
      }
    }
    setCaller(c, caller);
    await next();
  };
}
