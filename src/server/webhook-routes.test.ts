import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { Hono } from "hono";
import { loadConfig } from "../config/index.ts";
import { Writable } from "node:stream";
import { createLogger, silentLogger } from "../observability/index.ts";
import { signLeverWebhook } from "../lever/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { createJobQueue, type JobQueue } from "../engine/queue/index.ts";
import { createInbox, INBOX_FANOUT_QUEUE, INBOX_QUEUE } from "../engine/inbox/index.ts";
import { createLeverSource, createMemoryConnectionDirectory } from "../engine/sources/index.ts";
import { createConnectionRegistry } from "../engine/connections/index.ts";
import { createApp } from "./app.ts";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

const DEFAULT_TOKEN = "default-signing-token";
const ACME_TOKEN = "acme-stage-change-token";

function delivery(overrides: Record<string, unknown> = {}, signWith: string | null = DEFAULT_TOKEN): Record<string, unknown> {
  const body: Record<string, unknown> = {
    event: "candidateStageChange",
    triggeredAt: Date.now(),
    token: randomBytes(24).toString("hex"),
    data: {
      opportunityId: `opp-${randomBytes(4).toString("hex")}`,
      candidateId: "cand-1",
      contactId: "contact-1",
      fromStageId: "applicant-new",
      toStageId: "stage-phone-screen",
    },
    ...overrides,
  };
  if (signWith !== null && !("signature" in overrides)) {
    body.signature = signLeverWebhook(String(body.token), body.triggeredAt as number, signWith);
  }
  return body;
}

for (const engine of await testEngines()) {
  describe(`webhook intake on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let queue: JobQueue;
    let app: Hono;
    /** The same intake with a 1 MiB body limit, for bodies that are hostile without being large. */
    let roomyApp: Hono;
    let connections: ReturnType<typeof createMemoryConnectionDirectory>;
    let logLines: string[] = [];
    const config = loadConfig({ FULCRUM_WEBHOOK_MAX_BYTES: "4096", FULCRUM_WEBHOOK_REPLAY_WINDOW: "600" });
    const roomyConfig = loadConfig({ FULCRUM_WEBHOOK_MAX_BYTES: String(1024 * 1024), FULCRUM_WEBHOOK_REPLAY_WINDOW: "600" });

    before(async () => {
      t = await openTestDatabase(engine.kind);
      queue = createJobQueue({ db: t.db });
      await queue.start();
      const inbox = createInbox({ db: t.db, queue, replayWindowSeconds: 600 });
      await inbox.start();
      connections = createMemoryConnectionDirectory({
        default: { "*": DEFAULT_TOKEN },
        acme: { candidateStageChange: ACME_TOKEN },
      });
      const destination = new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      });
      app = createApp({ config, db: t.db, logger: createLogger({ level: "info", destination }), queue, inbox, connections });
      roomyApp = createApp({ config: roomyConfig, db: t.db, logger: createLogger({ level: "info", destination }), queue, inbox, connections });
    });
    after(async () => {
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await t?.drop();
    });

    async function inboxSnapshot(): Promise<string> {
      const { rows } = await t.db.query("select id, dedupe_key, status from inbox_events order by id");
      const jobs = await t.db.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = any($1::text[])", [
        [INBOX_QUEUE, INBOX_FANOUT_QUEUE],
      ]);
      return JSON.stringify({ rows, jobs: jobs.rows[0]!.n });
    }

    async function post(
      path: string,
      body: unknown,
      init: RequestInit = {},
      via: Hono = app,
    ): Promise<{ status: number; json: { status?: string; eventId?: number; error?: { code: string; message: string } } }> {
      const res = await via.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Lever-Webhooks" },
        body: typeof body === "string" || body instanceof ReadableStream ? body : JSON.stringify(body),
        ...init,
      });
      return { status: res.status, json: (await res.json()) as never };
    }

    /** Sends a bad request and checks its status, code, message, and that the inbox did not change. */
    async function expectRejected(path: string, body: unknown, status: number, code: string, message: RegExp, init: RequestInit = {}, via: Hono = app) {
      const before = await inboxSnapshot();
      const res = await post(path, body, init, via);
      assert.equal(res.status, status, JSON.stringify(res.json));
      assert.equal(res.json.error?.code, code);
      assert.match(res.json.error?.message ?? "", message);
      assert.equal(await inboxSnapshot(), before, "a rejected request must leave the inbox unchanged");
      return res;
    }

    it("stores a signed delivery with its job and answers 200 accepted", async () => {
      const res = await post("/webhooks/lever", delivery());
      assert.equal(res.status, 200);
      assert.equal(res.json.status, "accepted");
      const { rows } = await t.db.query<{ event: string; connection_id: string }>("select event, connection_id from inbox_events where id = $1", [
        res.json.eventId,
      ]);
      assert.deepEqual(rows[0], { event: "candidateStageChange", connection_id: "default" });
    });

    it("answers a repeated delivery with 200 duplicate and stores nothing more", async () => {
      const body = delivery({ id: "4b7e1c9a-2f6d-4e0b-9a51-77c0d3e1f2aa" });
      const first = await post("/webhooks/lever", body);
      assert.equal(first.json.status, "accepted");
      const before = await inboxSnapshot();
      // Lever may retry with a new request token; the event id makes it the same event.
      const retry = delivery({ id: "4b7e1c9a-2f6d-4e0b-9a51-77c0d3e1f2aa", triggeredAt: body.triggeredAt, data: body.data });
      const again = await post("/webhooks/lever", retry);
      assert.equal(again.status, 200);
      assert.equal(again.json.status, "duplicate");
      assert.equal(again.json.eventId, first.json.eventId);
      assert.equal(await inboxSnapshot(), before);
    });

    it("treats a retry without an envelope id but with the same event, time and ids as a duplicate", async () => {
      const body = delivery();
      assert.equal((await post("/webhooks/lever", body)).json.status, "accepted");
      const retry = delivery({ triggeredAt: body.triggeredAt, data: body.data });
      assert.equal((await post("/webhooks/lever", retry)).json.status, "duplicate");
    });

    it("routes /webhooks/lever/:connection to that connection's tokens", async () => {
      const ok = await post("/webhooks/lever/acme", delivery({}, ACME_TOKEN));
      assert.equal(ok.json.status, "accepted");
      await expectRejected(
        "/webhooks/lever/acme",
        delivery({}, DEFAULT_TOKEN),
        401,
        "signature_invalid",
        /does not match any signature token of connection "acme"/,
      );
      await expectRejected(
        "/webhooks/lever/acme",
        delivery({ event: "candidateHired", data: { opportunityId: "opp-1" } }, ACME_TOKEN),
        401,
        "signature_unverifiable",
        /no signature token is configured for event "candidateHired" on connection "acme"/,
      );
    });

    it("rejects a body over the size limit with 413, by its declared length", async () => {
      const big = JSON.stringify(delivery({ data: { opportunityId: "x".repeat(5000) } }));
      await expectRejected("/webhooks/lever", big, 413, "body_too_large", /larger than the limit of 4096 bytes/);
    });

    it("rejects a streamed body over the size limit with 413 without reading all of it", async () => {
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          if (pulled > 1000) return controller.close();
          controller.enqueue(new Uint8Array(1024).fill(0x20));
        },
      });
      await expectRejected("/webhooks/lever", stream, 413, "body_too_large", /4096 bytes/, { duplex: "half" } as RequestInit);
      assert.ok(pulled < 20, `read ${pulled} chunks of 1 KiB before refusing`);
    });

    describe("over a real socket (@hono/node-server, body read from Node's request)", () => {
      let server: Server;
      let port: number;
      before(async () => {
        server = await new Promise<Server>((resolve) => {
          const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
        });
        port = (server.address() as AddressInfo).port;
      });
      after(async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      });

      /**
       * POSTs `chunks` (chunked transfer unless `declared`). With `open`, the body is never ended:
       * only an answer given before the whole body arrived can come back.
       */
      function send(
        chunks: string[],
        declared: boolean,
        open = false,
      ): Promise<{ status: number; json: { status?: string; error?: { code: string; message: string } } }> {
        return new Promise((resolve, reject) => {
          const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
          const req = httpRequest(
            {
              host: "127.0.0.1",
              port,
              path: "/webhooks/lever",
              method: "POST",
              headers: { "content-type": "application/json", ...(declared ? { "content-length": length } : {}) },
            },
            (res) => {
              let text = "";
              res.on("data", (d: Buffer) => (text += d.toString()));
              res.on("end", () => {
                resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as never });
                if (open) req.destroy();
              });
            },
          );
          req.on("error", (error) => {
            if (!open) reject(error);
          });
          for (const chunk of chunks) req.write(chunk);
          if (!open) req.end();
        });
      }

      it("stores a delivery with a declared length and answers 200 accepted", async () => {
        const res = await send([JSON.stringify(delivery())], true);
        assert.equal(res.status, 200);
        assert.equal(res.json.status, "accepted");
      });

      it("stores a chunked delivery under the limit", async () => {
        const text = JSON.stringify(delivery());
        const res = await send([text.slice(0, 100), text.slice(100)], false);
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.equal(res.json.status, "accepted");
      });

      it("refuses a declared length over the limit with 413, the inbox unchanged", async () => {
        const before = await inboxSnapshot();
        const res = await send([JSON.stringify(delivery({ data: { opportunityId: "x".repeat(5000) } }))], true);
        assert.equal(res.status, 413);
        assert.equal(res.json.error?.code, "body_too_large");
        assert.match(res.json.error?.message ?? "", /larger than the limit of 4096 bytes/);
        assert.equal(await inboxSnapshot(), before);
      });

      it("refuses a chunked body once it passes the limit, without waiting for the rest of it", async () => {
        const before = await inboxSnapshot();
        // 8 KiB of a body that never ends: the 413 can only come from counting what arrived.
        const res = await send(
          Array.from({ length: 8 }, () => " ".repeat(1024)),
          false,
          true,
        );
        assert.equal(res.status, 413);
        assert.equal(res.json.error?.code, "body_too_large");
        assert.equal(await inboxSnapshot(), before);
      });

      it("stores a burst of concurrent deliveries, each once", async () => {
        const before = await t.db.query<{ n: number }>("select count(*)::int as n from inbox_events");
        const results = await Promise.all(Array.from({ length: 60 }, () => send([JSON.stringify(delivery())], true)));
        assert.deepEqual(new Set(results.map((r) => `${r.status} ${r.json.status}`)), new Set(["200 accepted"]));
        const after = await t.db.query<{ n: number }>("select count(*)::int as n from inbox_events");
        assert.equal(after.rows[0]!.n - before.rows[0]!.n, 60);
      });
    });

    it("rejects malformed JSON with 400 without echoing the body", async () => {
      const res = await expectRejected("/webhooks/lever", '{"event": "candidateHired", secret-candidate-name', 400, "malformed_json", /not valid JSON/);
      assert.doesNotMatch(res.json.error!.message, /secret-candidate-name/);
    });

    it("rejects JSON that is not an object, and an envelope missing its fields, with 400 naming them", async () => {
      await expectRejected("/webhooks/lever", "[1,2]", 400, "body_not_object", /must be a JSON object/);
      const { token: _omit, ...noToken } = delivery();
      await expectRejected("/webhooks/lever", noToken, 400, "envelope_invalid", /token/);
      await expectRejected("/webhooks/lever", delivery({ triggeredAt: "yesterday" }), 400, "envelope_invalid", /triggeredAt/);
    });

    it("rejects an unknown connection with 404", async () => {
      await expectRejected("/webhooks/lever/globex", delivery(), 404, "connection_unknown", /no connection named "globex"/);
    });

    it("counts refusals to a known connection by hour and code for webhook health, and nothing for an unknown connection", async () => {
      const counted = async () =>
        (
          await t.db.query<{ connection_id: string; code: string; n: number }>(
            "select connection_id, code, sum(refusals)::int as n from webhook_refusals group by 1, 2 order by 1, 2",
          )
        ).rows;
      const before = await counted();
      const n = (code: string, rows = before) => rows.find((r) => r.connection_id === "acme" && r.code === code)?.n ?? 0;
      await expectRejected("/webhooks/lever/acme", delivery({}, DEFAULT_TOKEN), 401, "signature_invalid", /does not match/);
      await expectRejected("/webhooks/lever/acme", delivery({}, DEFAULT_TOKEN), 401, "signature_invalid", /does not match/);
      await expectRejected("/webhooks/lever/acme", "{not json", 400, "malformed_json", /not valid JSON/);
      await expectRejected("/webhooks/lever/globex", delivery(), 404, "connection_unknown", /no connection named/);
      const after = await counted();
      assert.equal(n("signature_invalid", after) - n("signature_invalid"), 2);
      assert.equal(n("malformed_json", after) - n("malformed_json"), 1);
      assert.ok(!after.some((r) => r.connection_id === "globex"), "an unknown connection's id is never stored");
    });

    it("rejects a missing signature, a wrong one and a tampered triggeredAt with 401", async () => {
      await expectRejected("/webhooks/lever", delivery({}, null), 401, "signature_missing", /no signature/);
      await expectRejected("/webhooks/lever", delivery({}, "another-token"), 401, "signature_invalid", /does not match/);
      const body = delivery();
      await expectRejected("/webhooks/lever", { ...body, triggeredAt: (body.triggeredAt as number) + 1 }, 401, "signature_invalid", /does not match/);
    });

    it("rejects a validly signed delivery whose triggeredAt is outside the replay window with 401", async () => {
      await expectRejected(
        "/webhooks/lever",
        delivery({ triggeredAt: Date.now() - 3_600_000 }),
        401,
        "outside_replay_window",
        /outside the replay window of 600 s/,
      );
    });

    it("acknowledges Lever's signed test ping (data: {}) with 200 and stores nothing; refuses a forged one", async () => {
      const before = await inboxSnapshot();
      const ping = await post("/webhooks/lever", delivery({ data: {} }));
      assert.equal(ping.status, 200);
      assert.equal(ping.json.status, "ping");
      assert.equal(await inboxSnapshot(), before);
      await expectRejected("/webhooks/lever", delivery({ data: {} }, "forged"), 401, "signature_invalid", /does not match/);
    });

    it("rejects a signed delivery whose data is not shaped as Lever sends it with 400 naming the field", async () => {
      await expectRejected("/webhooks/lever", delivery({ data: { candidateId: "c-1", toStageId: "s-1" } }), 400, "data_invalid", /opportunityId/);
    });

    /** Every stored event's payload, to show that a refused delivery damaged none of them. */
    async function storedPayloads(): Promise<string> {
      const { rows } = await t.db.query("select id, payload, status from inbox_events order by id");
      return JSON.stringify(rows);
    }

    /** The replay counter's value for the default connection (0 before its first count). */
    async function replaysRejected(): Promise<number> {
      const metrics = await (await app.request("/metrics")).text();
      const m = /fulcrum_webhook_replays_rejected_total\{source="lever",connection="default"\} (\d+)/.exec(metrics);
      return m ? Number(m[1]) : 0;
    }

    describe("redeliveries from Lever's delivery history, which keep the original triggeredAt", () => {
      /** The intake with a clock of its own, so a delivery can be received now and again hours later. */
      let clock = Date.now();
      let lateApp: Hono;
      before(async () => {
        const inbox = createInbox({ db: t.db, queue, replayWindowSeconds: 600 });
        const leverSource = createLeverSource({ connections, replayWindowSeconds: 600, now: () => clock });
        lateApp = createApp({ config, db: t.db, logger: silentLogger, queue, inbox, connections, leverSource });
      });
      const stored = async (dedupeKey: string) => (await t.db.query("select id from inbox_events where dedupe_key = $1", [dedupeKey])).rows.length;

      it("answers a re-send of a stored event, hours past the window, with 200 duplicate and stores nothing twice", async () => {
        clock = Date.now();
        const original = delivery({ id: "0d3c9a2e-5b7f-4e21-9c4d-7a1b2c3d4e5f", triggeredAt: clock });
        const first = await post("/webhooks/lever", original, {}, lateApp);
        assert.equal(first.json.status, "accepted");
        clock += 3 * 3_600_000;
        const before = await inboxSnapshot();
        // The same request again (Lever's "Rerun"), and one carrying a fresh token and signature.
        const rerun = await post("/webhooks/lever", original, {}, lateApp);
        assert.equal(rerun.status, 200, JSON.stringify(rerun.json));
        assert.deepEqual(rerun.json, { status: "duplicate", eventId: first.json.eventId });
        const newToken = delivery({ id: original.id, triggeredAt: original.triggeredAt, data: original.data });
        assert.deepEqual((await post("/webhooks/lever", newToken, {}, lateApp)).json, { status: "duplicate", eventId: first.json.eventId });
        assert.equal(await inboxSnapshot(), before, "nothing stored twice, no job queued again");
        assert.equal(await stored(`id:${original.id}`), 1);
      });

      it("refuses an old delivery of an event never stored with 401 saying how to widen the window", async () => {
        clock = Date.now();
        const neverSeen = delivery({ triggeredAt: clock - 2 * 3_600_000 });
        const res = await expectRejected(
          "/webhooks/lever",
          neverSeen,
          401,
          "outside_replay_window",
          /FULCRUM_WEBHOOK_REPLAY_WINDOW to more than 7200 seconds/,
          {},
          lateApp,
        );
        assert.match(res.json.error!.message, /docs\/security\.md/);
      });

      it("refuses an old captured delivery whose data was changed to name another event: 401, nothing stored", async () => {
        clock = Date.now();
        const original = delivery({ triggeredAt: clock });
        assert.equal((await post("/webhooks/lever", original, {}, lateApp)).json.status, "accepted");
        clock += 3_600_000;
        const changed = { ...original, data: { ...(original.data as object), opportunityId: "opp-someone-else" } };
        await expectRejected("/webhooks/lever", changed, 401, "outside_replay_window", /outside the replay window/, {}, lateApp);
      });
    });

    describe("a signature token reused with another body (Lever signs only token and triggeredAt)", () => {
      it("answers the same delivery sent again, token and body unchanged, with 200 duplicate and stores nothing more", async () => {
        const body = delivery();
        const first = await post("/webhooks/lever", body);
        assert.equal(first.json.status, "accepted");
        const before = await inboxSnapshot();
        const again = await post("/webhooks/lever", body);
        assert.equal(again.status, 200);
        assert.deepEqual(again.json, { status: "duplicate", eventId: first.json.eventId });
        // Serialised another way (fields in another order, spaces): the same body.
        const reordered = Object.fromEntries(Object.entries(body).reverse());
        const again2 = await post("/webhooks/lever", JSON.stringify(reordered, null, 2));
        assert.deepEqual(again2.json, { status: "duplicate", eventId: first.json.eventId });
        assert.equal(await inboxSnapshot(), before);
      });

      it("refuses a captured delivery re-sent under its token with a new id, event or data: 401, counted, nothing stored", async () => {
        const captured = delivery();
        assert.equal((await post("/webhooks/lever", captured)).json.status, "accepted");
        const counted = await replaysRejected();
        const forgeries = [
          { ...captured, id: "0c8e4a52-1f7d-4c1e-9d0b-5a6f7e8d9c01" },
          { ...captured, event: "candidateHired" },
          { ...captured, data: { ...(captured.data as object), toStageId: "stage-offer" } },
        ];
        for (const forged of forgeries) {
          await expectRejected("/webhooks/lever", forged, 401, "signature_token_reused", /signature token was already used.*another body/);
        }
        assert.equal(await replaysRejected(), counted + 3);
      });

      it("remembers a test ping's token too: the same ping again is fine, the ping's token carrying data is refused", async () => {
        const ping = delivery({ data: {} });
        assert.equal((await post("/webhooks/lever", ping)).json.status, "ping");
        assert.equal((await post("/webhooks/lever", ping)).json.status, "ping", "Lever's test button pressed twice is no forgery");
        const before = await inboxSnapshot();
        const counted = await replaysRejected();
        const forged = { ...delivery(), token: ping.token, triggeredAt: ping.triggeredAt, signature: ping.signature };
        await expectRejected("/webhooks/lever", forged, 401, "signature_token_reused", /already used/);
        assert.equal(await replaysRejected(), counted + 1);
        assert.equal(await inboxSnapshot(), before);
      });

      it("refuses a reuse that moves the token's last digit into triggeredAt (the same signed text, so the same signature)", async () => {
        // Lever signs token + triggeredAt as one string: "…a0" + "1767…" is also "…a" + "01767…".
        const captured = delivery({ token: `${randomBytes(24).toString("hex")}0` });
        assert.equal((await post("/webhooks/lever", captured)).json.status, "accepted");
        const token = String(captured.token);
        const forged = {
          ...captured,
          token: token.slice(0, -1),
          triggeredAt: `0${captured.triggeredAt}`,
          data: { ...(captured.data as object), toStageId: "stage-offer" },
        };
        await expectRejected("/webhooks/lever", forged, 401, "signature_token_reused", /already used/);
      });

      it("remembers tokens in the database, so another process sharing it refuses the reuse too", async () => {
        const captured = delivery();
        assert.equal((await post("/webhooks/lever", captured)).json.status, "accepted");
        // A second server process: its own inbox and app over the same database.
        const otherInbox = createInbox({ db: t.db, queue, replayWindowSeconds: 600 });
        const other = createApp({ config, db: t.db, logger: silentLogger, queue, inbox: otherInbox, connections });
        await expectRejected(
          "/webhooks/lever",
          { ...captured, data: { ...(captured.data as object), opportunityId: "opp-forged" } },
          401,
          "signature_token_reused",
          /already used/,
          {},
          other,
        );
        assert.equal((await post("/webhooks/lever", captured, {}, other)).json.status, "duplicate");
      });

      it("stores exactly one of several deliveries that arrive at once under one token with different bodies", async () => {
        const token = randomBytes(24).toString("hex");
        const triggeredAt = Date.now();
        const bodies = Array.from({ length: 12 }, () => delivery({ token, triggeredAt }));
        const results = await Promise.all(bodies.map((b) => post("/webhooks/lever", b)));
        const outcomes = results.map((r) => `${r.status} ${r.json.status ?? r.json.error?.code}`).sort();
        assert.deepEqual(outcomes, ["200 accepted", ...Array(11).fill("401 signature_token_reused")]);
        const { rows } = await t.db.query<{ n: number }>("select count(*)::int as n from inbox_events where id = $1", [
          results.find((r) => r.status === 200)!.json.eventId,
        ]);
        assert.equal(rows[0]!.n, 1);
      });
    });

    describe("poison bodies: what the database cannot store is a 400 naming the field, never a 5xx", () => {
      it("refuses a signed delivery whose data holds a NUL character, names the field, logs no body content and keeps stored events intact", async () => {
        logLines = [];
        const stored = await storedPayloads();
        const body = delivery({ data: { opportunityId: "opp-nul", candidateId: "Ada\u0000Secretname", toStageId: "s-2" } });
        await expectRejected("/webhooks/lever", body, 400, "nul_character", /^data\.candidateId: contains the NUL character/);
        assert.doesNotMatch(logLines.join(""), /Secretname|opp-nul/);
        assert.equal(await storedPayloads(), stored);
      });

      it("refuses a NUL character in a field name too, naming the field", async () => {
        const body = delivery({ data: { opportunityId: "opp-1", toStageId: "s-2", extra: { "odd\u0000key": 1 } } });
        await expectRejected("/webhooks/lever", body, 400, "nul_character", /^data\.extra\["odd\\u0000key"\]: a field name contains the NUL character/);
      });

      it("refuses a signed delivery whose data holds a lone surrogate, naming the field", async () => {
        const stored = await storedPayloads();
        // JSON.stringify writes a lone surrogate as the escape \ud800, as a sender's JSON would.
        const body = delivery({ data: { opportunityId: "opp-1", toStageId: "s-2", notes: ["fine", "half \ud800 a pair"] } });
        await expectRejected("/webhooks/lever", JSON.stringify(body), 400, "lone_surrogate", /^data\.notes\[1\]: contains a lone UTF-16 surrogate/);
        assert.equal(await storedPayloads(), stored);
      });

      it("refuses a signed delivery nested 5,000 levels deep with 400 saying how deep is allowed", async () => {
        const stored = await storedPayloads();
        // Written as text: JSON.stringify itself would run out of stack on it.
        const deep = `${'{"d":'.repeat(5000)}"bottom"${"}".repeat(5000)}`;
        const body = JSON.stringify(delivery({ data: { opportunityId: "opp-1", toStageId: "s-2", deep: "DEEP" } })).replace('"DEEP"', deep);
        const res = await expectRejected("/webhooks/lever", body, 400, "nesting_too_deep", /nested deeper than 64 levels/, {}, roomyApp);
        assert.match(res.json.error!.message, /^data\.deep\.d\.d/);
        assert.equal(await storedPayloads(), stored);
      });

      it("refuses a signed triggeredAt beyond what a date can hold with 400, as a number or as digits", async () => {
        await expectRejected(
          "/webhooks/lever",
          delivery({ triggeredAt: 8.7e15 }),
          400,
          "envelope_invalid",
          /triggeredAt: must be milliseconds since 1970, at most 8640000000000000/,
        );
        await expectRejected("/webhooks/lever", delivery({ triggeredAt: "99999999999999999999" }), 400, "envelope_invalid", /triggeredAt/);
      });

      it("refuses an envelope id too long to index with 400 naming it", async () => {
        const id = randomBytes(6000).toString("base64");
        await expectRejected(
          "/webhooks/lever",
          delivery({ id }),
          400,
          "envelope_invalid",
          /^not a Lever webhook envelope: id: must be at most 200 characters/,
          {},
          roomyApp,
        );
      });

      it("answers a path naming no possible connection (a NUL in it) with 404, the connections looked up in the database", async () => {
        const registry = createConnectionRegistry({ db: t.db, config: { connections: [] }, secretKey: randomBytes(32), logger: silentLogger });
        const withRegistry = createApp({ config, db: t.db, logger: silentLogger, queue, inbox: createInbox({ db: t.db, queue }), connections: registry });
        for (const path of ["/webhooks/lever/bad%00name", "/webhooks/lever/%ED%A0%80", "/webhooks/lever/%FF", `/webhooks/lever/${"c".repeat(300)}`]) {
          await expectRejected(path, delivery(), 404, "connection_unknown", /no connection named/, {}, withRegistry);
        }
      });

      it("stores the good deliveries of a burst that carries a poison one, and refuses only that one", async () => {
        const good = Array.from({ length: 10 }, () => delivery());
        const poison = delivery({ data: { opportunityId: "opp-p", toStageId: "s-2", note: "\u0000" } });
        const results = await Promise.all([...good.slice(0, 5), poison, ...good.slice(5)].map((b) => post("/webhooks/lever", b)));
        assert.deepEqual(
          results.map((r) => r.status),
          [200, 200, 200, 200, 200, 400, 200, 200, 200, 200, 200],
        );
      });
    });

    it("never writes a body's contents to the log, whatever the outcome", async () => {
      logLines = [];
      await post("/webhooks/lever", delivery({ data: { opportunityId: "opp-private-42", toStageId: "s-9" } }));
      await post("/webhooks/lever", delivery({ data: { opportunityId: "opp-private-43", toStageId: "s-9" } }, "wrong-token"));
      await post("/webhooks/lever", '{"event": "opp-private-44"');
      const logs = logLines.join("");
      assert.match(logs, /webhook stored/);
      assert.match(logs, /webhook refused/);
      assert.doesNotMatch(logs, /opp-private/);
    });

    it("serves health, readiness and Prometheus metrics with webhook outcomes and queue depth", async () => {
      assert.equal((await app.request("/healthz")).status, 200);
      const ready = await app.request("/readyz");
      assert.equal(ready.status, 200);
      assert.deepEqual(((await ready.json()) as { checks: unknown }).checks, { database: "ok", queue: "ok" });
      const metrics = await (await app.request("/metrics")).text();
      assert.match(metrics, /fulcrum_webhooks_total\{source="lever",event="candidateStageChange",outcome="accepted"\} \d+/);
      assert.match(metrics, /fulcrum_webhooks_total\{[^}]*outcome="rejected_signature_invalid"\} \d+/);
      assert.match(metrics, /fulcrum_queue_depth\{queue="inbox.process"\} [1-9]\d*/);
    });

    it("answers an unknown path with a JSON 404", async () => {
      const res = await app.request("/nope");
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "not_found");
    });
  });
}
