/**
 * Questions of a set asked to some candidates of a posting and not to others, from the stored
 * analyses in `interview_transcripts`: the interviewer check's consistency half. One interview is
 * compared with the latest analysis of each other candidate of the same posting and stage (a
 * first-round set is not a final-round set), at the time it is asked for — so the first candidate's
 * interview shows what later ones revealed, and a forgotten candidate drops out of everyone's
 * comparison. The other candidates are counted, never named, in what this returns.
 */
import { inconsistencyForInterview, inconsistentQuestions, type InconsistentQuestionFlag, type QuestionResult } from "./analysis/index.ts";
import type { Queryable } from "../store/index.ts";

/** How many of a posting's latest analysed interviews one is compared with. */
export const COMPARED_INTERVIEWS = 500;

/** The interview to compare: its row, its candidate, posting and stage, and its questions. */
export interface ComparedInterview {
  connectionId: string;
  /** Its `interview_transcripts` id: the row itself is left out of the comparison. */
  recordId: string;
  opportunityId: string;
  postingId: string | null;
  stageId: string | null;
  questions: readonly Pick<QuestionResult, "id" | "text" | "asked">[];
}

/**
 * The inconsistency flags of one interview against the posting's other candidates, as kept with it
 * (`inconsistencyForInterview`: others are OTHER_CANDIDATE). None without a posting.
 *
 * @example
 * await postingInconsistencies(db, { connectionId, recordId: "12", opportunityId: "opp-1", postingId: "post-1", stageId: null, questions })
 * // [{ kind: "inconsistent-question", id: "q-testing", askedTo: ["another candidate"], notAskedTo: ["opp-1"], … }]
 */
export async function postingInconsistencies(db: Queryable, interview: ComparedInterview): Promise<InconsistentQuestionFlag[]> {
  if (!interview.postingId || interview.questions.length === 0) return [];
  // Only the ids of the questions each other interview asked, and which of the set it had: never its quotes.
  const { rows } = await db.query<{ opportunity_id: string; had: unknown; asked: unknown }>(
    `select distinct on (opportunity_id) opportunity_id,
            jsonb_path_query_array(analysis, '$.questions[*].id') as had,
            jsonb_path_query_array(analysis, '$.questions[*] ? (exists(@.asked.start)).id') as asked
       from (select opportunity_id, analysis, analyzed_at from interview_transcripts
              where connection_id = $1 and posting_id = $2 and stage_id is not distinct from $3
                and id <> $4 and opportunity_id <> $5 and analysis is not null
              order by analyzed_at desc limit $6) latest
      order by opportunity_id, analyzed_at desc`,
    [interview.connectionId, interview.postingId, interview.stageId, interview.recordId, interview.opportunityId, COMPARED_INTERVIEWS],
  );
  const texts = new Map(interview.questions.map((q) => [q.id, q.text]));
  const strings = (v: unknown) => new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const others = rows.map((r) => {
    const had = strings(r.had);
    const asked = strings(r.asked);
    return {
      ref: r.opportunity_id,
      questions: [...texts]
        .filter(([id]) => had.has(id))
        .map(([id, text]) => ({ id, text, asked: asked.has(id) ? { start: 0, end: 0, quote: "" } : null, answer: null })),
    };
  });
  if (others.length === 0) return [];
  const own = interview.questions.map((q) => ({ id: q.id, text: q.text, asked: q.asked, answer: null }));
  return inconsistentQuestions([{ ref: interview.opportunityId, questions: own }, ...others]).map((f) => inconsistencyForInterview(f, interview.opportunityId));
}
