/**
 * Interview webhooks (`interviewCreated`, `interviewUpdated`, `interviewDeleted`, Beta in Lever).
 * Lever has not confirmed their `data` fields: the reference lists `interviewId`, `panelId`,
 * `opportunityId` and `contactId` as likely (§5.3, §10). Each id is taken when present; a missing
 * one is looked up through the API instead — the opportunity among the contact's opportunities,
 * the interview with `GET /opportunities/:id/interviews/:id`, or, with no interview id at all,
 * every interview of the opportunity that has not ended or ended within the last day. A missing field is logged (ids only, never contact
 * details) and counted, and an event whose interview cannot be found is logged as a warning and
 * counted too, so a payload that differs from the reference never silently turns the feedback
 * nudges off.
 */
import type { Logger } from "../../observability/index.ts";
import { interviewEventFieldsMissing, interviewEventsUnresolved } from "../../observability/index.ts";
import type { EngineEvent } from "../workflows/index.ts";
import type { LeverGateway } from "../ports.ts";

/** The `data` fields the reference lists for interview events (unconfirmed by Lever). */
export const interviewEventFields = ["interviewId", "panelId", "opportunityId", "contactId"] as const;

export function isInterviewEvent(name: string): boolean {
  return name === "interviewCreated" || name === "interviewUpdated" || name === "interviewDeleted";
}

/** One interview an event is about, with the opportunity it belongs to. */
export interface InterviewSubject {
  opportunityId: string;
  interview: Record<string, unknown> & { id: string };
}

export interface ResolvedInterviewEvent {
  /** The opportunity, from the event or found through the API; undefined when neither worked. */
  opportunityId: string | undefined;
  /** The interviews to act on: the event's, or every upcoming one when the event names none. */
  subjects: InterviewSubject[];
  /** The documented fields the event lacked. */
  missing: string[];
}

/** How long after its end an interview still counts for an event that names no interview. */
const RECENT_MS = 24 * 3_600_000;

function id(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function asInterview(v: unknown): (Record<string, unknown> & { id: string }) | undefined {
  return typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string" ? (v as Record<string, unknown> & { id: string }) : undefined;
}

/**
 * Finds the opportunity and interview(s) an interview event is about. `interviews`, when given,
 * is the opportunity's interview list already fetched for the run (it is reused, not fetched again).
 */
export async function resolveInterviewEvent(
  event: EngineEvent,
  lever: LeverGateway,
  options: { logger: Logger; now: () => number; interviews?: unknown[] | undefined },
): Promise<ResolvedInterviewEvent> {
  const data = event.data;
  const log = { connectionId: event.connectionId, event: event.name, eventKey: event.key };
  const missing = interviewEventFields.filter((f) => id(data[f]) === undefined);
  for (const field of missing) interviewEventFieldsMissing.inc({ event: event.name, field });
  const interviewId = id(data.interviewId);
  const contactId = id(data.contactId);
  // A legacy candidateId, where sent, names the opportunity too (reference §3.1).
  let opportunityId = id(data.opportunityId) ?? id(data.candidateId);
  const unresolved = (reason: string, message: string): ResolvedInterviewEvent => {
    interviewEventsUnresolved.inc({ event: event.name, reason });
    options.logger.warn({ ...log, missing, reason, interviewId, opportunityId }, message);
    return { opportunityId, subjects: [], missing };
  };
  if (missing.length > 0) options.logger.warn({ ...log, missing }, "interview webhook lacks data fields; looking the interview up through Lever's API");

  let found: (Record<string, unknown> & { id: string }) | undefined;
  if (!opportunityId && contactId && lever.opportunityIdsOfContact) {
    const candidates = await lever.opportunityIdsOfContact(contactId);
    if (interviewId && lever.getInterview) {
      for (const candidate of candidates) {
        const interview = asInterview(await lever.getInterview(candidate, interviewId));
        if (interview) {
          opportunityId = candidate;
          found = interview;
          break;
        }
      }
    } else if (candidates.length === 1) {
      opportunityId = candidates[0];
    }
  }
  if (!opportunityId)
    return unresolved("no_opportunity", "interview webhook names no opportunity and none could be found for it; no feedback nudge is scheduled");

  if (interviewId) {
    if (!found) {
      const listed = options.interviews ?? (await lever.listInterviews(opportunityId));
      found = listed.map(asInterview).find((i) => i?.id === interviewId);
    }
    if (!found && lever.getInterview) found = asInterview(await lever.getInterview(opportunityId, interviewId));
    // A deleted interview is gone: nothing to look up, and nothing is missing.
    if (!found)
      return event.name === "interviewDeleted"
        ? { opportunityId, subjects: [], missing }
        : unresolved("no_interview", "interview webhook names an interview Lever does not have; no feedback nudge is scheduled");
    return { opportunityId, subjects: [{ opportunityId, interview: found }], missing };
  }

  // No interview id: every interview of the opportunity that has not ended, or ended within the
  // last day, is a subject. Timers are keyed by interview and end time, so arming one again for an
  // interview already followed up replaces it instead of nudging twice.
  const listed = (options.interviews ?? (await lever.listInterviews(opportunityId)))
    .map(asInterview)
    .filter((i): i is Record<string, unknown> & { id: string } => !!i);
  const since = options.now() - RECENT_MS;
  const upcoming = listed.filter(
    (i) => !i.canceledAt && typeof i.date === "number" && i.date + (typeof i.duration === "number" ? i.duration : 0) * 60_000 > since,
  );
  if (upcoming.length === 0)
    return unresolved(
      "no_interview",
      "interview webhook names no interview and the opportunity has none that is recent or to come; no feedback nudge is scheduled",
    );
  return { opportunityId, subjects: upcoming.map((interview) => ({ opportunityId: opportunityId!, interview })), missing };
}
