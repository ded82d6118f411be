import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createVerify, generateKeyPairSync } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { fulcrumEventKey, readChanges } from "./changes.ts";
import { CalendarError } from "./errors.ts";
import { GOOGLE_CALENDAR_SCOPE, GoogleCalendarProvider, googleEventId, verifyGooglePush } from "./google.ts";
import type { GoogleConnectionConfig } from "./config.ts";
import type { CalendarIdentity } from "./types.ts";

/**
 * A local stand-in for Google's token endpoint and Calendar API v3, answering with the shapes and
 * errors of Google's documentation: the JWT-bearer grant, events.list paging and sync tokens,
 * freeBusy.query, events.insert/patch/delete, 429 with Retry-After, and the Google error envelope.
 */
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

interface Fake {
  tokenCalls: { sub?: string; scope: string }[];
  apiCalls: { method: string; path: string; query: URLSearchParams; body: unknown; auth: string }[];
  notDelegated: Set<string>;
  unknownUsers: Set<string>;
  events: Map<string, Record<string, unknown>[]>;
  /** Responses to hand out before normal handling, keyed by "METHOD path". */
  queued: Map<string, { status: number; headers?: Record<string, string>; body: unknown }[]>;
  revoked: Set<string>;
  issued: number;
  syncTokens: Map<string, number>;
}
const fake: Fake = {
  tokenCalls: [],
  apiCalls: [],
  notDelegated: new Set(),
  unknownUsers: new Set(),
  events: new Map(),
  queued: new Map(),
  revoked: new Set(),
  issued: 0,
  syncTokens: new Map(),
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}
const googleError = (code: number, reason: string, message: string) => ({ error: { errors: [{ domain: "global", reason, message }], code, message } });

async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

let server: Server;
let base: string;

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://x");
    const text = await readBody(req);
    if (url.pathname === "/token") {
      const form = new URLSearchParams(text);
      assert.equal(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
      const [h, c, s] = form.get("assertion")!.split(".");
      const ok = createVerify("RSA-SHA256").update(`${h}.${c}`).verify(publicKey, Buffer.from(s!, "base64url"));
      if (!ok) return send(res, 400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
      const claims = JSON.parse(Buffer.from(c!, "base64url").toString());
      fake.tokenCalls.push({ sub: claims.sub, scope: claims.scope });
      if (fake.notDelegated.has(claims.sub))
        return send(res, 401, {
          error: "unauthorized_client",
          error_description: "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
        });
      if (fake.unknownUsers.has(claims.sub)) return send(res, 400, { error: "invalid_grant", error_description: "Invalid email or User ID" });
      fake.issued++;
      return send(res, 200, { access_token: `tok-${claims.sub}-${fake.issued}`, expires_in: 3599, token_type: "Bearer" });
    }
    const auth = req.headers.authorization ?? "";
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    fake.apiCalls.push({ method: req.method!, path: url.pathname, query: url.searchParams, body, auth });
    const queue = fake.queued.get(`${req.method} ${url.pathname}`);
    if (queue?.length) {
      const q = queue.shift()!;
      return send(res, q.status, q.body, q.headers);
    }
    if (!auth.startsWith("Bearer tok-") || fake.revoked.has(auth.slice(7))) return send(res, 401, googleError(401, "authError", "Invalid Credentials"));
    if (url.pathname === "/calendar/v3/freeBusy") {
      const b = body as { items: { id: string }[]; timeMin: string };
      if (b.items.length > 50) return send(res, 400, googleError(400, "tooManyCalendarsRequested", "Too many calendars"));
      const calendars: Record<string, unknown> = {};
      for (const { id } of b.items) {
        calendars[id] = fake.unknownUsers.has(id)
          ? { busy: [], errors: [{ domain: "global", reason: "notFound" }] }
          : { busy: [{ start: "2026-03-30T09:00:00Z", end: "2026-03-30T10:00:00Z" }] };
      }
      return send(res, 200, { kind: "calendar#freeBusy", timeMin: b.timeMin, calendars });
    }
    const m = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    if (m && m[2] !== "watch") {
      const cal = decodeURIComponent(m[1]!);
      if (fake.unknownUsers.has(cal)) return send(res, 404, googleError(404, "notFound", "Not Found"));
      const list = fake.events.get(cal) ?? [];
      fake.events.set(cal, list);
      if (req.method === "GET" && !m[2]) {
        const sync = url.searchParams.get("syncToken");
        if (sync && !fake.syncTokens.has(sync))
          return send(res, 410, googleError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required."));
        const from = Number(url.searchParams.get("pageToken") ?? 0);
        const size = Number(url.searchParams.get("maxResults") ?? 250);
        const selected = sync ? list.slice(fake.syncTokens.get(sync)) : list;
        const page = selected.slice(from, from + size);
        const more = from + size < selected.length;
        const token = `sync-${fake.syncTokens.size + 1}`;
        if (!more) fake.syncTokens.set(token, list.length);
        return send(res, 200, {
          kind: "calendar#events",
          timeZone: "Europe/Berlin",
          items: page,
          ...(more ? { nextPageToken: String(from + size) } : { nextSyncToken: token }),
        });
      }
      if (req.method === "GET" && m[2]) {
        const found = list.find((e) => e.id === m[2]);
        return found ? send(res, 200, found) : send(res, 404, googleError(404, "notFound", "Not Found"));
      }
      if (req.method === "POST") {
        const e = body as Record<string, unknown>;
        if (list.some((x) => x.id === e.id)) return send(res, 409, googleError(409, "duplicate", "The requested identifier already exists."));
        const created = { ...e, status: "confirmed", hangoutLink: e.conferenceData ? "https://meet.google.com/abc-defg-hij" : undefined };
        list.push(created);
        return send(res, 200, created);
      }
      if (req.method === "PATCH") {
        const i = list.findIndex((x) => x.id === m[2]);
        if (i < 0) return send(res, 404, googleError(404, "notFound", "Not Found"));
        list[i] = { ...list[i], ...(body as object) };
        return send(res, 200, list[i]);
      }
      if (req.method === "DELETE") {
        const i = list.findIndex((x) => x.id === m[2]);
        if (i < 0) return send(res, 410, googleError(410, "deleted", "Resource has been deleted"));
        list.push({ id: m[2], status: "cancelled" });
        list.splice(i, 1);
        res.writeHead(204).end();
        return;
      }
    }
    if (url.pathname.endsWith("/events/watch") && req.method === "POST") {
      const b = body as { id: string; type: string; address: string; token: string };
      if (b.type !== "web_hook" || !b.address.startsWith("https://"))
        return send(res, 400, googleError(400, "push.webhookUrlNotHttps", "WebHook callback must be HTTPS: " + b.address));
      return send(res, 200, {
        kind: "api#channel",
        id: b.id,
        resourceId: "res-1",
        resourceUri: "https://www.googleapis.com/calendar/v3/calendars/x/events",
        token: b.token,
        expiration: "1775000000000",
      });
    }
    if (url.pathname === "/calendar/v3/channels/stop") {
      res.writeHead(204).end();
      return;
    }
    send(res, 404, googleError(404, "notFound", "Not Found"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  fake.tokenCalls = [];
  fake.apiCalls = [];
  fake.notDelegated.clear();
  fake.unknownUsers.clear();
  fake.events.clear();
  fake.queued.clear();
  fake.revoked.clear();
  fake.syncTokens.clear();
});

function provider(extra: Partial<GoogleConnectionConfig> = {}, now?: () => number) {
  return new GoogleCalendarProvider(configFor(extra), now ? { now } : {});
}
function configFor(extra: Partial<GoogleConnectionConfig> = {}): GoogleConnectionConfig {
  return {
    id: "gw",
    provider: "google",
    serviceAccountKey: JSON.stringify({
      type: "service_account",
      client_email: "fulcrum@proj.iam.gserviceaccount.com",
      client_id: "1234567890",
      private_key: pem,
    }),
    domains: ["example.com"],
    read: "events",
    apiBaseUrl: `${base}/calendar/v3`,
    tokenUrl: `${base}/token`,
    ...extra,
  };
}
const ana: CalendarIdentity = { id: "lever-ana", email: "ana@example.com", connectionId: "gw" };
const bo: CalendarIdentity = { id: "lever-bo", email: "bo@example.com", connectionId: "gw" };
const range = { start: "2026-03-30T00:00:00Z", end: "2026-04-03T00:00:00Z" };
const ev = (id: string, extra: Record<string, unknown>) => ({
  id,
  status: "confirmed",
  start: { dateTime: "2026-03-30T09:00:00+02:00" },
  end: { dateTime: "2026-03-30T10:00:00+02:00" },
  ...extra,
});

describe("Google Calendar provider", () => {
  it("signs a JWT-bearer grant per person with the calendar scope and caches each token until it nears expiry", async () => {
    let clock = Date.parse("2026-03-30T08:00:00Z");
    const g = provider({}, () => clock);
    await g.events(ana, range);
    await g.events(ana, range);
    await g.events(bo, range);
    assert.deepEqual(fake.tokenCalls, [
      { sub: "ana@example.com", scope: GOOGLE_CALENDAR_SCOPE },
      { sub: "bo@example.com", scope: GOOGLE_CALENDAR_SCOPE },
    ]);
    clock += 3599_000 - 30_000; // within the last minute of the token's life
    await g.events(ana, range);
    assert.equal(fake.tokenCalls.length, 3);
  });

  it("gets a new token once when Google refuses a cached one (401)", async () => {
    const g = provider();
    await g.events(ana, range);
    fake.revoked.add(fake.apiCalls[0]!.auth.slice(7));
    await g.events(ana, range);
    assert.equal(fake.tokenCalls.length, 2);
  });

  it("reads events with singleEvents across pages and keeps each status apart", async () => {
    fake.events.set("ana@example.com", [
      ev("busy1", { summary: "1:1" }),
      ev("free1", { transparency: "transparent", summary: "Focus (free)" }),
      ev("tent1", { attendees: [{ email: "ana@example.com", self: true, responseStatus: "tentative" }] }),
      ev("decl1", { attendees: [{ email: "ana@example.com", self: true, responseStatus: "declined" }] }),
      ev("ooo1", { eventType: "outOfOffice", start: { dateTime: "2026-03-31T00:00:00+02:00" }, end: { dateTime: "2026-04-01T00:00:00+02:00" } }),
      ev("allday", { start: { date: "2026-04-02" }, end: { date: "2026-04-03" }, summary: "Offsite" }),
      ev("gone", { status: "cancelled" }),
      ev("open", { endTimeUnspecified: true }),
    ]);
    const g = provider();
    const wrapped = await withPageSize(3, () => g.freeBusy([ana], range));
    const [result] = wrapped;
    assert.equal(result!.timezone, "Europe/Berlin");
    const byId = Object.fromEntries(result!.items.map((i) => [i.eventId, i]));
    assert.equal(byId.busy1!.status, "busy");
    assert.equal(byId.free1!.status, "free");
    assert.equal(byId.tent1!.status, "tentative");
    assert.equal(byId.decl1!.status, "free");
    assert.equal(byId.ooo1!.status, "oof");
    assert.deepEqual(
      { start: byId.allday!.start, end: byId.allday!.end, allDay: byId.allday!.allDay },
      { start: "2026-04-02", end: "2026-04-03", allDay: true },
    );
    assert.equal(byId.gone, undefined);
    assert.equal(byId.open!.end, undefined, "an event without an end is passed on without one");
    const lists = fake.apiCalls.filter((c) => c.method === "GET");
    assert.equal(lists.length, 3, "8 events at 3 a page");
    assert.ok(lists.every((c) => c.query.get("singleEvents") === "true" && c.query.get("timeMin") === range.start));
  });

  it("asks freeBusy.query about at most 50 calendars a call and reports an unknown calendar by itself", async () => {
    const people = Array.from({ length: 120 }, (_, i) => ({ id: `u${i}`, email: `p${i}@example.com`, connectionId: "gw" }));
    fake.unknownUsers.add("p7@example.com");
    const g = provider({ read: "freeBusy", subject: "admin@example.com" });
    const results = await g.freeBusy(people, range);
    const calls = fake.apiCalls.filter((c) => c.path.endsWith("/freeBusy"));
    assert.deepEqual(
      calls.map((c) => (c.body as { items: unknown[] }).items.length),
      [50, 50, 20],
    );
    assert.equal(results.length, 120);
    assert.match(results[7]!.error!, /Google has no free\/busy for p7@example.com \(notFound\)/);
    assert.deepEqual(results[8]!.items, [{ start: "2026-03-30T09:00:00Z", end: "2026-03-30T10:00:00Z", status: "busy" }]);
    assert.deepEqual(
      fake.tokenCalls.map((t) => t.sub),
      ["admin@example.com"],
    );
  });

  it("waits as long as a 429's Retry-After says, then succeeds", async () => {
    fake.queued.set("GET /calendar/v3/calendars/ana%40example.com/events", [
      { status: 429, headers: { "retry-after": "1" }, body: googleError(429, "rateLimitExceeded", "Rate Limit Exceeded") },
    ]);
    const g = provider();
    const t0 = Date.now();
    await g.events(ana, range);
    assert.ok(Date.now() - t0 >= 900, "slept for the Retry-After");
    assert.equal(fake.apiCalls.length, 2);
  });

  it("retries Google's 403 rateLimitExceeded and userRateLimitExceeded like a 429, but not a 403 for a missing permission", async () => {
    fake.queued.set("GET /calendar/v3/calendars/ana%40example.com/events", [
      { status: 403, body: googleError(403, "userRateLimitExceeded", "User Rate Limit Exceeded") },
      { status: 403, headers: { "retry-after": "0.2" }, body: googleError(403, "rateLimitExceeded", "Rate Limit Exceeded") },
    ]);
    await provider().events(ana, range);
    assert.equal(fake.apiCalls.length, 3, "two refusals, then the answer");
    fake.apiCalls.length = 0;
    fake.queued.set(
      "GET /calendar/v3/calendars/ana%40example.com/events",
      Array.from({ length: 2 }, () => ({ status: 403, body: googleError(403, "rateLimitExceeded", "Rate Limit Exceeded") })),
    );
    await assert.rejects(
      provider({ maxAttempts: 2 }).events(ana, range),
      (e: unknown) => e instanceof CalendarError && e.kind === "rate-limited" && e.retryable && e.status === 403 && e.code === "rateLimitExceeded",
    );
    fake.apiCalls.length = 0;
    fake.queued.set("GET /calendar/v3/calendars/ana%40example.com/events", [{ status: 403, body: googleError(403, "forbidden", "Forbidden") }]);
    await assert.rejects(provider().events(ana, range), (e: unknown) => e instanceof CalendarError && e.kind === "permission");
    assert.equal(fake.apiCalls.length, 1, "a permission refusal is not retried");
  });

  it("gives up on an API that stays down with a retryable error naming the endpoint", async () => {
    fake.queued.set("GET /calendar/v3/calendars/ana%40example.com/events", [
      { status: 503, body: googleError(503, "backendError", "Backend Error") },
      { status: 503, body: googleError(503, "backendError", "Backend Error") },
    ]);
    const g = provider({ maxAttempts: 2 });
    await assert.rejects(
      g.events(ana, range),
      (e: unknown) =>
        e instanceof CalendarError &&
        e.kind === "unavailable" &&
        e.retryable &&
        /GET \/calendars\/:calendar\/events: answered 503 \(Backend Error\) after 2 attempts/.test(e.message),
    );
  });

  it("names the missing delegation and scope when Google refuses to act as the person", async () => {
    fake.notDelegated.add("ana@example.com");
    const g = provider();
    await assert.rejects(
      g.events(ana, range),
      (e: unknown) =>
        e instanceof CalendarError &&
        e.kind === "permission" &&
        !e.retryable &&
        e.message.includes("Domain-wide delegation") &&
        e.message.includes("client ID 1234567890") &&
        e.message.includes(GOOGLE_CALENDAR_SCOPE),
    );
    const rows = await g.check(ana);
    assert.equal(rows[0]!.status, "fail");
    assert.match(rows[0]!.fix!, /https:\/\/www.googleapis.com\/auth\/calendar/);
  });

  it("says who is unknown, in free/busy (per person) and in doctor", async () => {
    fake.unknownUsers.add("ghost@example.com");
    const g = provider();
    const [r] = await g.freeBusy([{ id: "x", email: "ghost@example.com", connectionId: "gw" }], range);
    assert.match(r!.error!, /ghost@example.com is not a user Google knows \(Invalid email or User ID\).*calendars.identities/);
  });

  it("creates an event with attendees, a Meet request and sendUpdates=all, and a retry with the same key makes no second event", async () => {
    const g = provider();
    const event = {
      title: "Interview: Systems design",
      description: "Packet",
      start: "2026-03-31T09:00:00Z",
      end: "2026-03-31T10:00:00Z",
      timezone: "Europe/Berlin",
      attendees: [{ email: "bo@example.com" }, { email: "cand@mail.example", name: "Cand" }],
      conference: true,
      key: "run-1/session-1",
    };
    const first = await g.createEvent(ana, event);
    const second = await g.createEvent(ana, event);
    assert.equal(first.id, googleEventId("run-1/session-1"));
    assert.equal(second.id, first.id);
    assert.equal(fake.events.get("ana@example.com")!.length, 1);
    assert.equal(first.conferenceUrl, "https://meet.google.com/abc-defg-hij");
    assert.equal(first.key, "run-1/session-1");
    const insert = fake.apiCalls.find((c) => c.method === "POST")!;
    assert.equal(insert.query.get("sendUpdates"), "all");
    assert.equal(insert.query.get("conferenceDataVersion"), "1");
    const body = insert.body as { attendees: unknown[]; conferenceData: { createRequest: { conferenceSolutionKey: { type: string } } }; start: unknown };
    assert.deepEqual(body.attendees, [{ email: "bo@example.com" }, { email: "cand@mail.example", displayName: "Cand" }]);
    assert.equal(body.conferenceData.createRequest.conferenceSolutionKey.type, "hangoutsMeet");
    assert.deepEqual(body.start, { dateTime: "2026-03-31T09:00:00Z", timeZone: "Europe/Berlin" });

    const moved = await g.updateEvent(ana, first, { start: "2026-03-31T11:00:00Z", end: "2026-03-31T12:00:00Z" });
    assert.equal(moved.start, "2026-03-31T11:00:00Z");
    await g.deleteEvent(ana, first);
    await g.deleteEvent(ana, first); // already gone: fine
    assert.ok(fake.apiCalls.filter((c) => c.method === "DELETE").every((c) => c.query.get("sendUpdates") === "all"));
  });

  it("follows declines and cancellations with sync tokens, and reads everything again when the token expired (410)", async () => {
    fake.events.set("ana@example.com", [ev("e1", { attendees: [{ email: "bo@example.com", responseStatus: "accepted" }] })]);
    const g = provider();
    const first = await g.changes!(ana, undefined, range);
    assert.equal(first.fullResync, true);
    fake.events
      .get("ana@example.com")!
      .push(ev("e1", { attendees: [{ email: "bo@example.com", responseStatus: "declined" }] }), { id: "e0", status: "cancelled" });
    const next = await g.changes!(ana, first.cursor, range);
    assert.equal(next.fullResync, false);
    assert.deepEqual(
      next.events.map((e) => e.attendees),
      [[{ email: "bo@example.com", response: "declined" }]],
    );
    assert.deepEqual(next.removed, ["e0"]);
    const expired = await g.changes!(ana, "sync-that-google-forgot", range);
    assert.equal(expired.fullResync, true);
    assert.ok(expired.cursor);
  });

  it("normalises the sync feed for Fulcrum's events: a decline with who, a move with the new times, a deletion, by key", async () => {
    const hm = fulcrumEventKey("run-5/opp-1", "hm");
    const tech = fulcrumEventKey("run-5/opp-1", "tech");
    const mine = (key: string, extra: Record<string, unknown>) => ev(googleEventId(key), { extendedProperties: { private: { fulcrumKey: key } }, ...extra });
    const tracked = [
      { key: hm, start: "2026-03-30T07:00:00Z", end: "2026-03-30T08:00:00Z" },
      { key: tech, start: "2026-03-30T07:00:00Z", end: "2026-03-30T08:00:00Z" },
    ];
    fake.events.set("ana@example.com", [mine(hm, { attendees: [{ email: "bo@example.com", responseStatus: "accepted" }] }), mine(tech, {})]);
    const g = provider();
    const first = await readChanges(g, ana, undefined, range, tracked);
    assert.deepEqual(first.changes, []);
    fake.events
      .get("ana@example.com")!
      .push(
        mine(hm, { attendees: [{ email: "bo@example.com", responseStatus: "declined" }] }),
        mine(tech, { start: { dateTime: "2026-03-31T09:00:00+02:00" }, end: { dateTime: "2026-03-31T10:00:00+02:00" } }),
        ev("lunch", {}),
      );
    const next = await readChanges(g, ana, first.cursor, range, tracked);
    assert.deepEqual(next.changes, [
      { kind: "declined", key: hm, eventId: googleEventId(hm), attendee: "bo@example.com" },
      {
        kind: "moved",
        key: tech,
        eventId: googleEventId(tech),
        start: "2026-03-31T09:00:00+02:00",
        end: "2026-03-31T10:00:00+02:00",
        previous: { start: "2026-03-30T07:00:00Z", end: "2026-03-30T08:00:00Z" },
      },
    ]);
    assert.equal(next.otherEvents, 1);
    fake.events.get("ana@example.com")!.push({ id: googleEventId(hm), status: "cancelled" });
    const last = await readChanges(g, ana, next.cursor, range, tracked);
    assert.deepEqual(last.changes, [{ kind: "cancelled", key: hm, eventId: googleEventId(hm), how: "deleted" }]);
  });

  it("opens and closes a push channel, and keeps only notifications carrying our token", async () => {
    const g = provider();
    const channel = await g.watch(ana, "https://fulcrum.example/hooks/google", "tok-abc", 3600);
    assert.equal(channel.resourceId, "res-1");
    assert.equal(channel.expiresAt, new Date(1775000000000).toISOString());
    const sent = fake.apiCalls.find((c) => c.path.endsWith("/events/watch"))!.body as Record<string, unknown>;
    assert.deepEqual([sent.type, sent.address, sent.token, sent.params], ["web_hook", "https://fulcrum.example/hooks/google", "tok-abc", { ttl: "3600" }]);
    await g.stopWatch(ana, channel);
    await assert.rejects(g.watch(ana, "http://insecure.example/", "t"), /WebHook callback must be HTTPS/);
    const headers = {
      "x-goog-channel-id": channel.channelId,
      "x-goog-channel-token": "tok-abc",
      "x-goog-resource-id": "res-1",
      "x-goog-resource-state": "exists",
      "x-goog-message-number": "7",
    };
    assert.deepEqual(verifyGooglePush(headers, "tok-abc"), { channelId: channel.channelId, resourceId: "res-1", state: "exists", messageNumber: 7 });
    assert.equal(verifyGooglePush({ ...headers, "x-goog-channel-token": "tok-abd" }, "tok-abc"), undefined);
    assert.equal(verifyGooglePush({ ...headers, "x-goog-channel-token": undefined }, "tok-abc"), undefined);
  });

  it("reads 10,000 events in a window in bounded pages and time", async () => {
    const list = [];
    for (let i = 0; i < 10_000; i++)
      list.push(
        ev(`e${i}`, {
          start: { dateTime: new Date(Date.parse(range.start) + i * 60_000).toISOString() },
          end: { dateTime: new Date(Date.parse(range.start) + i * 60_000 + 30_000).toISOString() },
        }),
      );
    fake.events.set("ana@example.com", list);
    const t0 = Date.now();
    const [r] = await provider().freeBusy([ana], range);
    assert.equal(r!.items.length, 10_000);
    assert.equal(fake.apiCalls.length, 4, "2,500 a page");
    assert.ok(Date.now() - t0 < 5000);
    const bounded = new GoogleCalendarProvider({ ...configFor(), read: "events" }, { maxEventsPerPerson: 4000 });
    const before = fake.apiCalls.length;
    await assert.rejects(
      bounded.events(ana, range),
      /ana@example.com has more than 4000 events in 2026-03-30T00:00:00Z–2026-04-03T00:00:00Z.*calendars.maxEventsPerPerson/,
    );
    assert.equal(fake.apiCalls.length - before, 2, "stops reading at the page that crosses the bound");
    const [fb] = await bounded.freeBusy([ana], range);
    assert.match(fb!.error!, /more than 4000 events/, "free/busy reports it for that person alone");
  });

  it("refuses a key that is not a service account key, saying what is wrong", () => {
    assert.throws(() => provider({ serviceAccountKey: "{not json" }), /serviceAccountKey is not JSON/);
    assert.throws(() => provider({ serviceAccountKey: JSON.stringify({ client_email: "x@example.com" }) }), /serviceAccountKey.private_key/);
  });
});

/** Runs `fn` while the fake serves at most `n` events a page, whatever maxResults asks. */
async function withPageSize<T>(n: number, fn: () => Promise<T>): Promise<T> {
  const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const original = listeners[0]!;
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.includes("maxResults=")) req.url = req.url.replace(/maxResults=\d+/, `maxResults=${n}`);
    original(req, res);
  });
  try {
    return await fn();
  } finally {
    server.removeAllListeners("request");
    server.on("request", original);
  }
}
