/**
 * The console's own HTTP routes: sign-in and sign-out, the session, account management, live
 * events, and the single-page app. Mounted last on the server so that the API, webhooks, health
 * and metrics routes win.
 */
import type { EventEmitter } from "node:events";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import { z } from "zod";
import { CARD_AGES, CARD_CONFIDENCES } from "../../engine/index.ts";
import type { Logger } from "../../observability/index.ts";
import type { Database } from "../../store/index.ts";
import { errorReply, HttpError } from "../http-error.ts";
import type {
  ConsoleUser as ContractUser,
  FourEyesReply,
  PostingList,
  ProposalCardList,
  ScheduledPanelList,
  People,
  ProposalContextReply,
  ProposalLabels,
  RunLabels,
  SchedulingContextReply,
  Session,
  Status,
  TranscriptReply,
  UserList,
  UserReply,
} from "../../contract/console-api.ts";
import { isStateChanging, originProblem, tokenProblem } from "./csrf.ts";
import { fourEyesState, setFourEyes } from "./four-eyes.ts";
import { streamLiveEvents } from "./live-events.ts";
import type { ThrottlePolicy } from "./login-throttle.ts";
import type { ScryptCost } from "./passwords.ts";
import { permits, roleSchema, type Action } from "./roles.ts";
import { clearSessionCookies, clientIp, readSignedIn, SESSION_COOKIE, setSessionCookies, type SignedIn } from "./session-cookie.ts";
import { namesOfActors, MAX_ACTORS } from "./people.ts";
import { unknownPostingIds, type PostingsPort } from "./postings.ts";
import { interviewTranscript } from "./interview-transcript.ts";
import { proposalCards } from "./proposal-cards.ts";
import { proposalContext, proposalLabels, runLabels } from "./proposal-context.ts";
import { listScheduledPanels, schedulingContext } from "./scheduling-panels.ts";
import { markPanelNoShow } from "./scheduling-no-show.ts";
import { deleteSession } from "./sessions.ts";
import { signIn } from "./sign-in.ts";
import { mountSingleSignOn, type SingleSignOnSettings } from "./single-sign-on.ts";
import { serveConsoleAssets, serveConsolePage } from "./static-files.ts";
import { createUser, listUsers, setPassword, updateUser, UserError, type ConsoleUser } from "./users.ts";

export interface ConsoleRoutesOptions {
  db: Database;
  logger: Logger;
  publicUrl?: string | undefined;
  engineEvents?: EventEmitter | undefined;
  distDir: string;
  scryptCost?: ScryptCost | undefined;
  throttle?: ThrottlePolicy | undefined;
  proposalPosting?: ((id: string) => Promise<string | null | undefined>) | undefined;
  /** OpenID Connect single sign-on, when configured. */
  sso?: SingleSignOnSettings | undefined;
  /** Lever postings to pick a hiring manager's from; posting ids not among them are refused. */
  postings?: PostingsPort | undefined;
  /** True when Fulcrum runs against its built-in Lever sandbox (the page then links nothing to real Lever). */
  sandbox?: boolean | undefined;
  /** Extra console endpoints (audit, fairness, replay…) mounted under `/console/api`. */
  extend?: ((api: Hono, guard: ConsoleGuard) => void) | undefined;
}

/** Checks a console API request: signed in, allowed, and (when it changes state) not forged. */
export type ConsoleGuard = (c: Context, action: Action) => Promise<SignedIn | Response>;

export function publicUser(user: ConsoleUser): ContractUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    postingIds: user.postingIds,
    disabled: user.disabled,
    lockedUntil: user.lockedUntil?.toISOString() ?? null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}

const loginSchema = z.object({ email: z.string().max(254), password: z.string().max(1024) });
const newUserSchema = z.object({
  email: z.string().max(254),
  name: z.string().max(200).optional(),
  role: roleSchema,
  password: z.string().max(1024),
  postingIds: z.array(z.string().max(100)).max(1000).optional(),
});
const userChangesSchema = z.object({
  role: roleSchema.optional(),
  name: z.string().max(200).optional(),
  postingIds: z.array(z.string().max(100)).max(1000).optional(),
  disabled: z.boolean().optional(),
  password: z.string().max(1024).optional(),
});

/** A refusal of a request that may have been forged by another site. */
function crossSite(problem: string): HttpError {
  return new HttpError(403, "cross_site", `Refused as a possible cross-site request: ${problem}.`);
}

async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return { ok: false, response: errorReply(c, new HttpError(400, "bad_json", "The request body is not JSON.")) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, response: errorReply(c, new HttpError(400, "bad_body", `${issue.path.join(".") || "body"}: ${issue.message}`)) };
  }
  return { ok: true, value: parsed.data };
}

export function createConsoleRoutes(options: ConsoleRoutesOptions): Hono {
  const { db, logger, publicUrl } = options;
  const app = new Hono();

  const guard: ConsoleGuard = async (c, action) => {
    const signedIn = await readSignedIn(c, db);
    if (!signedIn) return errorReply(c, new HttpError(401, "unauthenticated", "Sign in first."));
    if (isStateChanging(c.req.method)) {
      const problem = originProblem(c, publicUrl) ?? tokenProblem(c, signedIn.session.csrfToken);
      if (problem) return errorReply(c, crossSite(problem));
    }
    if (!permits(signedIn.caller.role, action)) {
      return errorReply(c, new HttpError(403, "forbidden", `The ${signedIn.caller.role.replace("_", " ")} role may not do this (${action}).`));
    }
    return signedIn;
  };

  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  const api = new Hono();
  api.use("*", bodyLimit({ maxSize: 256 * 1024, onError: (c) => errorReply(c, new HttpError(413, "body_too_large", "The request body is too large.")) }));

  api.post("/login", async (c) => {
    // Login CSRF: a foreign page must not sign the browser in to an attacker's account.
    const problem = originProblem(c, publicUrl);
    if (problem) throw crossSite(problem);
    const body = await readJson(c, loginSchema);
    if (!body.ok) return body.response;
    const result = await signIn(
      db,
      {
        email: body.value.email,
        password: body.value.password,
        ip: clientIp(c),
        userAgent: c.req.header("user-agent"),
        previousSessionId: getCookie(c, SESSION_COOKIE),
      },
      { scryptCost: options.scryptCost, throttle: options.throttle },
    );
    if (!result.ok) {
      logger.info({ reason: result.reason }, "console sign-in refused");
      if (result.retryAfterSeconds) c.header("Retry-After", String(result.retryAfterSeconds));
      const status = result.reason === "throttled" ? 429 : 401;
      throw new HttpError(status, result.reason === "throttled" ? "throttled" : "sign_in_refused", result.message);
    }
    setSessionCookies(c, publicUrl, result.session);
    logger.info({ userId: result.user.id, role: result.user.role }, "console sign-in");
    return c.json({ user: publicUser(result.user), csrfToken: result.session.csrfToken } satisfies Session);
  });

  api.post("/logout", async (c) => {
    const signedIn = await readSignedIn(c, db);
    if (signedIn) {
      const problem = originProblem(c, publicUrl) ?? tokenProblem(c, signedIn.session.csrfToken);
      if (problem) throw crossSite(problem);
      await deleteSession(db, signedIn.sessionId);
    }
    clearSessionCookies(c);
    return c.body(null, 204);
  });

  api.get("/session", async (c) => {
    const signedIn = await readSignedIn(c, db);
    if (!signedIn) throw new HttpError(401, "unauthenticated", "Not signed in.");
    c.header("Cache-Control", "no-store");
    return c.json({ user: publicUser(signedIn.user), csrfToken: signedIn.session.csrfToken } satisfies Session);
  });

  // What the page needs before it draws anything, answered 200 whether or not anyone is signed in:
  // a signed-out visit is normal, not an error in the browser's console.
  api.get("/status", async (c) => {
    c.header("Cache-Control", "no-store");
    const signedIn = await readSignedIn(c, db);
    const sso = options.sso ? { name: options.sso.name, start: "/console/sso/start" } : null;
    const sandbox = options.sandbox ?? false;
    if (!signedIn) return c.json({ signedIn: false, user: null, sso, sandbox } satisfies Status);
    return c.json({ signedIn: true, user: publicUser(signedIn.user), csrfToken: signedIn.session.csrfToken, sso, sandbox } satisfies Status);
  });

  // Display names for recorded actors (`user:<id>`), so pages show people instead of ids.
  api.get("/people", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const actors = c.req.queries("actor") ?? [];
    if (actors.length > MAX_ACTORS) throw new HttpError(400, "bad_query", `actor: at most ${MAX_ACTORS} at a time (${actors.length} given).`);
    return c.json({ people: await namesOfActors(db, actors) } satisfies People);
  });

  api.get("/run-labels", async (c) => {
    const g = await guard(c, "runs:read");
    if (g instanceof Response) return g;
    const ids = (c.req.query("ids") ?? "").split(",").filter(Boolean);
    return c.json({ labels: await runLabels(db, ids) } satisfies RunLabels);
  });

  api.get("/postings", async (c) => {
    const g = await guard(c, "users:manage");
    if (g instanceof Response) return g;
    if (!options.postings) throw new HttpError(501, "not_available", "Listing Lever postings is not available in this deployment.");
    try {
      return c.json({ postings: await options.postings() } satisfies PostingList);
    } catch (error) {
      throw new HttpError(502, "lever_failed", `Could not read the postings from Lever: ${(error as Error).message}`);
    }
  });

  /** A response refusing posting ids that are not postings in Lever; undefined when all are known (or cannot be checked here). */
  const postingProblem = async (c: Context, ids: string[] | undefined): Promise<Response | undefined> => {
    if (!ids?.length || !options.postings) return undefined;
    let unknown: string[];
    try {
      unknown = unknownPostingIds(await options.postings(), ids);
    } catch (error) {
      throw new HttpError(502, "lever_failed", `postingIds: could not check them against Lever (${(error as Error).message}); nothing was saved.`);
    }
    if (unknown.length === 0) return undefined;
    const list = unknown.map((id) => `"${id}"`).join(", ");
    throw new HttpError(
      400,
      "unknown_posting",
      `postingIds: ${unknown.length === 1 ? "no posting" : "no postings"} ${list} in Lever; pick the person's postings from the list. Nothing was saved.`,
    );
  };

  api.get("/users", async (c) => {
    const g = await guard(c, "users:manage");
    if (g instanceof Response) return g;
    return c.json({ users: (await listUsers(db)).map(publicUser) } satisfies UserList);
  });

  api.post("/users", async (c) => {
    const g = await guard(c, "users:manage");
    if (g instanceof Response) return g;
    const body = await readJson(c, newUserSchema);
    if (!body.ok) return body.response;
    const refused = await postingProblem(c, body.value.postingIds);
    if (refused) return refused;
    try {
      const user = await createUser(db, body.value, options.scryptCost);
      logger.info({ by: g.user.id, userId: user.id, role: user.role }, "console account created");
      return c.json({ user: publicUser(user) } satisfies UserReply, 201);
    } catch (error) {
      if (error instanceof UserError) throw HttpError.of(error.kind, error.message);
      throw error;
    }
  });

  api.patch("/users/:id", async (c) => {
    const g = await guard(c, "users:manage");
    if (g instanceof Response) return g;
    const body = await readJson(c, userChangesSchema);
    if (!body.ok) return body.response;
    const refused = await postingProblem(c, body.value.postingIds);
    if (refused) return refused;
    const id = c.req.param("id");
    if (id === g.user.id && (body.value.disabled || (body.value.role && body.value.role !== "admin"))) {
      throw new HttpError(400, "bad_request", "You cannot disable yourself or remove your own admin role; ask another admin.");
    }
    try {
      if (body.value.password !== undefined) await setPassword(db, id, body.value.password, options.scryptCost);
      const user = await updateUser(db, id, body.value);
      logger.info({ by: g.user.id, userId: id }, "console account changed");
      return c.json({ user: publicUser(user) } satisfies UserReply);
    } catch (error) {
      if (error instanceof UserError) throw HttpError.of(error.kind, error.message);
      throw error;
    }
  });

  // Four eyes (authors may not approve their own rubric overrides and prompt versions): on unless an admin turns it off.
  api.get("/settings/four-eyes", async (c) => {
    const g = await guard(c, "connections:read");
    if (g instanceof Response) return g;
    return c.json({ fourEyes: await fourEyesState(db) } satisfies FourEyesReply);
  });

  api.put("/settings/four-eyes", async (c) => {
    const g = await guard(c, "settings:write");
    if (g instanceof Response) return g;
    const body = await readJson(c, z.strictObject({ required: z.boolean() }));
    if (!body.ok) return body.response;
    await setFourEyes(db, body.value.required, `user:${g.user.id}`);
    logger.info({ by: g.user.id, required: body.value.required }, "four-eyes rule changed");
    return c.json({ fourEyes: await fourEyesState(db) } satisfies FourEyesReply);
  });

  api.get("/proposal-labels", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const status = c.req.query("status");
    return c.json({ labels: await proposalLabels(db, g.caller, { status: status && status !== "all" ? status : undefined }) } satisfies ProposalLabels);
  });

  // The inbox as decisions: one card per candidate and run, with the recommendation, the score
  // against its bar and why a person is needed.
  api.get("/proposal-cards", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const status = c.req.query("status");
    if (status !== undefined && !/^(all|shadow|pending|approved|applied|rejected|expired|failed)$/.test(status)) {
      throw new HttpError(400, "bad_query", `status: use all, shadow, pending, approved, applied, rejected, expired or failed (got "${status.slice(0, 40)}").`);
    }
    // A page of cards at a time (`limit` cards, 100 unless given, at most 10,000), newest run first;
    // `before` is the cursor the previous page gave as `next`.
    const q = (name: string) => c.req.query(name) || undefined;
    const limit = q("limit");
    if (limit !== undefined && !(/^[1-9]\d{0,4}$/.test(limit) && Number(limit) <= 10_000))
      throw new HttpError(400, "bad_query", `limit: give a number of cards, 1 to 10000 (got "${limit.slice(0, 40)}").`);
    const before = q("before");
    if (before !== undefined && !/^[1-9]\d{0,17}$/.test(before))
      throw new HttpError(400, "bad_query", `before: give the \`next\` of the previous page (got "${before.slice(0, 40)}").`);
    const age = q("age");
    if (age !== undefined && !CARD_AGES.some((a) => a === age))
      throw new HttpError(400, "bad_query", `age: use ${CARD_AGES.join(", ")} (got "${age.slice(0, 40)}").`);
    const confidence = q("confidence");
    if (confidence !== undefined && !CARD_CONFIDENCES.some((a) => a === confidence))
      throw new HttpError(400, "bad_query", `confidence: use ${CARD_CONFIDENCES.join(", ")} (got "${confidence.slice(0, 40)}").`);
    c.header("Cache-Control", "no-store");
    return c.json({
      ...(await proposalCards(db, g.caller, {
        status: status && status !== "all" ? status : undefined,
        limit: limit === undefined ? undefined : Number(limit),
        before,
        workflowId: q("workflow"),
        posting: q("posting"),
        stage: q("stage"),
        age: CARD_AGES.find((a) => a === age),
        confidence: CARD_CONFIDENCES.find((a) => a === confidence),
      })),
    } satisfies ProposalCardList);
  });

  api.get("/proposals/:id/transcript", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const fromText = c.req.query("from") ?? "0";
    if (!/^\d{1,9}$/.test(fromText)) throw new HttpError(400, "bad_query", `from: give a segment number, 0 or more (got "${fromText.slice(0, 40)}").`);
    const view = await interviewTranscript(db, g.caller, c.req.param("id"), Number(fromText));
    if ("refused" in view) throw HttpError.of(view.refused.kind, view.refused.message);
    c.header("Cache-Control", "no-store");
    return c.json({ transcript: view } satisfies TranscriptReply);
  });

  api.get("/proposals/:id/context", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const context = await proposalContext(db, g.caller, c.req.param("id"));
    if (!context) throw new HttpError(404, "not_found", `No proposal ${c.req.param("id")} that you may see.`);
    return c.json({ context } satisfies ProposalContextReply);
  });

  // Interview panels: who may see proposals may see them (a hiring manager: their postings').
  api.get("/scheduling/panels", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const past = c.req.query("past");
    if (past !== undefined && past !== "true" && past !== "false") throw new HttpError(400, "bad_query", "past: use true or false.");
    c.header("Cache-Control", "no-store");
    return c.json({ panels: await listScheduledPanels(db, g.caller, { past: past === "true" }) } satisfies ScheduledPanelList);
  });

  // The candidate did not come: whoever may decide proposals may say so, once the panel has started.
  api.post("/scheduling/panels/:id/no-show", async (c) => {
    const g = await guard(c, "proposals:decide");
    if (g instanceof Response) return g;
    const answer = await markPanelNoShow(db, g.caller, c.req.param("id"), new Date());
    if ("refused" in answer) throw HttpError.of(answer.refused.kind, answer.refused.message);
    return c.json({ noShow: answer.marked });
  });

  api.get("/proposals/:id/scheduling", async (c) => {
    const g = await guard(c, "proposals:read");
    if (g instanceof Response) return g;
    const context = await schedulingContext(db, g.caller, c.req.param("id"));
    if (!context) throw new HttpError(404, "not_found", `No scheduling proposal ${c.req.param("id")} that you may see.`);
    return c.json({ scheduling: context } satisfies SchedulingContextReply);
  });

  options.extend?.(api, guard);

  api.all("*", (c) => errorReply(c, new HttpError(404, "not_found", `No console endpoint ${c.req.method} ${c.req.path}.`)));
  // Handlers throw HttpError; anything else goes on to the server's handler, which logs it.
  api.onError((error, c) => {
    if (error instanceof HttpError) return errorReply(c, error);
    throw error;
  });
  if (options.sso) mountSingleSignOn(app, { db, logger, publicUrl, settings: options.sso });
  app.route("/console/api", api);

  app.get("/console/events", async (c) => {
    const signedIn = await readSignedIn(c, db);
    if (!signedIn) return errorReply(c, new HttpError(401, "unauthenticated", "Sign in first."));
    return streamLiveEvents(c, {
      db,
      events: options.engineEvents,
      caller: signedIn.caller,
      sessionId: signedIn.sessionId,
      proposalPosting: options.proposalPosting,
    });
  });

  app.use("*", serveConsoleAssets(options.distDir));
  const page = serveConsolePage(options.distDir);
  app.get("*", (c, next) => {
    // Only page navigations get the app; a missing script or image is a plain 404.
    const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
    if (!wantsHtml || /^\/(api|webhooks|health|metrics|assets)(\/|$)/.test(c.req.path)) return next();
    return page(c);
  });
  return app;
}
