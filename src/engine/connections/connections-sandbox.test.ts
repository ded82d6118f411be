/**
 * The registry, `webhooks install` and `doctor` against the Lever sandbox (Lever's stand-in), on
 * both database engines.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { leverEventNames } from "../../config/index.ts";
import { verifyLeverSignature } from "../../lever/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { sandboxPermissions, startSandbox, type Sandbox } from "../../sandbox/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { createConnectionRegistry, type ConnectionRegistry, type DoctorRow } from "./index.ts";

const row = (rows: DoctorRow[], check: string) => {
  const found = rows.find((r) => r.check === check);
  assert.ok(found, `no doctor row "${check}" in ${rows.map((r) => r.check).join(", ")}`);
  return found;
};

for (const engine of await testEngines()) {
  describe(`connections against the Lever sandbox on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let sandbox: Sandbox;
    let registry: ConnectionRegistry;
    let health: Server;
    let healthUrl = "";
    const secretKey = randomBytes(32);
    const email = (name: string) => `${name.toLowerCase().replace(" ", ".")}@northwind-demo.example`;

    before(async () => {
      [t, sandbox] = await Promise.all([openTestDatabase(engine.kind), startSandbox({ port: 0, seed: 7, candidates: 4, rateLimit: false })]);
      // The sandbox listens on loopback over http: allowed explicitly, as FULCRUM_LEVER_ALLOWED_HOSTS would.
      registry = createConnectionRegistry({ db: t.db, config: { connections: [], leverAllowedHosts: [sandbox.url] }, secretKey, logger: silentLogger });
      // Stands in for this server's /healthz as seen through FULCRUM_PUBLIC_URL.
      health = createServer((req, res) => {
        // Like Fulcrum: /healthz answers, an unsigned delivery to a known connection is refused.
        res.statusCode = req.url === "/healthz" ? 200 : req.method === "POST" && req.url === "/webhooks/lever/nw" ? 401 : 404;
        res.end("ok");
      });
      await new Promise<void>((r) => health.listen(0, "127.0.0.1", r));
      healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
    });
    after(async () => {
      health?.close();
      await sandbox?.close();
      await t?.drop();
    });

    it("resolves the perform-as e-mail to a Lever user id and writes under it", async () => {
      await registry.add({ id: "nw", environment: "custom", baseUrl: sandbox.url, apiKey: sandbox.apiKey, performAs: email("Priya Raman") });
      const resolved = await registry.resolvePerformAs("nw");
      assert.deepEqual(resolved, { userId: sandbox.demo!.userIdsByName.get("Priya Raman"), via: "primary" });
      const lever = await registry.client("nw");
      const opp = [...sandbox.state.opportunities.values()][0]!;
      const note = await lever.addNote(opp.id, { value: "Checked by the registry test" }, { key: "registry-test-note-1" });
      assert.ok(note.id);
      assert.equal(sandbox.state.notes.get(note.id)?.user, resolved!.userId);
    });

    it("falls back to the fallback user when the perform-as user is deactivated, and says so when neither works", async () => {
      await registry.add({
        id: "nw2",
        environment: "custom",
        baseUrl: sandbox.url,
        apiKey: sandbox.apiKey,
        performAs: email("Alex Former"),
        performAsFallback: email("Marcus Lee"),
      });
      assert.deepEqual(await registry.resolvePerformAs("nw2"), { userId: sandbox.demo!.userIdsByName.get("Marcus Lee"), via: "fallback" });
      await registry.add({ id: "nw3", environment: "custom", baseUrl: sandbox.url, apiKey: sandbox.apiKey, performAs: "nobody@northwind-demo.example" });
      await assert.rejects(registry.resolvePerformAs("nw3"), /nobody@northwind-demo.example is not a Lever user.*LEVER_PERFORM_AS/);
    });

    it("with a key that may not list users, explains the e-mail cannot be resolved and accepts a user id as given", async () => {
      const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => p !== "Find all users") });
      await registry.add({ id: "nousers", environment: "custom", baseUrl: sandbox.url, apiKey: key, performAs: email("Priya Raman") });
      await assert.rejects(registry.resolvePerformAs("nousers"), /lacks the permission to list users \("Find all users"\).*user id instead/);
      const priya = sandbox.demo!.userIdsByName.get("Priya Raman")!;
      await registry.add({ id: "nousers", environment: "custom", baseUrl: sandbox.url, apiKey: key, performAs: priya }, { replace: true });
      assert.deepEqual(await registry.resolvePerformAs("nousers"), { userId: priya, via: "primary" });
    });

    it("caches the resolved perform-as user instead of asking Lever on every client", async () => {
      const before = sandbox.state.users.size;
      const first = await registry.resolvePerformAs("nw");
      // Even if the user disappeared from Lever, the cached id holds until its time is up.
      const id = first!.userId;
      const user = sandbox.state.users.get(id)!;
      sandbox.state.users.delete(id);
      try {
        assert.deepEqual(await registry.resolvePerformAs("nw"), first);
        await assert.rejects(registry.resolvePerformAs("nw", { force: true }), /not a Lever user/);
      } finally {
        sandbox.state.users.set(id, user);
      }
      assert.equal(sandbox.state.users.size, before);
      await registry.resolvePerformAs("nw", { force: true });
    });

    it("installs a subscription per event, storing tokens that verify the sandbox's signed deliveries", async () => {
      const result = await registry.installWebhooks("nw", "https://fulcrum.example.com");
      assert.equal(result.url, "https://fulcrum.example.com/webhooks/lever/nw");
      assert.deepEqual(
        result.rows.map((r) => r.event),
        [...leverEventNames],
      );
      assert.ok(
        result.rows.every((r) => r.action === "created"),
        JSON.stringify(result.rows),
      );
      assert.match(result.notes[0]!, /Super Admin/);
      const hooks = [...sandbox.state.apiWebhooks.values()].filter((w) => w.url === result.url);
      assert.equal(hooks.length, leverEventNames.length);
      // A delivery body as Lever signs it, with the token Lever returned at creation.
      const hook = hooks.find((w) => w.event === "candidateStageChange")! as { signatureToken?: string; configuration?: { signatureToken?: string } };
      const lever = hook.signatureToken ?? hook.configuration?.signatureToken;
      assert.ok(lever, "the sandbox keeps the token it issued");
      const { createHmac } = await import("node:crypto");
      const body = { token: "abc", triggeredAt: 1767283200000, signature: "" };
      body.signature = createHmac("sha256", lever).update(`${body.token}${body.triggeredAt}`).digest("hex");
      const tokens = await registry.signatureTokens("nw", "candidateStageChange");
      assert.ok(tokens.some((tk) => verifyLeverSignature(body, tk)));
    });

    it("keeps existing subscriptions on a second install and recreates one whose token was lost", async () => {
      const again = await registry.installWebhooks("nw", "https://fulcrum.example.com");
      assert.ok(again.rows.every((r) => r.action === "kept"));
      const lost = again.rows.find((r) => r.event === "candidateHired")!;
      await registry.removeWebhookToken("nw", lost.webhookId!);
      const third = await registry.installWebhooks("nw", "https://fulcrum.example.com");
      const hired = third.rows.find((r) => r.event === "candidateHired")!;
      assert.equal(hired.action, "recreated");
      assert.match(hired.detail, /no stored token.*deleted and created again/);
      assert.notEqual(hired.webhookId, lost.webhookId);
      assert.ok(!sandbox.state.apiWebhooks.has(lost.webhookId!));
      assert.equal([...sandbox.state.apiWebhooks.values()].filter((w) => w.url === third.url).length, leverEventNames.length);
      const listed = await registry.listWebhooks("nw");
      assert.ok(listed.filter((w) => w.origin === "api").every((w) => w.tokenStored));
    });

    it("doctor passes every endpoint with a full key, checks perform-as and webhooks, and reaches /healthz", async () => {
      const rows = await registry.doctor("nw", { publicUrl: healthUrl, allowHosts: ["127.0.0.1"] });
      const failed = rows.filter((r) => r.status === "fail");
      assert.deepEqual(failed, []);
      assert.equal(row(rows, "credentials").status, "ok");
      assert.equal(row(rows, "GET /stages").status, "ok");
      assert.equal(row(rows, "GET /opportunities/:opportunity/notes").status, "ok");
      assert.match(row(rows, "POST /opportunities/:opportunity/notes").detail, /nothing written/);
      assert.match(row(rows, "perform-as user").detail, /active, role team member/);
      assert.equal(row(rows, "webhook events").status, "ok");
      assert.equal(row(rows, "public URL /healthz").status, "ok");
      assert.match(row(rows, "public URL webhook route").detail, /refused with 401, as it should be/);
      const other = await registry.doctor("nw2", { publicUrl: healthUrl, allowHosts: ["127.0.0.1"] });
      assert.equal(row(other, "public URL webhook route").status, "fail");
      assert.match(row(other, "public URL webhook route").detail, /does not know connection "nw2"/);
    });

    it("doctor names the missing API-key permission as Lever's settings page words it", async () => {
      const notesBefore = sandbox.state.notes.size;
      const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => p !== "Create an opportunity note" && p !== "Find all stages") });
      await registry.add({ id: "limited", environment: "custom", baseUrl: sandbox.url, apiKey: key, performAs: email("Priya Raman") });
      const rows = await registry.doctor("limited");
      const note = row(rows, "POST /opportunities/:opportunity/notes");
      assert.equal(note.status, "fail");
      assert.match(note.fix!, /Add the API-key permission "Create an opportunity note"/);
      const stages = row(rows, "GET /stages");
      assert.equal(stages.status, "fail");
      assert.match(stages.fix!, /"Find all stages"/);
      assert.equal(row(rows, "GET /postings").status, "ok");
      assert.equal(row(rows, "public URL").status, "skip");
      assert.match(row(rows, "webhook events").detail, /no subscription or token for: applicationCreated/);
      // The write probes aimed at an opportunity that does not exist: nothing was written.
      assert.ok(![...sandbox.state.notes.values()].some((n) => n.opportunityId === "00000000-0000-4000-8000-00000000d0c7"));
      assert.equal(sandbox.state.notes.size, notesBefore);
    });

    it("doctor reports refused credentials and an unsafe public URL with their fixes", async () => {
      await registry.add({ id: "badkey", environment: "custom", baseUrl: sandbox.url, apiKey: "not-a-key" });
      const rows = await registry.doctor("badkey", { publicUrl: "http://127.0.0.1:9" });
      assert.equal(row(rows, "credentials").status, "fail");
      assert.match(row(rows, "credentials").fix!, /Replace the API key/);
      const pub = row(rows, "public URL");
      assert.equal(pub.status, "fail");
      assert.match(pub.detail, /not https/);
      const local = await registry.doctor("badkey", { publicUrl: "https://localhost:9" });
      assert.match(row(local, "public URL").detail, /resolves to a private address/);
    });

    it("refuses to add a connection whose base URL is on a host nobody allowed, and doctor sends that host no key", async () => {
      // A listener standing in for whatever an attacker points the base URL at.
      const seen: string[] = [];
      const listener = createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
        res.end("{}");
      });
      await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
      const listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
      try {
        await assert.rejects(
          registry.add({ id: "rogue", environment: "production", baseUrl: `${listenerUrl}/v1`, apiKey: sandbox.apiKey }),
          /connection "rogue": http:\/\/127\.0\.0\.1:\d+ is not https\. .*FULCRUM_LEVER_ALLOWED_HOSTS/,
        );
        assert.equal(await registry.exists("rogue"), false);
        // Stored by a deployment that allowed the host then (or by hand in the database), doctored by one that does not.
        const earlier = createConnectionRegistry({ db: t.db, config: { connections: [], leverAllowedHosts: [listenerUrl] }, secretKey, logger: silentLogger });
        await earlier.add({ id: "rogue", environment: "custom", baseUrl: `${listenerUrl}/v1`, apiKey: sandbox.apiKey });
        const rows = await registry.doctor("rogue");
        assert.equal(row(rows, "base URL").status, "fail");
        assert.match(row(rows, "base URL").detail, /is not https; nothing was sent to it/);
        assert.match(row(rows, "base URL").fix!, /FULCRUM_LEVER_ALLOWED_HOSTS/);
        await assert.rejects(registry.client("rogue"), /is not https/);
        await assert.rejects(registry.accountApi("rogue"), /is not https/);
        assert.deepEqual(seen, [], "the listener got no request");
      } finally {
        listener.close();
        await registry.remove("rogue");
      }
    });

    it("removes only the subscriptions Fulcrum made, with their tokens", async () => {
      const foreign = await (await registry.accountApi("nw")).createWebhook(
        { url: "https://other-integration.example/hook", event: "candidateHired" },
        { key: "foreign-hook" },
      );
      const removed = await registry.removeWebhooks("nw");
      assert.equal(removed.length, leverEventNames.length);
      assert.ok(sandbox.state.apiWebhooks.has(foreign.id), "another integration's webhook is left alone");
      assert.deepEqual((await registry.get("nw"))!.webhookTokens, []);
    });
  });
}
