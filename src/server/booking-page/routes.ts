/**
 * The candidate's public booking page under /book/<token>: no sign-in, the token is the only key.
 * Unknown, malformed and expired tokens get the same page; every request counts against a limit
 * per client address and per link; a strict CSP allows only this origin's script and style (no
 * inline code, no third-party requests); pages are never cached and send no Referer.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { buildEventIcs } from "../../calendars/index.ts";
import { DateTime } from "luxon";
import { createBookingLinkStore, hashLinkToken, LINK_TOKEN_PATTERN, type Database } from "../../store/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { confirmAttendance, linkAttendance, type LinkLanguage, type SelfScheduling } from "../../scheduling/index.ts";
import type { Logger } from "../../observability/index.ts";
import { ipKey } from "../console/login-throttle.ts";
import { isZone } from "./dates.ts";
import { PAGE_CSS, PAGE_JS, renderMessage, renderPage, SCRIPT_PATH, STYLE_PATH, type PageState } from "./render.ts";
import { textsFor } from "./texts.ts";

export const BOOKING_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

export interface BookingPageOptions {
  db: Database;
  logger: Logger;
  /** The self-scheduling service; without it every link answers the generic page. */
  selfScheduling?: SelfScheduling | undefined;
  /** Requests per minute per client address and per link (defaults 60 and 30). */
  limits?: { perAddress?: number | undefined; perLink?: number | undefined } | undefined;
  /** The organiser named in the downloaded .ics (the SMTP sender when set). */
  organizer?: string | undefined;
  /**
   * Behind a reverse proxy that sets X-Forwarded-For (`trustProxy` in the configuration): the
   * client is the header's first address. Off by default, when the header is anyone's to write.
   */
  trustProxy?: boolean | undefined;
  now?: (() => number) | undefined;
}

const NOTICES = new Set(["taken", "booked", "moved", "move-requested", "cancelled", "cancel-requested", "failed"]);

/** The largest form the page's POSTs take (a start time and a zone): anything bigger is refused unread. */
export const BOOKING_PAGE_MAX_BODY_BYTES = 4 * 1024;

function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const first = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}

/** A request path fit for a log: a booking link's token is a key to the candidate's booking, so it is left out. */
export function loggablePath(path: string): string {
  return path.replace(/^\/book\/[^/?#]+/, "/book/[token]");
}

/** What of an error may be logged: its kind and code, never its message (nodemailer's name recipients, URLs name tokens). */
export function errorKind(error: unknown): { name: string; code?: string } {
  const e = error as { name?: unknown; code?: unknown } | null;
  return {
    name: typeof e?.name === "string" ? e.name : "Error",
    ...(typeof e?.code === "string" || typeof e?.code === "number" ? { code: String(e.code) } : {}),
  };
}

function secure(c: Context): void {
  c.header("Content-Security-Policy", BOOKING_PAGE_CSP);
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Robots-Tag", "noindex");
}

/**
 * @example
 * app.route("/book", bookingPageRoutes({ db, logger, selfScheduling }));
 */
export function bookingPageRoutes(o: BookingPageOptions): Hono {
  const app = new Hono();
  const links = createBookingLinkStore(o.db);
  const now = () => new Date(o.now?.() ?? Date.now());
  const perAddress = o.limits?.perAddress ?? 60;
  const perLink = o.limits?.perLink ?? 30;

  app.get("/assets/page.js", (c) => {
    secure(c);
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(PAGE_JS, 200, { "content-type": "text/javascript; charset=utf-8" });
  });
  app.get("/assets/page.css", (c) => {
    secure(c);
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(PAGE_CSS, 200, { "content-type": "text/css; charset=utf-8" });
  });

  const generic = (c: Context, language: LinkLanguage = "en", status: 404 | 413 | 429 | 500 = 404) => {
    secure(c);
    const t = textsFor(language);
    return c.html(renderMessage(language, status === 429 ? t.tooMany : status === 500 ? t.failed : t.invalid), status);
  };

  // Limits first, for every request that names a token (the pattern matches /:token itself too): the same answer whether the link exists or not.
  // The address is checked first: a client over its limit adds nothing to any link's count, and a
  // malformed token (never a link) gets no counter of its own.
  app.use("/:token/*", async (c, next) => {
    const token = c.req.param("token");
    if (token === "assets") return next();
    const at = now();
    if (!(await links.hit(ipKey(clientAddress(c, o.trustProxy === true)), perAddress, 60_000, at))) return generic(c, "en", 429);
    if (LINK_TOKEN_PATTERN.test(token) && !(await links.hit(`link:${hashLinkToken(token)}`, perLink, 60_000, at))) return generic(c, "en", 429);
    return next();
  });
  app.post("/:token/*", bodyLimit({ maxSize: BOOKING_PAGE_MAX_BODY_BYTES, onError: (c) => generic(c, "en", 413) }));
  async function page(c: Context, token: string, notice?: PageState["notice"]) {
    const self = o.selfScheduling;
    if (!self) return generic(c);
    const view = await self.view(token);
    if (!view) return generic(c);
    const tz = c.req.query("tz");
    const zone = tz && isZone(tz) ? tz : view.timezone;
    const options = view.status === "open" || view.status === "booked" ? ((await self.options(token)) ?? []) : [];
    const confirmed = view.status === "booked" ? await linkAttendance(o.db, token, now()) : undefined;
    secure(c);
    return c.html(renderPage({ token, zone, view, options, notice, confirmedAt: confirmed?.confirmedAt }));
  }

  app.get("/:token", async (c) => {
    const n = c.req.query("notice");
    try {
      return await page(c, c.req.param("token"), n && NOTICES.has(n) ? (n as PageState["notice"]) : undefined);
    } catch (error) {
      o.logger.error({ err: errorKind(error) }, "booking page could not be shown");
      return generic(c, "en", 500);
    }
  });

  const back = (c: Context, token: string, notice: string, tz: string | undefined) => {
    const q = new URLSearchParams({ notice, ...(tz && isZone(tz) ? { tz } : {}) });
    secure(c);
    return c.redirect(`/book/${encodeURIComponent(token)}?${q}`, 303);
  };

  app.post("/:token/book", async (c) => {
    const token = c.req.param("token");
    const self = o.selfScheduling;
    if (!self) return generic(c);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const start = typeof form.start === "string" ? form.start.slice(0, 40) : "";
    const tz = typeof form.tz === "string" ? form.tz.slice(0, 64) : undefined;
    try {
      const outcome = await self.book(token, start);
      if (!outcome) return generic(c);
      if (outcome.ok) return back(c, token, outcome.rescheduled ? "moved" : "booked", tz);
      return back(c, token, outcome.reason === "taken" ? "taken" : outcome.reason === "notice" ? "move-requested" : "failed", tz);
    } catch (error) {
      o.logger.error({ err: errorKind(error) }, "self-scheduled booking failed");
      return back(c, token, "failed", tz);
    }
  });

  app.post("/:token/cancel", async (c) => {
    const token = c.req.param("token");
    const self = o.selfScheduling;
    if (!self) return generic(c);
    try {
      const outcome = await self.cancel(token);
      if (!outcome) return generic(c);
      if (!outcome.ok) return back(c, token, "failed", undefined);
      return back(c, token, outcome.applied ? "cancelled" : "cancel-requested", undefined);
    } catch (error) {
      o.logger.error({ err: errorKind(error) }, "self-scheduled cancellation failed");
      return back(c, token, "failed", undefined);
    }
  });

  // "I'll be there": recorded once per booked start, with an audit record naming the panel (not the person).
  app.post("/:token/confirm", async (c) => {
    const token = c.req.param("token");
    if (!o.selfScheduling) return generic(c);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const tz = typeof form.tz === "string" ? form.tz.slice(0, 64) : undefined;
    try {
      const done = await o.db.transaction(async (tx) => {
        const confirmed = await confirmAttendance(tx, token, now());
        if (confirmed?.recorded)
          await createAuditTrail(o.db).append(
            {
              kind: "scheduling.attendance_confirmed",
              actor: "candidate:booking-link",
              subject: { connectionId: confirmed.connectionId, opportunityId: confirmed.opportunityId, panelKey: confirmed.panelKey },
              data: { start: confirmed.start, confirmedAt: confirmed.confirmedAt },
            },
            tx,
          );
        return confirmed;
      });
      if (!done) return generic(c);
    } catch (error) {
      o.logger.error({ err: errorKind(error) }, "attendance confirmation failed");
      return back(c, token, "failed", tz);
    }
    const q = tz && isZone(tz) ? `?${new URLSearchParams({ tz })}` : "";
    secure(c);
    return c.redirect(`/book/${encodeURIComponent(token)}${q}#attend`, 303);
  });

  app.get("/:token/interview.ics", async (c) => {
    const self = o.selfScheduling;
    let found: Awaited<ReturnType<SelfScheduling["ics"]>>;
    let language: LinkLanguage = "en";
    try {
      found = self ? await self.ics(c.req.param("token")) : undefined;
      if (found && self) language = (await self.view(c.req.param("token")))?.language ?? "en";
    } catch (error) {
      o.logger.error({ err: errorKind(error) }, "booking page's calendar file could not be made");
      return generic(c, "en", 500);
    }
    if (!found) return generic(c);
    const b = found.booking;
    const lines = b.sessions.map(
      (s) =>
        `${DateTime.fromISO(s.start, { zone: b.candidate.timezone }).toFormat("HH:mm")}–${DateTime.fromISO(s.end, { zone: b.candidate.timezone }).toFormat("HH:mm")} ${s.title}`,
    );
    const ics = buildEventIcs({
      uid: found.uid,
      sequence: found.sequence,
      start: b.sessions[0]!.start,
      end: b.sessions.at(-1)!.end,
      title: b.sessions.length === 1 ? b.sessions[0]!.title : textsFor(language).calendarTitle(b.sessions.length),
      description: lines.join("\n"),
      location: b.format === "onsite" ? textsFor(language).onsite : found.joinUrl,
      url: b.format === "onsite" ? undefined : found.joinUrl,
      organizer: { email: o.organizer ?? "scheduling@fulcrum.invalid" },
      attendees: [],
    });
    secure(c);
    return c.body(ics, 200, { "content-type": "text/calendar; charset=utf-8", "content-disposition": 'attachment; filename="interview.ics"' });
  });

  return app;
}

export { SCRIPT_PATH, STYLE_PATH };
