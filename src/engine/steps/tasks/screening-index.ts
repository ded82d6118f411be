/**
 * Keeps the rediscovery index current from Lever webhooks, beside the workflows (and runs the
 * backfills asked for over the API, at the end of this file): a deleted
 * candidate is forgotten, an archive, stage or hire change updates (or first builds) the indexed
 * profile. A new application is indexed by the screening step from the resume it already read, so
 * no file is downloaded twice; only when no enabled workflow screens applications does this hook
 * index it itself.
 */
import type { LeverClient } from "../../../lever/index.ts";
import type { Logger } from "../../../observability/index.ts";
import { backfillProfiles, updateIndexFromWebhook } from "../../../screening/index.ts";
import type { Database, Queryable } from "../../../store/index.ts";
import type { createEmbedder } from "../../../ai/index.ts";
import type { JobQueue } from "../../queue/index.ts";
import type { EngineEvent, Workflow } from "../../workflows/index.ts";

const INDEX_EVENTS = new Set(["candidateArchiveChange", "candidateStageChange", "candidateHired", "candidateDeleted", "applicationCreated"]);

/** True when an enabled workflow screens new applications (and so indexes them). */
export function screensApplications(workflows: readonly Workflow[]): boolean {
  return workflows.some(
    (w) =>
      w.enabled &&
      w.triggers.some((t) => "lever" in t && [t.lever].flat().includes("applicationCreated")) &&
      w.steps.some((s) => s.type === "task" && s.task === "screening.screen"),
  );
}

export interface IndexHookOptions {
  db: Queryable;
  client(connectionId: string): Promise<Pick<LeverClient, "getOpportunity" | "listResumes" | "downloadResume">>;
  workflows(): Promise<readonly Workflow[]>;
  logger: Logger;
}

/**
 * Updates the index for one Lever event. Failures are logged and swallowed: the index is a cache
 * of Lever that the next event or `fulcrum backfill` repairs, and it must never hold up workflows.
 */
export async function updateScreeningIndex(o: IndexHookOptions, event: EngineEvent): Promise<void> {
  if (event.source !== "lever" || !INDEX_EVENTS.has(event.name)) return;
  const opportunityId = typeof event.data.opportunityId === "string" ? event.data.opportunityId : undefined;
  if (!opportunityId) return;
  if (event.name === "applicationCreated" && screensApplications(await o.workflows())) return;
  try {
    const outcome = await updateIndexFromWebhook(o.db, await o.client(event.connectionId), event.connectionId, { event: event.name, data: { opportunityId } });
    if (outcome) o.logger.debug({ event: event.name, opportunityId, outcome: outcome.outcome }, "screening index updated");
  } catch (error) {
    o.logger.warn({ event: event.name, opportunityId, err: (error as Error).message }, "screening index not updated (the next event or a backfill will)");
  }
}

/** The queue of backfills asked for over the API (`POST /api/rediscovery/backfill`). */
export const BACKFILL_QUEUE = "screening.backfill";

export interface BackfillRequest {
  connectionId: string;
  since?: Date | undefined;
  includeConfidential?: boolean | undefined;
  requestedBy: string;
}

/** Records a backfill request and queues its job in one transaction; resolves to the request's id. */
export async function requestBackfill(db: Database, queue: JobQueue, request: BackfillRequest): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      "insert into screening_backfills (connection_id, since, include_confidential, requested_by) values ($1, $2, $3, $4) returning id",
      [request.connectionId, request.since ?? null, request.includeConfidential === true, request.requestedBy],
    );
    const id = Number(rows[0]!.id);
    await queue.send(BACKFILL_QUEUE, { backfillId: id }, {}, tx);
    return id;
  });
}

export interface BackfillRow {
  id: number;
  connectionId: string;
  since: string | null;
  includeConfidential: boolean;
  requestedBy: string;
  status: "queued" | "running" | "done" | "failed";
  report: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export async function getBackfill(db: Queryable, id: number): Promise<BackfillRow | undefined> {
  const { rows } = await db.query<Record<string, unknown>>("select * from screening_backfills where id = $1", [id]);
  const r = rows[0];
  if (!r) return undefined;
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: Number(r.id),
    connectionId: String(r.connection_id),
    since: iso(r.since),
    includeConfidential: Boolean(r.include_confidential),
    requestedBy: String(r.requested_by),
    status: r.status as BackfillRow["status"],
    report: r.report ?? null,
    error: (r.error as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

/**
 * Runs queued backfills in this process, one at a time (they share the connection's Lever rate
 * limit with the workflows, so one is plenty). The report is stored with the request.
 */
export async function startBackfillWorker(
  o: Omit<IndexHookOptions, "client" | "workflows"> & {
    db: Database;
    queue: JobQueue;
    client(connectionId: string): Promise<LeverClient>;
    embedder?: () => ReturnType<typeof createEmbedder>;
  },
): Promise<void> {
  await o.queue.define(BACKFILL_QUEUE, { retryLimit: 1 });
  await o.queue.work<{ backfillId: number }>(BACKFILL_QUEUE, { concurrency: 1 }, async (job) => {
    const row = await getBackfill(o.db, job.data.backfillId);
    if (!row || row.status === "done") return;
    await o.db.query("update screening_backfills set status = 'running', started_at = now(), error = null where id = $1", [row.id]);
    try {
      const embedding = o.embedder?.();
      const report = await backfillProfiles(o.db, await o.client(row.connectionId), row.connectionId, {
        ...(row.since ? { since: new Date(row.since) } : {}),
        ...(row.includeConfidential ? { includeConfidential: true } : {}),
        embedder: embedding?.embedder,
        embedderUnavailable: embedding?.reason,
      });
      await o.db.query("update screening_backfills set status = 'done', report = $2, finished_at = now() where id = $1", [row.id, JSON.stringify(report)]);
      o.logger.info(
        { backfillId: row.id, connectionId: row.connectionId, seen: report.seen, indexed: report.indexed, failed: report.failed.length },
        "rediscovery index backfilled",
      );
    } catch (error) {
      const message = (error as Error).message.slice(0, 2000);
      await o.db.query("update screening_backfills set status = 'failed', error = $2, finished_at = now() where id = $1", [row.id, message]);
      o.logger.warn({ backfillId: row.id, err: message }, "rediscovery backfill failed");
    }
  });
}
