/**
 * What the engine reacts to, whatever its source, and the Lever data conditions are checked
 * against. Shapes are lenient on purpose: Lever omits fields, and expanded fields may be ids or
 * objects.
 */
import type { LeverApplication, LeverArchiveReason, LeverOpportunity, LeverPosting, LeverStage } from "../../lever/index.ts";

/** An event as the workflow engine sees it. */
export interface EngineEvent {
  /** Stable identity of the event: a run is unique per workflow × key. */
  key: string;
  /** The inbox row this came from, when it came through the inbox. */
  inboxId?: number | undefined;
  connectionId: string;
  source: "lever" | "tool" | "schedule" | "timer" | "manual";
  /** For source `tool`: the tool's name (e.g. `codility`). */
  tool?: string | undefined;
  /** Lever event name, the tool's event name, or `schedule` / `timer` / `manual`. */
  name: string;
  triggeredAt: number;
  data: Record<string, unknown>;
  traceId: string;
  /** Schedules, timers and manual runs target one workflow. */
  workflowId?: string | undefined;
}

/**
 * Lever's objects as the engine reads them: the Lever module's types, inferred from its schemas
 * (loose, almost every field optional; expanded fields are ids or objects).
 */
export type StageLike = LeverStage;
export type ArchiveReasonLike = LeverArchiveReason;
export type PostingLike = LeverPosting;
export type ApplicationLike = LeverApplication;
export type OpportunityLike = LeverOpportunity;

/** Lever data gathered before matching (only what the conditions need). */
export interface MatchContext {
  opportunity?: OpportunityLike | undefined;
  posting?: PostingLike | undefined;
  stages?: StageLike[] | undefined;
  archiveReasons?: ArchiveReasonLike[] | undefined;
  interview?: { id?: string; date?: number; duration?: number; [key: string]: unknown } | undefined;
}

/** The opportunity id an event is about, when it names one. */
export function opportunityIdOf(event: EngineEvent): string | undefined {
  const d = event.data;
  const id = d.opportunityId ?? d.candidateId;
  return typeof id === "string" && id !== "" ? id : undefined;
}
