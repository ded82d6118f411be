/** The `calendars:` section of the configuration (issue 13, part 1). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "./config.ts";

function withFile(yaml: string, extra: Record<string, string> = {}, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-config-cal-"));
  try {
    const file = join(dir, "fulcrum.config.yaml");
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(file, yaml.replaceAll("$DIR", dir));
    return loadConfig({ FULCRUM_CONFIG: file, FULCRUM_DATA_DIR: dir, ...extra });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("calendars in the configuration", () => {
  it("is empty with its defaults when the file says nothing: tentative blocks, UTC, 30 minutes for events without an end, changes read every 5 minutes", () => {
    const c = withFile("port: 4100\n");
    assert.deepEqual(c.calendars, {
      connections: [],
      identities: [],
      tentative: "busy",
      defaultTimezone: "UTC",
      openEndedMinutes: 30,
      maxEventsPerPerson: 20000,
      pollSeconds: 300,
    });
  });

  it("reads connections of each provider, overrides, and a service account key from its file", () => {
    const key = JSON.stringify({
      type: "service_account",
      client_email: "sa@proj.iam.gserviceaccount.com",
      private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    });
    const c = withFile(
      [
        "calendars:",
        "  tentative: free",
        "  defaultTimezone: Europe/Berlin",
        "  connections:",
        "    - { id: gw, provider: google, serviceAccountKeyFile: $DIR/sa.json, subject: admin@example.com, domains: [example.com] }",
        "    - { id: m365, provider: graph, tenantId: t, clientId: c, clientSecret: s, domains: [contoso.example] }",
        "    - { id: dav, provider: caldav, serverUrl: 'https://dav.example/', username: u, password: p }",
        "  identities:",
        "    - { lever: ana@example.com, timezone: Asia/Tokyo, workingHours: { mon: [['10:00', '18:00']] } }",
      ].join("\n"),
      {},
      { "sa.json": key },
    );
    assert.equal(c.calendars!.tentative, "free");
    assert.deepEqual(
      c.calendars!.connections.map((x) => x.provider),
      ["google", "graph", "caldav"],
    );
    assert.equal((c.calendars!.connections[0] as { serviceAccountKey: string }).serviceAccountKey, key);
    assert.deepEqual(c.calendars!.identities[0]!.workingHours, { mon: [["10:00", "18:00"]] });
  });

  it("names the path of a bad value, and never repeats a secret", () => {
    assert.throws(
      () => withFile("calendars:\n  connections:\n    - { id: m365, provider: graph, tenantId: t, clientId: c }\n"),
      (e: unknown) => e instanceof ConfigError && /calendars\.connections\[0\]\.clientSecret/.test(e.key),
    );
    assert.throws(
      () => withFile("calendars:\n  defaultTimezone: Mars/Olympus\n"),
      (e: unknown) => e instanceof ConfigError && /calendars\.defaultTimezone$/.test(e.key) && /not an IANA time zone/.test(e.message),
    );
    assert.throws(
      () => withFile("calendars:\n  identities:\n    - { lever: ana@example.com, workingHours: { mon: [['18:00', '09:00']] } }\n"),
      (e: unknown) =>
        e instanceof ConfigError && /calendars\.identities\[0\]\.workingHours\.mon/.test(e.key) && /each range must end after it starts/.test(e.message),
    );
    assert.throws(
      () => withFile("calendars:\n  connections:\n    - { id: gw, provider: google, serviceAccountKey: 'top-secret-blob' , domains: 3 }\n"),
      (e: unknown) => e instanceof ConfigError && !e.message.includes("top-secret-blob"),
    );
  });

  it("refuses two connections with one id, an override naming a connection that does not exist, and a missing key file", () => {
    const dav = "{ id: dav, provider: caldav, serverUrl: 'https://dav.example/', username: u, password: p }";
    assert.throws(
      () => withFile(`calendars:\n  connections:\n    - ${dav}\n    - ${dav}\n`),
      (e: unknown) => e instanceof ConfigError && /calendars\.connections\[1\]\.id/.test(e.key) && /used by two calendar connections/.test(e.message),
    );
    assert.throws(
      () => withFile(`calendars:\n  connections:\n    - ${dav}\n  identities:\n    - { lever: a@example.com, connection: gw }\n`),
      (e: unknown) => e instanceof ConfigError && /calendars\.identities\[0\]\.connection/.test(e.key) && /Use one of: dav/.test(e.message),
    );
    assert.throws(
      () => withFile("calendars:\n  connections:\n    - { id: gw, provider: google, serviceAccountKeyFile: /nonexistent/sa.json }\n"),
      /calendars\.connections\[0\]\.serviceAccountKeyFile: no file at/,
    );
  });
});
