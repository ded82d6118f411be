/**
 * Calendar secrets sealed like Lever's: given as environment references, sealed values or (with a
 * warning) in clear; held sealed by the opened connection; opened only for the request that needs
 * them; and a wrong or missing key, an unset variable, or a value sealed for another connection
 * named by connection and field — never by value.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { createSecretBox } from "../engine/connections/secret-box.ts";
import { calendarsConfigSchema, type CalendarConnectionConfig, type GraphConnectionConfig } from "./config.ts";
import { checkCalendarConnections, openCalendarProvider, sealConnectionSecrets } from "./connections.ts";
import { CalendarError } from "./errors.ts";
import { GraphCalendarProvider } from "./graph.ts";
import { calendarSecretContext, isSealed, openCalendarSecret } from "./secrets.ts";

const SECRET = "graph-client-secret-Zq9~x";
const box = createSecretBox(randomBytes(32));
const settings = calendarsConfigSchema.parse({});

// A stand-in for Microsoft's token endpoint: it issues a token only for the right client secret.
let server: Server;
let login: string;
const secretsSeen: string[] = [];
before(async () => {
  server = createServer(async (req, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const form = new URLSearchParams(text);
    secretsSeen.push(form.get("client_secret") ?? "");
    res.writeHead(form.get("client_secret") === SECRET ? 200 : 401, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        form.get("client_secret") === SECRET
          ? { access_token: `x.${Buffer.from(JSON.stringify({ roles: ["Calendars.ReadWrite"] })).toString("base64url")}.y`, expires_in: 3600 }
          : { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." },
      ),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  login = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const graph = (clientSecret: GraphConnectionConfig["clientSecret"]): GraphConnectionConfig => ({
  id: "m365",
  provider: "graph",
  tenantId: "t1",
  clientId: "app-1",
  clientSecret,
  domains: [],
  loginBaseUrl: login,
  maxAttempts: 1,
});

describe("calendar secrets", () => {
  it("reads a secret from the environment variable it names, holds it sealed, and sends it only in the token request", async () => {
    const env = { M365_SECRET: SECRET };
    const sealed = sealConnectionSecrets(graph({ env: "M365_SECRET" }), { box, env }) as GraphConnectionConfig;
    assert.ok(isSealed(sealed.clientSecret));
    assert.ok(!JSON.stringify(sealed).includes(SECRET), "the sealed configuration holds no clear text");
    const provider = openCalendarProvider(graph({ env: "M365_SECRET" }), settings, { box, env }) as GraphCalendarProvider;
    assert.ok(!inspect(provider, { depth: 5, showHidden: true }).includes(SECRET));
    secretsSeen.length = 0;
    await provider.accessToken(true);
    assert.deepEqual(secretsSeen, [SECRET]);
  });

  it("opens a value sealed with the current key for this connection and field", async () => {
    const sealed = box.seal(SECRET, calendarSecretContext("m365", "clientSecret"));
    const provider = openCalendarProvider(graph(sealed), settings, { box }) as GraphCalendarProvider;
    assert.ok((await provider.accessToken(true)).startsWith("x."));
  });

  it("seals a secret written in clear, and doctor warns that it was in clear without repeating it", async () => {
    const sealed = sealConnectionSecrets(graph(SECRET), { box }) as GraphConnectionConfig;
    assert.ok(isSealed(sealed.clientSecret));
    assert.equal(openCalendarSecret(sealed.clientSecret, { provider: "graph", connectionId: "m365", field: "clientSecret", box }), SECRET);
    const rows = await checkCalendarConnections(calendarsConfigSchema.parse({ connections: [graph(SECRET)] }), undefined, { box });
    assert.deepEqual(rows[0], {
      check: "calendar m365: secret",
      status: "warn",
      detail: "clientSecret is written in clear in the configuration",
      fix: "Move it to an environment variable ({ env: NAME }) or seal it: fulcrum calendars seal --connection m365",
    });
    assert.equal(rows.find((r) => r.check === "calendar m365: app credentials")?.status, "ok");
    assert.ok(!JSON.stringify(rows).includes(SECRET));
  });

  it("names the connection and the variable when the variable is not set", () => {
    assert.throws(
      () => openCalendarProvider(graph({ env: "M365_SECRET" }), settings, { box, env: {} }),
      (e: unknown) =>
        e instanceof CalendarError &&
        e.kind === "auth" &&
        e.connectionId === "m365" &&
        /graph calendar connection "m365", configuration \(clientSecret\): clientSecret is read from the environment variable M365_SECRET, which is not set/.test(
          e.message,
        ),
    );
  });

  it("says a value sealed with another key needs the key it was sealed with, naming the connection", async () => {
    const other = createSecretBox(randomBytes(32)).seal(SECRET, calendarSecretContext("m365", "clientSecret"));
    assert.throws(
      () => openCalendarProvider(graph(other), settings, { box }),
      (e: unknown) =>
        e instanceof CalendarError &&
        /"m365".*clientSecret could not be opened: stored secret was encrypted with another key/.test(e.message) &&
        /FULCRUM_SECRET_KEY it was sealed with/.test(e.fix ?? "") &&
        !e.message.includes(SECRET),
    );
    // In doctor: the secret row says sealed, the connection row fails with the reason and the fix.
    const rows = await checkCalendarConnections(calendarsConfigSchema.parse({ connections: [graph(other)] }), undefined, { box });
    assert.deepEqual(
      rows.map((r) => [r.check, r.status]),
      [
        ["calendar m365: secret", "ok"],
        ["calendar m365", "fail"],
      ],
    );
    assert.match(rows[1]!.detail, /another key/);
  });

  it("refuses a value sealed for another connection, and a sealed value with no key at hand", () => {
    const forOther = box.seal(SECRET, calendarSecretContext("other", "clientSecret"));
    assert.throws(
      () => openCalendarProvider(graph(forOther), settings, { box }),
      (e: unknown) => e instanceof CalendarError && /"m365".*clientSecret could not be opened: stored secret failed its integrity check/.test(e.message),
    );
    const sealed = box.seal(SECRET, calendarSecretContext("m365", "clientSecret"));
    assert.throws(
      () => new GraphCalendarProvider(graph(sealed)),
      (e: unknown) => e instanceof CalendarError && /"m365".*clientSecret is sealed, but no secret key was given to open it/.test(e.message),
    );
  });

  it("seals a Google service account key and a CalDAV password the same way", () => {
    const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const keyJson = JSON.stringify({ type: "service_account", client_email: "sa@p.iam.gserviceaccount.com", private_key: pem });
    const env = { GW_KEY: keyJson, DAV_PASSWORD: "dav-pass-123" };
    const connections: CalendarConnectionConfig[] = [
      { id: "gw", provider: "google", serviceAccountKey: { env: "GW_KEY" }, domains: [], read: "events" },
      { id: "dav", provider: "caldav", serverUrl: "https://dav.example/", username: "u", password: { env: "DAV_PASSWORD" }, domains: [] },
    ];
    for (const c of connections) {
      const sealed = sealConnectionSecrets(c, { box, env });
      const text = JSON.stringify(sealed);
      assert.ok(!text.includes("PRIVATE KEY") && !text.includes("dav-pass-123"), `${c.id} holds its secret sealed`);
      assert.doesNotThrow(() => openCalendarProvider(c, settings, { box, env }));
    }
    assert.throws(
      () =>
        openCalendarProvider({ ...connections[0]!, serviceAccountKey: { env: "GW_KEY" } } as CalendarConnectionConfig, settings, {
          box,
          env: { GW_KEY: "{not json" },
        }),
      /"gw".*serviceAccountKey is not JSON/,
    );
  });

  it("accepts { env: NAME } in the configuration and refuses a reference that is not a variable name", () => {
    assert.deepEqual(calendarsConfigSchema.parse({ connections: [graph({ env: "M365_SECRET" })] }).connections[0]!.provider, "graph");
    assert.equal(calendarsConfigSchema.safeParse({ connections: [graph({ env: "not a name" })] }).success, false);
  });
});
