import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { leverWebhookDataSchemas, leverWebhookSchema, verifyLeverSignature } from "../lever/index.ts";
import { startSandbox, type Sandbox } from "./index.ts";

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  raw: string;
}

/** A receiver whose answer per path can be scripted (status codes in order, then 200). */
async function receiver(): Promise<{ url: string; received: Received[]; script: Map<string, number[]>; server: Server }> {
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: JSON.parse(raw), raw });
      const status = script.get(path)?.shift() ?? 200;
      res.statusCode = status;
      if (status >= 300 && status < 400) res.setHeader("location", "https://elsewhere.example.org/");
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, script, server };
}

describe("Lever sandbox webhooks", () => {
  let sandbox: Sandbox;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let tokens: Record<string, string>;

  before(async () => {
    [sandbox, hook] = await Promise.all([
      startSandbox({ seed: 5, candidates: 12, rateLimit: false, webhookRetryDelaysMs: [5, 10, 15, 20, 25], allowHttpLoopbackWebhooks: true }),
      receiver(),
    ]);
    tokens = sandbox.subscribeAllWebhooks(`${hook.url}/settings`);
  });
  after(async () => {
    await sandbox.close();
    hook.server.close();
  });
  beforeEach(() => {
    hook.received.length = 0;
  });

  const opportunity = () => [...sandbox.state.opportunities.values()].find((o) => o.archived === null && o.applications.length === 1 && o.deletedAt === null)!;

  it("gives each settings-page event its own signature token", () => {
    const values = Object.values(tokens);
    assert.equal(values.length, 10);
    assert.equal(new Set(values).size, 10);
    for (const t of values) assert.match(t, /^[0-9a-f]{48}$/);
    assert.equal(sandbox.subscribeWebhook("candidateStageChange", `${hook.url}/settings`), tokens.candidateStageChange, "re-subscribing keeps the token");
  });

  it("delivers a signed candidateStageChange whose signature verifies with HMAC-SHA256(token + triggeredAt)", async () => {
    const opp = opportunity();
    const to = sandbox.state.stages.find((s) => s.text === "Reference Check")!.id;
    const from = opp.stage;
    sandbox.actions.moveStage(opp.id, to);
    await sandbox.deliveriesSettled();
    assert.equal(hook.received.length, 1);
    const { body, headers } = hook.received[0]!;
    assert.equal(headers["user-agent"], "Lever-Webhooks");
    assert.equal(headers["content-type"], "application/json");
    assert.deepEqual(Object.keys(body).sort(), ["data", "event", "id", "signature", "token", "triggeredAt"]);
    assert.match(body.token, /^[0-9a-f]{48}$/);
    const expected = createHmac("sha256", tokens.candidateStageChange!).update(`${body.token}${body.triggeredAt}`).digest("hex");
    assert.equal(body.signature, expected);
    assert.ok(verifyLeverSignature(body, tokens.candidateStageChange!));
    assert.ok(!verifyLeverSignature(body, tokens.candidateHired!), "another event's token must not verify");
    leverWebhookSchema.parse(body);
    leverWebhookDataSchemas.candidateStageChange.parse(body.data);
    assert.deepEqual(body.data, { opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact, fromStageId: from, toStageId: to });
  });

  it("fires candidateArchiveChange and candidateHired when archived with the Hired reason, and archive change on unarchive", async () => {
    const opp = opportunity();
    sandbox.actions.hire(opp.id);
    await sandbox.deliveriesSettled();
    const events = hook.received.map((r) => r.body.event);
    assert.deepEqual(events.sort(), ["candidateArchiveChange", "candidateHired"]);
    const archive = hook.received.find((r) => r.body.event === "candidateArchiveChange")!.body;
    assert.equal(archive.data.fromArchived, null);
    assert.equal(archive.data.toArchived.reason, sandbox.state.archiveReasons.find((r) => r.type === "hired")!.id);
    leverWebhookDataSchemas.candidateArchiveChange.parse(archive.data);
    for (const r of hook.received) assert.ok(verifyLeverSignature(r.body, tokens[r.body.event]!));
    hook.received.length = 0;
    sandbox.triggerArchive(opp.id, null);
    await sandbox.deliveriesSettled();
    assert.equal(hook.received.length, 1);
    assert.equal(hook.received[0]!.body.data.toArchived, null);
    assert.ok(hook.received[0]!.body.data.fromArchived);
  });

  it("fires applicationCreated and contactCreated for a new applicant, and only applicationCreated for a returning one", async () => {
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published")!;
    const { applicationId, opportunityId } = sandbox.actions.applyToPosting(posting.id, { name: "Webhook Applicant", email: "wh.applicant@example.org" });
    await sandbox.deliveriesSettled();
    const created = hook.received.find((r) => r.body.event === "applicationCreated")!.body;
    assert.equal(created.data.applicationId, applicationId);
    assert.equal(created.data.opportunityId, opportunityId);
    leverWebhookDataSchemas.applicationCreated.parse(created.data);
    assert.ok(hook.received.some((r) => r.body.event === "contactCreated"));
    hook.received.length = 0;
    sandbox.actions.applyToPosting(posting.id, { name: "Webhook Applicant", email: "wh.applicant@example.org" });
    await sandbox.deliveriesSettled();
    assert.deepEqual(
      hook.received.map((r) => r.body.event),
      ["applicationCreated"],
    );
  });

  it("fires interview events for API panel changes through the HTTP API, and candidateDeleted and contactUpdated", async () => {
    const opp = opportunity();
    const admin = [...sandbox.state.users.values()].find((u) => u.accessRole === "super admin")!.id;
    const auth = { authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString("base64")}`, "content-type": "application/json" };
    const res = await fetch(`${sandbox.url}/opportunities/${opp.id}/panels?perform_as=${admin}`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ timezone: "UTC", interviews: [{ interviewers: [{ id: admin }], date: Date.UTC(2027, 2, 1), duration: 30 }] }),
    });
    const panel = ((await res.json()) as { data: { id: string; interviews: { id: string }[] } }).data;
    await fetch(`${sandbox.url}/opportunities/${opp.id}/panels/${panel.id}?perform_as=${admin}`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({
        timezone: "UTC",
        interviews: [{ id: panel.interviews[0]!.id, interviewers: [{ id: admin }], date: Date.UTC(2027, 2, 2), duration: 45 }],
      }),
    });
    await fetch(`${sandbox.url}/opportunities/${opp.id}/panels/${panel.id}?perform_as=${admin}`, { method: "DELETE", headers: auth });
    sandbox.actions.updateContact(opp.contact, { headline: "Changed" });
    sandbox.actions.deleteOpportunity(opp.id, admin);
    await sandbox.deliveriesSettled();
    const byEvent = (e: string) => hook.received.filter((r) => r.body.event === e).map((r) => r.body.data);
    assert.deepEqual(byEvent("interviewCreated"), [{ interviewId: panel.interviews[0]!.id, panelId: panel.id, opportunityId: opp.id, contactId: opp.contact }]);
    assert.deepEqual(
      byEvent("interviewUpdated").map((d) => d.interviewId),
      [panel.interviews[0]!.id],
    );
    assert.equal(byEvent("interviewDeleted").length, 1);
    assert.deepEqual(byEvent("contactUpdated"), [{ contactId: opp.contact }]);
    assert.deepEqual(byEvent("candidateDeleted"), [{ opportunityId: opp.id, candidateId: opp.id, contactId: opp.contact, deletedBy: admin }]);
    assert.equal((await fetch(`${sandbox.url}/opportunities/${opp.id}`, { headers: auth })).status, 404);
  });

  it("retries a failed delivery up to five more times, counting 3xx and 5xx as failures, with the same envelope", async () => {
    hook.script.set("/settings", [500, 302, 404, 503]);
    const opp = opportunity();
    sandbox.actions.addNote(opp.id, { value: "no event for notes" }, null, null);
    sandbox.actions.moveStage(opp.id, "offer");
    await sandbox.deliveriesSettled();
    const attempts = sandbox.deliveries.filter((d) => d.event === "candidateStageChange" && d.eventId === hook.received[0]!.body.id);
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.status, a.ok]),
      [
        [1, 500, false],
        [2, 302, false],
        [3, 404, false],
        [4, 503, false],
        [5, 200, true],
      ],
    );
    assert.equal(hook.received.length, 5);
    assert.ok(
      hook.received.every((r) => r.raw === hook.received[0]!.raw),
      "retries resend the same body",
    );
  });

  it("gives up after the first try and five retries", async () => {
    hook.script.set("/settings", [500, 500, 500, 500, 500, 500, 500]);
    sandbox.actions.moveStage(opportunity().id, "applicant-new");
    await sandbox.deliveriesSettled();
    assert.equal(hook.received.length, 6);
    hook.script.delete("/settings");
  });

  it("records network errors as failed attempts", async () => {
    const s = await startSandbox({ seed: 6, demo: false, webhookRetryDelaysMs: [1] });
    try {
      s.subscribeWebhook("contactCreated", "http://127.0.0.1:9/unreachable");
      s.actions.createOpportunity({ name: "Net Error", emails: ["net@example.org"] }, [...s.state.users.keys()][0]!);
      await s.deliveriesSettled();
      assert.equal(s.deliveries.length, 2);
      assert.ok(s.deliveries.every((d) => !d.ok && d.error !== null && d.status === null));
    } finally {
      await s.close();
    }
  });

  it("stamps records and triggeredAt with the sandbox's clock", async () => {
    const s = await startSandbox({ seed: 6, demo: false, now: () => 1767268800123 });
    try {
      const { opportunity } = s.actions.createOpportunity({ name: "Clocked", emails: ["clock@example.org"] }, [...s.state.users.keys()][0]!);
      assert.equal(opportunity.createdAt, 1767268800123);
      assert.equal(s.events[0]!.triggeredAt, 1767268800123);
    } finally {
      await s.close();
    }
  });

  it("signs API webhooks with their own token and honours origin conditions", async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString("base64")}`, "content-type": "application/json" };
    const create = async (origins: string[]) =>
      (
        (await (
          await fetch(`${sandbox.url}/webhooks`, {
            method: "POST",
            headers: auth,
            body: JSON.stringify({ url: `${hook.url}/api/${origins.join("-")}`, event: "applicationCreated", configuration: { conditions: { origins } } }),
          })
        ).json()) as { data: { id: string; configuration: { signatureToken: string } } }
      ).data;
    const applied = await create(["applied"]);
    const referred = await create(["referred"]);
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published")!;
    sandbox.actions.applyToPosting(posting.id, { name: "Api Hook", email: "api.hook@example.org" });
    await sandbox.deliveriesSettled();
    const apiDeliveries = hook.received.filter((r) => r.path.startsWith("/api/"));
    assert.deepEqual(
      apiDeliveries.map((r) => r.path),
      ["/api/applied"],
    );
    assert.ok(verifyLeverSignature(apiDeliveries[0]!.body, applied.configuration.signatureToken));
    assert.ok(!verifyLeverSignature(apiDeliveries[0]!.body, referred.configuration.signatureToken));
    assert.ok(!verifyLeverSignature(apiDeliveries[0]!.body, tokens.applicationCreated!));
    const settings = hook.received.find((r) => r.path === "/settings" && r.body.event === "applicationCreated")!;
    assert.equal(settings.body.id, apiDeliveries[0]!.body.id, "one event, one id, across subscriptions");
    assert.notEqual(settings.body.token, apiDeliveries[0]!.body.token);
  });

  it("sends the settings page's test ping with empty data", async () => {
    const attempt = await sandbox.pingWebhook("candidateHired");
    assert.ok(attempt?.ok);
    const ping = hook.received.at(-1)!.body;
    assert.deepEqual(ping.data, {});
    assert.ok(verifyLeverSignature(ping, tokens.candidateHired!));
  });

  it("reruns a delivery from the history as Lever's settings page does: the same body, so the original triggeredAt, once", async () => {
    sandbox.actions.moveStage(opportunity().id, "applicant-new");
    await sandbox.deliveriesSettled();
    const original = sandbox.deliveries.filter((d) => d.event === "candidateStageChange" && d.ok).at(-1)!;
    const rerun = await sandbox.rerunDelivery(original.deliveryId);
    assert.ok(rerun?.ok);
    assert.equal(rerun.rerun, true);
    assert.equal(rerun.body, original.body);
    const received = hook.received.filter((r) => r.raw === original.body);
    assert.equal(received.length, 2, "the first delivery and its rerun");
    assert.equal(JSON.parse(rerun.body).triggeredAt, JSON.parse(original.body).triggeredAt);
    assert.equal(await sandbox.rerunDelivery("no-such-delivery"), null);
  });

  it("cannot rerun a delivery older than the two weeks the settings page keeps", async () => {
    let clock = Date.UTC(2026, 5, 1);
    const s = await startSandbox({ seed: 6, demo: false, now: () => clock });
    try {
      s.subscribeWebhook("contactCreated", `${hook.url}/history`);
      s.actions.createOpportunity({ name: "Old Delivery", emails: ["old.delivery@example.org"] }, [...s.state.users.keys()][0]!);
      await s.deliveriesSettled();
      const original = s.deliveries.at(-1)!;
      clock += 13 * 24 * 3_600_000;
      assert.ok((await s.rerunDelivery(original.deliveryId))?.ok);
      clock += 2 * 24 * 3_600_000;
      assert.equal(await s.rerunDelivery(original.deliveryId), null);
    } finally {
      await s.close();
    }
  });

  it("keeps firing events with nobody subscribed, recording them for assertions", async () => {
    sandbox.unsubscribeWebhook("candidateStageChange");
    const before = sandbox.events.length;
    sandbox.actions.moveStage(opportunity().id, "lead-new");
    await sandbox.deliveriesSettled();
    assert.equal(hook.received.filter((r) => r.body.event === "candidateStageChange").length, 0);
    assert.equal(sandbox.events.length, before + 1);
    assert.equal(sandbox.events.at(-1)!.event, "candidateStageChange");
  });
});
