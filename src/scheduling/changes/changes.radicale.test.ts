/**
 * When things change after booking, against real parts: Radicale (CalDAV) holding the events, an
 * SMTP sink for the candidate's invites, the Lever sandbox through the Lever client with the
 * database write ledger, on PGlite and PostgreSQL. An interviewer declines in their calendar; the
 * watcher reports it once; the re-plan fills the seat from the same pool at the same time; the
 * re-booking patches the event, updates the invite and replaces the Lever panel, once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { readAvailability } from "../../calendars/index.ts";
import { createLeverClient, type PanelInput } from "../../lever/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { createDatabaseWriteLedger, type Database } from "../../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { bookPanel, inviteUid, type BookingDeps, type BookingLever } from "../booking/book-panel.ts";
import { parseBookingParams, type BookingParams } from "../booking/params.ts";
import { rebookPanel } from "../booking/rebook-panel.ts";
import { hasRadicale, openProviders, radicaleCalendars, startRadicale, startSmtpSink, type Radicale, type SmtpSink } from "../booking/testing.ts";
import { businessDays } from "../proposal/propose.ts";
import type { PanelPlan } from "../proposal/panel-plan.ts";
import { replanPanel } from "./replan.ts";
import { watchBookedPanels } from "./watch-changes.ts";

const engines = await testEngines();
const skip = hasRadicale ? false : "radicale is not installed (Debian package `radicale`): re-planning tests against a real CalDAV server are skipped";
const ZONE = "Europe/Berlin";
const AUTH = `Basic ${Buffer.from("alice:wonderland").toString("base64")}`;

function calendarText(raw: string): string {
  const part = raw.split(/\r\n--[^\r\n]+\r\n/).find((p) => /^Content-Type: text\/calendar/im.test(p))!;
  const [head, ...body] = part.split("\r\n\r\n");
  const text = body.join("\r\n\r\n").replace(/\r\n--[^\r\n]*--\s*$/, "");
  if (/Content-Transfer-Encoding: base64/i.test(head!)) return Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8");
  return text.replace(/=\r\n/g, "");
}

describe("re-planning a booked panel after a change", { skip }, () => {
  let sandbox: Sandbox;
  let radicale: Radicale;
  let smtp: SmtpSink;
  let adminId: string;
  const people: { leverUserId: string; email: string; name: string; calendarUrl: string }[] = [];
  let opportunities: string[] = [];
  // Far enough ahead that a change is not within 48 hours of the interview.
  const days = businessDays(Date.now(), ZONE, 12);

  before(async () => {
    sandbox = await startSandbox({ seed: 13, rateLimit: false, candidates: 20 });
    radicale = await startRadicale();
    smtp = await startSmtpSink();
    const users = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null);
    adminId = users.find((u) => u.accessRole === "super admin")!.id;
    for (const [n, u] of users.slice(0, 4).entries())
      people.push({ leverUserId: u.id, email: u.email.toLowerCase(), name: u.name, calendarUrl: await radicale.makeCalendar(`p${n}`) });
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
  const depsFor = (db: Database): BookingDeps => {
    const calendars = radicaleCalendars(
      radicale.url,
      people.map((p) => ({ ...p, timezone: ZONE })),
    );
    return {
      db,
      connectionId: "default",
      lever: leverFor(db),
      calendars,
      providers: openProviders(calendars),
      smtp: { host: "127.0.0.1", port: smtp.port, secure: false, from: "Recruiting <recruiting@example.com>" },
    };
  };
  const who = (n: number) => ({ leverUserId: people[n]!.leverUserId, email: people[n]!.email, name: people[n]!.name });
  const plan = (techPool: number[]): PanelPlan => ({
    source: "template",
    sessions: [
      { id: "hm", title: "Hiring manager", minutes: 45, need: 1, pool: [people[0]!.leverUserId] },
      { id: "tech", title: "Technical", minutes: 60, need: 2, pool: techPool.map((n) => people[n]!.leverUserId) },
    ],
    maxGapMinutes: 30,
    bufferMinutes: 10,
    windowBusinessDays: 10,
    granularityMinutes: 15,
    loadCaps: {},
    notes: [],
    problems: [],
  });
  const booking = (day: DateTime, opp: string): BookingParams => {
    const t = (hhmm: string) => DateTime.fromISO(`${day.toISODate()}T${hhmm}`, { zone: ZONE }).toUTC().toISO()!;
    return parseBookingParams({
      opportunityId: opp,
      panelKey: `${opp}:onsite:${day.toISODate()}`,
      candidate: { name: "Casey Candidate", email: "casey@mail.example", timezone: ZONE },
      sessions: [
        { id: "hm", title: "Hiring manager", start: t("10:00"), end: t("10:45"), interviewers: [who(0)] },
        { id: "tech", title: "Technical", start: t("11:00"), end: t("12:00"), interviewers: [who(1), who(2)] },
      ],
    });
  };
  /** The organiser's copy of the technical session in Radicale. */
  const techEvent = async (day: DateTime): Promise<{ href: string; text: string }> => {
    for (const href of await radicale.objects(people[1]!.calendarUrl)) {
      const text = await (await fetch(`${radicale.url}${href}`, { headers: { authorization: AUTH } })).text();
      if (text.includes("Technical") && new RegExp(`DTSTART[^:\\r\\n]*:${day.toFormat("yyyyMMdd")}`).test(text)) return { href, text };
    }
    throw new Error("no technical event");
  };
  const decline = async (day: DateTime, email: string) => {
    const { href, text } = await techEvent(day);
    const root = new ICAL.Component(ICAL.parse(text));
    const a = root
      .getFirstSubcomponent("vevent")!
      .getAllProperties("attendee")
      .find((p) => String(p.getFirstValue()).toLowerCase() === `mailto:${email}`)!;
    a.setParameter("partstat", "DECLINED");
    const res = await fetch(`${radicale.url}${href}`, {
      method: "PUT",
      body: root.toString(),
      headers: { authorization: AUTH, "content-type": "text/calendar; charset=utf-8" },
    });
    await res.body?.cancel();
    assert.ok(res.ok, `PUT ${res.status}`);
  };
  const availabilityFor = (deps: BookingDeps, day: DateTime) =>
    readAvailability(deps.calendars, deps.providers, {
      users: people.map((p) => ({ id: p.leverUserId, email: p.email, name: p.name })),
      window: { start: day.minus({ days: 8 }).toUTC().toISO()!, end: day.plus({ days: 20 }).toUTC().toISO()! },
      bufferMinutes: 10,
    });

  for (const [n, engine] of engines.entries()) {
    describe(`on ${engine.kind}`, { skip: engine.skip }, () => {
      let t: TestDatabase;
      before(async () => (t = await openTestDatabase(engine.kind)));
      after(() => t?.drop());
      const day = days[7 + n]!;

      it("a decline in the calendar is reported once; the seat goes to someone free from the same pool at the same time; the event, the invite and the Lever panel follow, once", async () => {
        const deps = depsFor(t.db);
        const b = booking(day, opportunities[n]!);
        const booked = await bookPanel(b, deps);
        const quiet = await watchBookedPanels(deps);
        assert.deepEqual(quiet.changes, [], "nothing changed since booking");
        assert.deepEqual(quiet.problems, []);

        await decline(day, people[2]!.email);
        const seen = await watchBookedPanels(deps);
        assert.equal(seen.changes.length, 1, JSON.stringify(seen));
        const change = seen.changes[0]!;
        assert.equal(change.event, "interviewer.declined");
        assert.equal(change.data.attendee, people[2]!.email);
        assert.deepEqual(change.data.sessionIds, ["tech"]);
        assert.equal(change.dedupeKey, `${b.panelKey}@0:declined:${b.panelKey}:tech:${people[2]!.email}`);
        assert.deepEqual((await watchBookedPanels(deps)).changes, [], "the same decline is not reported again");

        const replan = replanPanel({
          booking: b,
          revision: 0,
          change: change.data,
          plan: plan([1, 2, 3]),
          users: people.map((p) => ({ id: p.leverUserId, name: p.name, email: p.email })),
          availability: await availabilityFor(deps, day),
          now: Date.now(),
          interviewPattern: "\\binterview",
        });
        assert.equal(replan.outcome, "fill-seat", replan.message);
        assert.equal(replan.escalate, false);
        assert.deepEqual(
          replan.booking!.sessions.map((s) => [s.start, s.interviewers.map((i) => i.email)]),
          [
            [b.sessions[0]!.start, [people[0]!.email]],
            [b.sessions[1]!.start, [people[1]!.email, people[3]!.email]],
          ],
        );
        assert.match(replan.message, new RegExp(`${people[3]!.name} takes ${people[2]!.name}`));

        const before = smtp.inbox.length;
        const r = await rebookPanel(replan.booking!, replan.revision, deps);
        assert.equal(r.revision, 1);
        assert.deepEqual(r.events.map((e) => [e.key, e.how]).sort(), [
          [`${b.panelKey}:hm`, "patched"],
          [`${b.panelKey}:tech`, "patched"],
        ]);
        const ev = new ICAL.Component(ICAL.parse((await techEvent(day)).text)).getFirstSubcomponent("vevent")!;
        assert.deepEqual(
          ev.getAllProperties("attendee").map((a) => String(a.getFirstValue()).toLowerCase()),
          [`mailto:${people[3]!.email}`],
        );
        assert.ok(Number(ev.getFirstPropertyValue("sequence")) >= 1, "the event's SEQUENCE was raised");

        const updates = smtp.inbox.slice(before).filter((m) => calendarText(m.raw).includes(`UID:${inviteUid(b.panelKey)}`));
        assert.equal(updates.length, 1);
        assert.match(calendarText(updates[0]!.raw), /METHOD:REQUEST/);
        assert.match(calendarText(updates[0]!.raw), /SEQUENCE:1/);

        const panel = sandbox.state.panels.get(booked.panelId!)!;
        assert.deepEqual(
          panel.interviews.map((i) => [i.subject, i.interviewers.map((x) => x.id)]),
          [
            ["Hiring manager", [people[0]!.leverUserId]],
            ["Technical", [people[1]!.leverUserId, people[3]!.leverUserId]],
          ],
        );
        const notes = [...sandbox.state.notes.values()].filter(
          (x) => x.opportunityId === b.opportunityId && x.fields.some((f) => /Panel changed.*Technical: .* instead of /.test(String(f.value))),
        );
        assert.equal(notes.length, 1);

        const again = await rebookPanel(replan.booking!, replan.revision, deps);
        assert.equal(again.alreadyApplied, true);
        assert.equal(smtp.inbox.length, before + 1, "no second invite update");
        assert.deepEqual((await watchBookedPanels(deps)).changes, [], "Fulcrum's own update is not a change");
      });

      it("a decline nobody else in the pool can cover re-solves the panel at another time, and one within 48 hours is escalated naming who, when and why", async () => {
        const deps = depsFor(t.db);
        const other = days[9 + n]!;
        const b = booking(other, opportunities[5 + n]!);
        await bookPanel(b, deps);
        await watchBookedPanels(deps);
        await decline(other, people[2]!.email);
        const change = (await watchBookedPanels(deps)).changes.find((c) => c.data.panelKey === b.panelKey)!;
        assert.equal(change.event, "interviewer.declined");
        const input = {
          booking: b,
          revision: 0,
          change: change.data,
          plan: plan([1, 2]),
          users: people.map((p) => ({ id: p.leverUserId, name: p.name, email: p.email })),
          availability: await availabilityFor(deps, other),
          interviewPattern: "\\binterview",
        };
        const replan = replanPanel({ ...input, now: Date.now() });
        assert.equal(replan.outcome, "re-solve");
        assert.equal(replan.feasible, true, replan.message);
        assert.equal(replan.booking!.panelKey, b.panelKey, "the same panel is re-booked");
        assert.notEqual(replan.booking!.sessions[1]!.start, b.sessions[1]!.start, "not the declined time again");
        assert.ok(
          replan.reasons.some((x) => x.includes("nobody else in the pool of Technical is free")),
          replan.reasons.join(" | "),
        );
        assert.equal(replan.escalate, false);

        const near = replanPanel({ ...input, now: Date.parse(b.sessions[0]!.start) - 24 * 3_600_000 });
        assert.equal(near.escalate, true);
        assert.ok(
          near.conflicts.some((x) => x.includes(`${people[2]!.name} (${people[2]!.email}) declined Technical`)),
          near.conflicts.join(" | "),
        );
        assert.ok(
          near.conflicts.some((x) => /starts in 24 hours/.test(x)),
          near.conflicts.join(" | "),
        );
      });
    });
  }
});
