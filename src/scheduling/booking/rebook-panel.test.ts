/**
 * Re-booking a booked panel against real parts (Radicale, an SMTP sink, the Lever sandbox through
 * the Lever client with the database write ledger): two re-bookings of the same revision at once,
 * a re-booking that stopped part-way and is retried, and a move that overlaps the panel's own times.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import ICAL from "ical.js";
import { createLeverClient, type PanelInput } from "../../lever/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { createDatabaseWriteLedger, createSchedulingChangeStore, openDatabase, type Database } from "../../store/index.ts";
import { openTestDatabase, testEngines } from "../../store/testing.ts";
import { bookPanel, BookingError, inviteUid, type BookingDeps, type BookingLever } from "./book-panel.ts";
import { parseBookingParams, type BookingParams } from "./params.ts";
import { rebookPanel } from "./rebook-panel.ts";
import { hasRadicale, openProviders, radicaleCalendars, RADICALE_USER, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "./testing.ts";

const engines = await testEngines();
const skip = hasRadicale ? false : "radicale is not installed (Debian package `radicale`): re-booking tests against a real CalDAV server are skipped";
const AUTH = `Basic ${Buffer.from(`${RADICALE_USER.username}:${RADICALE_USER.password}`).toString("base64")}`;

function calendarText(raw: string): string {
  const part = raw.split(/\r\n--[^\r\n]+\r\n/).find((p) => /^Content-Type: text\/calendar/im.test(p));
  if (!part) return "";
  const [head, ...body] = part.split("\r\n\r\n");
  const text = body.join("\r\n\r\n").replace(/\r\n--[^\r\n]*--\s*$/, "");
  if (/Content-Transfer-Encoding: base64/i.test(head!)) return Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8");
  return text.replace(/=\r\n/g, "");
}

/** A loopback port nothing listens on: an SMTP server that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("re-booking a panel", { skip }, () => {
  let sandbox: Sandbox;
  let radicale: Radicale;
  let smtp: SmtpSink;
  let adminId: string;
  const people: { leverUserId: string; email: string; name: string; calendarUrl: string }[] = [];
  let opportunities: string[] = [];

  before(async () => {
    sandbox = await startSandbox({ seed: 17, rateLimit: false, candidates: 20 });
    radicale = await startRadicale();
    smtp = await startSmtpSink();
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null);
    adminId = users.find((u) => u.accessRole === "super admin")!.id;
    for (const [n, u] of users.slice(0, 3).entries())
      people.push({ leverUserId: u.id, email: u.email.toLowerCase(), name: u.name, calendarUrl: await radicale.makeCalendar(`r${n}`) });
    opportunities = [...sandbox.state.opportunities.values()].filter((o) => o.applications.length > 0).map((o) => o.id);
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
      updatePanel: (o, id, panel, k) => client.updatePanel(o, id, panel as unknown as PanelInput, k),
      addNote: (o, note, k) => client.addNote(o, note, k),
    };
  };
  const depsFor = (db: Database, smtpPort = smtp.port): BookingDeps => {
    const calendars = radicaleCalendars(radicale.url, people);
    return {
      db,
      connectionId: "default",
      lever: leverFor(db),
      calendars,
      providers: openProviders(calendars),
      smtp: { host: "127.0.0.1", port: smtpPort, secure: false, from: "Recruiting <recruiting@example.com>" },
    };
  };
  const who = (n: number) => ({ leverUserId: people[n]!.leverUserId, email: people[n]!.email, name: people[n]!.name });
  /** Hiring manager (person 0) then a technical session (persons 1 and 2), starting at `hour` UTC. */
  const booking = (day: string, opp: number, hour: number, minute = 0): BookingParams => {
    const at = (h: number, m: number) => new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), h, m)).toISOString();
    return parseBookingParams({
      opportunityId: opportunities[opp]!,
      panelKey: `${opportunities[opp]}:rebook:${day}`,
      candidate: { name: "Robin Candidate", email: `robin${opp}@mail.example`, timezone: "Europe/Lisbon" },
      sessions: [
        { id: "hm", title: "Hiring manager", start: at(hour, minute), end: at(hour, minute + 45), interviewers: [who(0)] },
        { id: "tech", title: "Technical", start: at(hour + 1, minute), end: at(hour + 2, minute), interviewers: [who(1), who(2)] },
      ],
    });
  };
  /** Each event's start (UTC, as DTSTART) in a person's calendar on `day`. */
  const startsIn = async (person: number, day: string): Promise<string[]> => {
    const out: string[] = [];
    for (const href of await radicale.objects(people[person]!.calendarUrl)) {
      const text = await (await fetch(`${radicale.url}${href}`, { headers: { authorization: AUTH } })).text();
      const ev = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!;
      const start = (ev.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString();
      if (start.startsWith(day)) out.push(start);
    }
    return out.sort();
  };
  const updatesOf = (panelKey: string) =>
    smtp.inbox.filter((m) => calendarText(m.raw).includes(`UID:${inviteUid(panelKey)}`) && /SEQUENCE:1\b/.test(calendarText(m.raw)));
  const seatsOf = async (db: Database, panelKey: string) =>
    (
      await db.query<{ session_id: string; start_at: Date }>(
        "select distinct session_id, start_at from scheduling_holds where panel_key = $1 order by session_id",
        [panelKey],
      )
    ).rows.map((r) => [r.session_id, new Date(r.start_at).toISOString()]);

  for (const engine of engines) {
    if (engine.kind !== "postgres") continue;
    it("two re-bookings of the same revision at once (two tabs moving to different times): exactly one is applied, the other changes nothing", {
      skip: engine.skip,
    }, async () => {
      const t = await openTestDatabase("postgres");
      const second = await openDatabase({ url: t.url!, poolSize: 2 });
      try {
        const day = "2026-08-04";
        const b = booking(day, 0, 8);
        const booked = await bookPanel(b, depsFor(t.db));
        const x = booking(day, 0, 11);
        const y = booking(day, 0, 14);
        const results = await Promise.allSettled([rebookPanel(x, 1, depsFor(t.db)), rebookPanel(y, 1, depsFor(second))]);
        const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i === 0 ? x : y] : []));
        assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))));
        const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
        assert.ok(lost.reason instanceof BookingError && /being re-booked to revision 1 with other times/.test(lost.reason.message), String(lost.reason));
        const winner = won[0]!;
        assert.deepEqual(
          await startsIn(0, day),
          [new Date(winner.sessions[0]!.start).toISOString()],
          "the hiring manager's event is at the winner's time, once",
        );
        assert.deepEqual(await startsIn(1, day), [new Date(winner.sessions[1]!.start).toISOString()]);
        assert.equal(updatesOf(b.panelKey).length, 1, "one invite update");
        const row = await t.db.query<{ revision: number; params_hash: string; pending_revision: number | null }>(
          "select revision, params_hash, pending_revision from scheduling_bookings where panel_key = $1",
          [b.panelKey],
        );
        assert.equal(row.rows[0]!.revision, 1);
        assert.equal(row.rows[0]!.pending_revision, null, "the claim is given back");
        assert.deepEqual(
          await seatsOf(t.db, b.panelKey),
          winner.sessions.map((s) => [s.id, new Date(s.start).toISOString()]),
        );
        const panel = sandbox.state.panels.get(booked.panelId!)!;
        assert.equal(panel.interviews[0]!.date, Date.parse(winner.sessions[0]!.start), "Lever's panel is at the winner's time");
      } finally {
        await second.close();
        await t.drop();
      }
    });
  }

  for (const [n, engine] of engines.entries()) {
    describe(`on ${engine.kind}`, { skip: engine.skip }, () => {
      it("a re-booking that stopped after moving the events (e-mail down) is retried and finishes at the new time, once", async () => {
        const t = await openTestDatabase(engine.kind);
        try {
          const day = `2026-08-1${n}`;
          const b = booking(day, 2 + n, 8);
          const booked = await bookPanel(b, depsFor(t.db));
          const moved = booking(day, 2 + n, 12);
          await assert.rejects(
            rebookPanel(moved, 1, depsFor(t.db, await closedPort())),
            (e: unknown) => !(e instanceof BookingError),
            "the e-mail failure is not a booking conflict",
          );
          assert.deepEqual(await startsIn(0, day), [new Date(moved.sessions[0]!.start).toISOString()], "the first event was moved before the failure");
          const r = await rebookPanel(moved, 1, depsFor(t.db));
          assert.equal(r.alreadyApplied, false);
          assert.equal(r.revision, 1);
          assert.deepEqual(await startsIn(0, day), [new Date(moved.sessions[0]!.start).toISOString()]);
          assert.deepEqual(await startsIn(1, day), [new Date(moved.sessions[1]!.start).toISOString()]);
          assert.equal(updatesOf(b.panelKey).length, 1, "one invite update");
          assert.deepEqual(
            await seatsOf(t.db, b.panelKey),
            moved.sessions.map((s) => [s.id, new Date(s.start).toISOString()]),
          );
          assert.equal(sandbox.state.panels.get(booked.panelId!)!.interviews[1]!.date, Date.parse(moved.sessions[1]!.start));
        } finally {
          await t.drop();
        }
      });

      it("a cancelled panel is not re-booked by an older proposal: refused, nothing written", async () => {
        const t = await openTestDatabase(engine.kind);
        try {
          const day = `2026-08-2${5 + n}`;
          const b = booking(day, 6 + n, 8);
          await bookPanel(b, depsFor(t.db));
          // What a cancellation from the booking page leaves: no seats, state cancelled, status booked.
          const changes = createSchedulingChangeStore(t.db);
          await t.db.transaction((tx) => createSchedulingChangeStore(tx).replaceSeats(b.panelKey, []));
          await changes.setState(b.panelKey, "cancelled");
          await changes.setState(b.panelKey, "rescheduling");
          const mails = smtp.inbox.length;
          const lever = sandbox.state.notes.size;
          await assert.rejects(
            rebookPanel(booking(day, 6 + n, 12), 1, depsFor(t.db)),
            (e: unknown) => e instanceof BookingError && /not booked \(never booked, or cancelled\)/.test(e.message),
          );
          assert.deepEqual(await seatsOf(t.db, b.panelKey), [], "no seats taken again");
          assert.deepEqual(await startsIn(0, day), [new Date(b.sessions[0]!.start).toISOString()], "the calendar event was not moved");
          assert.equal(smtp.inbox.length, mails, "no invite sent");
          assert.equal(sandbox.state.notes.size, lever, "no Lever note");
          const row = await t.db.query<{ state: string; revision: number }>("select state, revision from scheduling_bookings where panel_key = $1", [
            b.panelKey,
          ]);
          assert.deepEqual(row.rows[0], { state: "cancelled", revision: 0 }, "a later state change does not revive it");
          assert.equal(await changes.booked(b.panelKey), undefined);
          assert.deepEqual(await changes.bookedFor("default", b.opportunityId), []);
        } finally {
          await t.drop();
        }
      });

      it("a move of 30 minutes, overlapping the panel's own events at the old time, is not a conflict", async () => {
        const t = await openTestDatabase(engine.kind);
        try {
          const day = `2026-08-2${n}`;
          const b = booking(day, 4 + n, 8);
          await bookPanel(b, depsFor(t.db));
          const moved = booking(day, 4 + n, 8, 30);
          const r = await rebookPanel(moved, 1, depsFor(t.db));
          assert.equal(r.revision, 1);
          assert.deepEqual(await startsIn(0, day), [new Date(moved.sessions[0]!.start).toISOString()]);
        } finally {
          await t.drop();
        }
      });
    });
  }
});
