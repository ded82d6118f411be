/**
 * The public booking page over HTTP against real parts: Radicale (CalDAV), an SMTP sink, the Lever
 * sandbox and PostgreSQL. Two candidates race for the same time (one wins, the other is told and
 * offered the next times), a booked link moves and cancels its panel, unknown and expired links
 * look alike, and the page carries its CSP and rate limits.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DateTime } from "luxon";
import { createLeverClient, type PanelInput } from "../../lever/index.ts";
import { sendEmail } from "../../notify/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { createBookingLinkStore, createDatabaseWriteLedger } from "../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createSelfScheduling, type LinkRequest, type SelfScheduleLever } from "../../scheduling/index.ts";
import { hasRadicale, openProviders, radicaleCalendars, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "../../scheduling/booking/testing.ts";
import { bookingPageRoutes, BOOKING_PAGE_CSP } from "./routes.ts";

const postgres = (await testEngines()).find((e) => e.kind === "postgres");
const skip = !hasRadicale ? "radicale is not installed" : postgres?.skip || !postgres ? "PostgreSQL is not reachable" : false;
// The next Monday 06:00 UTC: the window is that week's Tuesday and Wednesday.
const NOW = DateTime.utc().startOf("week").plus({ weeks: 1, hours: 6 }).toMillis();

describe("the candidate's booking page", { skip }, () => {
  let sandbox: Sandbox;
  let radicale: Radicale;
  let smtp: SmtpSink;
  let t: TestDatabase;
  let app: ReturnType<typeof bookingPageRoutes>;
  let person: { leverUserId: string; email: string; name: string; calendarUrl: string };
  let opportunities: string[];
  const tokens: string[] = [];

  const request = (opp: string, n: number, over: Partial<LinkRequest> = {}): LinkRequest => ({
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
    candidate: { name: `Casey${n} Candidate-Secret`, email: `casey${n}@mail.example`, timezone: "Europe/Lisbon" },
    opportunityId: opp,
    title: "On-site Interview",
    panelKey: `${opp}:onsite:self`,
    format: "video",
    interviewPattern: "\\binterview",
    language: "en",
    cancelNoticeHours: 0,
    ...over,
  });
  const call = (path: string, init: RequestInit = {}, ip = "192.0.2.10") => app.request(path, init, { incoming: { socket: { remoteAddress: ip } } });
  const post = (path: string, form: Record<string, string>, ip?: string) =>
    call(path, { method: "POST", body: new URLSearchParams(form), headers: { "content-type": "application/x-www-form-urlencoded" } }, ip);

  before(async () => {
    t = await openTestDatabase("postgres");
    sandbox = await startSandbox({ seed: 15, rateLimit: false, candidates: 10 });
    radicale = await startRadicale();
    smtp = await startSmtpSink();
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null);
    const admin = users.find((u) => u.accessRole === "super admin")!;
    person = { leverUserId: users[1]!.id, email: users[1]!.email, name: users[1]!.name, calendarUrl: await radicale.makeCalendar("person") };
    opportunities = [...sandbox.state.opportunities.values()].filter((o) => o.applications.length > 0).map((o) => o.id);
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
      createPanel: (o, panel, k) => client.createPanel(o, panel as unknown as PanelInput, k),
      updatePanel: (o, id, panel, k) => client.updatePanel(o, id, panel as unknown as PanelInput, k),
      deletePanel: (o, id, k) => client.deletePanel(o, id, k),
      addNote: (o, note, k) => client.addNote(o, note, k),
    };
    const mail = { host: "127.0.0.1", port: smtp.port, secure: false, from: "Recruiting <recruiting@example.com>" };
    const notify = async (to: string, m: { title: string; text: string }) => void (await sendEmail(mail, { to, title: m.title, text: m.text }));
    const selfScheduling = createSelfScheduling({
      db: t.db,
      calendars,
      providers: () => providers,
      smtp: mail,
      lever: async () => lever,
      notify,
      now: () => NOW,
    });
    app = bookingPageRoutes({ db: t.db, logger: silentLogger, selfScheduling, now: () => NOW, limits: { perAddress: 1000, perLink: 1000 } });
    const links = createBookingLinkStore(t.db);
    for (const n of [0, 1]) {
      const { token } = await links.create({
        connectionId: "default",
        opportunityId: opportunities[n]!,
        requestKey: `r${n}`,
        request: request(opportunities[n]!, n),
        expiresAt: new Date(NOW + 7 * 86_400_000),
      });
      tokens.push(token!);
    }
  });
  after(async () => {
    radicale?.stop();
    await smtp?.close();
    await sandbox?.close();
    await t?.drop();
  });

  it("shows whole-panel times by day in the candidate's zone, with the first name only and a strict CSP", async () => {
    const res = await call(`/${tokens[0]}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-security-policy"), BOOKING_PAGE_CSP);
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    const html = await res.text();
    assert.match(html, /Hello Casey0,/);
    assert.doesNotMatch(html, /Candidate-Secret|casey0@|mail\.example/, "nothing beyond the first name");
    assert.ok(!html.includes(person.name) && !html.includes(person.email), "no interviewer names or addresses");
    assert.match(html, /On-site Interview: one interview, 60 minutes in all/);
    const tuesday = DateTime.fromMillis(NOW, { zone: "Europe/Lisbon" }).plus({ days: 1 });
    assert.ok(
      html.includes(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Lisbon", weekday: "long", day: "numeric", month: "long" }).format(tuesday.toJSDate())),
      "grouped under the day's heading",
    );
    assert.match(html, /Portugal time/);
    assert.doesNotMatch(html, /<script>|style=|\son[a-z]+=/i, "no inline script or style");
    const inBerlin = await (await call(`/${tokens[0]}?tz=Asia/Tokyo`)).text();
    assert.match(inBerlin, /Japan time/);
  });

  it("answers unknown and expired links alike", async () => {
    const links = createBookingLinkStore(t.db);
    const { token } = await links.create({
      connectionId: "default",
      opportunityId: opportunities[2]!,
      requestKey: "old",
      request: request(opportunities[2]!, 2),
      expiresAt: new Date(NOW - 1000),
    });
    const expired = await call(`/${token}`);
    const unknown = await call(`/${"x".repeat(43)}`);
    assert.equal(expired.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(await expired.text(), await unknown.text());
  });

  it("lets exactly one of two candidates book the same last time; the other is told and offered the next", async () => {
    const page = await (await call(`/${tokens[0]}`)).text();
    const start = /name="start" value="([^"]+)"/.exec(page)![1]!;
    const [a, b] = await Promise.all([
      post(`/${tokens[0]}/book`, { start, tz: "Europe/Lisbon" }, "192.0.2.1"),
      post(`/${tokens[1]}/book`, { start, tz: "Europe/Lisbon" }, "192.0.2.2"),
    ]);
    const notices = [a, b].map((r) => new URL(r.headers.get("location")!, "http://x").searchParams.get("notice")).sort();
    assert.deepEqual(notices, ["booked", "taken"]);
    const loser = a.headers.get("location")!.includes("taken") ? 0 : 1;
    const told = await (
      await call(new URL((loser === 0 ? a : b).headers.get("location")!, "http://x").pathname.replace(/^\/book/, "") + "?notice=taken")
    ).text();
    assert.match(told, /that time was just taken/);
    assert.ok(!told.includes(`value="${start}"`), "the taken time is no longer offered");
    assert.match(told, /name="start"/, "the next times are offered");
    const winner = tokens[1 - loser]!;
    const booked = await (await call(`/${winner}`)).text();
    assert.match(booked, /Your interview/);
    const ics = await call(`/${winner}/interview.ics`);
    assert.equal(ics.headers.get("content-type"), "text/calendar; charset=utf-8");
    assert.match(await ics.text(), /BEGIN:VEVENT/);
    assert.equal((await radicale.objects(person.calendarUrl)).length, 1, "one event in the interviewer's calendar");
    assert.ok(
      smtp.inbox.some((m) => m.raw.includes("METHOD:REQUEST")),
      "the invite went out",
    );
    tokens.splice(0, 2, winner, tokens[loser]!);
  });

  it("moves the booking to another time and then cancels it from the same link", async () => {
    const page = await (await call(`/${tokens[0]}`)).text();
    const other = /name="start" value="([^"]+)"/.exec(page)![1]!;
    const moved = await post(`/${tokens[0]}/book`, { start: other });
    assert.match(moved.headers.get("location")!, /notice=moved/);
    const after = await (await call(`/${tokens[0]}`)).text();
    assert.ok(after.includes(DateTime.fromISO(other, { zone: "Europe/Lisbon" }).toFormat("HH:mm")));
    const cancelled = await post(`/${tokens[0]}/cancel`, {});
    assert.match(cancelled.headers.get("location")!, /notice=cancelled/);
    assert.equal((await radicale.objects(person.calendarUrl)).length, 0, "the event is gone");
    assert.ok(
      smtp.inbox.some((m) => m.raw.includes("METHOD:CANCEL")),
      "the candidate's invite was cancelled",
    );
    const done = await (await call(`/${tokens[0]}`)).text();
    assert.match(done, /cancelled/);
    assert.doesNotMatch(done, /name="start"/);
  });

  it("does not move a booking inside the notice period: the coordinator is asked and the candidate told", async () => {
    const links = createBookingLinkStore(t.db);
    const opp = opportunities[3]!;
    const { token } = await links.create({
      connectionId: "default",
      opportunityId: opp,
      requestKey: "notice",
      request: request(opp, 3, { cancelNoticeHours: 96, coordinator: "coordinator@example.com" }),
      expiresAt: new Date(NOW + 7 * 86_400_000),
    });
    const first = /name="start" value="([^"]+)"/.exec(await (await call(`/${token}`)).text())![1]!;
    assert.match((await post(`/${token}/book`, { start: first })).headers.get("location")!, /notice=booked/, "booking itself has no notice period");
    const events = await radicale.objects(person.calendarUrl);
    const other = /name="start" value="([^"]+)"/.exec(await (await call(`/${token}`)).text())![1]!;

    const asked = await post(`/${token}/book`, { start: other });
    assert.match(asked.headers.get("location")!, /notice=move-requested/);
    const told = await (await call(new URL(asked.headers.get("location")!, "http://x").pathname.replace(/^\/book/, "") + "?notice=move-requested")).text();
    assert.match(told, /passed to the team; they will contact you/);
    assert.deepEqual(await radicale.objects(person.calendarUrl), events, "the interviewer's event is not moved");
    const { rows } = await t.db.query<{ state: string; start: string }>(
      "select state, params->'sessions'->0->>'start' as start from scheduling_bookings where panel_key = $1",
      [`${opp}:onsite:self`],
    );
    assert.deepEqual(rows, [{ state: "escalated", start: first }]);
    assert.equal((await links.find(token!, new Date(NOW)))!.reschedules, 0);
    assert.ok(
      [...sandbox.state.notes.values()].some((n) => n.opportunityId === opp && JSON.stringify(n.fields).includes("asked to move")),
      "a Lever note asks the coordinator",
    );
    assert.ok(
      smtp.inbox.some((m) => m.to.includes("coordinator@example.com") && m.raw.includes("move")),
      "the coordinator is e-mailed",
    );
  });

  /** A new link for `opportunities[n]`, its first option booked; the token. */
  const bookedLink = async (n: number, over: Partial<LinkRequest> = {}) => {
    const { token } = await createBookingLinkStore(t.db).create({
      connectionId: "default",
      opportunityId: opportunities[n]!,
      requestKey: `booked-${n}`,
      request: request(opportunities[n]!, n, over),
      expiresAt: new Date(NOW + 7 * 86_400_000),
    });
    const first = /name="start" value="([^"]+)"/.exec(await (await call(`/${token}`)).text())![1]!;
    assert.match((await post(`/${token}/book`, { start: first })).headers.get("location")!, /notice=booked/);
    return token!;
  };
  /** The e-mails to `to`, their quoted-printable soft line breaks undone. */
  const mailTo = (to: string) => smtp.inbox.filter((m) => m.to.includes(to)).map((m) => m.raw.replace(/=\r?\n/g, ""));

  it("records the candidate's one-click \"I'll be there\" once, audited, and shows it afterwards", async () => {
    const token = await bookedLink(4);
    const before = await (await call(`/${token}`)).text();
    assert.match(before, /<div id="attend">/);
    assert.ok(before.includes(`action="/book/${token}/confirm"`), "a form that posts, like the page's others");
    assert.doesNotMatch(before, /You confirmed/);

    const res = await post(`/${token}/confirm`, { tz: "Europe/Lisbon" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/book/${token}?tz=Europe%2FLisbon#attend`);
    assert.equal((await post(`/${token}/confirm`, {})).status, 303, "a second click is answered the same");
    const after = await (await call(`/${token}`)).text();
    assert.match(after, /<p id="attend" role="status" class="confirmed">You confirmed you will be there \(/);
    assert.ok(!after.includes(`/confirm"`), "no button once confirmed");

    const { rows } = await t.db.query<{ data: { start: string }; text: string }>(
      "select data->'data' as data, data::text as text from audit_records where kind = 'scheduling.attendance_confirmed' and opportunity_id = $1",
      [opportunities[4]],
    );
    assert.equal(rows.length, 1, "audited once");
    assert.ok(!rows[0]!.text.includes(token) && !rows[0]!.text.includes("casey4@"), "no link, no address in the audit");
    const key = `${opportunities[4]}:onsite:self`;
    const { rows: confirmations } = await t.db.query<{ n: number }>("select count(*)::int as n from scheduling_attendance_confirmations where panel_key = $1", [
      key,
    ]);
    assert.equal(confirmations[0]!.n, 1);

    // A link not booked yet, and an unknown one, have nothing to confirm: the generic page.
    const { token: open } = await createBookingLinkStore(t.db).create({
      connectionId: "default",
      opportunityId: opportunities[7]!,
      requestKey: "unbooked",
      request: request(opportunities[7]!, 7),
      expiresAt: new Date(NOW + 7 * 86_400_000),
    });
    assert.equal((await post(`/${open}/confirm`, {})).status, 404);
    assert.equal((await post(`/${"z".repeat(43)}/confirm`, {})).status, 404);
  });

  it("does not cancel inside the notice period: the booking goes to a person and the candidate is told", async () => {
    const token = await bookedLink(5, { cancelNoticeHours: 96, coordinator: "notice-coordinator@example.com" });
    const events = await radicale.objects(person.calendarUrl);
    const invites = smtp.inbox.filter((m) => m.raw.includes("METHOD:CANCEL")).length;

    const asked = await post(`/${token}/cancel`, {});
    assert.match(asked.headers.get("location")!, /notice=cancel-requested/);
    const told = await (await call(`/${token}`)).text();
    assert.match(told, /your cancellation has been passed to the team/);
    assert.doesNotMatch(told, /name="start"/, "nothing more to pick while a person decides");
    assert.deepEqual(await radicale.objects(person.calendarUrl), events, "the interviewer's event stays");
    assert.equal(smtp.inbox.filter((m) => m.raw.includes("METHOD:CANCEL")).length, invites, "the candidate's invite is not cancelled");
    const key = `${opportunities[5]}:onsite:self`;
    const { rows } = await t.db.query<{ state: string }>("select state from scheduling_bookings where panel_key = $1", [key]);
    assert.deepEqual(rows, [{ state: "escalated" }]);
    assert.equal((await createBookingLinkStore(t.db).find(token, new Date(NOW)))!.status, "cancel_requested");
    assert.ok(
      [...sandbox.state.notes.values()].some((n) => n.opportunityId === opportunities[5] && JSON.stringify(n.fields).includes("asked to cancel")),
      "a Lever note asks the coordinator",
    );
    const mail = mailTo("notice-coordinator@example.com");
    assert.equal(mail.length, 1, "the coordinator is e-mailed once");
    assert.match(mail[0]!, /asked to cancel the On-site Interview/);
    assert.match(mail[0]!, /inside the 96-hour notice period, so nothing was changed/);
    assert.match((await post(`/${token}/cancel`, {})).headers.get("location")!, /notice=cancel-requested/, "asking again changes nothing");
    assert.equal(mailTo("notice-coordinator@example.com").length, 1, "and sends nothing more");
  });

  it("e-mails the coordinator when the candidate moves the booking and when they cancel it", async () => {
    const token = await bookedLink(6, { coordinator: "move-coordinator@example.com" });
    assert.equal(mailTo("move-coordinator@example.com").length, 0, "booking itself tells nobody");
    const other = /name="start" value="([^"]+)"/.exec(await (await call(`/${token}`)).text())![1]!;
    assert.match((await post(`/${token}/book`, { start: other })).headers.get("location")!, /notice=moved/);
    const moved = mailTo("move-coordinator@example.com");
    assert.equal(moved.length, 1);
    assert.match(moved[0]!, /Casey6 Candidate-Secret moved the On-site Interview from .+ to .+ with their self-scheduling link/);
    assert.match(moved[0]!, /Calendars, the invite and the Lever panel are updated/);

    assert.match((await post(`/${token}/cancel`, {})).headers.get("location")!, /notice=cancelled/);
    const both = mailTo("move-coordinator@example.com");
    assert.equal(both.length, 2);
    assert.match(both[1]!, /Casey6 Candidate-Secret cancelled the On-site Interview/);
    assert.match(both[1]!, /The calendar events, the invite and the Lever panel are removed/);
  });

  it("refuses a client over its limit with the generic page", async () => {
    const limited = bookingPageRoutes({ db: t.db, logger: silentLogger, now: () => NOW, limits: { perAddress: 2, perLink: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await limited.request(`/${"y".repeat(43)}`, {}, { incoming: { socket: { remoteAddress: "198.51.100.7" } } })).status);
    assert.deepEqual(statuses, [404, 404, 429, 429]);
  });
});
