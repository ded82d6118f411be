/**
 * A served candidate booking page over real parts, for browser tests and the bench: the Lever
 * sandbox, an interviewer calendar on Radicale, an SMTP sink and a database, with `links` fresh
 * self-scheduling links (one interviewer, one 60-minute session, two business days from `now`).
 */
import { Hono } from "hono";
import { DateTime } from "luxon";
import { createLeverClient, type PanelInput } from "../../src/lever/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { startSandbox } from "../../src/sandbox/index.ts";
import { createSelfScheduling, type LinkRequest, type SelfScheduleLever } from "../../src/scheduling/index.ts";
import { openProviders, radicaleCalendars, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "../../src/scheduling/booking/testing.ts";
import { bookingPageRoutes } from "../../src/server/booking-page/index.ts";
import { createBookingLinkStore, createDatabaseWriteLedger } from "../../src/store/index.ts";
import { openTestDatabase } from "../../src/store/testing.ts";
import { serveApp } from "./console-browser.ts";

export { hasRadicale } from "../../src/scheduling/booking/testing.ts";

/** Next Monday 06:00 UTC: the window is that week's Tuesday and Wednesday. */
export const BOOKING_NOW = DateTime.utc().startOf("week").plus({ weeks: 1, hours: 6 }).toMillis();

export interface BookingPageFixture {
  url: string;
  /** One token per link, in order. */
  tokens: string[];
  radicale: Radicale;
  calendarUrl: string;
  smtp: SmtpSink;
  close(): Promise<void>;
}

/**
 * @example
 * const f = await startBookingPage({ links: 2 });
 * await page.goto(`${f.url}/book/${f.tokens[0]}`);
 */
export async function startBookingPage(o: {
  links: number;
  language?: LinkRequest["language"];
  /** More routes on the same server (the bench's baseline page). */
  extra?: (app: Hono) => void;
}): Promise<BookingPageFixture> {
  const t = await openTestDatabase("postgres");
  const sandbox = await startSandbox({ seed: 15, rateLimit: false, candidates: 10 });
  const radicale = await startRadicale();
  const smtp = await startSmtpSink();
  const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null);
  const admin = users.find((u) => u.accessRole === "super admin")!;
  const person = { leverUserId: users[1]!.id, email: users[1]!.email, name: users[1]!.name, calendarUrl: await radicale.makeCalendar("person") };
  const opportunities = [...sandbox.state.opportunities.values()].filter((x) => x.applications.length > 0).map((x) => x.id);
  const calendars = radicaleCalendars(radicale.url, [person]);
  const providers = openProviders(calendars);
  const client = createLeverClient({
    baseUrl: sandbox.url,
    auth: { kind: "apiKey", apiKey: sandbox.apiKey },
    connectionId: "default",
    performAs: admin.id,
    ledger: createDatabaseWriteLedger(t.db),
    retryBaseMs: 5,
    retryMaxMs: 50,
  });
  const lever: SelfScheduleLever = {
    createPanel: (opp, panel, k) => client.createPanel(opp, panel as unknown as PanelInput, k),
    updatePanel: (opp, id, panel, k) => client.updatePanel(opp, id, panel as unknown as PanelInput, k),
    deletePanel: (opp, id, k) => client.deletePanel(opp, id, k),
    addNote: (opp, note, k) => client.addNote(opp, note, k),
  };
  const now = () => BOOKING_NOW;
  const selfScheduling = createSelfScheduling({
    db: t.db,
    calendars,
    providers: () => providers,
    smtp: { host: "127.0.0.1", port: smtp.port, secure: false, from: "Recruiting <recruiting@example.com>" },
    lever: async () => lever,
    now,
  });
  const app = new Hono();
  app.route("/book", bookingPageRoutes({ db: t.db, logger: silentLogger, selfScheduling, now, limits: { perAddress: 10_000, perLink: 10_000 } }));
  o.extra?.(app);
  const served = await serveApp(app);
  const links = createBookingLinkStore(t.db);
  const tokens: string[] = [];
  for (let n = 0; n < o.links; n++) {
    const opp = opportunities[n % opportunities.length]!;
    const request: LinkRequest = {
      plan: {
        source: "template",
        sessions: [{ id: "tech", title: "Technical interview", minutes: 60, need: 1, pool: [person.leverUserId] }],
        maxGapMinutes: 30,
        bufferMinutes: 0,
        windowBusinessDays: 2,
        granularityMinutes: 60,
        loadCaps: {},
        notes: [],
        problems: [],
      },
      users: [{ id: person.leverUserId, name: person.name, email: person.email }],
      candidate: { name: `Casey${n} Candidate`, email: `casey${n}@mail.example`, timezone: "Europe/Lisbon" },
      opportunityId: opp,
      title: "On-site Interview",
      panelKey: `${opp}:onsite:self${n}`,
      format: "video",
      interviewPattern: "\\binterview",
      language: o.language ?? "en",
      cancelNoticeHours: 0,
    };
    const { token } = await links.create({
      connectionId: "default",
      opportunityId: opp,
      requestKey: `r${n}`,
      request,
      expiresAt: new Date(BOOKING_NOW + 7 * 86_400_000),
    });
    tokens.push(token!);
  }
  return {
    url: served.url,
    tokens,
    radicale,
    calendarUrl: person.calendarUrl,
    smtp,
    async close() {
      await served.close();
      radicale.stop();
      await smtp.close();
      await sandbox.close();
      await t.drop();
    },
  };
}
