import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomBytes } from "node:crypto";
import { calendarSecretContext, calendarsConfigSchema } from "../../calendars/index.ts";
import { createSecretBox } from "../../engine/connections/index.ts";
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
    const rows = section!.rows.filter((r) => !r.check.endsWith(": secret"));
    assert.equal(rows[0]!.check, "calendar dav: sign-in");
    assert.equal(rows[0]!.status, "warn", "an unreachable server may be a passing outage");
    assert.match(rows[0]!.detail, /127.0.0.1:9 could not be reached/);
    assert.deepEqual([rows[1]!.check, rows[1]!.status], ["calendar gw", "fail"]);
    assert.match(rows[1]!.fix!, /JSON key file/);
  });

  it("opens sealed calendar secrets with FULCRUM_SECRET_KEY, and names the connection when the key is another", async () => {
    const key = randomBytes(32);
    const sealed = createSecretBox(key).seal("dav-password", calendarSecretContext("dav", "password"));
    const calendars = calendarsConfigSchema.parse({
      connections: [{ id: "dav", provider: "caldav", serverUrl: "http://127.0.0.1:9/", username: "u", password: sealed, timeoutMs: 2000, maxAttempts: 1 }],
    });
    const good = await calendarDoctorSection({ calendars, dataDir: "unused", secretKey: key.toString("hex") });
    assert.deepEqual(
      good!.rows.map((r) => [r.check, r.status]),
      [
        ["calendar dav: secret", "ok"],
        ["calendar dav: sign-in", "warn"],
      ],
    );
    const wrong = await calendarDoctorSection({ calendars, dataDir: "unused", secretKey: randomBytes(32).toString("hex") });
    assert.deepEqual(
      wrong!.rows.map((r) => [r.check, r.status]),
      [
        ["calendar dav: secret", "ok"],
        ["calendar dav", "fail"],
      ],
    );
    assert.match(
      wrong!.rows[1]!.detail,
      /caldav calendar connection "dav", configuration \(password\): password could not be opened: stored secret was encrypted with another key/,
    );
    assert.ok(!JSON.stringify([good, wrong]).includes("dav-password"));
  });
});
