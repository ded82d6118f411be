/**
 * Fulcrum's Google Calendar provider against the sandbox's imitation of Google: the JWT-bearer
 * grant and its refusals, freeBusy in batches of 50, events.list paging and sync tokens, Meet links,
 * patch and delete, attendees' answers and 429 with Retry-After.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { generateKeyPairSync } from "node:crypto";
import { DateTime } from "luxon";
import { CalendarError } from "../../calendars/errors.ts";
import { GoogleCalendarProvider } from "../../calendars/google.ts";
import type { CalendarIdentity } from "../../calendars/types.ts";
import { startSandbox, type Sandbox } from "../index.ts";
import { GOOGLE_SANDBOX_SCOPE } from "./google-api.ts";

let sandbox: Sandbox;
const cal = () => sandbox.calendars!;
const person = (email: string): CalendarIdentity => ({ id: email, email, connectionId: "sandbox-google" });
const sofia = person("sofia.almeida@northwind-demo.example");
const rafael = person("rafael.ortiz@northwind-demo.example");
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
  cal().google.delegatedScopes.clear();
  cal().google.delegatedScopes.add(GOOGLE_SANDBOX_SCOPE);
});

describe("the Google Calendar imitation", () => {
  it("issues delegated tokens for a signed assertion and reads events with their statuses", async () => {
    const google = new GoogleCalendarProvider(cal().googleConnection());
    const [fb] = await google.freeBusy([sofia], weekRange());
    assert.equal(fb!.error, undefined);
    assert.equal(fb!.timezone, "Europe/Berlin");
    const statuses = new Set(fb!.items.map((i) => i.status));
    for (const s of ["busy", "free", "oof", "tentative"]) assert.ok(statuses.has(s as never), `has a ${s} item`);
    assert.ok(
      fb!.items.some((i) => i.allDay && i.status === "oof" && /^\d{4}-\d{2}-\d{2}$/.test(i.start)),
      "an all-day out-of-office day",
    );
    assert.ok(
      fb!.items.some((i) => i.title === "Lunch" && i.status === "free"),
      "lunch is transparent",
    );
  });

  it("refuses a scope the admin did not delegate with unauthorized_client, an unknown user with invalid_grant, and a foreign key", async () => {
    cal().google.delegatedScopes.clear();
    const google = new GoogleCalendarProvider(cal().googleConnection());
    await assert.rejects(
      google.accessToken(sofia.email, true),
      (e: unknown) => e instanceof CalendarError && e.kind === "permission" && e.code === "unauthorized_client" && /Domain-wide delegation/.test(e.fix ?? ""),
    );
    cal().google.delegatedScopes.add(GOOGLE_SANDBOX_SCOPE);
    await assert.rejects(
      google.accessToken("nobody@northwind-demo.example", true),
      (e: unknown) => e instanceof CalendarError && e.kind === "not-found" && e.code === "invalid_grant",
    );
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const forged = new GoogleCalendarProvider(cal().googleConnection({ serviceAccountKey: { ...cal().google.serviceAccountKey, private_key: other } }));
    await assert.rejects(
      forged.accessToken(sofia.email, true),
      (e: unknown) => e instanceof CalendarError && e.kind === "auth" && /Invalid JWT Signature/.test(e.message),
    );
  });

  it("answers freeBusy for more than 50 people in batches and refuses 51 in one call", async () => {
    const google = new GoogleCalendarProvider(cal().googleConnection({ read: "freeBusy", subject: sofia.email }));
    const people = [...cal().store.people.keys()];
    const many = Array.from({ length: 60 }, (_, i) => person(i < people.length ? people[i]! : `ghost${i}@northwind-demo.example`));
    const results = await google.freeBusy(many, weekRange());
    assert.equal(results.length, 60);
    assert.ok(results[0]!.items.length > 0 && results[0]!.items.every((i) => i.status === "busy"));
    assert.match(results[59]!.error ?? "", /notFound/);
    const token = await google.accessToken(sofia.email);
    const res = await fetch(`${cal().google.apiBaseUrl}/freeBusy`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ timeMin: weekRange().start, timeMax: weekRange().end, items: many.slice(0, 51).map((p) => ({ id: p.email })) }),
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: number; errors: { reason: string }[]; status: string } };
    assert.equal(body.error.code, 400);
    assert.equal(body.error.errors[0]!.reason, "tooManyCalendarsRequested");
    assert.equal(body.error.status, "INVALID_ARGUMENT");
  });

  it("pages events.list with nextPageToken and ends with a nextSyncToken", async () => {
    const google = new GoogleCalendarProvider(cal().googleConnection());
    const token = await google.accessToken(sofia.email);
    const ids: string[] = [];
    let pageToken: string | undefined;
    let syncToken: string | undefined;
    for (let n = 0; n < 100; n++) {
      const q = new URLSearchParams({
        timeMin: weekRange().start,
        timeMax: weekRange().end,
        singleEvents: "true",
        orderBy: "startTime",
        maxResults: "7",
        ...(pageToken ? { pageToken } : {}),
      });
      const res = await fetch(`${cal().google.apiBaseUrl}/calendars/${encodeURIComponent(sofia.email)}/events?${q}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { items: { id: string; recurringEventId?: string }[]; nextPageToken?: string; nextSyncToken?: string };
      assert.ok(page.items.length <= 7);
      ids.push(...page.items.map((i) => i.id));
      pageToken = page.nextPageToken;
      syncToken = page.nextSyncToken;
      if (!pageToken) break;
    }
    assert.ok(ids.length > 14, "more than two pages");
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.ok(
      ids.some((id) => /_\d{8}T\d{6}Z$/.test(id)),
      "recurring series expanded to instances",
    );
    assert.ok(syncToken);
    const all = await google.events(sofia, weekRange());
    assert.equal(all.length, ids.length);
  });

  it("inserts an event with a Meet link and private key, shows it busy to attendees, patches, deletes, and reports the changes by sync token", async () => {
    const google = new GoogleCalendarProvider(cal().googleConnection());
    const first = await google.changes!(rafael, undefined, weekRange());
    const at = DateTime.fromISO(cal().demo!.weekStart, { zone: "utc" }).plus({ days: 21, hours: 14 });
    const created = await google.createEvent(sofia, {
      title: "Panel: system design",
      start: at.toISO()!,
      end: at.plus({ hours: 1 }).toISO()!,
      timezone: "Europe/Berlin",
      attendees: [{ email: rafael.email }],
      conference: true,
      key: "panel-1/session-1",
    });
    assert.match(created.conferenceUrl ?? "", /^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    assert.equal(created.key, "panel-1/session-1");
    assert.deepEqual(cal().google.sentUpdates.at(-1), { eventId: created.id, action: "created", sendUpdates: "all", recipients: [rafael.email] });
    // A retry whose first answer was lost: Google says 409, the provider reads the same event back.
    const again = await google.createEvent(sofia, {
      title: "Panel: system design",
      start: at.toISO()!,
      end: at.plus({ hours: 1 }).toISO()!,
      timezone: "Europe/Berlin",
      attendees: [{ email: rafael.email }],
      conference: true,
      key: "panel-1/session-1",
    });
    assert.equal(again.id, created.id);

    const window = { start: at.minus({ hours: 2 }).toISO()!, end: at.plus({ hours: 3 }).toISO()! };
    const [seen] = await google.freeBusy([rafael], window);
    assert.ok(
      seen!.items.some((i) => i.eventId === created.id && i.status === "busy"),
      "the invitation blocks the attendee",
    );

    const moved = await google.updateEvent(sofia, { id: created.id }, { start: at.plus({ hours: 1 }).toISO()!, end: at.plus({ hours: 2 }).toISO()! });
    assert.equal(Date.parse(moved.start), at.plus({ hours: 1 }).toMillis());
    cal().respond(created.id, rafael.email, "declined");
    const changed = await google.changes!(rafael, first.cursor, weekRange());
    assert.equal(changed.fullResync, false);
    const mine = changed.events.find((e) => e.id === created.id)!;
    assert.equal(mine.attendees.find((a) => a.email === rafael.email)!.response, "declined");
    assert.equal(mine.status, "free");

    await google.deleteEvent(sofia, { id: created.id });
    await google.deleteEvent(sofia, { id: created.id }); // already gone (410) is fine
    const afterDelete = await google.changes!(rafael, changed.cursor, weekRange());
    assert.deepEqual(afterDelete.removed, [created.id]);
    cal().invalidateSyncTokens();
    const resync = await google.changes!(rafael, afterDelete.cursor, weekRange());
    assert.equal(resync.fullResync, true);
  });

  it("refuses an event without an end, with Google's error envelope", async () => {
    const token = await new GoogleCalendarProvider(cal().googleConnection()).accessToken(sofia.email);
    const res = await fetch(`${cal().google.apiBaseUrl}/calendars/primary/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ summary: "x", start: { dateTime: "2030-01-01T10:00:00Z" } }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(((await res.json()) as { error: { errors: unknown[] } }).error.errors, [
      { domain: "global", reason: "required", message: "Missing end time." },
    ]);
  });

  it("answers 429 with Retry-After on a configured fault, which the provider waits out", async () => {
    const google = new GoogleCalendarProvider(cal().googleConnection({ maxAttempts: 2 }));
    await google.accessToken(sofia.email);
    cal().faults.rateLimitNext = 1;
    cal().faults.retryAfterSeconds = 1;
    const started = Date.now();
    const [fb] = await google.freeBusy([sofia], weekRange());
    assert.equal(fb!.error, undefined);
    assert.ok(Date.now() - started >= 900, "waited for Retry-After");
    assert.equal(cal().faultCounts.rateLimited >= 1, true);
    cal().faults.rateLimitStorm = true;
    await assert.rejects(
      google.freeBusy([sofia], weekRange()),
      (e: unknown) => e instanceof CalendarError && e.kind === "rate-limited" && e.status === 429 && e.retryAfterMs === 1000 && e.code === "rateLimitExceeded",
    );
  });
});
