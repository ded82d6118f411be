/**
 * Keeps the rediscovery index current from Lever webhooks, beside the workflows: a deleted
 * candidate is forgotten, an archive, stage or hire change updates (or first builds) the indexed
 * profile. A new application is indexed by the screening step from the resume it already read, so
 * no file is downloaded twice; only when no enabled workflow screens applications does this hook
 * index it itself.
 */
import type { LeverClient } from "../../../lever/index.ts";
import type { Logger } from "../../../observability/index.ts";
import { updateIndexFromWebhook } from "../../../screening/index.ts";
import type { Queryable } from "../../../store/index.ts";
import type { Workflow } from "../../workflows/index.ts";
import type { EngineEvent } from "../../workflows/event.ts";

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
