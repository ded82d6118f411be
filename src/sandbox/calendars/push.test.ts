/**
 * The imitations' push channels through Fulcrum's own providers: Google events.watch and
 * channels.stop, Graph subscriptions with the validationToken handshake, renewal and deletion, and
 * the notifications each sends when an event on a watched calendar changes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CalendarError, GoogleCalendarProvider, GraphCalendarProvider } from "../../calendars/index.ts";
import { GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES, startCalendarSandbox, type CalendarSandbox } from "./index.ts";

const people = [
  { name: "Ana Diaz", email: "ana@push.example" },
  { name: "Ben Ode", email: "ben@push.example" },
];

describe("push notifications of the calendar imitations", () => {
  let cal: CalendarSandbox;
  /** What the public address received. */
  const received: { url: string; headers: Record<string, string>; body: string }[] = [];
  let echoValidation = true;

  before(async () => {
    cal = await startCalendarSandbox({
      demo: false,
      people,
      deliver: async (req) => {
        const headers: Record<string, string> = {};
        req.headers.forEach((v, k) => (headers[k] = v));
        received.push({ url: req.url, headers, body: await req.text() });
        const token = new URL(req.url).searchParams.get("validationToken");
        if (token !== null) return new Response(echoValidation ? token : "no", { status: 200, headers: { "content-type": "text/plain" } });
        return new Response(null, { status: new URL(req.url).pathname.includes("graph") ? 202 : 200 });
      },
    });
  });
  after(async () => await cal?.close());

  const ana = { id: "ana", email: people[0]!.email, connectionId: "sandbox-google" };
  const at = (h: number) => new Date(Date.UTC(2031, 2, 4, h)).toISOString();

  it("Google: a channel sends sync when opened, exists with its token on a change to the calendar (a guest's decline included), nothing once stopped; http is refused", async () => {
    const google = new GoogleCalendarProvider(cal.googleConnection());
    await assert.rejects(
      google.openChannel(ana, "http://fulcrum.example/webhooks/calendars/google/sandbox-google", "s3cret"),
      (e: CalendarError) => e.kind === "invalid" && /must be HTTPS/.test(e.message),
    );
    const address = "https://fulcrum.example/webhooks/calendars/google/sandbox-google";
    const channel = await google.openChannel(ana, address, "s3cret");
    assert.ok(channel.resourceId && Date.parse(channel.expiresAt) > Date.now() + 6 * 86_400_000, "a week by default");
    await cal.push.settled();
    const mine = () => received.filter((r) => r.headers["x-goog-channel-id"] === channel.channelId);
    assert.deepEqual(
      mine().map((r) => r.headers["x-goog-resource-state"]),
      ["sync"],
    );

    const event = await google.createEvent(ana, {
      key: "push-test:one",
      title: "Panel",
      timezone: "UTC",
      start: at(9),
      end: at(10),
      attendees: [{ email: people[1]!.email }],
    });
    cal.respond(event.id, people[1]!.email, "declined");
    await cal.push.settled();
    assert.deepEqual(
      mine().map((r) => r.headers["x-goog-resource-state"]),
      ["sync", "exists", "exists"],
    );
    assert.ok(
      mine().every((r) => r.url === address && r.headers["x-goog-channel-token"] === "s3cret" && r.headers["x-goog-resource-id"] === channel.resourceId),
    );
    assert.deepEqual(
      mine().map((r) => Number(r.headers["x-goog-message-number"])),
      [1, 2, 3],
    );

    await google.closeChannel(ana, channel);
    await google.closeChannel(ana, channel); // already closed: not an error
    cal.respond(event.id, people[1]!.email, "accepted");
    await cal.push.settled();
    assert.equal(mine().length, 3);
  });

  it("Graph: a subscription is created only after the handshake, notifies with its clientState, renews within the limit for events, and is deleted", async () => {
    const graph = new GraphCalendarProvider(cal.graphConnection());
    const ben = { id: "ben", email: people[1]!.email, connectionId: "sandbox-graph" };
    const address = "https://fulcrum.example/webhooks/calendars/graph/sandbox-graph";
    echoValidation = false;
    await assert.rejects(graph.openChannel(ben, address, "client-state"), /Subscription validation request failed/);
    assert.equal(cal.push.subscriptions.size, 0);
    echoValidation = true;
    await assert.rejects(graph.openChannel(ben, "http://fulcrum.example/x", "client-state"), /must be https/);

    const sub = await graph.openChannel(ben, address, "client-state");
    assert.ok(Date.parse(sub.expiresAt) <= Date.now() + GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES * 60_000);
    const validations = received.filter((r) => r.url.startsWith(`${address}?validationToken=`));
    assert.equal(validations.length, 2, "one failed, one answered");
    assert.match(validations[0]!.headers["content-type"] ?? "", /text\/plain/);

    const event = await graph.createEvent(ben, {
      key: "push-test:two",
      title: "Panel",
      timezone: "UTC",
      start: at(11),
      end: at(12),
      attendees: [{ email: people[0]!.email }],
    });
    const stored = [...cal.store.events.values()].find((e) => e.title === "Panel" && e.organizer === ben.email)!;
    cal.respond(stored.id, people[0]!.email, "declined");
    await cal.push.settled();
    const notes = received
      .filter((r) => r.url === address)
      .map((r) => JSON.parse(r.body) as { value: { subscriptionId: string; changeType: string; clientState: string; resourceData: { id: string } }[] });
    assert.deepEqual(
      notes.map((n) => n.value[0]!.changeType),
      ["created", "updated"],
    );
    assert.ok(
      notes.every(
        (n) => n.value[0]!.subscriptionId === sub.channelId && n.value[0]!.clientState === "client-state" && n.value[0]!.resourceData.id === event.id,
      ),
    );

    const renewed = await graph.renewChannel(ben, sub, address, "client-state");
    assert.equal(renewed.channelId, sub.channelId);
    assert.ok(Date.parse(renewed.expiresAt) >= Date.parse(sub.expiresAt));
    await graph.closeChannel(ben, sub);
    assert.equal(cal.push.subscriptions.size, 0);
    // Renewing one Graph dropped makes a new one.
    const again = await graph.renewChannel(ben, sub, address, "client-state");
    assert.notEqual(again.channelId, sub.channelId);
    await graph.closeChannel(ben, again);
  });

  it("Graph: a renewal that makes a new subscription keeps it when deleting the old one fails", async () => {
    const graph = new GraphCalendarProvider(cal.graphConnection());
    const ben = { id: "ben", email: people[1]!.email, connectionId: "sandbox-graph" };
    const address = "https://fulcrum.example/webhooks/calendars/graph/sandbox-graph";
    const plain = await graph.openChannel(ben, address, "client-state");
    cal.faults.match = /^DELETE \/.*subscriptions/;
    cal.faults.unavailableNext = 50;
    try {
      const fresh = await graph.renewChannel(ben, plain, address, "client-state", `${address}/lifecycle`);
      assert.notEqual(fresh.channelId, plain.channelId);
      assert.ok(cal.push.subscriptions.has(fresh.channelId), "the new subscription is the one kept");
    } finally {
      delete cal.faults.match;
      delete cal.faults.unavailableNext;
    }
    for (const id of [...cal.push.subscriptions.keys()]) await graph.closeChannel(ben, { channelId: id, expiresAt: "" });
  });

  it("Graph: a lifecycleNotificationUrl is validated too and sent lifecycle notifications in the documented shape; a subscription made without one is made again with it on renewal", async () => {
    const graph = new GraphCalendarProvider(cal.graphConnection());
    const ben = { id: "ben", email: people[1]!.email, connectionId: "sandbox-graph" };
    const address = "https://fulcrum.example/webhooks/calendars/graph/sandbox-graph";
    const lifecycle = `${address}/lifecycle`;
    await assert.rejects(graph.openChannel(ben, address, "client-state", "http://fulcrum.example/l"), /Lifecycle Notification Url must be https/);

    const plain = await graph.openChannel(ben, address, "client-state");
    assert.equal(cal.push.subscriptions.get(plain.channelId)!.lifecycleNotificationUrl, null);
    assert.throws(() => cal.push.lifecycle(plain.channelId, "missed"), /without a lifecycleNotificationUrl/);
    // Graph lets no update add the URL: renewing makes a new subscription with it and deletes the old one.
    const sub = await graph.renewChannel(ben, plain, address, "client-state", lifecycle);
    assert.notEqual(sub.channelId, plain.channelId);
    assert.deepEqual([...cal.push.subscriptions.keys()], [sub.channelId]);
    assert.ok(
      received.some((r) => r.url.startsWith(`${lifecycle}?validationToken=`)),
      "the lifecycle endpoint was validated",
    );

    cal.push.lifecycle(sub.channelId, "reauthorizationRequired");
    await cal.push.settled();
    const last = received.at(-1)!;
    assert.equal(last.url, lifecycle);
    const body = JSON.parse(last.body) as { value: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(body.value[0]!).sort(), ["clientState", "lifecycleEvent", "subscriptionExpirationDateTime", "subscriptionId", "tenantId"]);
    assert.deepEqual(
      [body.value[0]!.subscriptionId, body.value[0]!.clientState, body.value[0]!.lifecycleEvent],
      [sub.channelId, "client-state", "reauthorizationRequired"],
    );
    // Until reauthorized, changes are not notified; a renewal reauthorizes.
    assert.equal(cal.push.subscriptions.get(sub.channelId)!.reauthorizationRequired, true);
    await graph.renewChannel(ben, sub, address, "client-state", lifecycle);
    assert.equal(cal.push.subscriptions.get(sub.channelId)!.reauthorizationRequired, false);

    cal.push.lifecycle(sub.channelId, "subscriptionRemoved");
    assert.equal(cal.push.subscriptions.size, 0, "Graph removed it");
    await cal.push.settled();
    assert.equal(JSON.parse(received.at(-1)!.body).value[0].lifecycleEvent, "subscriptionRemoved");
  });

  it("Graph refuses a subscription to events longer than 10,080 minutes", async () => {
    const res = await cal.fetch(new Request(`${cal.graph.apiBaseUrl}/subscriptions`, { method: "POST", headers: { authorization: "Bearer x" } }));
    assert.equal(res.status, 401);
    const graph = new GraphCalendarProvider(cal.graphConnection());
    const token = await graph.accessToken();
    const tooLong = await cal.fetch(
      new Request(`${cal.graph.apiBaseUrl}/subscriptions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          changeType: "updated",
          notificationUrl: "https://fulcrum.example/n",
          resource: `/users/${people[1]!.email}/events`,
          expirationDateTime: new Date(Date.now() + (GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES + 5) * 60_000).toISOString(),
        }),
      }),
    );
    assert.equal(tooLong.status, 400);
    assert.match(((await tooLong.json()) as { error: { message: string } }).error.message, /10080 minutes/);
  });
});
