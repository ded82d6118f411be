/**
 * Push notifications of the calendar imitations, as the providers send them: Google's
 * `events.watch` channels (a `sync` message when the channel opens, then `exists` on every change,
 * headers only, with the channel's token) and Microsoft Graph subscriptions (the `validationToken`
 * handshake before the subscription is created, then batches of change notifications carrying the
 * `clientState`, and lifecycle notifications to the subscription's `lifecycleNotificationUrl`:
 * `reauthorizationRequired`, after which change notifications pause until the subscription is
 * renewed or reauthorized; `subscriptionRemoved`, sent once Graph has dropped the subscription; and
 * `missed`, after change notifications were dropped, as under throttling). Every write to an event notifies each channel and subscription on a calendar the
 * event is on (its organiser's and its attendees'), so a decline is pushed to the organiser's.
 *
 * Both providers accept only https addresses. Delivery goes through `deliver` (the global fetch by
 * default), so a test can route the https address to an application in the same process.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { CalendarStore, StoredEvent } from "./store.ts";

/** How the imitations send a notification: like fetch. */
export type PushDelivery = (request: Request) => Promise<Response>;

/** Graph's longest subscription to Outlook events: 10,080 minutes (under 7 days). */
export const GRAPH_EVENT_SUBSCRIPTION_MAX_MINUTES = 10_080;
/** Google's channel lifetime when `params.ttl` is not given: one week. */
export const GOOGLE_CHANNEL_DEFAULT_TTL_SECONDS = 604_800;

export interface GoogleChannel {
  id: string;
  resourceId: string;
  calendar: string;
  address: string;
  token: string | undefined;
  /** ms */
  expiration: number;
  messageNumber: number;
}

export interface GraphSubscription {
  id: string;
  user: string;
  resource: string;
  changeType: string[];
  notificationUrl: string;
  clientState: string | undefined;
  /** Where lifecycle notifications go; null when none was given at creation (it cannot be added later). */
  lifecycleNotificationUrl: string | null;
  /** ms */
  expiration: number;
  /** Graph asked for reauthorization: change notifications pause until a PATCH or /reauthorize. */
  reauthorizationRequired?: boolean;
  /** Change notifications are being dropped (throttled) until a `missed` lifecycle notification says so. */
  throttled?: boolean;
}

/** Graph's lifecycle events (learn.microsoft.com/graph/change-notifications-lifecycle-events). */
export type GraphLifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

/** One attempt to deliver a notification, for assertions. */
export interface PushAttempt {
  provider: "google" | "graph";
  kind: "sync" | "exists" | "validation" | "notification" | "lifecycle";
  address: string;
  status: number | "failed";
}

export class CalendarPush {
  readonly channels = new Map<string, GoogleChannel>();
  readonly subscriptions = new Map<string, GraphSubscription>();
  readonly attempts: PushAttempt[] = [];
  readonly #store: CalendarStore;
  readonly #deliver: PushDelivery;
  readonly #pending = new Set<Promise<unknown>>();
  /** Graph's tenant, for the notifications' `tenantId`. */
  tenantId = "";

  constructor(store: CalendarStore, deliver: PushDelivery = (r) => fetch(r)) {
    this.#store = store;
    this.#deliver = deliver;
    store.listeners.push((e, created) => this.#changed(e, created));
  }

  /** Resolves when every notification sent so far has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #send(attempt: Omit<PushAttempt, "status">, request: Request): Promise<Response | undefined> {
    try {
      const res = await this.#deliver(request);
      this.attempts.push({ ...attempt, status: res.status });
      return res;
    } catch {
      this.attempts.push({ ...attempt, status: "failed" });
      return undefined;
    }
  }

  #track(p: Promise<unknown>): void {
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  /** events.watch: opens a channel and sends its `sync` message. */
  openChannel(calendar: string, body: { id: string; address: string; token?: string | undefined; ttlSeconds?: number | undefined }): GoogleChannel {
    const now = this.#store.now();
    const channel: GoogleChannel = {
      id: body.id,
      resourceId: `sbx${randomBytes(12).toString("base64url")}`,
      calendar,
      address: body.address,
      token: body.token,
      expiration: now + (body.ttlSeconds ?? GOOGLE_CHANNEL_DEFAULT_TTL_SECONDS) * 1000,
      messageNumber: 0,
    };
    this.channels.set(channel.id, channel);
    this.#track(this.#googleMessage(channel, "sync"));
    return channel;
  }

  #googleMessage(channel: GoogleChannel, state: "sync" | "exists"): Promise<unknown> {
    channel.messageNumber += 1;
    const headers: Record<string, string> = {
      "x-goog-channel-id": channel.id,
      "x-goog-channel-expiration": new Date(channel.expiration).toUTCString(),
      "x-goog-resource-id": channel.resourceId,
      "x-goog-resource-uri": `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(channel.calendar)}/events?alt=json`,
      "x-goog-resource-state": state,
      "x-goog-message-number": String(channel.messageNumber),
    };
    if (channel.token !== undefined) headers["x-goog-channel-token"] = channel.token;
    return this.#send({ provider: "google", kind: state, address: channel.address }, new Request(channel.address, { method: "POST", headers }));
  }

  /**
   * Graph's handshake before a subscription exists: POST `notificationUrl?validationToken=…` as
   * text/plain; the answer must be 200 with the token as its body.
   */
  async validate(notificationUrl: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const url = new URL(notificationUrl);
    url.searchParams.set("validationToken", token);
    const res = await this.#send(
      { provider: "graph", kind: "validation", address: notificationUrl },
      new Request(url, { method: "POST", headers: { "content-type": "text/plain; charset=utf-8" } }),
    );
    if (!res || res.status !== 200) return false;
    return (await res.text()) === token;
  }

  /**
   * Graph sends a lifecycle notification to the subscription's lifecycleNotificationUrl, in the
   * documented shape (a `value` array of subscriptionId, subscriptionExpirationDateTime, tenantId,
   * clientState and lifecycleEvent; no resource). `subscriptionRemoved` removes the subscription
   * first; `reauthorizationRequired` pauses its change notifications until it is renewed or
   * reauthorized; `missed` ends a throttle started with {@link throttle}.
   */
  lifecycle(subscriptionId: string, lifecycleEvent: GraphLifecycleEvent): void {
    const s = this.subscriptions.get(subscriptionId);
    if (!s) throw new Error(`no Graph subscription ${subscriptionId} in the sandbox`);
    if (!s.lifecycleNotificationUrl)
      throw new Error(`subscription ${subscriptionId} was made without a lifecycleNotificationUrl: Graph sends it no lifecycle notifications`);
    if (lifecycleEvent === "subscriptionRemoved") this.subscriptions.delete(s.id);
    if (lifecycleEvent === "reauthorizationRequired") s.reauthorizationRequired = true;
    if (lifecycleEvent === "missed") s.throttled = false;
    const value = [
      {
        subscriptionId: s.id,
        subscriptionExpirationDateTime: new Date(s.expiration).toISOString(),
        tenantId: this.tenantId,
        ...(s.clientState !== undefined ? { clientState: s.clientState } : {}),
        lifecycleEvent,
      },
    ];
    this.#track(
      this.#send(
        { provider: "graph", kind: "lifecycle", address: s.lifecycleNotificationUrl },
        new Request(s.lifecycleNotificationUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ value }) }),
      ),
    );
  }

  /** From now on the subscription's change notifications are dropped, as Graph does under throttling. */
  throttle(subscriptionId: string): void {
    const s = this.subscriptions.get(subscriptionId);
    if (!s) throw new Error(`no Graph subscription ${subscriptionId} in the sandbox`);
    s.throttled = true;
  }

  #changed(e: StoredEvent, created: boolean): void {
    const now = this.#store.now();
    for (const channel of this.channels.values()) {
      if (channel.expiration <= now) continue;
      if (this.#store.onCalendar(e, channel.calendar)) this.#track(this.#googleMessage(channel, "exists"));
    }
    const changeType = e.status === "cancelled" ? "deleted" : created ? "created" : "updated";
    const byUrl = new Map<string, unknown[]>();
    for (const s of this.subscriptions.values()) {
      if (s.expiration <= now || s.reauthorizationRequired || s.throttled || !s.changeType.includes(changeType) || !this.#store.onCalendar(e, s.user)) continue;
      const id = `AAMkAGSbx${Buffer.from(e.id).toString("base64url")}`;
      const list = byUrl.get(s.notificationUrl) ?? [];
      list.push({
        subscriptionId: s.id,
        subscriptionExpirationDateTime: new Date(s.expiration).toISOString(),
        changeType,
        resource: `Users/${s.user}/Events/${id}`,
        resourceData: {
          "@odata.type": "#Microsoft.Graph.Event",
          "@odata.id": `Users/${s.user}/Events/${id}`,
          "@odata.etag": `W/"${Buffer.from(`${e.id}:${e.changeSeq}`).toString("base64")}"`,
          id,
        },
        ...(s.clientState !== undefined ? { clientState: s.clientState } : {}),
        tenantId: this.tenantId,
      });
      byUrl.set(s.notificationUrl, list);
    }
    for (const [url, value] of byUrl) {
      this.#track(
        this.#send(
          { provider: "graph", kind: "notification", address: url },
          new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ value }) }),
        ),
      );
    }
  }
}
