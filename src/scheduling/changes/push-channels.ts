/**
 * The push channel keeper: with a public https address, every Google or Graph calendar holding a
 * booked panel's events gets a push channel (Google events.watch, a Graph subscription to the
 * user's events) whose notifications reach `/webhooks/calendars/<provider>/<connection>` carrying
 * the connection's push secret; a channel is renewed when less than `renewBeforeMs` of it is left,
 * and closed once its calendar holds no booked panel's events any more (or the address changed or
 * went away). Each channel is kept in the database, so every process of a deployment sees the same
 * ones. Channels only make a change seen sooner: the watcher's schedule still reads every calendar.
 */
import type { CalendarIdentity, CalendarProvider, CalendarsConfig, GraphLifecycleNotification, PushChannel } from "../../calendars/index.ts";
import { createPushChannelStore, createSchedulingChangeStore, type Database, type StoredPushChannel } from "../../store/index.ts";
import { watchedCalendars, watchedPanels } from "./watch-changes.ts";

/** A day: channels last a week (Google's default, Graph's limit for events), so a daily margin is ample. */
export const PUSH_RENEW_BEFORE_MS = 86_400_000;

export interface PushChannelDeps {
  db: Database;
  calendars: CalendarsConfig;
  providers: ReadonlyMap<string, CalendarProvider>;
  /** `publicUrl` from the configuration: channels are opened only when it is https. */
  publicUrl: string | undefined;
  /** The push secret of a connection (Google's channel token, Graph's clientState). */
  secret(connectionId: string): string;
  now?: (() => number) | undefined;
  renewBeforeMs?: number | undefined;
}

export interface PushChannelResult {
  opened: number;
  renewed: number;
  closed: number;
  /** Channels that could not be opened, renewed or closed, each with why (polling covers them). */
  problems: string[];
  /** Why no channel was opened at all, when none could be. */
  skipped?: string | undefined;
}

/** Where a provider sends a connection's notifications: the routes `fulcrum serve` mounts. */
export function pushAddress(publicUrl: string, kind: "google" | "graph", connectionId: string): string {
  const base = publicUrl.endsWith("/") ? publicUrl : `${publicUrl}/`;
  return new URL(`webhooks/calendars/${kind}/${encodeURIComponent(connectionId)}`, base).href;
}

/** Where Graph sends a connection's lifecycle notifications: beside its change notifications, on a path of its own. */
export function lifecycleAddress(publicUrl: string, connectionId: string): string {
  return `${pushAddress(publicUrl, "graph", connectionId)}/lifecycle`;
}

function httpsBase(publicUrl: string | undefined): { ok: true } | { ok: false; why: string } {
  if (!publicUrl) return { ok: false, why: "publicUrl is not set, so no provider can reach Fulcrum: changes are read on the watcher's schedule" };
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return { ok: false, why: `publicUrl "${publicUrl.slice(0, 200)}" is not a URL` };
  }
  if (url.protocol !== "https:")
    return {
      ok: false,
      why: "publicUrl is not https, and Google and Microsoft deliver push notifications only to https addresses: changes are read on the watcher's schedule",
    };
  return { ok: true };
}

const ref = (c: StoredPushChannel): PushChannel => ({ channelId: c.channelId, resourceId: c.resourceId, expiresAt: c.expiresAt.toISOString() });

/** Opens, renews and closes push channels so that exactly the watched calendars have one. */
export async function syncPushChannels(deps: PushChannelDeps): Promise<PushChannelResult> {
  const now = deps.now?.() ?? Date.now();
  const renewBefore = deps.renewBeforeMs ?? PUSH_RENEW_BEFORE_MS;
  const store = createPushChannelStore(deps.db);
  const result: PushChannelResult = { opened: 0, renewed: 0, closed: 0, problems: [] };
  const base = httpsBase(deps.publicUrl);
  if (!base.ok) result.skipped = base.why;

  // The calendars that want a channel, with the address their provider should call.
  const wanted = new Map<string, { identity: CalendarIdentity; provider: CalendarProvider; address: string; lifecycle: string | undefined }>();
  if (base.ok) {
    const { calendars } = watchedCalendars(await watchedPanels(deps.db, now), deps.calendars);
    for (const { identity } of calendars.values()) {
      const provider = deps.providers.get(identity.connectionId);
      if (!provider?.openChannel || provider.kind === "caldav") continue;
      const address = pushAddress(deps.publicUrl!, provider.kind, identity.connectionId);
      const lifecycle = provider.kind === "graph" ? lifecycleAddress(deps.publicUrl!, identity.connectionId) : undefined;
      wanted.set(`${identity.connectionId}\n${identity.email.toLowerCase()}`, { identity, provider, address, lifecycle });
    }
  }

  const held = await store.list();
  const heldKeys = new Set(held.map((c) => `${c.connectionId}\n${c.calendar}`));
  const record = async (identity: CalendarIdentity, kind: string, address: string, ch: PushChannel, renewed: boolean) =>
    await store.save(
      {
        connectionId: identity.connectionId,
        calendar: identity.email.toLowerCase(),
        provider: kind,
        channelId: ch.channelId,
        resourceId: ch.resourceId,
        address,
        expiresAt: new Date(ch.expiresAt),
      },
      renewed,
    );

  for (const c of held) {
    const key = `${c.connectionId}\n${c.calendar}`;
    const want = wanted.get(key);
    const identity: CalendarIdentity = want?.identity ?? { id: c.calendar, email: c.calendar, connectionId: c.connectionId };
    try {
      if (!want || want.address !== c.address || want.provider.kind !== c.provider) {
        // No longer watched (or the address moved): close it. A connection that went away cannot be asked.
        const provider = deps.providers.get(c.connectionId);
        if (provider?.closeChannel && c.expiresAt.getTime() > now) await provider.closeChannel(identity, ref(c));
        await store.remove(c.connectionId, c.calendar, c.channelId);
        result.closed++;
        if (want) heldKeys.delete(key);
        continue;
      }
      if (c.expiresAt.getTime() - now > renewBefore) continue;
      const renewed =
        c.expiresAt.getTime() > now && want.provider.renewChannel
          ? await want.provider.renewChannel(identity, ref(c), want.address, deps.secret(c.connectionId), want.lifecycle)
          : await want.provider.openChannel!(identity, want.address, deps.secret(c.connectionId), want.lifecycle);
      await record(identity, want.provider.kind, want.address, renewed, true);
      result.renewed++;
    } catch (error) {
      result.problems.push(`push channel on ${c.calendar} (${c.connectionId}): ${(error as Error).message}`);
    }
  }

  for (const [key, want] of wanted) {
    if (heldKeys.has(key)) continue;
    try {
      const ch = await want.provider.openChannel!(want.identity, want.address, deps.secret(want.identity.connectionId), want.lifecycle);
      await record(want.identity, want.provider.kind, want.address, ch, false);
      result.opened++;
    } catch (error) {
      result.problems.push(`push channel on ${want.identity.email} (${want.identity.connectionId}): ${(error as Error).message}`);
    }
  }
  return result;
}

/** The subscriptions among `ids` that Fulcrum holds on a Graph connection; a lifecycle notification for another is refused. */
export async function heldGraphSubscriptions(db: Database, connectionId: string, ids: readonly string[]): Promise<Set<string>> {
  const held = (await createPushChannelStore(db).list()).filter((c) => c.connectionId === connectionId && c.provider === "graph");
  return new Set(ids.filter((id) => held.some((c) => c.channelId === id)));
}

export interface LifecycleResult {
  /** Subscriptions renewed (which reauthorizes them) after reauthorizationRequired. */
  renewed: number;
  /** Subscriptions made again after subscriptionRemoved. */
  recreated: number;
  /** Calendars whose change cursor was dropped after missed, so that the next read is a full one. */
  resynced: string[];
  problems: string[];
}

/**
 * Acts on Graph's lifecycle notifications for a connection, as Microsoft documents: a subscription
 * that needs reauthorization is renewed now (a PATCH both renews and reauthorizes); a removed one
 * is made again and kept in its place; after missed notifications the calendar's delta link is
 * dropped, so that the read that follows is a full one. A notification for a subscription no longer
 * held (already replaced) does nothing. The caller reads the connection's calendars afterwards.
 */
export async function handleGraphLifecycle(
  deps: Pick<PushChannelDeps, "db" | "providers" | "publicUrl" | "secret">,
  connectionId: string,
  notifications: readonly Pick<GraphLifecycleNotification, "subscriptionId" | "lifecycleEvent">[],
): Promise<LifecycleResult> {
  const store = createPushChannelStore(deps.db);
  const result: LifecycleResult = { renewed: 0, recreated: 0, resynced: [], problems: [] };
  const provider = deps.providers.get(connectionId);
  for (const n of notifications) {
    const c = (await store.list()).find((x) => x.connectionId === connectionId && x.provider === "graph" && x.channelId === n.subscriptionId);
    if (!c) continue;
    const identity: CalendarIdentity = { id: c.calendar, email: c.calendar, connectionId };
    try {
      if (n.lifecycleEvent === "missed") {
        await createSchedulingChangeStore(deps.db).forgetCursor(connectionId, c.calendar);
        result.resynced.push(c.calendar);
        continue;
      }
      if (!provider?.openChannel || provider.kind !== "graph") throw new Error(`connection "${connectionId}" is not an open Graph connection`);
      const base = httpsBase(deps.publicUrl);
      if (!base.ok) throw new Error(base.why);
      const lifecycle = lifecycleAddress(deps.publicUrl!, connectionId);
      const secret = deps.secret(connectionId);
      const ch =
        n.lifecycleEvent === "reauthorizationRequired" && provider.renewChannel
          ? await provider.renewChannel(identity, ref(c), c.address, secret, lifecycle)
          : await provider.openChannel(identity, c.address, secret, lifecycle);
      const renewed = n.lifecycleEvent === "reauthorizationRequired";
      await store.save({ ...c, channelId: ch.channelId, resourceId: ch.resourceId, expiresAt: new Date(ch.expiresAt) }, renewed);
      if (renewed) result.renewed++;
      else result.recreated++;
    } catch (error) {
      result.problems.push(`${n.lifecycleEvent} for the subscription on ${c.calendar} (${connectionId}): ${(error as Error).message}`);
    }
  }
  return result;
}
