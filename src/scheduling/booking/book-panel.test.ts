/**
 * Booking a panel against real parts: Radicale (CalDAV), an SMTP sink, the Lever sandbox through
 * the Lever client with the database write ledger, on PGlite and PostgreSQL.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import ICAL from "ical.js";
import { createLeverClient, type PanelInput } from "../../lever/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { createDatabaseWriteLedger, openDatabase, type Database } from "../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { bookPanel, BookingError, inviteUid, type BookingDeps, type BookingLever } from "./book-panel.ts";
import { parseBookingParams, type BookingParams } from "./params.ts";
import { hasRadicale, openProviders, radicaleCalendars, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "./testing.ts";

const engines = await testEngines();
const skip = hasRadicale ? false : "radicale is not installed (Debian package `radicale`): booking tests against a real CalDAV server are skipped";

/** The decoded text/calendar part of a raw message. */
function calendarText(raw: string): string {
  const part = raw.split(/\r\n--[^\r\n]+\r\n/).find((p) => /^Content-Type: text\/calendar/im.test(p))!;
  const [head, ...body] = part.split("\r\n\r\n");
  const text = body.join("\r\n\r\n").replace(/\r\n--[^\r\n]*--\s*$/, "");
  if (/Content-Transfer-Encoding: base64/i.test(head!)) return Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8");
  return text.replace(/=\r\n/g, "");
}

describe("booking a panel", { skip }, () => {
  let sandbox: Sandbox;
  let radicale: Radicale;
  let smtp: SmtpSink;
  let adminId: string;
  const people: { leverUserId: string; email: string; name: string; calendarUrl: string }[] = [];
  const opportunities: string[] = [];
  let templateId: string;

  before(async () => {
    sandbox = await startSandbox({ seed: 11, rateLimit: false, candidates: 30 });
    radicale = await startRadicale();
    smtp = await startSmtpSink();
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null);
    adminId = users.find((u) => u.accessRole === "super admin")!.id;
    for (const [n, u] of users.slice(0, 3).entries()) {
      people.push({ leverUserId: u.id, email: u.email, name: u.name, calendarUrl: await radicale.makeCalendar(`person${n}`) });
    }
    opportunities.push(...[...sandbox.state.opportunities.values()].filter((o) => o.applications.length > 0).map((o) => o.id));
    templateId = [...sandbox.state.feedbackTemplates.keys()][0]!;
  });
  after(async () => {
    radicale?.stop();
    await smtp?.close();
    await sandbox?.close();
  });

  const leverFor = (db: Database): BookingLever => {
    const client = createLeverClient({
      baseUrl: sandbox.url,
      auth: { kind: "apiKey", apiKey: sandbox.apiKey },
      connectionId: "default",
      performAs: adminId,
      ledger: createDatabaseWriteLedger(db),
      retryBaseMs: 5,
      retryMaxMs: 50,
    });
    return {
      createPanel: (o, panel, k) => client.createPanel(o, panel as unknown as PanelInput, k),
      addNote: (o, note, k) => client.addNote(o, note, k),
    };
  };
  const depsFor = (db: Database, extra: Partial<BookingDeps> = {}): BookingDeps => {
    const calendars = radicaleCalendars(radicale.url, people);
    return {
      db,
      connectionId: "default",
      lever: leverFor(db),
      calendars,
      providers: openProviders(calendars),
      smtp: { host: "127.0.0.1", port: smtp.port, secure: false, from: "Recruiting <recruiting@example.com>" },
      ...extra,
    };
  };
  const booking = (over: Partial<BookingParams> & { day: string; opp: number }): BookingParams => {
    const { day, opp, ...rest } = over;
    return parseBookingParams({
      opportunityId: opportunities[opp]!,
      panelKey: `${opportunities[opp]}:onsite:${day}`,
      candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: "America/New_York" },
      sessions: [
        {
          id: "hm",
          title: "Hiring manager",
          start: `${day}T13:00:00Z`,
          end: `${day}T13:45:00Z`,
          interviewers: [{ leverUserId: people[0]!.leverUserId, email: people[0]!.email, name: people[0]!.name }],
          feedbackTemplateId: templateId,
        },
        {
          id: "tech",
          title: "Technical",
          start: `${day}T14:00:00Z`,
          end: `${day}T15:00:00Z`,
          interviewers: [
            { leverUserId: people[1]!.leverUserId, email: people[1]!.email, name: people[1]!.name },
            { leverUserId: people[2]!.leverUserId, email: people[2]!.email },
          ],
        },
      ],
      packetUrl: "https://fulcrum.example/packets/42",
      ...rest,
    });
  };
  const eventsIn = async (person: number, day: string) => {
    const objects = await radicale.objects(people[person]!.calendarUrl);
    const out: ICAL.Component[] = [];
    for (const href of objects) {
      const text = await (
        await fetch(`${radicale.url}${href}`, { headers: { authorization: `Basic ${Buffer.from("alice:wonderland").toString("base64")}` } })
      ).text();
      const ev = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!;
      if (String(ev.getFirstPropertyValue("dtstart")).startsWith(day)) out.push(ev);
    }
    return out;
  };
  const panelsOf = (opp: string) => [...sandbox.state.panels.values()].filter((p) => p.opportunityId === opp);
  const invitesTo = (uid: string) => smtp.inbox.filter((m) => calendarText(m.raw).includes(`UID:${uid}`));

  for (const [n, engine] of engines.entries()) {
    // Each engine books its own month and opportunities: the calendars and the sandbox are shared.
    const month = n === 0 ? "05" : "06";
    const at = (day: string) => day.replace("2026-05", `2026-${month}`);
    const opp = (i: number) => i + n * 10;
    describe(`on ${engine.kind}`, { skip: engine.skip }, () => {
      let t: TestDatabase;
      before(async () => (t = await openTestDatabase(engine.kind)));
      after(() => t?.drop());

      it("creates one event per session with the interviewers, e-mails the candidate in their zone, writes the Lever panel and a note; a second run does nothing again", async () => {
        const b = booking({ day: at("2026-05-05"), opp: opp(0) });
        const result = await bookPanel(b, depsFor(t.db));
        assert.equal(result.events.length, 2);
        const hm = await eventsIn(0, at("2026-05-05"));
        assert.equal(hm.length, 1, "the hiring manager's session is in their calendar");
        assert.match(String(hm[0]!.getFirstPropertyValue("description")), /Interview packet: https:\/\/fulcrum\.example\/packets\/42/);
        const tech = await eventsIn(1, at("2026-05-05"));
        assert.equal(tech.length, 1);
        assert.deepEqual(
          tech[0]!.getAllProperties("attendee").map((a) => String(a.getFirstValue()).toLowerCase()),
          [`mailto:${people[2]!.email.toLowerCase()}`],
        );
        assert.equal(String(tech[0]!.getFirstPropertyValue("organizer")).toLowerCase(), `mailto:${people[1]!.email.toLowerCase()}`);

        const invites = invitesTo(inviteUid(b.panelKey));
        assert.equal(invites.length, 1);
        assert.deepEqual(invites[0]!.to, ["casey@mail.example"]);
        assert.match(calendarText(invites[0]!.raw), /METHOD:REQUEST/);
        assert.match(invites[0]!.raw, /09:00/, "the text gives the start in New York time (13:00Z is 09:00 EDT)");

        const panel = panelsOf(b.opportunityId).find((p) => p.id === result.panelId)!;
        assert.ok(panel, "the panel is in Lever");
        assert.equal(panel.externallyManaged, true);
        assert.equal(panel.timezone, "America/New_York");
        assert.deepEqual(
          panel.interviews.map((i) => [i.subject, i.date, i.duration, i.interviewers.map((x) => x.id)]),
          [
            ["Hiring manager", Date.parse(at("2026-05-05T13:00:00Z")), 45, [people[0]!.leverUserId]],
            ["Technical", Date.parse(at("2026-05-05T14:00:00Z")), 60, [people[1]!.leverUserId, people[2]!.leverUserId]],
          ],
        );
        assert.equal(panel.interviews[0]!.feedbackTemplate, templateId);
        const notes = [...sandbox.state.notes.values()].filter(
          (n) =>
            n.opportunityId === b.opportunityId &&
            n.fields.some((f) => /Panel scheduled for \w{3} 5 \w{3} 2026, 09:00–11:00 \(America\/New_York\) with /.test(String(f.value))),
        );
        assert.equal(notes.length, 1);

        const again = await bookPanel(b, depsFor(t.db));
        assert.deepEqual(again, result);
        assert.equal((await eventsIn(0, at("2026-05-05"))).length + (await eventsIn(1, at("2026-05-05"))).length, 2);
        assert.equal(invitesTo(inviteUid(b.panelKey)).length, 1);
        assert.equal(panelsOf(b.opportunityId).filter((p) => p.note.includes("Scheduled by Fulcrum")).length, 1);
      });

      it("makes one event for the whole panel when asked", async () => {
        const b = booking({ day: at("2026-05-06"), opp: opp(1), eventsPer: "panel" });
        const result = await bookPanel(b, depsFor(t.db));
        assert.equal(result.events.length, 1);
        assert.deepEqual(result.events[0]!.sessions, ["hm", "tech"]);
        const ev = await eventsIn(0, at("2026-05-06"));
        assert.equal(ev.length, 1);
        assert.equal(ev[0]!.getAllProperties("attendee").length, 2);
      });

      it("fails with the conflict, and books nothing, when an interviewer is no longer free", async () => {
        await radicale.put(
          people[2]!.calendarUrl,
          `dentist${month}`,
          `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:dentist${month}\r\nDTSTAMP:20260401T000000Z\r\nSUMMARY:Dentist\r\nDTSTART:2026${month}07T143000Z\r\nDTEND:2026${month}07T153000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
        );
        const b = booking({ day: at("2026-05-07"), opp: opp(2) });
        const before = panelsOf(b.opportunityId).length;
        await assert.rejects(
          bookPanel(b, depsFor(t.db)),
          (e: unknown) =>
            e instanceof BookingError &&
            /no longer free for session "tech".*busy 2026-\d\d-07T14:30:00/.test(e.message) &&
            e.message.includes(people[2]!.email),
        );
        assert.equal((await eventsIn(0, at("2026-05-07"))).length, 0, "no partial booking");
        assert.equal(panelsOf(b.opportunityId).length, before);
        assert.equal(invitesTo(inviteUid(b.panelKey)).length, 0);
        // The seats were given back: the hiring manager can be booked at that time by another panel.
        const other = booking({
          day: at("2026-05-07"),
          opp: opp(3),
          sessions: [
            {
              id: "hm",
              title: "Hiring manager",
              start: at("2026-05-07T13:00:00Z"),
              end: at("2026-05-07T13:45:00Z"),
              interviewers: [{ leverUserId: people[0]!.leverUserId, email: people[0]!.email }],
            },
          ],
        });
        await bookPanel(other, depsFor(t.db));
      });

      it("refuses a second panel over the same interviewer's seat, naming the panel that holds it", async () => {
        const b = booking({ day: at("2026-05-08"), opp: opp(4), candidate: { name: "No Mail", timezone: "Europe/London" } });
        const r = await bookPanel(b, depsFor(t.db));
        assert.equal(r.invite.sent, false);
        assert.match(r.invite.reason!, /no e-mail address/);
        const clash = booking({ day: at("2026-05-08"), opp: opp(5) });
        const before = panelsOf(clash.opportunityId).length;
        await assert.rejects(bookPanel(clash, depsFor(t.db)), (e: unknown) => e instanceof BookingError && e.message.includes(`by panel ${b.panelKey}`));
        assert.equal(panelsOf(clash.opportunityId).length, before);
      });

      it("refuses params that changed under the same panel key", async () => {
        const b = booking({ day: at("2026-05-05"), opp: opp(0) });
        const moved = { ...b, sessions: b.sessions.map((s) => ({ ...s, start: s.start.replace("T1", "T0"), end: s.end.replace("T1", "T0") })) };
        await assert.rejects(bookPanel(moved, depsFor(t.db)), /already booked with other times or people/);
      });
    });
  }

  for (const engine of engines) {
    if (engine.kind !== "postgres") continue;
    it("two processes' connections booking the same interviewer at the same time at once: exactly one wins", { skip: engine.skip }, async () => {
      const t = await openTestDatabase("postgres");
      const second = await openDatabase({ url: t.url!, poolSize: 2 });
      try {
        const a = booking({ day: "2026-07-12", opp: 8 });
        const b = booking({ day: "2026-07-12", opp: 9 });
        const before = panelsOf(a.opportunityId).length + panelsOf(b.opportunityId).length;
        const results = await Promise.allSettled([bookPanel(a, depsFor(t.db)), bookPanel(b, depsFor(second))]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))));
        assert.ok(lost[0]!.reason instanceof BookingError && /booking conflict, nothing was booked/.test(lost[0]!.reason.message), String(lost[0]!.reason));
        assert.equal((await eventsIn(0, "2026-07-12")).length, 1);
        assert.equal(panelsOf(a.opportunityId).length + panelsOf(b.opportunityId).length, before + 1);
      } finally {
        await second.close();
        await t.drop();
      }
    });

    for (const [n, kind] of (["same times", "other times"] as const).entries()) {
      it(`two bookings of the same panel key at once (double click, two tabs; ${kind}): exactly one books, its seats stay held, one invite`, {
        skip: engine.skip,
      }, async () => {
        const t = await openTestDatabase("postgres");
        const second = await openDatabase({ url: t.url!, poolSize: 2 });
        try {
          const day = `2026-07-1${3 + n}`;
          const a = booking({ day, opp: 20 + n });
          const shift = (iso: string) => new Date(Date.parse(iso) + 3 * 3_600_000).toISOString();
          const b = kind === "same times" ? a : { ...a, sessions: a.sessions.map((s) => ({ ...s, start: shift(s.start), end: shift(s.end) })) };
          const panelsBefore = panelsOf(a.opportunityId).length;
          const results = await Promise.allSettled([bookPanel(a, depsFor(t.db)), bookPanel(b, depsFor(second))]);
          const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i === 0 ? a : b] : []));
          const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
          assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))));
          assert.match(String(lost[0]!.reason), /being booked|already booked/);
          const winner = won[0]!;
          const row = await t.db.query<{ status: string; params_hash: string }>("select status, params_hash from scheduling_bookings where panel_key = $1", [
            a.panelKey,
          ]);
          assert.equal(row.rows[0]!.status, "booked");
          const holds = await t.db.query<{ interviewer: string; session_id: string; start_at: Date }>(
            "select interviewer, session_id, start_at from scheduling_holds where panel_key = $1 order by session_id, interviewer",
            [a.panelKey],
          );
          assert.deepEqual(
            holds.rows.map((h) => [h.session_id, h.interviewer, new Date(h.start_at).toISOString()]),
            winner.sessions
              .flatMap((s) => s.interviewers.map((i) => [s.id, i.email.toLowerCase(), new Date(s.start).toISOString()]))
              .sort((x, y) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`)),
            "the winner's seats are held, and only those",
          );
          assert.equal(invitesTo(inviteUid(a.panelKey)).length, 1, "one invite");
          assert.equal((await eventsIn(0, day)).length, 1, "one hiring-manager event");
          assert.equal(panelsOf(a.opportunityId).length, panelsBefore + 1, "one Lever panel");
        } finally {
          await second.close();
          await t.drop();
        }
      });
    }
  }
});
