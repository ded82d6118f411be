/**
 * Signed webhook deliveries, as Lever sends them: a JSON envelope with a fresh 48-character
 * `token`, `triggeredAt`, and `signature` = hex HMAC-SHA256(token + triggeredAt) keyed with the
 * subscription's signature token. Any non-2xx answer (3xx included) or network error is a failure,
 * retried up to five more times with growing delays.
 */
import { createHmac } from "node:crypto";
import type { ApiWebhookRecord, Origin } from "./model.ts";
import { leverEventNames, type LeverEventName } from "../lever/index.ts";
import type { FiredEvent, SandboxState } from "./state.ts";

/** One attempt to deliver one event to one URL. */
export interface DeliveryAttempt {
  /** Same for every attempt of one delivery. */
  deliveryId: string;
  event: LeverEventName;
  eventId: string;
  url: string;
  via: "settings" | "api";
  webhookId: string | null;
  /** 1 for the first try, up to 6. */
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  ok: boolean;
  /** The exact body sent. */
  body: string;
  /** Sent by `rerun` (the settings page's Rerun button), not by the delivery's own schedule. */
  rerun?: boolean;
}

export interface SettingsSubscription {
  url: string;
  signatureToken: string;
  enabled: boolean;
}

/** Lever's settings page shows deliveries of the past two weeks (reference §5.5). */
export const deliveryHistoryMs = 14 * 24 * 3_600_000;

/** Lever does not publish its schedule; these grow like its "longer and longer" waits. */
export const defaultRetryDelaysMs = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];

export function signDelivery(token: string, triggeredAt: number, signatureToken: string): string {
  return createHmac("sha256", signatureToken).update(`${token}${triggeredAt}`).digest("hex");
}

export class WebhookDispatcher {
  /** Settings-page webhooks: one URL and one signature token per event. */
  readonly settings = new Map<LeverEventName, SettingsSubscription>();
  readonly log: DeliveryAttempt[] = [];
  retryDelaysMs: number[];
  timeoutMs: number;
  readonly #state: SandboxState;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;
  readonly #idleWaiters: (() => void)[] = [];

  constructor(state: SandboxState, options: { retryDelaysMs?: number[]; timeoutMs?: number } = {}) {
    this.#state = state;
    this.retryDelaysMs = options.retryDelaysMs ?? defaultRetryDelaysMs;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Subscribes `url` to `event` the way the settings page does; returns the event's signature token. */
  subscribe(event: LeverEventName, url: string): string {
    if (!leverEventNames.includes(event)) throw new Error(`unknown webhook event ${event}`);
    const existing = this.settings.get(event);
    const signatureToken = existing?.signatureToken ?? this.#state.rng.hex(48);
    this.settings.set(event, { url, signatureToken, enabled: true });
    return signatureToken;
  }

  unsubscribe(event: LeverEventName): void {
    this.settings.delete(event);
  }

  /** Fans an event out to every matching subscription. */
  dispatch(fired: FiredEvent, origin: Origin | null): void {
    if (this.#closed) return;
    const targets: { url: string; signatureToken: string; via: "settings" | "api"; webhookId: string | null }[] = [];
    const setting = this.settings.get(fired.event);
    if (setting?.enabled) targets.push({ url: setting.url, signatureToken: setting.signatureToken, via: "settings", webhookId: null });
    for (const hook of this.#state.apiWebhooks.values()) {
      if (hook.event !== fired.event || !matchesConditions(hook, origin)) continue;
      targets.push({ url: hook.url, signatureToken: hook.signatureToken, via: "api", webhookId: hook.id });
    }
    for (const target of targets) {
      const token = this.#state.rng.hex(48);
      const body = JSON.stringify({
        id: fired.id,
        event: fired.event,
        triggeredAt: fired.triggeredAt,
        token,
        signature: signDelivery(token, fired.triggeredAt, target.signatureToken),
        data: fired.data,
      });
      this.#attempt(
        { deliveryId: this.#state.rng.uuid(), event: fired.event, eventId: fired.id, url: target.url, via: target.via, webhookId: target.webhookId, body },
        1,
      );
    }
  }

  /** Sends a settings-page test ping (`data: {}`), once, without retries. */
  async ping(event: LeverEventName): Promise<DeliveryAttempt | null> {
    const setting = this.settings.get(event);
    if (!setting) return null;
    const triggeredAt = this.#state.now();
    const token = this.#state.rng.hex(48);
    const body = JSON.stringify({ event, triggeredAt, token, signature: signDelivery(token, triggeredAt, setting.signatureToken), data: {} });
    return await this.#send({ deliveryId: this.#state.rng.uuid(), event, eventId: "", url: setting.url, via: "settings", webhookId: null, body }, 1);
  }

  /**
   * The settings page's Rerun button: sends a past delivery again, once, without retries. Lever's
   * rerun keeps the original `triggeredAt`; whether it keeps the `token` is unconfirmed, and the
   * sandbox resends the exact body (token and signature included). Null when the delivery is not
   * in the history (unknown, or older than two weeks by the sandbox's clock).
   */
  async rerun(deliveryId: string): Promise<DeliveryAttempt | null> {
    const first = this.log.find((a) => a.deliveryId === deliveryId);
    if (!first || this.#state.now() - first.at > deliveryHistoryMs) return null;
    const last = this.log.filter((a) => a.deliveryId === deliveryId).at(-1)!;
    const { deliveryId: id, event, eventId, url, via, webhookId, body } = first;
    return await this.#send({ deliveryId: id, event, eventId, url, via, webhookId, body, rerun: true }, last.attempt + 1);
  }

  #attempt(delivery: Omit<DeliveryAttempt, "attempt" | "at" | "status" | "error" | "ok">, attempt: number): void {
    const run = this.#send(delivery, attempt).then((result) => {
      if (result.ok || this.#closed) return;
      const delay = this.retryDelaysMs[attempt - 1];
      if (delay === undefined) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#attempt(delivery, attempt + 1);
        this.#notifyIfIdle();
      }, delay);
      timer.unref();
      this.#timers.add(timer);
    });
    this.#inFlight.add(run);
    void run.finally(() => {
      this.#inFlight.delete(run);
      this.#notifyIfIdle();
    });
  }

  async #send(delivery: Omit<DeliveryAttempt, "attempt" | "at" | "status" | "error" | "ok">, attempt: number): Promise<DeliveryAttempt> {
    const record: DeliveryAttempt = { ...delivery, attempt, at: this.#state.now(), status: null, error: null, ok: false };
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Lever-Webhooks" },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
      record.ok = response.status >= 200 && response.status < 300;
    } catch (error) {
      record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    this.log.push(record);
    return record;
  }

  #notifyIfIdle(): void {
    if (this.#inFlight.size === 0 && this.#timers.size === 0) for (const w of this.#idleWaiters.splice(0)) w();
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  async idle(): Promise<void> {
    if (this.#inFlight.size === 0 && this.#timers.size === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Cancels pending retries; waits for attempts in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
    this.#notifyIfIdle();
  }
}

function matchesConditions(hook: ApiWebhookRecord, origin: Origin | null): boolean {
  const allowed = hook.configuration.conditions?.origins;
  if (!allowed || origin === null) return true;
  return allowed.includes(origin);
}
