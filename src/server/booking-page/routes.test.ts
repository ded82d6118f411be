/**
 * The booking page's request handling on the embedded database: body size, rate-limit keys (per
 * client address, behind a trusted proxy, per link) and what reaches the logs. The full booking
 * flow against calendars, e-mail and Lever is in booking-page.test.ts.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createLogger, silentLogger } from "../../observability/index.ts";
import { hashLinkToken } from "../../store/index.ts";
import { openTestDatabase, type TestDatabase } from "../../store/testing.ts";
import { bookingPageRoutes, loggablePath } from "./routes.ts";

const NOW = Date.parse("2026-03-02T10:00:00Z");
const TOKEN = "t".repeat(43);

describe("the booking page's requests", () => {
  let t: TestDatabase;
  before(async () => {
    t = await openTestDatabase("pglite");
  });
  after(() => t?.drop());

  const hits = async (key: string) =>
    Number((await t.db.query<{ n: number }>("select coalesce(sum(hits), 0)::int as n from booking_link_hits where key = $1", [key])).rows[0]!.n);
  const from = (ip: string, headers: Record<string, string> = {}) => [{ headers }, { incoming: { socket: { remoteAddress: ip } } }] as const;

  it("refuses a body over 4 KB with 413 and the generic page; nothing is booked", async () => {
    const app = bookingPageRoutes({ db: t.db, logger: silentLogger, now: () => NOW });
    const body = new URLSearchParams({ start: "x".repeat(1024 * 1024) });
    const res = await app.request(
      `/${TOKEN}/book`,
      { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } },
      { incoming: { socket: { remoteAddress: "192.0.2.40" } } },
    );
    assert.equal(res.status, 413);
    assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    assert.match(await res.text(), /<html/);
    assert.equal((await t.db.query("select 1 from scheduling_bookings")).rows.length, 0);
  });

  it("counts a client behind a trusted proxy by the first X-Forwarded-For address, and ignores that header otherwise", async () => {
    const trusting = bookingPageRoutes({ db: t.db, logger: silentLogger, now: () => NOW, trustProxy: true, limits: { perAddress: 2, perLink: 100 } });
    const statuses: number[] = [];
    for (const client of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
      const [init, env] = from("10.0.0.1", { "x-forwarded-for": `${client}, 10.0.0.9` });
      statuses.push((await trusting.request(`/${"a".repeat(43)}`, init, env)).status);
    }
    assert.deepEqual(statuses, [404, 404, 404], "three candidates behind one proxy are three addresses");
    assert.equal(await hits("ip:203.0.113.1"), 1);

    const direct = bookingPageRoutes({ db: t.db, logger: silentLogger, now: () => NOW, limits: { perAddress: 2, perLink: 100 } });
    const spoofed: number[] = [];
    for (const claimed of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
      const [init, env] = from("192.0.2.77", { "x-forwarded-for": claimed });
      spoofed.push((await direct.request(`/${"b".repeat(43)}`, init, env)).status);
    }
    assert.deepEqual(spoofed, [404, 404, 429], "without a trusted proxy the header changes nothing");
  });

  it("does not count the page's assets, nor a link for a client over its limit or a malformed token", async () => {
    const app = bookingPageRoutes({ db: t.db, logger: silentLogger, now: () => NOW, limits: { perAddress: 1, perLink: 100 } });
    for (let i = 0; i < 3; i++) {
      const [init, env] = from("192.0.2.88");
      assert.equal((await app.request("/assets/page.css", init, env)).status, 200);
    }
    assert.equal(await hits("ip:192.0.2.88"), 0, "assets are not counted");
    assert.equal(await hits(`link:${hashLinkToken("assets")}`), 0);

    const token = "c".repeat(43);
    const [init, env] = from("192.0.2.88");
    assert.equal((await app.request(`/${token}`, init, env)).status, 404);
    assert.equal((await app.request(`/${token}`, init, env)).status, 429);
    assert.equal(await hits(`link:${hashLinkToken(token)}`), 1, "the over-limit request does not count against the link");

    const [init2, env2] = from("192.0.2.89");
    assert.equal((await app.request("/not-a-token", init2, env2)).status, 404);
    assert.equal(await hits(`link:${hashLinkToken("not-a-token")}`), 0, "a malformed token gets no link counter");
  });

  it("logs neither a candidate's address nor the token when a request fails", async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const logger = createLogger({ level: "info", destination });
    const failing = Object.assign(new Error("Message failed: 550 5.1.1 <casey@mail.example>: Recipient address rejected"), {
      code: "EENVELOPE",
      response: "550 5.1.1 <casey@mail.example>: Recipient address rejected",
      rejected: ["casey@mail.example"],
    });
    const selfScheduling = {
      view: async () => undefined,
      options: async () => undefined,
      book: async () => Promise.reject(failing),
      cancel: async () => Promise.reject(failing),
      ics: async () => Promise.reject(failing),
    } as unknown as Parameters<typeof bookingPageRoutes>[0]["selfScheduling"];
    const app = bookingPageRoutes({ db: t.db, logger, selfScheduling, now: () => NOW });
    const token = "d".repeat(43);
    const [init, env] = from("192.0.2.91");
    const post = (path: string) =>
      app.request(
        path,
        { method: "POST", body: new URLSearchParams({ start: "2026-03-03T10:00:00Z" }), headers: { "content-type": "application/x-www-form-urlencoded" } },
        env,
      );
    assert.equal((await post(`/${token}/book`)).status, 303);
    assert.equal((await post(`/${token}/cancel`)).status, 303);
    assert.equal((await app.request(`/${token}/interview.ics`, init, env)).status, 500);
    const logged = lines.join("\n");
    assert.ok(lines.length >= 3, logged);
    assert.match(logged, /EENVELOPE/, "the error's code is kept");
    assert.doesNotMatch(logged, /casey@mail\.example/);
    assert.ok(!logged.includes(token), "no token in the log");
  });

  it("leaves the token out of a booking page path written to the log", () => {
    assert.equal(loggablePath(`/book/${TOKEN}/interview.ics`), "/book/[token]/interview.ics");
    assert.equal(loggablePath(`/book/${TOKEN}`), "/book/[token]");
    assert.equal(loggablePath("/api/runs"), "/api/runs");
  });

  it("writes the downloaded calendar file's title and place in the link's language", async () => {
    const at = (h: number) => `2026-03-03T${String(h).padStart(2, "0")}:00:00.000Z`;
    const sessions = [
      { id: "a", title: "Technique", start: at(9), end: at(10), interviewers: [{ leverUserId: "u1", email: "a@example.com" }] },
      { id: "b", title: "Manager", start: at(10), end: at(11), interviewers: [{ leverUserId: "u2", email: "b@example.com" }] },
    ];
    const selfScheduling = {
      view: async () => ({ status: "booked", language: "fr" }),
      ics: async () => ({
        uid: "uid-1",
        sequence: 0,
        booking: { opportunityId: "o", panelKey: "o:p", format: "onsite", candidate: { name: "Casey", timezone: "Europe/Paris" }, sessions },
      }),
    } as unknown as Parameters<typeof bookingPageRoutes>[0]["selfScheduling"];
    const app = bookingPageRoutes({ db: t.db, logger: silentLogger, selfScheduling, now: () => NOW });
    const [init, env] = from("192.0.2.93");
    const res = await app.request(`/${"e".repeat(43)}/interview.ics`, init, env);
    assert.equal(res.status, 200);
    const ics = await res.text();
    assert.match(ics, /^SUMMARY:Entretien \(2 sessions\)\r?$/m);
    assert.match(ics, /^LOCATION:Sur place\r?$/m);
    assert.doesNotMatch(ics, /Interview \(|On site/);
  });
});
