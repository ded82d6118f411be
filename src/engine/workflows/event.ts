/**
 * What the engine reacts to, whatever its source, and the Lever data conditions are checked
 * against. Shapes are lenient on purpose: Lever omits fields, and expanded fields may be ids or
 * objects.
 */

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

export interface StageLike {
  id: string;
  text?: string | undefined;
}

export interface ArchiveReasonLike {
  id: string;
  text?: string | undefined;
  type?: string | null | undefined;
}

export interface PostingLike {
  id: string;
  text?: string | undefined;
  confidentiality?: string | undefined;
  categories?: { team?: string; department?: string; location?: string; commitment?: string; allLocations?: string[] } | undefined;
  [key: string]: unknown;
}

export interface ApplicationLike {
  id?: string;
  posting?: string | PostingLike | null;
  customQuestions?: { fields?: { text?: string; value?: unknown }[] }[] | null;
  [key: string]: unknown;
}

export interface OpportunityLike {
  id: string;
  name?: string;
  stage?: string | StageLike | null;
  tags?: string[];
  sources?: string[];
  origin?: string;
  confidentiality?: string;
  archived?: { reason?: string | null; archivedAt?: number } | null;
  applications?: (string | ApplicationLike)[];
  [key: string]: unknown;
}

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
