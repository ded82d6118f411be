import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { boundaryInstant, gridInstant, instantsOfWall, offsetTable, zoneNamed } from "./local-time.ts";

const wall = (iso: string): number => Date.parse(`${iso}Z`);
const berlin = zoneNamed("Europe/Berlin")!;
const newYork = zoneNamed("America/New_York")!;

describe("local times across daylight-saving switches", () => {
  it("finds no instant for a local time skipped by spring forward (EU 29 March, US 8 March 2026)", () => {
    assert.deepEqual(instantsOfWall(berlin, wall("2026-03-29T02:30:00")), []);
    assert.equal(gridInstant(berlin, wall("2026-03-29T02:30:00")), undefined);
    assert.equal(gridInstant(newYork, wall("2026-03-08T02:30:00")), undefined);
  });

  it("puts a skipped boundary at the instant the clock jumps, so a range keeps only its local times that exist", () => {
    assert.equal(new Date(boundaryInstant(berlin, wall("2026-03-29T02:30:00"))).toISOString(), "2026-03-29T01:00:00.000Z");
    assert.equal(new Date(boundaryInstant(newYork, wall("2026-03-08T02:30:00"))).toISOString(), "2026-03-08T07:00:00.000Z");
    assert.equal(new Date(boundaryInstant(zoneNamed("America/Santiago")!, wall("2026-09-06T00:00:00"))).toISOString(), "2026-09-06T04:00:00.000Z");
  });

  it("takes the earlier of two instants on fall back (EU 25 October, US 1 November 2026)", () => {
    assert.deepEqual(
      instantsOfWall(berlin, wall("2026-10-25T02:30:00")).map((t) => new Date(t).toISOString()),
      ["2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00.000Z"],
    );
    assert.equal(new Date(gridInstant(berlin, wall("2026-10-25T02:30:00"))!).toISOString(), "2026-10-25T00:30:00.000Z");
    assert.equal(new Date(boundaryInstant(newYork, wall("2026-11-01T01:30:00"))).toISOString(), "2026-11-01T05:30:00.000Z");
  });

  it("rejects a zone name that is not IANA", () => {
    assert.equal(zoneNamed("Europe/Atlantis"), undefined);
    assert.ok(zoneNamed("Asia/Kolkata"));
  });

  it("reads offsets from a transition table exactly as Luxon does, every five minutes around the switches", () => {
    for (const name of ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago"]) {
      const zone = zoneNamed(name)!;
      for (const [from, to] of [
        ["2026-03-05T00:00:00Z", "2026-04-02T00:00:00Z"],
        ["2026-10-01T00:00:00Z", "2026-11-05T00:00:00Z"],
      ]) {
        const table = offsetTable(zone);
        for (let t = Date.parse(from!); t <= Date.parse(to!); t += 5 * 60_000) {
          if (table.offset(t) !== zone.offset(t)) assert.fail(`${name} at ${new Date(t).toISOString()}: ${table.offset(t)} ≠ ${zone.offset(t)}`);
        }
      }
    }
  });
});
