/**
 * `fulcrum webhooks install`: subscribes a connection to every Lever event through Lever's webhooks
 * API and keeps the signature token each subscription returns. Lever shows that token only in the
 * create response (reference §5.1, §7.3), so a subscription we hold no token for cannot be verified:
 * it is deleted and made again, and the report says so. Running install twice changes nothing.
 */
import { randomUUID } from "node:crypto";
import { leverEventNames } from "../../config/index.ts";
import type { ConnectionRegistry } from "./registry.ts";

export type WebhookInstallAction = "created" | "kept" | "recreated" | "failed";

export interface WebhookInstallRow {
  event: string;
  action: WebhookInstallAction;
  webhookId: string | null;
  detail: string;
}

export interface WebhookInstallResult {
  url: string;
  rows: WebhookInstallRow[];
  /** Tokens we held for webhooks that no longer exist in Lever, now forgotten. */
  forgotten: number;
  /** What a person should still do (the Super Admin toggle; plain http). */
  notes: string[];
}

/** The URL Lever should call for a connection: the public base URL plus `/webhooks/lever/<id>`. */
export function webhookUrlFor(publicUrl: string, connectionId: string): string {
  const url = new URL(publicUrl);
  const given = /\/webhooks\/lever(?:\/([^/]+))?\/?$/.exec(url.pathname);
  if (given) {
    // A full webhook URL was given: it must be this connection's, or deliveries would be checked
    // against another connection's tokens and refused.
    const named = given[1] ? decodeURIComponent(given[1]) : "default";
    if (named !== connectionId) {
      throw new Error(
        `the URL ${url.origin}${url.pathname} receives webhooks for connection "${named}", not "${connectionId}"; give the server's base URL instead`,
      );
    }
    return url.toString();
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/webhooks/lever/${encodeURIComponent(connectionId)}`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

export const SUPER_ADMIN_REMINDER =
  "A Lever Super Admin may need to switch each webhook group on (Settings → Integrations and API → Webhooks) before Lever starts sending deliveries.";

/**
 * Makes sure the connection has one API-made subscription per event for `url`, with its token
 * stored (sealed). `events` defaults to every Lever event.
 */
export async function installWebhooks<C>(
  registry: ConnectionRegistry<C>,
  connectionId: string,
  publicUrl: string,
  events: readonly string[] = leverEventNames,
): Promise<WebhookInstallResult> {
  const url = webhookUrlFor(publicUrl, connectionId);
  const api = await registry.accountApi(connectionId);
  const connection = (await registry.get(connectionId))!;
  const existing = await api.listWebhooks();
  const tokenFor = new Set(connection.webhookTokens.filter((t) => t.origin === "api" && t.webhookId).map((t) => t.webhookId!));

  // Tokens of webhooks Lever no longer has are useless (and would be tried on every delivery).
  const live = new Set(existing.map((w) => w.id));
  let forgotten = 0;
  for (const webhookId of tokenFor) {
    if (!live.has(webhookId)) {
      await registry.removeWebhookToken(connectionId, webhookId);
      forgotten++;
    }
  }

  // A fresh run id in each write key: the ledger must not mistake a later install (after a
  // `webhooks remove`) for a retry of this one, while retries inside this run stay idempotent.
  const run = randomUUID();
  const rows: WebhookInstallRow[] = [];
  for (const event of events) {
    const same = existing.filter((w) => w.event === event && w.url === url);
    const usable = same.find((w) => tokenFor.has(w.id));
    if (usable) {
      rows.push({ event, action: "kept", webhookId: usable.id, detail: "subscribed; signature token on file" });
      continue;
    }
    try {
      for (const stale of same) await api.deleteWebhook(stale.id, { key: `webhooks-install:${connectionId}:${run}:delete:${stale.id}` });
      const created = await api.createWebhook({ url, event }, { key: `webhooks-install:${connectionId}:${run}:create:${event}` });
      const token = created.configuration?.signatureToken;
      if (!token) {
        rows.push({
          event,
          action: "failed",
          webhookId: created.id,
          detail: "Lever created the subscription but returned no signatureToken; deliveries cannot be verified",
        });
        continue;
      }
      await registry.storeWebhookToken(connectionId, { event, token, webhookId: created.id, url });
      rows.push(
        same.length > 0
          ? {
              event,
              action: "recreated",
              webhookId: created.id,
              detail: `an existing subscription had no stored token (Lever shows it only at creation): deleted and created again`,
            }
          : { event, action: "created", webhookId: created.id, detail: "subscribed; signature token stored" },
      );
    } catch (error) {
      rows.push({ event, action: "failed", webhookId: null, detail: (error as Error).message });
    }
  }
  const notes = [SUPER_ADMIN_REMINDER];
  if (!url.startsWith("https://"))
    notes.push(
      `Lever delivers webhooks over https only; ${new URL(url).protocol} is refused by Lever and by the sandbox (whose test-only allowHttpLoopbackWebhooks option accepts loopback http).`,
    );
  return { url, rows, forgotten, notes };
}

export interface WebhookListRow {
  event: string;
  webhookId: string | null;
  url: string | null;
  origin: "api" | "settings";
  tokenStored: boolean;
}

/** The connection's API-made subscriptions (from Lever) and settings-page tokens (from us). */
export async function listWebhookSubscriptions<C>(registry: ConnectionRegistry<C>, connectionId: string): Promise<WebhookListRow[]> {
  const api = await registry.accountApi(connectionId);
  const connection = (await registry.get(connectionId))!;
  const tokenFor = new Set(connection.webhookTokens.filter((t) => t.webhookId).map((t) => t.webhookId!));
  const rows: WebhookListRow[] = (await api.listWebhooks()).map((w) => ({
    event: w.event,
    webhookId: w.id,
    url: w.url,
    origin: "api",
    tokenStored: tokenFor.has(w.id),
  }));
  for (const t of connection.webhookTokens.filter((t) => t.origin === "settings")) {
    rows.push({ event: t.event ?? "*", webhookId: null, url: null, origin: "settings", tokenStored: true });
  }
  return rows.sort((a, b) => a.event.localeCompare(b.event));
}

/**
 * Deletes the subscriptions Fulcrum made for the connection — those for `url` when given, else those
 * we hold a token for (never another integration's webhooks) — and their stored tokens. Returns the
 * ids removed.
 */
export async function removeWebhooks<C>(registry: ConnectionRegistry<C>, connectionId: string, publicUrl?: string): Promise<string[]> {
  const api = await registry.accountApi(connectionId);
  const url = publicUrl ? webhookUrlFor(publicUrl, connectionId) : undefined;
  const connection = (await registry.get(connectionId))!;
  const ours = new Set(connection.webhookTokens.filter((t) => t.webhookId).map((t) => t.webhookId!));
  const removed: string[] = [];
  const run = randomUUID();
  for (const w of await api.listWebhooks()) {
    if (url ? w.url !== url : !ours.has(w.id)) continue;
    await api.deleteWebhook(w.id, { key: `webhooks-remove:${connectionId}:${run}:${w.id}` });
    await registry.removeWebhookToken(connectionId, w.id);
    removed.push(w.id);
  }
  return removed;
}
