import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Hono } from "hono";
import { loadConfig } from "../../config/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createJobQueue, type JobQueue } from "../../engine/queue/index.ts";
import { createInbox } from "../../engine/inbox/index.ts";
import { createConnectionRegistry } from "../../engine/connections/index.ts";
import { createMemoryConnectionDirectory } from "../../engine/sources/index.ts";
import { createApp } from "../app.ts";

const SECRET = "tool-webhooks-secret-0123456789";

/** `X-Fulcrum-Signature` for `raw`, as a tool signs it. */
function sign(raw: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac("sha256", SECRET).update(`${t}.${raw}`).digest("hex")}`;
}

for (const engine of await testEngines()) {
  describe(`webhooks from other hiring tools on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let queue: JobQueue;
    let app: Hono;
    const config = loadConfig({ FULCRUM_WEBHOOK_MAX_BYTES: String(1024 * 1024) });

    before(async () => {
      process.env.FULCRUM_TOOL_SECRET_QUIZZES = SECRET;
      t = await openTestDatabase(engine.kind);
      queue = createJobQueue({ db: t.db });
      await queue.start();
      const inbox = createInbox({ db: t.db, queue });
      await inbox.start();
      app = createApp({ config, db: t.db, logger: silentLogger, queue, inbox, connections: createMemoryConnectionDirectory({ default: {} }) });
    });
    after(async () => {
      delete process.env.FULCRUM_TOOL_SECRET_QUIZZES;
      await queue?.stop({ graceful: false, timeoutMs: 1000 });
      await t?.drop();
    });

    /** POSTs the raw JSON text, correctly signed. */
    async function post(raw: string, path = "/webhooks/tools/quizzes", via: Hono = app) {
      const res = await via.request(path, { method: "POST", headers: { "content-type": "application/json", "x-fulcrum-signature": sign(raw) }, body: raw });
      return { status: res.status, json: (await res.json()) as { status?: string; eventId?: number; error?: { code: string; message: string } } };
    }

    /** Every stored event, to show that a refused delivery damaged none. */
    async function stored(): Promise<string> {
      const { rows } = await t.db.query("select id, dedupe_key, payload, status from inbox_events order by id");
      return JSON.stringify(rows);
    }

    async function expectRefused(raw: string, status: number, code: string, message: RegExp, path?: string, via?: Hono) {
      const before = await stored();
      const res = await post(raw, path, via);
      assert.equal(res.status, status, JSON.stringify(res.json));
      assert.equal(res.json.error?.code, code);
      assert.match(res.json.error?.message ?? "", message);
      assert.equal(await stored(), before, "a refused delivery must leave the inbox as it was");
    }

    const result = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({ event: "quiz.completed", id: `r-${randomBytes(4).toString("hex")}`, result: { score: 7 }, ...extra });

    it("stores a signed result, and the same delivery again as a duplicate", async () => {
      const raw = result();
      const first = await post(raw);
      assert.equal(first.json.status, "accepted");
      assert.deepEqual((await post(raw)).json, { status: "duplicate", eventId: first.json.eventId });
    });

    it("refuses a signed body holding a NUL character with 400 naming the field", async () => {
      await expectRefused(result({ candidate: { name: "Ada\u0000Lovelace" } }), 400, "nul_character", /^candidate\.name: contains the NUL character/);
    });

    it("refuses a signed body holding a lone surrogate with 400 naming the field", async () => {
      await expectRefused(
        result({ result: { comments: ["ok", "\ud800"] } }),
        400,
        "lone_surrogate",
        /^result\.comments\[1\]: contains a lone UTF-16 surrogate/,
      );
    });

    it("refuses a signed body nested 5,000 levels deep with 400", async () => {
      const raw = result({ result: "DEEP" }).replace('"DEEP"', `${"[".repeat(5000)}${"]".repeat(5000)}`);
      await expectRefused(raw, 400, "nesting_too_deep", /^result\[0\]\[0\]\[0\]\[0\].*nested deeper than 64 levels/);
    });

    it("refuses a triggeredAt no date can hold with 400 instead of failing on it", async () => {
      await expectRefused(result({ triggeredAt: 8.7e15 }), 400, "malformed_event", /^triggeredAt: must be milliseconds since 1970/);
      // A Date holds these, PostgreSQL cannot read them back as the ISO text they become.
      for (const t of [1e15, 2.6e14, -6.3e13])
        await expectRefused(result({ triggeredAt: t }), 400, "time_out_of_range", /^triggeredAt: not a time between the years 1 and 9999/);
    });

    it("stores an id longer than 200 characters cut without splitting a character in two", async () => {
      // 199 letters, then an emoji (two UTF-16 units) across the cut at 200.
      const id = `${"i".repeat(199)}😀-and-more`;
      const res = await post(result({ id }));
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const { rows } = await t.db.query<{ dedupe_key: string }>("select dedupe_key from inbox_events where id = $1", [res.json.eventId]);
      assert.equal(rows[0]!.dedupe_key, `${"i".repeat(199)}\ufffd`);
    });

    it("answers a path naming no possible connection (a NUL in it) with 404, the connections looked up in the database", async () => {
      const registry = createConnectionRegistry({ db: t.db, config: { connections: [] }, secretKey: randomBytes(32), logger: silentLogger });
      const withRegistry = createApp({ config, db: t.db, logger: silentLogger, queue, inbox: createInbox({ db: t.db, queue }), connections: registry });
      await expectRefused(result(), 404, "connection_unknown", /no connection named/, "/webhooks/tools/quizzes/bad%00name", withRegistry);
    });

    /** The app with the quizzes tool signing by `signature` instead of Fulcrum's own scheme. */
    const appSigningBy = (signature: NonNullable<NonNullable<typeof config.tools>[string]["signature"]>) =>
      createApp({
        config: { ...config, tools: { quizzes: { pseudonyms: "none", signature } } },
        db: t.db,
        logger: silentLogger,
        queue,
        inbox: createInbox({ db: t.db, queue }),
        connections: createMemoryConnectionDirectory({ default: {} }),
      });

    describe("a tool that signs by its own scheme (tools.<id>.signature)", () => {
      const github = { header: "X-Hub-Signature-256", algorithm: "sha256", encoding: "hex", prefix: "sha256=", signs: "body" } as const;
      let own: Hono;
      before(() => {
        own = appSigningBy(github);
      });
      const deliver = async (raw: string, headers: Record<string, string>) => {
        const res = await own.request("/webhooks/tools/quizzes", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: raw });
        return { status: res.status, json: (await res.json()) as { status?: string; error?: { code: string; message: string } } };
      };

      it("stores a delivery signed GitHub-style (`X-Hub-Signature-256: sha256=<hex>` of the raw body)", async () => {
        const raw = result();
        const res = await deliver(raw, { "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(raw).digest("hex")}` });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.equal(res.json.status, "accepted");
      });

      it("refuses Fulcrum's own header for it, saying which header is missing, and stores nothing", async () => {
        const before = await stored();
        const raw = result();
        const res = await deliver(raw, { "x-fulcrum-signature": sign(raw) });
        assert.equal(res.status, 401);
        assert.deepEqual(res.json.error, { code: "signature_invalid", message: "the X-Hub-Signature-256 header is missing" });
        assert.equal(await stored(), before);
      });
    });

    describe("a tool that signs by the Standard Webhooks scheme", () => {
      let own: Hono;
      before(() => {
        own = appSigningBy({ scheme: "standard-webhooks" });
      });
      const deliver = async (id: string, raw: string) => {
        const ts = String(Math.floor(Date.now() / 1000));
        const signature = createHmac("sha256", SECRET).update(`${id}.${ts}.${raw}`).digest("base64");
        const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${signature}` };
        const res = await own.request("/webhooks/tools/quizzes", { method: "POST", headers, body: raw });
        return { status: res.status, json: (await res.json()) as { status?: string; eventId?: number } };
      };

      it("takes a retry with the same webhook-id for a duplicate when the body carries no id of its own", async () => {
        const id = `msg_${randomBytes(6).toString("hex")}`;
        const first = await deliver(id, JSON.stringify({ event: "quiz.completed", result: { score: 7 }, attempt: 1 }));
        assert.equal(first.json.status, "accepted", JSON.stringify(first.json));
        // The spec keeps the id across retries; a platform may change other parts of the body.
        const retry = await deliver(id, JSON.stringify({ event: "quiz.completed", result: { score: 7 }, attempt: 2 }));
        assert.deepEqual(retry.json, { status: "duplicate", eventId: first.json.eventId });
        const other = await deliver(`msg_${randomBytes(6).toString("hex")}`, JSON.stringify({ event: "quiz.completed", result: { score: 7 }, attempt: 1 }));
        assert.equal(other.json.status, "accepted");
      });
    });

    it("refuses an unsigned delivery under Fulcrum's scheme, saying the header is missing", async () => {
      const res = await app.request("/webhooks/tools/quizzes", { method: "POST", headers: { "content-type": "application/json" }, body: result() });
      assert.equal(res.status, 401);
      assert.deepEqual(((await res.json()) as { error: unknown }).error, { code: "signature_invalid", message: "the X-Fulcrum-Signature header is missing" });
    });
  });
}
