import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { calendarsConfigSchema } from "../../calendars/index.ts";
import { calendarDoctorSection } from "./doctor-calendars.ts";

describe("fulcrum doctor: calendars", () => {
  it("adds nothing when no calendar connection is configured", async () => {
    assert.equal(await calendarDoctorSection({ calendars: calendarsConfigSchema.parse({}) }), undefined);
    assert.equal(await calendarDoctorSection({}), undefined);
  });

  it("checks each configured connection and says what to fix", async () => {
    const section = await calendarDoctorSection({
      calendars: calendarsConfigSchema.parse({
        connections: [
          { id: "dav", provider: "caldav", serverUrl: "http://127.0.0.1:9/", username: "u", password: "p", timeoutMs: 2000 },
          { id: "gw", provider: "google", serviceAccountKey: "{broken" },
        ],
      }),
    });
    assert.equal(section!.connection, "calendars");
    assert.equal(section!.rows[0]!.check, "calendar dav: sign-in");
    assert.equal(section!.rows[0]!.status, "warn", "an unreachable server may be a passing outage");
    assert.match(section!.rows[0]!.detail, /127.0.0.1:9 could not be reached/);
    assert.deepEqual([section!.rows[1]!.check, section!.rows[1]!.status], ["calendar gw", "fail"]);
    assert.match(section!.rows[1]!.fix!, /JSON key file/);
  });
});
