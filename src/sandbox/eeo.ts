/**
 * Lever's voluntary EEO survey in the sandbox: the answers a candidate gave when applying
 * (`eeoResponses` on `POST /postings/:id/apply`), deterministic seeded answers for the demo
 * organisation's candidates, and the rows of `GET /eeo/responses/pii` and `GET /eeo/responses`.
 */
import { createPrng, hashSeed } from "./resumes/prng.ts";
import type { EeoAnswers, SandboxState } from "./state.ts";

export type { EeoAnswers } from "./state.ts";

/**
 * Lever's answers to the gender question, listed with the other EEO vocabularies though no check reads it yet.
 * @public
 */
export const eeoGenders = ["Male", "Female", "Decline to self-identify"] as const;
export const eeoRaces = [
  "Asian (Not Hispanic or Latino)",
  "Black or African American (Not Hispanic or Latino)",
  "Hispanic or Latino",
  "White (Not Hispanic or Latino)",
  "Two or More Races (Not Hispanic or Latino)",
  "Decline to self-identify",
] as const;
const veterans = ["I am not a protected veteran", "I identify as one or more of the classifications of protected veteran", "I don't wish to answer"] as const;
const disabilities = ["No, I don't have a disability", "Yes, I have a disability (or previously had a disability)", "I don't wish to answer"] as const;

const day = 86_400_000;

/** Lever's `GET /eeo/responses/pii` window when none is given: the last week. */
export const defaultEeoWindowMs = 7 * day;

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 200) : null;
}

/** The `eeoResponses` object of an apply request, or null when the candidate skipped the survey. */
export function eeoAnswersFromApply(body: unknown, at: number): EeoAnswers | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const answers = { gender: text(b.gender), race: text(b.race), veteran: text(b.veteran), disability: text(b.disability) };
  if (Object.values(answers).every((v) => v === null)) return null;
  return { ...answers, disabilitySignatureDate: answers.disability ? at : null, respondedAt: at };
}

/**
 * Seeds EEO answers for the demo candidates: about one in eight skipped the survey, some declined
 * to self-identify. In the busiest published posting, candidates who moved past the first stage are
 * mostly men and those who did not mostly women — a mild, deliberate disparity so the fairness
 * page has something to flag on demo data.
 */
export function seedDemoEeo(state: SandboxState, seed: number): void {
  const firstPosting = skewedDemoPosting(state);
  for (const opp of state.opportunities.values()) {
    const r = createPrng(hashSeed(`demo-eeo:${seed}:${opp.id}`));
    if (r.chance(0.12)) continue;
    const postingId = opp.applications.map((a) => state.applications.get(a)?.posting).find((p) => p);
    let gender: string;
    if (r.chance(0.08)) gender = "Decline to self-identify";
    else if (postingId === firstPosting) gender = r.chance(opp.stageChanges.length > 1 ? 0.75 : 0.3) ? "Male" : "Female";
    else gender = r.chance(0.5) ? "Male" : "Female";
    const disability = r.pick(disabilities);
    const respondedAt = opp.createdAt + r.int(0, 3_600_000);
    state.eeoResponses.set(opp.id, {
      gender,
      race: r.pick(eeoRaces),
      veteran: r.pick(veterans),
      disability,
      disabilitySignatureDate: disability === "I don't wish to answer" ? null : respondedAt,
      respondedAt,
    });
  }
}

/** The published posting with the most applications: where the demo answers are skewed. */
export function skewedDemoPosting(state: SandboxState): string | undefined {
  const counts = new Map<string, number>();
  for (const a of state.applications.values()) if (a.posting) counts.set(a.posting, (counts.get(a.posting) ?? 0) + 1);
  let best: string | undefined;
  for (const p of state.postings.values()) {
    if (p.state === "published" && (counts.get(p.id) ?? 0) > (best ? (counts.get(best) ?? 0) : 0)) best = p.id;
  }
  return best;
}

interface EeoRow {
  opportunityId: string;
  answers: EeoAnswers;
  createdAt: number;
}

/** Answered surveys of visible opportunities whose application was made in [start, end]. */
export function eeoRows(state: SandboxState, start: number, end: number, visible: (opportunityId: string) => boolean): EeoRow[] {
  const rows: EeoRow[] = [];
  for (const [opportunityId, answers] of state.eeoResponses) {
    const opp = state.opportunities.get(opportunityId);
    if (!opp || opp.deletedAt !== null || !visible(opportunityId)) continue;
    if (opp.createdAt < start || opp.createdAt > end) continue;
    rows.push({ opportunityId, answers, createdAt: opp.createdAt });
  }
  return rows;
}

function applicationOf(state: SandboxState, opportunityId: string) {
  const opp = state.opportunities.get(opportunityId)!;
  const application = opp.applications.map((a) => state.applications.get(a)).find((a) => a !== undefined);
  const posting = application?.posting ? state.postings.get(application.posting) : undefined;
  return { opp, posting };
}

/** A row of `GET /eeo/responses/pii`: the answers with the candidate and application. */
export function eeoPiiJson(state: SandboxState, row: EeoRow): Record<string, unknown> {
  const { opp, posting } = applicationOf(state, row.opportunityId);
  const contact = state.contacts.get(opp.contact);
  const stage = state.stages.find((s) => s.id === opp.stage);
  const hired = opp.archived && state.archiveReasons.find((a) => a.id === opp.archived?.reason)?.type === "hired" ? opp.archived.archivedAt : null;
  return {
    opportunityId: opp.id,
    contact: contact ? { id: contact.id, name: contact.name } : opp.contact,
    appliedAt: opp.createdAt,
    applicationArchivedAt: opp.archived?.archivedAt ?? null,
    applicationArchivedBy: null,
    currentStage: stage ? { id: stage.id, text: stage.text } : opp.stage,
    origin: opp.origin,
    source: opp.sources[0] ?? null,
    posting: posting ? { id: posting.id, text: posting.text } : null,
    hiringManager: posting?.hiringManager ?? null,
    requisitionCodes: posting?.requisitionCodes ?? [],
    hiredDate: hired,
    gender: row.answers.gender,
    race: row.answers.race,
    veteran: row.answers.veteran,
    disability: row.answers.disability,
    disabilitySignatureDate: row.answers.disabilitySignatureDate,
    eeoSurveyRespondedAt: row.answers.respondedAt,
  };
}

/** A row of `GET /eeo/responses`: the answers and the posting and stage, with nothing naming the candidate. */
export function eeoAnonymousJson(state: SandboxState, row: EeoRow): Record<string, unknown> {
  const { opp, posting } = applicationOf(state, row.opportunityId);
  return {
    appliedAt: opp.createdAt,
    currentStage: opp.stage,
    posting: posting?.id ?? null,
    origin: opp.origin,
    gender: row.answers.gender,
    race: row.answers.race,
    veteran: row.answers.veteran,
    disability: row.answers.disability,
    eeoSurveyRespondedAt: row.answers.respondedAt,
  };
}
