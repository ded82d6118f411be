/**
 * The calendar change watcher as a job: every `calendars.pollSeconds` (a pg-boss schedule, so one
 * process of a deployment runs each tick) the calendars holding booked panels' events are read for
 * changes, and each change is stored in the inbox as an event of source `calendar`
 * (`interviewer.declined`, `event.cancelled`, `event.moved`). The inbox deduplicates by the
 * change's key, so a change read twice starts one run, and the event is audited like a webhook.
 * `fulcrum schedule reschedule` stores `candidate.reschedule` the same way. Graph's lifecycle
 * notifications come as jobs too: the subscription is renewed or made again, or the calendar read
 * in full after missed notifications, and then the connection's calendars are read.
 */
import { createHmac } from "node:crypto";
import {
  openCalendarProvider,
  type CalendarProvider,
  type CalendarSecrets,
  type CalendarsConfig,
  type GraphLifecycleNotification,
} from "../../calendars/index.ts";
import type { Logger } from "../../observability/index.ts";
import {
  handleGraphLifecycle,
  heldGraphSubscriptions,
  panelChange,
  releaseBackupHolds,
  syncPushChannels,
  watchBookedPanels,
  type LifecycleResult,
  type PanelChange,
  type PushChannelResult,
} from "../../scheduling/index.ts";
import { createSchedulingChangeStore, type Database } from "../../store/index.ts";
import type { Inbox } from "../inbox/index.ts";
import type { JobQueue } from "../queue/index.ts";

export const CALENDAR_WATCH_QUEUE = "scheduling.watch";

/** The inbox's source name for calendar changes (workflows trigger on `source: calendar`). */
export const CALENDAR_SOURCE = "calendar";

/** A cron expression for "every `seconds`", at minute granularity (pg-boss schedules by the minute). */
export function pollCron(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 60) return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
  const hours = Math.min(23, Math.ceil(minutes / 60));
  return `0 */${hours} * * *`;
}

async function store(inbox: Pick<Inbox, "storeEvent">, changes: PanelChange[]): Promise<number> {
  let stored = 0;
  for (const c of changes) {
    const r = await inbox.storeEvent({
      connectionId: c.connectionId,
      source: CALENDAR_SOURCE,
      event: c.event,
      dedupeKey: c.dedupeKey,
      triggeredAt: new Date(),
      payload: c.data,
    });
    if (r.status === "stored") stored++;
  }
  return stored;
}

export interface CalendarWatch {
  /**
   * Reads the calendars once (only those on `connectionId` when given, as after a push from it)
   * and stores what changed; returns how many new events were stored.
   */
  runOnce(only?: { connectionId?: string | undefined }): Promise<{ changes: number; stored: number; problems: string[]; released: number }>;
  /**
   * Keeps a push channel open on each watched Google or Graph calendar (with an https `publicUrl`):
   * opens missing ones, renews those about to expire, closes those no longer needed.
   */
  syncChannels(): Promise<PushChannelResult>;
  /** Acts on Graph lifecycle notifications of a connection (renew, make again, drop the cursor). */
  lifecycle(connectionId: string, notifications: CalendarWatchJob["lifecycle"] & {}): Promise<LifecycleResult>;
  /** One job of the watcher's queue: its lifecycle notifications first, then the read. */
  runJob(data: CalendarWatchJob | undefined): Promise<{ changes: number; stored: number; problems: string[]; released: number }>;
}

/** What a push trigger asks the watcher's job to read (and, from Graph's lifecycle notifications, to do first). */
export interface CalendarWatchJob {
  connectionId?: string;
  lifecycle?: Pick<GraphLifecycleNotification, "subscriptionId" | "lifecycleEvent">[];
}

/**
 * The secret a calendar connection's push channel carries: Google's channel `token`, Graph's
 * subscription `clientState`. Derived from the service's secret key and the connection id, so
 * every process of a deployment checks the same value without storing another secret.
 */
export function calendarPushSecret(key: Buffer, connectionId: string): string {
  return createHmac("sha256", key).update(`fulcrum:calendar-push:${connectionId}`).digest("base64url");
}

/**
 * Triggers the watcher for one connection at once when its provider says something changed. A
 * burst of notifications (a provider sends one per event) becomes one read: a job is queued to
 * start `coalesceMs` later, and notifications arriving before it starts are covered by it.
 */
export function calendarPushTrigger(
  queue: Pick<JobQueue, "send">,
  o: { coalesceMs?: number; now?: () => number } = {},
): (connectionId: string) => Promise<boolean> {
  const wait = o.coalesceMs ?? 2000;
  const now = o.now ?? Date.now;
  const due = new Map<string, number>();
  return async (connectionId) => {
    const at = now();
    if ((due.get(connectionId) ?? 0) > at) return false;
    due.set(connectionId, at + wait);
    try {
      await queue.send<CalendarWatchJob>(CALENDAR_WATCH_QUEUE, { connectionId }, { startAfter: new Date(at + wait), retryLimit: 1 });
    } catch (error) {
      due.delete(connectionId);
      throw error;
    }
    return true;
  };
}

/**
 * Queues Graph's lifecycle notifications of a connection for the watcher's job, at once (Graph
 * wants 202 quickly, and the renewal or new subscription is made by the job). Those for a
 * subscription Fulcrum does not hold are not queued: their ids come back in `unknown`.
 */
export function calendarLifecycleTrigger(
  db: Database,
  queue: Pick<JobQueue, "send">,
): (connectionId: string, notifications: readonly Pick<GraphLifecycleNotification, "subscriptionId" | "lifecycleEvent">[]) => Promise<{ unknown: string[] }> {
  return async (connectionId, notifications) => {
    const held = await heldGraphSubscriptions(
      db,
      connectionId,
      notifications.map((n) => n.subscriptionId),
    );
    const known = notifications.filter((n) => held.has(n.subscriptionId));
    if (known.length > 0)
      await queue.send<CalendarWatchJob>(
        CALENDAR_WATCH_QUEUE,
        { connectionId, lifecycle: known.map((n) => ({ subscriptionId: n.subscriptionId, lifecycleEvent: n.lifecycleEvent })) },
        { retryLimit: 1 },
      );
    return { unknown: notifications.filter((n) => !held.has(n.subscriptionId)).map((n) => n.subscriptionId) };
  };
}

/** What push channels need: the public address and the service's secret key the secrets derive from. */
export interface CalendarPushOptions {
  publicUrl: string | undefined;
  secretKey: () => Buffer;
}

/** Builds the watcher over the configured calendars (opened once) and the inbox. */
export function createCalendarWatch(o: {
  db: Database;
  inbox: Pick<Inbox, "storeEvent">;
  calendars: CalendarsConfig;
  secrets?: CalendarSecrets | undefined;
  providers?: ReadonlyMap<string, CalendarProvider> | undefined;
  now?: (() => number) | undefined;
  push?: CalendarPushOptions | undefined;
}): CalendarWatch {
  let providers = o.providers;
  const open = () => (providers ??= new Map(o.calendars.connections.map((c) => [c.id, openCalendarProvider(c, o.calendars, o.secrets)])));
  const watch: CalendarWatch = {
    async lifecycle(connectionId, notifications) {
      const push = o.push;
      return await handleGraphLifecycle(
        { db: o.db, providers: open(), publicUrl: push?.publicUrl, secret: (id) => calendarPushSecret(push!.secretKey(), id) },
        connectionId,
        notifications,
      );
    },
    async runJob(data) {
      const connectionId = typeof data?.connectionId === "string" ? data.connectionId : undefined;
      const problems: string[] = [];
      if (connectionId && Array.isArray(data?.lifecycle) && data.lifecycle.length > 0)
        problems.push(...(await watch.lifecycle(connectionId, data.lifecycle)).problems);
      const r = await watch.runOnce({ connectionId });
      return { ...r, problems: [...problems, ...r.problems] };
    },
    async runOnce(only) {
      const r = await watchBookedPanels({ db: o.db, calendars: o.calendars, providers: open(), now: o.now, calendarConnectionId: only?.connectionId });
      // Backup interviewers' holds go once the interview has passed or its panel was cancelled or
      // moved: every tick looks, so a cancellation with no reminder left to run still frees the time.
      const holds = await releaseBackupHolds({ db: o.db, calendars: o.calendars, providers: open(), now: (o.now ?? Date.now)() });
      return {
        changes: r.changes.length,
        stored: await store(o.inbox, r.changes),
        problems: [...r.problems, ...holds.problems],
        released: holds.released.length,
      };
    },
    async syncChannels() {
      const push = o.push;
      return await syncPushChannels({
        db: o.db,
        calendars: o.calendars,
        providers: open(),
        publicUrl: push?.publicUrl,
        secret: (id) => calendarPushSecret(push!.secretKey(), id),
        now: o.now,
      });
    },
  };
  return watch;
}

/**
 * Starts the watcher's schedule and worker. Nothing is scheduled without a calendar connection;
 * a schedule left from before is dropped then.
 */
export async function startCalendarWatch(o: {
  db: Database;
  queue: JobQueue;
  inbox: Pick<Inbox, "storeEvent">;
  calendars: CalendarsConfig | undefined;
  secrets?: CalendarSecrets | undefined;
  push?: CalendarPushOptions | undefined;
  logger: Logger;
}): Promise<void> {
  await o.queue.define(CALENDAR_WATCH_QUEUE, { retryLimit: 1 });
  const calendars = o.calendars;
  if (!calendars || calendars.connections.length === 0) {
    await o.queue.boss.unschedule(CALENDAR_WATCH_QUEUE).catch(() => {});
    return;
  }
  const watch = createCalendarWatch({ db: o.db, inbox: o.inbox, calendars, secrets: o.secrets, push: o.push });
  await o.queue.work<CalendarWatchJob>(CALENDAR_WATCH_QUEUE, { concurrency: 1 }, async (job) => {
    // The schedule's jobs read every calendar; a push's job reads its connection's (after acting on Graph's lifecycle notifications).
    const connectionId = typeof job.data?.connectionId === "string" ? job.data.connectionId : undefined;
    const r = await watch.runJob(job.data);
    // Interviewers' calendar addresses may appear in problems; candidates' details never do.
    for (const p of r.problems) o.logger.warn({ queue: CALENDAR_WATCH_QUEUE }, `calendar changes could not be read: ${p}`);
    if (r.changes > 0) o.logger.info({ changes: r.changes, stored: r.stored }, "calendar changes to booked panels stored");
    // On the schedule's ticks, the push channels follow the watched calendars (a push's job only reads).
    if (connectionId === undefined) {
      const c = await watch.syncChannels();
      for (const p of c.problems) o.logger.warn({ queue: CALENDAR_WATCH_QUEUE }, `${p}; changes there are read on the schedule`);
      if (c.opened + c.renewed + c.closed > 0)
        o.logger.info({ opened: c.opened, renewed: c.renewed, closed: c.closed }, "calendar push channels kept in step with the booked panels");
    }
  });
  await o.queue.schedule(CALENDAR_WATCH_QUEUE, pollCron(calendars.pollSeconds), {});
}

/**
 * A candidate asked to cancel or move: one `candidate.reschedule` event per booked panel of the
 * opportunity (the same request made twice is one event per panel revision). Returns the panels.
 */
export async function requestReschedule(
  o: { db: Database; inbox: Pick<Inbox, "storeEvent"> },
  connectionId: string,
  opportunityId: string,
  reason?: string,
): Promise<string[]> {
  const panels = await createSchedulingChangeStore(o.db).bookedFor(connectionId, opportunityId);
  const changes = panels.map((p) =>
    panelChange(
      p,
      { kind: "reschedule", sessionIds: ((p.params as { sessions?: { id: string }[] }).sessions ?? []).map((s) => s.id), ...(reason ? { reason } : {}) },
      "request",
    ),
  );
  await store(o.inbox, changes);
  return panels.map((p) => p.panelKey);
}
