import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calendarsConfigSchema } from "./config.ts";
import { checkCalendarConnections, readAvailability } from "./connections.ts";
import { CalendarError } from "./errors.ts";
import type { CalendarProvider } from "./provider.ts";
import type { CalendarIdentity, FreeBusyResult, TimeRange } from "./types.ts";

/** A provider at the interface boundary that answers from a table (the real ones are tested against servers). */
function tableProvider(id: string, table: Record<string, Omit<FreeBusyResult, "identityId" | "email">>, fail?: CalendarError): CalendarProvider {
  return {
    kind: "graph",
    connectionId: id,
    async freeBusy(identities: CalendarIdentity[], _range: TimeRange) {
      if (fail) throw fail;
      return identities.map((i) => ({ identityId: i.id, email: i.email, ...(table[i.email] ?? { items: [], error: `unknown ${i.email}` }) }));
    },
    events: async () => [],
    createEvent: async () => {
      throw new Error("not used");
    },
    updateEvent: async () => {
      throw new Error("not used");
    },
    deleteEvent: async () => undefined,
    check: async (probe) => [{ check: `calendar ${id}: probe`, status: "ok", detail: probe?.email ?? "none" }],
  };
}

const config = calendarsConfigSchema.parse({
  connections: [
    { id: "m365", provider: "graph", tenantId: "t", clientId: "c", clientSecret: "s", domains: ["contoso.example"] },
    { id: "dav", provider: "caldav", serverUrl: "https://dav.example/", username: "u", password: "p", domains: ["dav.example"] },
  ],
  identities: [
    { lever: "ana@contoso.example", workingHours: { mon: [["10:00", "12:00"]] }, timezone: "Europe/Berlin" },
    { lever: "cand@mail.example", emailOnly: true },
  ],
  tentative: "free",
  defaultTimezone: "America/New_York",
});
const window = { start: "2026-03-30T00:00:00Z", end: "2026-03-31T00:00:00Z" };

describe("reading interviewers' availability", () => {
  it("resolves people, asks each connection once, and gives each the solver's interviewer shape with the configured policy", async () => {
    const providers = new Map([
      [
        "m365",
        tableProvider("m365", {
          "ana@contoso.example": { items: [{ start: "2026-03-30T08:30:00Z", end: "2026-03-30T09:00:00Z", status: "busy" }] },
          "bo@contoso.example": {
            items: [{ start: "2026-03-30T15:00:00Z", end: "2026-03-30T16:00:00Z", status: "tentative" }],
            workingHours: { timezone: "America/Chicago", hours: { mon: [["08:00", "16:00"]] } },
          },
        }),
      ],
      [
        "dav",
        tableProvider(
          "dav",
          {},
          new CalendarError({ kind: "rate-limited", provider: "caldav", connectionId: "dav", endpoint: "REPORT", message: "answered 429", retryAfterMs: 5000 }),
        ),
      ],
    ]);
    const users = [
      { id: "ana", email: "ana@contoso.example" },
      { id: "bo", email: "bo@contoso.example" },
      { id: "cy", email: "cy@dav.example" },
      { id: "cand", email: "cand@mail.example" },
      { id: "dee", email: "dee@nowhere.example" },
      { id: "ghost", email: "ghost@contoso.example" },
    ];
    const r = await readAvailability(config, providers, { users, window, bufferMinutes: 10 });
    assert.deepEqual(
      r.map((x) => [x.leverUserId, x.ok]),
      [
        ["ana", true],
        ["bo", true],
        ["cy", false],
        ["cand", false],
        ["dee", false],
        ["ghost", false],
      ],
    );
    const ana = r[0]!;
    assert.ok(ana.ok);
    assert.equal(ana.source, "configured");
    assert.equal(ana.interviewer.timezone, "Europe/Berlin");
    // 10:00–12:00 Berlin = 08:00–10:00Z; busy 08:30–09:00 plus a 10-minute buffer.
    assert.deepEqual(ana.free, [
      { start: "2026-03-30T08:00:00.000Z", end: "2026-03-30T08:20:00.000Z" },
      { start: "2026-03-30T09:10:00.000Z", end: "2026-03-30T10:00:00.000Z" },
    ]);
    const bo = r[1]!;
    assert.ok(bo.ok);
    assert.equal(bo.source, "provider");
    assert.equal(bo.interviewer.timezone, "America/Chicago");
    assert.equal(bo.interviewer.busy[0]!.status, "free", "tentative does not block when calendars.tentative is free");
    const cy = r[2]!;
    assert.ok(!cy.ok && cy.retryable && /answered 429/.test(cy.error));
    assert.ok(!r[3]!.ok && /cand@mail.example has no connected calendar/.test(r[3]!.error));
    assert.ok(!r[4]!.ok && /no calendar connection serves "nowhere.example"/.test(r[4]!.error));
    assert.ok(!r[5]!.ok && /unknown ghost@contoso.example/.test(r[5]!.error));
  });

  it("doctor checks every connection on a person mapped to it, and says when none is configured", async () => {
    const rows = await checkCalendarConnections(config, (c) => tableProvider(c.id, {}));
    assert.deepEqual(
      rows.filter((r) => !r.check.endsWith(": secret")).map((r) => [r.check, r.detail]),
      [
        ["calendar m365: probe", "ana@contoso.example"],
        ["calendar dav: probe", "none"],
      ],
    );
    const none = await checkCalendarConnections(calendarsConfigSchema.parse({}));
    assert.equal(none[0]!.status, "skip");
    const broken = await checkCalendarConnections(calendarsConfigSchema.parse({ connections: [{ id: "gw", provider: "google", serviceAccountKey: "{nope" }] }));
    assert.deepEqual(
      broken.map((r) => [r.check, r.status]),
      [
        ["calendar gw: secret", "warn"],
        ["calendar gw", "fail"],
      ],
    );
    assert.match(broken[1]!.detail, /serviceAccountKey is not JSON/);
  });
});
