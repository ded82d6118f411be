/**
 * The candidate's self-scheduling page, built from the server's context: the configured calendars
 * (sealed secrets opened with the service's key), SMTP settings, the database and each connection's
 * Lever client. Mounted at /book by the app.
 */
import type { Hono } from "hono";
import { openCalendarProvider, type CalendarProvider } from "../../calendars/index.ts";
import { createSecretBox, leverGateway, loadSecretKey } from "../../engine/index.ts";
import { sendEmail } from "../../notify/index.ts";
import { createSelfScheduling, type SelfScheduleLever, type SelfScheduling } from "../../scheduling/index.ts";
import type { AppContext } from "../context.ts";
import type { SecretSealer } from "../../calendars/index.ts";
import type { ConsoleGuard } from "../console/index.ts";
import { mountBookingLinkReveal } from "./link-reveal.ts";
import { bookingPageRoutes } from "./routes.ts";

export { bookingPageRoutes, BOOKING_PAGE_CSP, type BookingPageOptions } from "./routes.ts";

/** The console's "Copy link" routes over the context's database and secret key (`createConsole`'s `extend`). */
export function bookingLinkRevealFor(ctx: Pick<AppContext, "config" | "db">): (api: Hono, guard: ConsoleGuard) => void {
  let box: SecretSealer | undefined;
  const open = () => {
    if (!box) {
      const key = loadSecretKey(ctx.config);
      box = createSecretBox(key.key, { previous: key.previous });
    }
    return box;
  };
  return (api, guard) => mountBookingLinkReveal(api, guard, { db: ctx.db, box: open, publicUrl: ctx.config.publicUrl });
}

/** The self-scheduling service over the context's configuration; undefined without calendars. */
export function selfSchedulingFor(ctx: Pick<AppContext, "config" | "db" | "connectionRegistry">): SelfScheduling | undefined {
  const calendars = ctx.config.calendars;
  const registry = ctx.connectionRegistry;
  if (!calendars || calendars.connections.length === 0 || !registry) return undefined;
  let providers: Map<string, CalendarProvider> | undefined;
  const open = () => {
    if (!providers) {
      const key = loadSecretKey(ctx.config);
      const secrets = { box: createSecretBox(key.key, { previous: key.previous }) };
      providers = new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, secrets)]));
    }
    return providers;
  };
  const smtp = ctx.config.smtp;
  const publicUrl = ctx.config.publicUrl;
  return createSelfScheduling({
    db: ctx.db,
    calendars,
    providers: open,
    smtp,
    lever: async (id) => {
      const client = await registry.client(id);
      const gateway = leverGateway(client) as unknown as SelfScheduleLever;
      return {
        ...gateway,
        createPanel: gateway.createPanel.bind(gateway),
        addNote: gateway.addNote.bind(gateway),
        updatePanel: gateway.updatePanel?.bind(gateway),
        deletePanel: (opp, panel, o) => client.deletePanel(opp, panel, o),
      };
    },
    notify: smtp ? async (to, message) => void (await sendEmail(smtp, { to, title: message.title, text: message.text })) : undefined,
    externalUrl: publicUrl
      ? (key) => new URL(`scheduling?panel=${encodeURIComponent(key)}`, publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`).href
      : undefined,
  });
}

/** The /book sub-app for the running service. */
export function bookingPageFor(ctx: AppContext): Hono {
  const smtpFrom = ctx.config.smtp?.from;
  const organizer = smtpFrom ? (/<([^<>\s]+)>/.exec(smtpFrom)?.[1] ?? smtpFrom.trim()) : undefined;
  return bookingPageRoutes({ db: ctx.db, logger: ctx.logger, selfScheduling: selfSchedulingFor(ctx), organizer, trustProxy: ctx.config.trustProxy });
}
