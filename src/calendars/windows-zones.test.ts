import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { windowsZoneToIana } from "./windows-zones.ts";

describe("Windows time zones", () => {
  it("maps Exchange's Windows names to IANA zones and passes IANA names through", () => {
    assert.equal(windowsZoneToIana("Pacific Standard Time", "x"), "America/Los_Angeles");
    assert.equal(windowsZoneToIana("W. Europe Standard Time", "x"), "Europe/Berlin");
    assert.equal(windowsZoneToIana("India Standard Time", "x"), "Asia/Calcutta");
    assert.equal(windowsZoneToIana("UTC", "x"), "Etc/UTC");
    assert.equal(windowsZoneToIana("Europe/Lisbon", "x"), "Europe/Lisbon");
  });

  it("names the zone and where it came from when it is neither", () => {
    assert.throws(
      () => windowsZoneToIana("Customized Time Zone", "working hours of ana@example.com"),
      /working hours of ana@example.com: "Customized Time Zone" is neither a Windows time zone Fulcrum knows nor an IANA zone/,
    );
  });
});
