/**
 * The CalDAV provider against a real Radicale server (Debian package `radicale`), started here on a
 * free loopback port with htpasswd authentication and a throwaway storage folder, and stopped by
 * its process id. Skipped, saying so, when radicale is not installed.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import ICAL from "ical.js";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CaldavCalendarProvider } from "./caldav.ts";
import { fulcrumEventKey, readChanges, type TrackedEvent } from "./changes.ts";
import { CalendarError } from "./errors.ts";
import { normaliseAvailability } from "./free-busy.ts";
import type { CalendarIdentity } from "./types.ts";
import { freePort } from "../../test/support/free-port.ts";

const hasRadicale = spawnSync("sh", ["-c", "command -v radicale"]).status === 0;
const skip = hasRadicale ? false : "radicale is not installed (Debian package `radicale`): the CalDAV tests against a real server are skipped";

let proc: ChildProcess | undefined;
let dir: string;
let base: string;
const auth = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

async function dav(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method, body, headers: { authorization: auth("alice", "wonderland"), ...headers } });
}

const VCAL = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${body}END:VCALENDAR\r\n`;

describe("CalDAV provider against Radicale", { skip }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fulcrum-radicale-"));
    const port = await freePort();
    writeFileSync(join(dir, "users"), "alice:wonderland\nbob:builder\n");
    writeFileSync(
      join(dir, "config"),
      [
        "[server]",
        `hosts = 127.0.0.1:${port}`,
        "[auth]",
        "type = htpasswd",
        `htpasswd_filename = ${join(dir, "users")}`,
        "htpasswd_encryption = plain",
        "delay = 0",
        "[storage]",
        `filesystem_folder = ${join(dir, "collections")}`,
        "[rights]",
        "type = owner_only",
        "[logging]",
        "level = warning",
        "",
      ].join("\n"),
    );
    proc = spawn("radicale", ["--config", join(dir, "config")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    proc.stderr!.on("data", (d) => (stderr += d));
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`${base}/`, { method: "OPTIONS" });
        await res.body?.cancel();
        break;
      } catch {
        if (i > 100 || proc.exitCode !== null) throw new Error(`radicale did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    // Alice's home is made on first sign-in; then a calendar and a few events.
    await (await dav("PROPFIND", "/alice/", undefined, { depth: "0" })).body?.cancel();
    const mk = await dav(
      "MKCALENDAR",
      "/alice/interviews/",
      `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Interviews</D:displayname></D:prop></D:set></C:mkcalendar>`,
    );
    assert.equal(mk.status, 201);
    const put = async (name: string, body: string) => {
      const r = await dav("PUT", `/alice/interviews/${name}.ics`, VCAL(body), { "content-type": "text/calendar; charset=utf-8" });
      assert.equal(r.status, 201, `PUT ${name}`);
    };
    await put(
      "standup",
      `BEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Standup\r\nDTSTART;TZID=Europe/Berlin:20260316T090000\r\nDTEND;TZID=Europe/Berlin:20260316T093000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Europe/Berlin:20260406T090000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:standup\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Standup (moved)\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260330T090000\r\nDTSTART;TZID=Europe/Berlin:20260330T140000\r\nDTEND;TZID=Europe/Berlin:20260330T143000\r\nEND:VEVENT\r\n`,
    );
    await put(
      "holiday",
      "BEGIN:VEVENT\r\nUID:holiday\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Holiday\r\nDTSTART;VALUE=DATE:20260331\r\nDTEND;VALUE=DATE:20260401\r\nEND:VEVENT\r\n",
    );
    await put(
      "focus",
      "BEGIN:VEVENT\r\nUID:focus\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Focus\r\nDTSTART:20260401T080000Z\r\nDTEND:20260401T100000Z\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n",
    );
    await put("old", "BEGIN:VEVENT\r\nUID:old\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20250101T080000Z\r\nDTEND:20250101T100000Z\r\nEND:VEVENT\r\n");
  });

  after(() => {
    if (proc?.pid && proc.exitCode === null) process.kill(proc.pid, "SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const provider = (password = "wonderland") =>
    new CaldavCalendarProvider(
      { id: "dav", provider: "caldav", serverUrl: `${base}/`, username: "alice", password, domains: [] },
      { defaultTimezone: "Europe/Berlin" },
    );
  const alice: CalendarIdentity = { id: "lever-alice", email: "alice@example.com", connectionId: "dav", timezone: "Europe/Berlin" };
  const range = { start: "2026-03-20T00:00:00Z", end: "2026-04-15T00:00:00Z" };

  it("reads a range and expands the series locally: across the DST switch, with its EXDATE and moved occurrence", async () => {
    const [r] = await provider().freeBusy([alice], range);
    assert.equal(r!.error, undefined);
    const standups = r!.items.filter((i) => i.eventId?.startsWith("standup")).map((i) => [i.start, i.title]);
    assert.deepEqual(standups, [
      ["2026-03-23T08:00:00.000Z", "Standup"],
      ["2026-03-30T12:00:00.000Z", "Standup (moved)"],
      ["2026-04-13T07:00:00.000Z", "Standup"],
    ]);
    assert.ok(!r!.items.some((i) => i.eventId === "old"), "events outside the range are not read");
    const holiday = r!.items.find((i) => i.eventId === "holiday")!;
    assert.deepEqual([holiday.start, holiday.end, holiday.allDay], ["2026-03-31", "2026-04-01", true]);
    assert.equal(r!.items.find((i) => i.eventId === "focus")!.status, "free");
    // Through the normaliser, Tuesday 31 March (the holiday) has no free time and Wednesday's focus block does not block.
    const a = normaliseAvailability({
      identity: alice,
      timezone: "Europe/Berlin",
      window: { start: "2026-03-30T22:00:00Z", end: "2026-04-01T22:00:00Z" },
      items: r!.items,
      workingHours: { tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]] },
    });
    assert.deepEqual(a.free, [{ start: "2026-04-01T07:00:00.000Z", end: "2026-04-01T15:00:00.000Z" }]);
  });

  it("creates an event with ORGANIZER and ATTENDEEs once, however often the create is retried", async () => {
    const p = provider();
    const event = {
      title: "Interview: Alice × Cand",
      description: "Packet",
      start: "2026-04-02T09:00:00Z",
      end: "2026-04-02T10:00:00Z",
      timezone: "Europe/Berlin",
      attendees: [{ email: "bob@example.com" }, { email: "cand@mail.example", name: "Cand" }],
      key: "run-7/s1",
    };
    const first = await p.createEvent(alice, event);
    const again = await p.createEvent(alice, event);
    assert.equal(first.href, again.href);
    assert.ok(first.etag);
    const events = await p.events(alice, { start: "2026-04-02T00:00:00Z", end: "2026-04-03T00:00:00Z" });
    assert.equal(events.filter((e) => e.title === "Interview: Alice × Cand").length, 1);
    const text = await (await dav("GET", new URL(first.href!).pathname)).text();
    const ev = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent")!;
    assert.equal(ev.getFirstPropertyValue("organizer"), "mailto:alice@example.com");
    assert.deepEqual(
      ev.getAllProperties("attendee").map((a) => a.getFirstValue()),
      ["mailto:bob@example.com", "mailto:cand@mail.example"],
    );
  });

  it("moves an event by href and etag (raising SEQUENCE), refuses a stale etag, and deletes it", async () => {
    const p = provider();
    const created = await p.createEvent(alice, {
      title: "Move me",
      start: "2026-04-03T09:00:00Z",
      end: "2026-04-03T10:00:00Z",
      timezone: "UTC",
      attendees: [],
      key: "run-8/s1",
    });
    const moved = await p.updateEvent(alice, created, { start: "2026-04-03T11:00:00Z", end: "2026-04-03T12:00:00Z" });
    assert.equal(moved.start, "2026-04-03T11:00:00.000Z");
    assert.notEqual(moved.etag, created.etag);
    const text = await (await dav("GET", new URL(created.href!).pathname)).text();
    assert.match(text, /SEQUENCE:1/);
    await assert.rejects(
      p.updateEvent(alice, created, { title: "stale" }),
      (e: unknown) => e instanceof CalendarError && e.kind === "conflict" && /changed since it was read/.test(e.message),
    );
    await assert.rejects(p.deleteEvent(alice, created), (e: unknown) => e instanceof CalendarError && e.kind === "conflict");
    await p.deleteEvent(alice, moved);
    await p.deleteEvent(alice, moved); // already gone
    assert.equal((await dav("GET", new URL(created.href!).pathname)).status, 404);
  });

  it("says the credentials were refused, and doctor says so too", async () => {
    const p = provider("wrong");
    await assert.rejects(
      p.freeBusy([alice], range),
      (e: unknown) => e instanceof CalendarError && e.kind === "auth" && /refused user "alice" \(401\)/.test(e.message),
    );
    const rows = await p.check(alice);
    assert.equal(rows[0]!.status, "fail");
    assert.match(rows[0]!.fix!, /username and password/);
    const good = await provider().check(alice);
    assert.deepEqual(
      good.map((r) => r.status),
      ["ok", "ok", "ok"],
    );
  });

  it("bounds the occurrences read for one person with a clear error", async () => {
    const r = await dav(
      "PUT",
      "/alice/interviews/dense.ics",
      VCAL(
        "BEGIN:VEVENT\r\nUID:dense\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260325T000000Z\r\nDTEND:20260325T000100Z\r\nRRULE:FREQ=MINUTELY;INTERVAL=2\r\nEND:VEVENT\r\n",
      ),
      { "content-type": "text/calendar" },
    );
    assert.equal(r.status, 201);
    const p = new CaldavCalendarProvider(
      { id: "dav", provider: "caldav", serverUrl: `${base}/`, username: "alice", password: "wonderland", domains: [] },
      { maxEventsPerPerson: 10_000 },
    );
    const [read] = await p.freeBusy([alice], range);
    assert.match(read!.error!, /alice@example.com: more than 10000 events or occurrences/);
    await (await dav("DELETE", "/alice/interviews/dense.ics")).body?.cancel();
  });

  /** A proxy in front of Radicale that can refuse sync-collection (an older server) or answer 429 first. */
  async function proxy(options: { refuseSync?: boolean; tooMany?: number }): Promise<{ url: string; server: Server; seen: string[] }> {
    const seen: string[] = [];
    let tooMany = options.tooMany ?? 0;
    const server = createHttpServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      seen.push(`${req.method} ${/sync-collection/.test(body) ? "sync-collection" : ""}`.trim());
      if (tooMany > 0) {
        tooMany--;
        res.writeHead(429, { "retry-after": "1" });
        return res.end();
      }
      if (options.refuseSync && req.method === "REPORT" && /sync-collection/.test(body)) {
        res.writeHead(501);
        return res.end();
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
      const upstream = await fetch(`${base}${req.url}`, { method: req.method, headers, body: body || undefined });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (k !== "content-length" && k !== "transfer-encoding" && k !== "content-encoding") out[k] = v;
      });
      res.writeHead(upstream.status, out);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, seen };
  }

  /** Changes a stored object as another client would: a new time, a PARTSTAT, or both. */
  async function editByHand(href: string, edit: (ics: string) => string): Promise<void> {
    const path = new URL(href).pathname;
    const current = await dav("GET", path);
    const etag = current.headers.get("etag")!;
    const r = await dav("PUT", path, edit(await current.text()), { "content-type": "text/calendar; charset=utf-8", "if-match": etag });
    assert.ok(r.status === 201 || r.status === 204, `PUT by hand: ${r.status}`);
  }

  async function followsChanges(p: CaldavCalendarProvider, mode: "sync" | "etag") {
    const window = { start: "2026-04-20T00:00:00Z", end: "2026-04-25T00:00:00Z" };
    const key = (s: string) => fulcrumEventKey(`panel-${mode}`, s);
    const made = [];
    for (const [n, s] of ["hm", "tech", "values"].entries()) {
      made.push(
        await p.createEvent(alice, {
          title: `Interview ${s}`,
          start: `2026-04-2${n}T09:00:00Z`,
          end: `2026-04-2${n}T10:00:00Z`,
          timezone: "UTC",
          attendees: [{ email: "bob@example.com" }, { email: "cand@mail.example" }],
          key: key(s),
        }),
      );
    }
    const tracked: TrackedEvent[] = made.map((e, n) => ({ key: key(["hm", "tech", "values"][n]!), href: e.href, start: e.start, end: e.end! }));
    const first = await readChanges(p, alice, undefined, window, tracked);
    assert.deepEqual(first.changes, [], "nothing changed yet");
    assert.ok(first.cursor.startsWith(`${mode}:`), first.cursor);
    // Bob declines the first, someone moves the second by an hour, and the third is deleted.
    await editByHand(made[0]!.href!, (ics) => {
      const root = new ICAL.Component(ICAL.parse(ics));
      const bob = root
        .getFirstSubcomponent("vevent")!
        .getAllProperties("attendee")
        .find((a) => a.getFirstValue() === "mailto:bob@example.com")!;
      bob.setParameter("partstat", "DECLINED");
      return root.toString();
    });
    await editByHand(made[1]!.href!, (ics) =>
      ics.replace("DTSTART:20260421T090000Z", "DTSTART:20260421T100000Z").replace("DTEND:20260421T100000Z", "DTEND:20260421T110000Z"),
    );
    await (await dav("DELETE", new URL(made[2]!.href!).pathname)).body?.cancel();
    const next = await readChanges(p, alice, first.cursor, window, tracked);
    const byKind = next.changes.map((c) => [c.kind, c.key, c.kind === "declined" ? c.attendee : c.kind === "moved" ? c.start : c.how]).sort();
    assert.deepEqual(byKind, [
      ["cancelled", key("values"), "deleted"],
      ["declined", key("hm"), "bob@example.com"],
      ["moved", key("tech"), "2026-04-21T10:00:00.000Z"],
    ]);
    assert.equal(next.fullResync, false);
    const quiet = await readChanges(p, alice, next.cursor, window, tracked);
    assert.deepEqual(quiet.changes, [], "a change is reported once");
    return { first, next };
  }

  it("follows declines, moves and deletions of Fulcrum's events by sync-collection (RFC 6578), each reported once", async () => {
    await followsChanges(provider(), "sync");
    // A sync token the server does not know reads everything again.
    const again = await provider().changes(alice, "sync:http://radicale.org/ns/sync/unknown", { start: "2026-04-20T00:00:00Z", end: "2026-04-25T00:00:00Z" });
    assert.equal(again.fullResync, true);
    assert.ok(again.cursor.startsWith("sync:http"), again.cursor);
  });

  it("falls back to ctag and etag comparison on a server without sync-collection", async () => {
    const px = await proxy({ refuseSync: true });
    try {
      const p = new CaldavCalendarProvider({ id: "dav", provider: "caldav", serverUrl: px.url, username: "alice", password: "wonderland", domains: [] });
      await followsChanges(p, "etag");
      assert.ok(px.seen.includes("REPORT sync-collection"), "sync-collection was tried first");
    } finally {
      px.server.close();
    }
  });

  it("waits out a 429's Retry-After, and reports one that persists as rate-limited", async () => {
    const px = await proxy({ tooMany: 1 });
    try {
      const p = new CaldavCalendarProvider({ id: "dav", provider: "caldav", serverUrl: px.url, username: "alice", password: "wonderland", domains: [] });
      const t0 = Date.now();
      const [r] = await p.freeBusy([alice], range);
      assert.equal(r!.error, undefined);
      assert.ok(Date.now() - t0 >= 900, "slept for the Retry-After");
    } finally {
      px.server.close();
    }
    const stuck = await proxy({ tooMany: 100 });
    try {
      const p = new CaldavCalendarProvider({
        id: "dav",
        provider: "caldav",
        serverUrl: stuck.url,
        username: "alice",
        password: "wonderland",
        domains: [],
        maxAttempts: 2,
      });
      await assert.rejects(
        p.freeBusy([alice], range),
        (e: unknown) =>
          e instanceof CalendarError && e.kind === "rate-limited" && e.retryable && e.retryAfterMs === 1000 && /answered 429 after 2 attempts/.test(e.message),
      );
    } finally {
      stuck.server.close();
    }
  });

  it("reports a server that is not there as unavailable", async () => {
    const p = new CaldavCalendarProvider({ id: "dav", provider: "caldav", serverUrl: "http://127.0.0.1:9/", username: "alice", password: "x", domains: [] });
    await assert.rejects(p.freeBusy([alice], range), (e: unknown) => e instanceof CalendarError && e.kind === "unavailable" && e.retryable);
  });
});
