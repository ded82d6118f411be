import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calendarsConfigSchema, type CalendarsConfigInput } from "./config.ts";
import { resolveIdentity, UnknownIdentityError } from "./identities.ts";

const key = JSON.stringify({ client_email: "sa@proj.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n" });
const config = (input: Partial<CalendarsConfigInput>) => calendarsConfigSchema.parse({ ...input });
const google = { id: "gw", provider: "google" as const, serviceAccountKey: key, domains: ["example.com"] };
const graph = { id: "m365", provider: "graph" as const, tenantId: "t", clientId: "c", clientSecret: "s", domains: ["contoso.example"] };

describe("Lever users to calendar identities", () => {
  it("maps by e-mail to the connection serving the domain, case-insensitively", () => {
    const c = config({ connections: [google, graph] });
    assert.deepEqual(resolveIdentity({ id: "u1", email: "Ana@Example.com" }, c), {
      id: "u1",
      email: "ana@example.com",
      connectionId: "gw",
      timezone: undefined,
      workingHours: undefined,
      calendarUrl: undefined,
    });
    assert.equal((resolveIdentity({ id: "u2", email: "bo@contoso.example" }, c) as { connectionId: string }).connectionId, "m365");
  });

  it("uses the only connection when there is one, whatever the domain", () => {
    assert.equal(
      (resolveIdentity({ id: "u1", email: "x@other.example" }, config({ connections: [{ ...google, domains: [] }] })) as { connectionId: string }).connectionId,
      "gw",
    );
  });

  it("applies an override by Lever e-mail or user id: another address, connection, zone, hours", () => {
    const c = config({
      connections: [google, graph],
      identities: [
        { lever: "ana@example.com", email: "ana.k@contoso.example", connection: "m365", timezone: "Asia/Tokyo", workingHours: { mon: [["10:00", "18:00"]] } },
        { leverUserId: "u9", emailOnly: true },
      ],
    });
    const ana = resolveIdentity({ id: "u1", email: "ana@example.com" }, c);
    assert.deepEqual(ana, {
      id: "u1",
      email: "ana.k@contoso.example",
      connectionId: "m365",
      timezone: "Asia/Tokyo",
      workingHours: { mon: [["10:00", "18:00"]] },
      calendarUrl: undefined,
    });
    assert.deepEqual(resolveIdentity({ id: "u9", email: "ext@agency.example" }, c), { id: "u9", email: "ext@agency.example", emailOnly: true });
  });

  it("says how to fix an unknown user: no e-mail, no connection for the domain, two connections, none configured", () => {
    const c = config({ connections: [google, graph] });
    assert.throws(
      () => resolveIdentity({ id: "u3", name: "Cy", email: null }, c),
      (e: unknown) => e instanceof UnknownIdentityError && /Lever user Cy \(u3\) has no e-mail address in Lever.*calendars.identities/.test(e.message),
    );
    assert.throws(
      () => resolveIdentity({ id: "u4", email: "dee@elsewhere.example" }, c),
      /no calendar connection serves "elsewhere.example"; add the domain to a connection's domains, or an entry under calendars.identities/,
    );
    const twice = config({ connections: [google, { ...graph, domains: ["example.com"] }] });
    assert.throws(() => resolveIdentity({ id: "u5", email: "eve@example.com" }, twice), /connections "gw" and "m365" both serve example.com/);
    assert.throws(() => resolveIdentity({ id: "u6", email: "f@example.com" }, config({})), /no calendar connection is configured/);
  });
});
