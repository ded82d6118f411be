import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { CalendarError } from "./errors.ts";
import { GRAPH_SCOPE, GraphCalendarProvider, graphValidationResponse, verifyGraphNotifications } from "./graph.ts";
import type { GraphConnectionConfig } from "./config.ts";
import type { CalendarIdentity } from "./types.ts";

/**
 * A local stand-in for Microsoft's token endpoint and Graph v1.0, answering with the documented
 * shapes: client-credentials tokens (a JWT with a `roles` claim), getSchedule (scheduleItems,
 * workingHours with a Windows zone, per-schedule errors), calendarView paging by @odata.nextLink,
 * delta links with @removed and 410, transactionId de-duplication, 429 with a fractional Retry-After,
 * and the Graph error envelope `{ error: { code, message } }`.
 */
interface Fake {
  tokenForms: URLSearchParams[];
  calls: { method: string; path: string; url: URL; body: unknown; headers: IncomingMessage["headers"] }[];
  roles: string[];
  tokenError?: { status: number; body: unknown };
  queued: Map<string, { status: number; headers?: Record<string, string>; body: unknown }[]>;
  events: Map<string, Record<string, unknown>[]>;
  unknown: Set<string>;
  deltaTokens: Map<string, number>;
  workingZone: Record<string, unknown>;
}
const fake: Fake = { tokenForms: [], calls: [], roles: [], queued: new Map(), events: new Map(), unknown: new Set(), deltaTokens: new Map(), workingZone: {} };
const graphError = (code: string, message: string) => ({ error: { code, message, innerError: { date: "2026-03-30T08:00:00", "request-id": "r1" } } });

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; odata.metadata=minimal", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

let server: Server;
let base: string;
let issued = 0;

before(async () => {
  server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url!, base);
    if (url.pathname === "/tenant-1/oauth2/v2.0/token") {
      fake.tokenForms.push(new URLSearchParams(text));
      if (fake.tokenError) return send(res, fake.tokenError.status, fake.tokenError.body);
      issued++;
      const payload = Buffer.from(JSON.stringify({ aud: "https://graph.microsoft.com", roles: fake.roles, n: issued })).toString("base64url");
      return send(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: `eyJ0eXAiOiJKV1QifQ.${payload}.sig` });
    }
    const body = text ? JSON.parse(text) : undefined;
    fake.calls.push({ method: req.method!, path: url.pathname, url, body, headers: req.headers });
    const queue = fake.queued.get(`${req.method} ${url.pathname}`);
    if (queue?.length) {
      const q = queue.shift()!;
      return send(res, q.status, q.body, q.headers);
    }
    if (!req.headers.authorization?.startsWith("Bearer eyJ")) return send(res, 401, graphError("InvalidAuthenticationToken", "Access token is empty."));
    if (!fake.roles.some((r) => r.startsWith("Calendars.")))
      return send(res, 403, graphError("ErrorAccessDenied", "Access is denied. Check credentials and try again."));
    let m = /^\/v1.0\/users\/([^/]+)\/calendar\/getSchedule$/.exec(url.pathname);
    if (m) {
      const days = (Date.parse(`${body.endTime.dateTime}Z`) - Date.parse(`${body.startTime.dateTime}Z`)) / 86_400_000;
      if (days > 62)
        return send(
          res,
          400,
          graphError(
            "ErrorTimeIntervalTooBig",
            `The requested time duration specified for FreeBusyViewOptions.TimeWindow is too long. The allowed limit = 62 days; the actual limit = ${Math.ceil(days)} days.`,
          ),
        );
      return send(res, 200, {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
        value: (body.schedules as string[]).map((id) =>
          fake.unknown.has(id)
            ? {
                scheduleId: id,
                availabilityView: "",
                error: {
                  message: "The specified object was not found in the store., The process failed to get the correct properties.",
                  responseCode: "ErrorMailboxStoreUnavailable",
                },
              }
            : {
                scheduleId: id,
                availabilityView: "0220",
                scheduleItems: [
                  {
                    isPrivate: false,
                    status: "Busy",
                    subject: "Standup",
                    start: { dateTime: "2026-03-30T16:00:00.0000000", timeZone: "UTC" },
                    end: { dateTime: "2026-03-30T16:30:00.0000000", timeZone: "UTC" },
                  },
                  {
                    isPrivate: false,
                    status: "Tentative",
                    start: { dateTime: "2026-03-30T17:00:00.0000000", timeZone: "UTC" },
                    end: { dateTime: "2026-03-30T17:30:00.0000000", timeZone: "UTC" },
                  },
                  {
                    isPrivate: false,
                    status: "Oof",
                    start: { dateTime: "2026-03-31T07:00:00.0000000", timeZone: "UTC" },
                    end: { dateTime: "2026-04-01T07:00:00.0000000", timeZone: "UTC" },
                  },
                  {
                    isPrivate: false,
                    status: "WorkingElsewhere",
                    start: { dateTime: "2026-04-01T16:00:00.0000000", timeZone: "UTC" },
                    end: { dateTime: "2026-04-01T23:00:00.0000000", timeZone: "UTC" },
                  },
                  {
                    isPrivate: false,
                    status: "Free",
                    start: { dateTime: "2026-04-02T16:00:00.0000000", timeZone: "UTC" },
                    end: { dateTime: "2026-04-02T17:00:00.0000000", timeZone: "UTC" },
                  },
                ],
                workingHours: {
                  daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
                  startTime: "08:00:00.0000000",
                  endTime: "17:00:00.0000000",
                  timeZone: { name: "Pacific Standard Time", ...fake.workingZone },
                },
              },
        ),
      });
    }
    m = /^\/v1.0\/users\/([^/]+)\/(calendarView|events)(?:\/(delta|[^/]+))?$/.exec(url.pathname);
    if (m) {
      const who = decodeURIComponent(m[1]!);
      if (fake.unknown.has(who)) return send(res, 404, graphError("ErrorInvalidUser", `The requested user '${who}' is invalid.`));
      const list = fake.events.get(who) ?? [];
      fake.events.set(who, list);
      if (m[2] === "calendarView" && m[3] === "delta") {
        const token = url.searchParams.get("$deltatoken");
        if (token && !fake.deltaTokens.has(token)) return send(res, 410, graphError("SyncStateNotFound", "The sync state generation is not found."));
        const from = token ? fake.deltaTokens.get(token)! : 0;
        const t = `d${fake.deltaTokens.size + 1}`;
        fake.deltaTokens.set(t, list.length);
        return send(res, 200, { value: list.slice(from), "@odata.deltaLink": `${base}/v1.0/users/${m[1]}/calendarView/delta?$deltatoken=${t}` });
      }
      if (m[2] === "calendarView") {
        const skip = Number(url.searchParams.get("$skip") ?? 0);
        const size = 2;
        const more = skip + size < list.length;
        const next = new URL(url);
        next.searchParams.set("$skip", String(skip + size));
        return send(res, 200, { value: list.slice(skip, skip + size), ...(more ? { "@odata.nextLink": next.href } : {}) });
      }
      if (req.method === "POST") {
        const existing = list.find((e) => e.transactionId === body.transactionId);
        if (existing) return send(res, 201, existing);
        const created = {
          id: `AAMk${list.length + 1}`,
          ...body,
          onlineMeeting: body.isOnlineMeeting ? { joinUrl: "https://teams.microsoft.com/l/meetup-join/abc" } : null,
        };
        list.push(created);
        return send(res, 201, created);
      }
      if (req.method === "DELETE") {
        const i = list.findIndex((e) => e.id === m![3]);
        if (i < 0) return send(res, 404, graphError("ErrorItemNotFound", "The specified object was not found in the store."));
        list.splice(i, 1);
        res.writeHead(204).end();
        return;
      }
    }
    if (url.pathname === "/v1.0/subscriptions" && req.method === "POST") {
      if (!String(body.notificationUrl).startsWith("https://")) return send(res, 400, graphError("ValidationError", "NotificationUrl must be https."));
      return send(res, 201, {
        id: "sub-1",
        resource: body.resource,
        changeType: body.changeType,
        clientState: body.clientState,
        notificationUrl: body.notificationUrl,
        expirationDateTime: body.expirationDateTime,
      });
    }
    send(res, 404, graphError("ResourceNotFound", "Resource not found"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  fake.tokenForms = [];
  fake.calls = [];
  fake.roles = ["Calendars.ReadWrite"];
  delete fake.tokenError;
  fake.queued.clear();
  fake.events.clear();
  fake.unknown.clear();
  fake.deltaTokens.clear();
  fake.workingZone = {};
});

function provider(extra: Partial<GraphConnectionConfig> = {}, now?: () => number) {
  return new GraphCalendarProvider(
    {
      id: "m365",
      provider: "graph",
      tenantId: "tenant-1",
      clientId: "app-1",
      clientSecret: "s3cret",
      domains: [],
      apiBaseUrl: `${base}/v1.0`,
      loginBaseUrl: base,
      ...extra,
    },
    now ? { now } : {},
  );
}
const people = (n: number): CalendarIdentity[] => Array.from({ length: n }, (_, i) => ({ id: `u${i}`, email: `p${i}@contoso.example`, connectionId: "m365" }));
const range = { start: "2026-03-30T00:00:00Z", end: "2026-04-03T00:00:00Z" };

describe("Microsoft Graph provider", () => {
  it("gets a client-credentials token for the .default scope and keeps it until it nears expiry", async () => {
    let clock = 0;
    const g = provider({}, () => clock);
    await g.freeBusy(people(1), range);
    await g.freeBusy(people(1), range);
    assert.equal(fake.tokenForms.length, 1);
    assert.equal(fake.tokenForms[0]!.get("scope"), GRAPH_SCOPE);
    assert.equal(fake.tokenForms[0]!.get("grant_type"), "client_credentials");
    assert.equal(fake.tokenForms[0]!.get("client_id"), "app-1");
    clock += 3599_000;
    await g.freeBusy(people(1), range);
    assert.equal(fake.tokenForms.length, 2);
  });

  it("reads getSchedule in UTC, 20 mailboxes a call, with statuses, working hours mapped to IANA, and per-mailbox errors", async () => {
    fake.unknown.add("p3@contoso.example");
    const results = await provider().freeBusy(people(45), range);
    const calls = fake.calls.filter((c) => c.path.endsWith("/getSchedule"));
    assert.deepEqual(
      calls.map((c) => (c.body as { schedules: string[] }).schedules.length),
      [20, 20, 5],
    );
    assert.equal(calls[0]!.headers.prefer, 'outlook.timezone="UTC"');
    assert.deepEqual((calls[0]!.body as { startTime: unknown }).startTime, { dateTime: "2026-03-30T00:00:00", timeZone: "UTC" });
    assert.equal(results.length, 45);
    assert.match(results[3]!.error!, /Graph has no schedule for p3@contoso.example \(ErrorMailboxStoreUnavailable/);
    const r = results[0]!;
    assert.deepEqual(
      r.items.map((i) => i.status),
      ["busy", "tentative", "oof", "workingElsewhere", "free"],
    );
    assert.deepEqual(r.items[0], { start: "2026-03-30T16:00:00Z", end: "2026-03-30T16:30:00Z", status: "busy", title: "Standup" });
    assert.deepEqual(r.workingHours, {
      timezone: "America/Los_Angeles",
      hours: { mon: [["08:00", "17:00"]], tue: [["08:00", "17:00"]], wed: [["08:00", "17:00"]], thu: [["08:00", "17:00"]], fri: [["08:00", "17:00"]] },
    });
  });

  it("reads a window longer than getSchedule's 62 days in pieces, keeping each item once", async () => {
    const [r] = await provider().freeBusy(people(1), { start: "2026-03-01T00:00:00Z", end: "2026-06-01T00:00:00Z" });
    const calls = fake.calls.filter((c) => c.path.endsWith("/getSchedule"));
    assert.deepEqual(
      calls.map((c) => [(c.body as { startTime: { dateTime: string } }).startTime.dateTime, (c.body as { endTime: { dateTime: string } }).endTime.dateTime]),
      [
        ["2026-03-01T00:00:00", "2026-05-02T00:00:00"],
        ["2026-05-02T00:00:00", "2026-06-01T00:00:00"],
      ],
    );
    assert.equal(r!.error, undefined);
    assert.equal(r!.items.length, 5, "the fake answers the same items for both pieces: each is kept once");
  });

  it("notes working hours in a zone it cannot map instead of guessing", async () => {
    fake.workingZone = { "@odata.type": "#microsoft.graph.customTimeZone", name: "Customized Time Zone", bias: 480 };
    const [r] = await provider().freeBusy(people(1), range);
    assert.equal(r!.workingHours, undefined);
    assert.match(
      r!.notes![0]!,
      /working hours of p0@contoso.example: "Customized Time Zone" is neither a Windows time zone Fulcrum knows nor an IANA zone; the configured or default working hours are used instead/,
    );
  });

  it("retries a 429 after Graph's fractional Retry-After", async () => {
    fake.queued.set("POST /v1.0/users/p0%40contoso.example/calendar/getSchedule", [
      { status: 429, headers: { "retry-after": "0.3" }, body: graphError("TooManyRequests", "Please retry again later.") },
    ]);
    const t0 = Date.now();
    const [r] = await provider().freeBusy(people(1), range);
    assert.ok(Date.now() - t0 >= 250);
    assert.equal(r!.items.length, 5);
  });

  it("names the application permission when Graph denies access", async () => {
    fake.roles = ["User.Read.All"];
    const g = provider();
    await assert.rejects(
      g.freeBusy(people(1), range),
      (e: unknown) =>
        e instanceof CalendarError &&
        e.kind === "permission" &&
        /ErrorAccessDenied/.test(e.message) &&
        /application permission Calendars.ReadWrite and grant admin consent/.test(e.message),
    );
    const rows = await g.check(people(1)[0]);
    assert.deepEqual(
      rows.map((r) => r.status),
      ["ok", "fail", "fail"],
    );
    assert.match(rows[1]!.detail, /lacks Calendars.ReadWrite \(it has User.Read.All\)/);
  });

  it("says an expired client secret is expired, and does not repeat the secret", async () => {
    fake.tokenError = {
      status: 401,
      body: {
        error: "invalid_client",
        error_description: "AADSTS7000222: The provided client secret keys for app 'app-1' are expired.\r\nTrace ID: x",
        error_codes: [7000222],
      },
    };
    const g = provider();
    await assert.rejects(
      g.freeBusy(people(1), range),
      (e: unknown) => e instanceof CalendarError && e.kind === "auth" && /client secret has expired/.test(e.message) && !e.message.includes("s3cret"),
    );
  });

  it("pages calendarView by @odata.nextLink and refuses a paging link to another host", async () => {
    fake.events.set(
      "p0@contoso.example",
      [1, 2, 3, 4, 5].map((n) => ({
        id: `e${n}`,
        subject: `E${n}`,
        showAs: n === 2 ? "free" : "busy",
        isAllDay: false,
        start: { dateTime: `2026-03-30T0${n}:00:00.0000000`, timeZone: "UTC" },
        end: { dateTime: `2026-03-30T0${n}:30:00.0000000`, timeZone: "UTC" },
      })),
    );
    const events = await provider().events(people(1)[0]!, range);
    assert.deepEqual(
      events.map((e) => e.id),
      ["e1", "e2", "e3", "e4", "e5"],
    );
    assert.equal(events[1]!.status, "free");
    assert.equal(events[0]!.start, "2026-03-30T01:00:00Z");
    assert.equal(fake.calls.length, 3);
    fake.queued.set("GET /v1.0/users/p0%40contoso.example/calendarView", [
      { status: 200, body: { value: [], "@odata.nextLink": "https://elsewhere.example/steal" } },
    ]);
    await assert.rejects(provider().events(people(1)[0]!, range), /paging link points at another host/);
  });

  it("creates a Teams meeting with a transactionId, so a retried create returns the same event", async () => {
    const g = provider();
    const organizer = people(1)[0]!;
    const event = {
      title: "Interview",
      description: "Packet <b>",
      start: "2026-03-31T09:00:00Z",
      end: "2026-03-31T10:00:00+00:00",
      timezone: "Europe/London",
      attendees: [{ email: "p1@contoso.example" }, { email: "cand@mail.example", name: "Cand", optional: false }],
      conference: true,
      key: "run-9/s1",
    };
    const a = await g.createEvent(organizer, event);
    const b = await g.createEvent(organizer, event);
    assert.equal(a.id, b.id);
    assert.equal(fake.events.get("p0@contoso.example")!.length, 1);
    assert.equal(a.conferenceUrl, "https://teams.microsoft.com/l/meetup-join/abc");
    const sent = fake.calls.find((c) => c.method === "POST")!.body as Record<string, unknown>;
    assert.equal(sent.isOnlineMeeting, true);
    assert.equal(sent.onlineMeetingProvider, "teamsForBusiness");
    assert.equal(sent.transactionId, "run-9/s1");
    assert.deepEqual(sent.end, { dateTime: "2026-03-31T10:00:00", timeZone: "UTC" });
    await g.deleteEvent(organizer, a);
    await g.deleteEvent(organizer, a);
  });

  it("follows changes by delta link, reports removals, and reads everything again after a 410", async () => {
    const who = people(1)[0]!;
    fake.events.set(who.email, [
      { id: "e1", subject: "x", start: { dateTime: "2026-03-30T09:00:00", timeZone: "UTC" }, end: { dateTime: "2026-03-30T10:00:00", timeZone: "UTC" } },
    ]);
    const g = provider();
    const first = await g.changes(who, undefined, range);
    assert.equal(first.events.length, 1);
    fake.events.get(who.email)!.push({ id: "e1", "@removed": { reason: "deleted" } });
    const next = await g.changes(who, first.cursor, range);
    assert.deepEqual(next.removed, ["e1"]);
    assert.equal(next.fullResync, false);
    fake.deltaTokens.clear();
    const again = await g.changes(who, next.cursor, range);
    assert.equal(again.fullResync, true);
  });

  it("subscribes to a person's events with our clientState, and names a refused notification URL", async () => {
    const g = provider({}, () => Date.parse("2026-03-30T00:00:00Z"));
    const sub = await g.subscribe(people(1)[0]!, "https://fulcrum.example/hooks/graph", "secret-123", 60);
    assert.deepEqual(sub, { id: "sub-1", expiresAt: "2026-03-30T01:00:00.000Z" });
    const sent = fake.calls.find((c) => c.path === "/v1.0/subscriptions")!.body as Record<string, string>;
    assert.deepEqual([sent.resource, sent.changeType, sent.clientState], ["/users/p0@contoso.example/events", "created,updated,deleted", "secret-123"]);
    await assert.rejects(
      g.subscribe(people(1)[0]!, "http://insecure.example/", "s"),
      /POST \/subscriptions: Graph answered 400 ValidationError: NotificationUrl must be https/,
    );
  });

  it("answers the subscription handshake and keeps only notifications carrying our clientState", () => {
    assert.deepEqual(graphValidationResponse(new URL("https://f.example/hooks/graph?validationToken=Validation%3A%20Testing")), {
      status: 200,
      contentType: "text/plain",
      body: "Validation: Testing",
    });
    assert.equal(graphValidationResponse(new URL("https://f.example/hooks/graph")), undefined);
    const n = (clientState?: string) => ({
      subscriptionId: "s1",
      ...(clientState ? { clientState } : {}),
      changeType: "updated",
      resource: "Users/u/Events/e1",
      resourceData: { id: "e1" },
    });
    const result = verifyGraphNotifications({ value: [n("secret-123"), n("secret-124"), n()] }, "secret-123");
    assert.equal(result.accepted.length, 1);
    assert.equal(result.rejected, 2);
    assert.throws(() => verifyGraphNotifications({ nope: 1 }, "x"), /not a Graph change notification/);
  });
});
