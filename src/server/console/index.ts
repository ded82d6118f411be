/**
 * The console's server side: sign-in, sessions, CSRF, roles, live events and the single-page app.
 *
 * @example
 * const consoleApp = createConsole({ db, logger, publicUrl: config.publicUrl, engineEvents });
 * app.use("/api/*", consoleApp.apiGuard);   // before the API routes
 * // … the API, webhooks, health …
 * app.route("/", consoleApp.routes);        // last: the page answers every other navigation
 */
import type { EventEmitter } from "node:events";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { engineEvents as defaultEngineEvents, proposalPostingId } from "../../engine/index.ts";
import type { Logger } from "../../observability/index.ts";
import type { Database, Queryable } from "../../store/index.ts";
import { createApiGuard } from "./api-guard.ts";
import { readSignedIn } from "./session-cookie.ts";
import type { ThrottlePolicy } from "./login-throttle.ts";
import type { ScryptCost } from "./passwords.ts";
import { mountConsoleApi, type ConsoleServices } from "./console-api.ts";
import { createConsoleRoutes, type ConsoleGuard } from "./routes.ts";
import type { SingleSignOnSettings } from "./single-sign-on.ts";
import { DEFAULT_DIST_DIR } from "./static-files.ts";
import { mountSandboxActivity } from "./sandbox-activity.ts";

export { createApiGuard, getCaller, setCaller } from "./api-guard.ts";
export { ensureFirstAdmin, firstAdminBanner } from "./first-admin.ts";
export { checkFourEyes, fourEyesRequired, fourEyesState, FourEyesError, setFourEyes } from "./four-eyes.ts";
export { DEFAULT_THROTTLE, type ThrottlePolicy } from "./login-throttle.ts";
export { hashPassword, verifyPassword, generatePassword, passwordProblem, DEFAULT_SCRYPT_COST, type ScryptCost } from "./passwords.ts";
export { actionForApiRequest, coversPosting, permits, ROLES, roleSchema, type Action, type Caller, type Role } from "./roles.ts";
export { readSignedIn, SESSION_COOKIE, CSRF_COOKIE, type SignedIn } from "./session-cookie.ts";
export { signIn, type SignInResult } from "./sign-in.ts";
export { consoleBuilt, DEFAULT_DIST_DIR } from "./static-files.ts";
export { consoleServicesFor } from "./services.ts";
export type { SingleSignOnSettings } from "./single-sign-on.ts";
export {
  buildFairnessReport,
  fairnessCsv,
  DIMENSION_LABELS,
  MEASURES,
  type EeoResponse,
  type EeoSource,
  type FairnessReport,
  type FairnessSources,
} from "./fairness-report.ts";
export { createUser, findUserByEmail, listUsers, setPassword, updateUser, UserError, type ConsoleUser } from "./users.ts";
export type { ConsoleGuard } from "./routes.ts";
export type { AuditPort, ConnectionsPort, ConsoleServices, SettingsPort } from "./console-api.ts";
export { cachedPostings, type PostingChoice, type PostingsPort } from "./postings.ts";
export { promptChoices, replayOnHistory, ReplayError, type PromptChoice, type ReplayResult, type ReplayRow, type ReplayStep } from "./replay.ts";
export { dryRunners, type DryRunDeps, type DryRunner, type DryRunnerFactory, type PromptPin } from "./dry-runs.ts";

export interface ConsoleOptions {
  db: Database;
  logger: Logger;
  /** The public URL of the server; its origin is accepted on state-changing requests. */
  publicUrl?: string | undefined;
  /** The engine's event emitter (`proposal.created`, `proposal.decided`, `run.updated`); default: the engine's own. */
  engineEvents?: EventEmitter | undefined;
  /** The built console; defaults to `web/dist`. */
  distDir?: string | undefined;
  /** The Lever posting of a proposal, for the hiring-manager check; default: read from the proposals table. */
  proposalPosting?: ((proposalId: string) => Promise<string | null | undefined>) | undefined;
  scryptCost?: ScryptCost | undefined;
  throttle?: ThrottlePolicy | undefined;
  /** OpenID Connect single sign-on (`config.oidc`), when configured. */
  sso?: SingleSignOnSettings | undefined;
  /** Services from other modules behind the console's pages (audit, connections, settings…). */
  services?: ConsoleServices | undefined;
  /** Extra console endpoints under `/console/api`. */
  extend?: ((api: Hono, guard: ConsoleGuard) => void) | undefined;
}

export interface Console {
  /** Mount on `/api/*` before the API routes. */
  apiGuard: MiddlewareHandler;
  /** Mount at `/` after every other route. */
  routes: Hono;
}

export function createConsole(options: ConsoleOptions): Console {
  const proposalPosting = options.proposalPosting ?? ((id: string) => postingOfStoredProposal(options.db, id));
  return {
    apiGuard: createApiGuard({ db: options.db, publicUrl: options.publicUrl, proposalPosting }),
    routes: createConsoleRoutes({
      db: options.db,
      logger: options.logger,
      publicUrl: options.publicUrl,
      engineEvents: options.engineEvents ?? defaultEngineEvents,
      proposalPosting,
      sso: options.sso,
      postings: options.services?.postings,
      sandbox: options.services?.sandbox !== undefined,
      distDir: options.distDir ?? DEFAULT_DIST_DIR,
      scryptCost: options.scryptCost,
      throttle: options.throttle,
      extend: (api, guard) => {
        mountConsoleApi(api, guard, options.services ?? {}, options.db);
        mountSandboxActivity(api, guard, options.services?.sandboxActivity);
        options.extend?.(api, guard);
      },
    }),
  };
}

/** The posting of a proposal as the engine stored it; undefined for an unknown id. */
async function postingOfStoredProposal(db: Queryable, id: string): Promise<string | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await proposalPostingId(db, Number(id))) ?? undefined;
}

/** True when the request carries a console session of an admin (e.g. to start an OAuth connect flow). */
export function consoleAdmin(db: Queryable): (c: Context) => Promise<boolean> {
  return async (c) => (await readSignedIn(c, db))?.caller.role === "admin";
}
