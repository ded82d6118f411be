/**
 * Fulcrum's Microsoft Graph provider against the sandbox's imitation of Graph: client credentials
 * and their refusals, getSchedule with statuses and working hours, calendarView paging, Teams links
 * and transactionId, patch and delete, delta links, Prefer: outlook.timezone, and 429.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { DateTime } from "luxon";
import { CalendarError } from "../../calendars/errors.ts";
import { GraphCalendarProvider } from "../../calendars/graph.ts";
import type { CalendarIdentity } from "../../calendars/types.ts";
import { startSandbox, type Sandbox } from "../index.ts";

let sandbox: Sandbox;
const cal = () => sandbox.calendars!;
const person = (email: string): CalendarIdentity => ({ id: email, email, connectionId: "sandbox-graph" });
const grace = person("grace.mwangi@northwind-demo.example");
const owen = person("owen.clarke@northwind-demo.example");
const weekRange = () => {
  const start = DateTime.fromISO(cal().demo!.weekStart, { zone: "utc" });
  return { start: start.toISO()!, end: start.plus({ days: 21 }).toISO()! };
};

before(async () => {
  sandbox = await startSandbox({ calendars: true, rateLimit: false, candidates: 10 });
});
after(async () => {
  await sandbox.close();
});
beforeEach(() => {
  for (const k of Object.keys(cal().faults)) delete (cal().faults as Record<string, unknown>)[k];
  cal().graph.roles.clear();
  cal().graph.roles.add("Calendars.ReadWrite");
  cal().graph.secretExpired = false;
});

describe("the Microsoft Graph imitation", () => {
  it("reads getSchedule with Graph's statuses and each person's working hours in their zone", async () => {
    const graph = new GraphCalendarProvider(cal().graphConnection());
    const [fb] = await graph.freeBusy([grace], weekRange());
    assert.equal(fb!.error, undefined);
    assert.equal(fb!.workingHours?.timezone, "Africa/Nairobi");
    assert.deepEqual(fb!.workingHours?.hours.mon, [["08:00", "17:00"]]);
    assert.equal(fb!.workingHours?.hours.sat, undefined);
    const statuses = new Set(fb!.items.map((i) => i.status));
    for (const s of ["busy", "free", "oof", "tentative"]) assert.ok(statuses.has(s as never), `has a ${s} item`);
    // getSchedule is called through the first mailbox; an unknown one among the schedules gets its own error.
    const [known, unknown] = await graph.freeBusy([grace, person("nobody@northwind-demo.example")], weekRange());
    assert.equal(known!.error, undefined);
    assert.match(unknown!.error ?? "", /ErrorMailRecipientNotFound/);
  });

  it("gives availabilityView digits and honours Prefer: outlook.timezone", async () => {
    const graph = new GraphCalendarProvider(cal().graphConnection());
    const token = await graph.accessToken();
    const res = await fetch(`${cal().graph.apiBaseUrl}/users/${grace.email}/calendar/getSchedule`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", prefer: 'outlook.timezone="Pacific Standard Time"' },
      body: JSON.stringify({
        schedules: [grace.email],
        startTime: { dateTime: `${cal().demo!.weekStart}T00:00:00`, timeZone: "UTC" },
        endTime: { dateTime: DateTime.fromISO(cal().demo!.weekStart).plus({ days: 7 }).toISODate() + "T00:00:00", timeZone: "UTC" },
        availabilityViewInterval: 60,
      }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      value: { availabilityView: string; scheduleItems: { start: { dateTime: string; timeZone: string } }[]; workingHours: { timeZone: { name: string } } }[];
    };
    const s = body.value[0]!;
    assert.equal(s.availabilityView.length, 7 * 24);
    assert.match(s.availabilityView, /^[0-4]+$/);
    assert.ok(s.availabilityView.includes("2") && s.availabilityView.includes("0"));
    assert.equal(s.scheduleItems[0]!.start.timeZone, "Pacific Standard Time");
    assert.match(s.scheduleItems[0]!.start.dateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0000000$/);
    assert.equal(s.workingHours.timeZone.name, "E. Africa Standard Time");
  });

  it("refuses a wrong secret, an expired one and an unknown tenant as Microsoft words them, and doctor names the missing permission", async () => {
    await assert.rejects(
      new GraphCalendarProvider(cal().graphConnection({ clientSecret: "wrong" })).accessToken(),
      (e: unknown) => e instanceof CalendarError && e.kind === "auth" && e.code === "invalid_client" && /AADSTS7000215/.test(e.message),
    );
    cal().graph.secretExpired = true;
    await assert.rejects(
      new GraphCalendarProvider(cal().graphConnection()).accessToken(),
      (e: unknown) => e instanceof CalendarError && /client secret has expired/.test(e.message),
    );
    cal().graph.secretExpired = false;
    await assert.rejects(
      new GraphCalendarProvider(cal().graphConnection({ tenantId: "contoso-unknown" })).accessToken(),
      (e: unknown) => e instanceof CalendarError && /tenant "contoso-unknown" was not found/.test(e.message),
    );
    cal().graph.roles.clear();
    cal().graph.roles.add("User.Read.All");
    const rows = await new GraphCalendarProvider(cal().graphConnection({ subject: grace.email })).check();
    const permission = rows.find((r) => r.check.endsWith("permission"))!;
    assert.equal(permission.status, "fail");
    assert.match(permission.detail, /lacks Calendars\.ReadWrite \(it has User\.Read\.All\)/);
    assert.equal(rows.find((r) => r.check.endsWith("schedule read"))!.status, "fail");
  });

  it("pages calendarView with @odata.nextLink on the API's own host", async () => {
    const graph = new GraphCalendarProvider(cal().graphConnection());
    const token = await graph.accessToken();
    const q = new URLSearchParams({ startDateTime: weekRange().start, endDateTime: weekRange().end });
    let next: string | undefined = `${cal().graph.apiBaseUrl}/users/${owen.email}/calendarView?${q}`;
    const ids: string[] = [];
    let pages = 0;
    while (next) {
      const res: Response = await fetch(next, { headers: { authorization: `Bearer ${token}`, prefer: "odata.maxpagesize=6" } });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { value: { id: string; type: string }[]; "@odata.nextLink"?: string };
      assert.ok(page.value.length <= 6);
      ids.push(...page.value.map((v) => v.id));
      next = page["@odata.nextLink"];
      if (next) assert.ok(next.startsWith(cal().graph.apiBaseUrl));
      pages++;
    }
    assert.ok(pages > 2);
    assert.equal(new Set(ids).size, ids.length);
    const all = await graph.events(owen, weekRange());
    assert.equal(all.length, ids.length);
    assert.ok(all.some((e) => e.allDay && e.status === "oof"));
  });

  it("creates an event with a Teams link once per transactionId, patches and deletes it, and delta reports each change", async () => {
    const graph = new GraphCalendarProvider(cal().graphConnection());
    const first = await graph.changes!(owen, undefined, weekRange());
    assert.equal(first.fullResync, true);
    const at = DateTime.fromISO(cal().demo!.weekStart, { zone: "utc" }).plus({ days: 15, hours: 15 });
    const input = {
      title: "Panel: product sense",
      start: at.toISO()!,
      end: at.plus({ minutes: 45 }).toISO()!,
      timezone: "America/New_York",
      attendees: [{ email: owen.email }],
      conference: true,
      key: "panel-9/session-1",
    };
    const created = await graph.createEvent(grace, input);
    assert.match(created.conferenceUrl ?? "", /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    assert.equal(created.key, "panel-9/session-1");
    const again = await graph.createEvent(grace, input);
    assert.equal(again.id, created.id, "a retry with the same transactionId makes no second event");

    const delta1 = await graph.changes!(owen, first.cursor, weekRange());
    assert.equal(delta1.fullResync, false);
    const invited = delta1.events.find((e) => e.id === created.id)!;
    assert.equal(invited.status, "tentative", "an unanswered invitation shows tentative in Exchange");

    const moved = await graph.updateEvent(
      grace,
      { id: created.id },
      { start: at.plus({ hours: 1 }).toISO()!, end: at.plus({ hours: 1, minutes: 45 }).toISO()! },
    );
    assert.equal(Date.parse(moved.start), at.plus({ hours: 1 }).toMillis());
    await graph.deleteEvent(grace, { id: created.id });
    await graph.deleteEvent(grace, { id: created.id }); // 404 is "already gone"
    const delta2 = await graph.changes!(owen, delta1.cursor, weekRange());
    assert.deepEqual(delta2.removed, [created.id]);
    cal().invalidateSyncTokens();
    assert.equal((await graph.changes!(owen, delta2.cursor, weekRange())).fullResync, true);
  });

  it("answers errors in Graph's shape: unknown user, missing time window", async () => {
    const token = await new GraphCalendarProvider(cal().graphConnection()).accessToken();
    const res = await fetch(
      `${cal().graph.apiBaseUrl}/users/ghost@northwind-demo.example/calendarView?startDateTime=2030-01-01T00:00:00Z&endDateTime=2030-01-02T00:00:00Z`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "ErrorInvalidUser");
    const noWindow = await fetch(`${cal().graph.apiBaseUrl}/users/${owen.email}/calendarView`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(noWindow.status, 400);
    assert.equal(((await noWindow.json()) as { error: { code: string } }).error.code, "ErrorInvalidParameter");
  });

  it("answers 429 ApplicationThrottled with Retry-After, which the provider waits out", async () => {
    const graph = new GraphCalendarProvider(cal().graphConnection({ maxAttempts: 2 }));
    await graph.accessToken();
    cal().faults.rateLimitNext = 1;
    const started = Date.now();
    const [fb] = await graph.freeBusy([grace], weekRange());
    assert.equal(fb!.error, undefined);
    assert.ok(Date.now() - started >= 900);
    cal().faults.rateLimitStorm = true;
    await assert.rejects(
      graph.freeBusy([grace], weekRange()),
      (e: unknown) => e instanceof CalendarError && e.kind === "rate-limited" && e.code === "ApplicationThrottled" && e.retryAfterMs === 1000,
    );
  });
});
