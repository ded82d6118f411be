/**
 * The fairness report behind the console's Fairness page and its CSV export: for each posting and
 * each stage of the pipeline, selection rates and impact ratios by sex, race/ethnicity and their
 * intersection. At the first decision (is the applicant moved past New applicant?) Fulcrum's
 * screening recommendations (the rate of each: advance, hold and reject) and people's decisions
 * are side by side, with the scoring rate; at each
 * later stage, people's decisions (of those who reached the stage, who moved beyond it or was
 * hired). After the pipeline, the interview outcomes of the people Fulcrum booked panels for or
 * whose recorded interviews it analysed: attended (no no-show), kept the booked time (no reschedule or
 * cancellation) and rated strong by the interview triage, each a rate where higher is better, so
 * they take the same impact ratios and small-sample rules. The arithmetic is governance's pure functions (`src/governance/fairness.ts`); this file gathers
 * the records.
 *
 * The two sides need different things. People's decisions need only Lever: the EEO answers and where
 * each application is in the pipeline (`currentStage`, archived, hired) come together from
 * `GET /eeo/responses/pii`, and the account's stage order from `GET /stages`, so they show as soon
 * as the connection can read EEO data. The AI side needs Fulcrum's screening runs, so it fills in
 * once the screening workflow has run; until then the report says so instead of showing nothing.
 *
 * Lever's EEO rows give each application's current stage only, not its history (reading every
 * opportunity's history on each page load would be far too slow), so who reached a later stage S
 * is inferred from the stage order: an application now past S, or hired from S or later, passed S;
 * one archived at S stopped there; one still at S is undecided, and is left out of S's rates rather
 * than counted as rejected (the table says how many). At the first decision, applicants still
 * waiting count as not advanced, as in an applicant-flow analysis.
 *
 * Demographics come only from Lever's EEO responses, joined in memory for these counts; no
 * individual's answers leave this function.
 */
import {
  adverseImpactVerdict,
  fairnessAudit,
  selectionRates,
  type FairnessDimension,
  type FairnessRecord,
  type FairnessReport as GroupReport,
} from "../../governance/index.ts";
import { createReminderStore, type Queryable } from "../../store/index.ts";
import { interviewTriageRows, screeningRunRows } from "../../engine/index.ts";
import type { FairnessReport, FairnessTable, GroupRow, MeasureKey, Metric } from "../../contract/console-api.ts";

export type { FairnessReport, FairnessTable, GroupRow, MeasureKey };

/**
 * One person's EEO answers as Lever's `GET /eeo/responses/pii` returns them (only the fields used
 * here). `posting` and `currentStage` are objects with `id` and `text`, or bare ids.
 */
export interface EeoResponse {
  opportunityId: string;
  gender?: string | null | undefined;
  race?: string | null | undefined;
  posting?: unknown;
  currentStage?: unknown;
  hiredDate?: number | null | undefined;
  /** When the application was archived (hired or not); null or absent while it is active. */
  applicationArchivedAt?: number | null | undefined;
}

/** Reads a connection's EEO responses, or says why it cannot. */
export type EeoSource = (connectionId: string) => Promise<EeoResponse[] | { unavailable: string }>;

/** A stage as Lever's `GET /stages` lists it. */
export interface StageRef {
  id: string;
  text: string;
}

/** Reads a connection's stages in the account's pipeline order (`GET /stages`), or says why it cannot. */
export type StageSource = (connectionId: string) => Promise<StageRef[] | { unavailable: string }>;

/**
 * The stages through a connection's Lever client (`GET /stages`, in the account's order), or the
 * reason it cannot read them.
 *
 * @example
 * const stages = stagesThroughLever((id) => registry.client(id));
 * const order = await stages("default"); // [{ id: "lead-new", text: "New lead" }, …, { id: "offer", text: "Offer" }]
 */
export function stagesThroughLever(client: (connectionId: string) => Promise<unknown>): StageSource {
  return async (connectionId) => {
    try {
      const c = (await client(connectionId)) as { listStages?: () => AsyncIterable<{ id: string; text?: string | null }> };
      if (typeof c.listStages !== "function") return { unavailable: "this version's Lever client does not read stages" };
      const all: StageRef[] = [];
      for await (const s of c.listStages()) all.push({ id: s.id, text: s.text ?? s.id });
      return all;
    } catch (error) {
      return { unavailable: (error as Error).message };
    }
  };
}

/** What the page and the CSV call each dimension; the page takes them from the report. */
export const DIMENSION_LABELS: Record<FairnessDimension, string> = {
  sex: "sex",
  race: "race/ethnicity",
  intersection: "sex × race/ethnicity",
};

/** The measures, in the order the page and the CSV show them. */
export const MEASURES: readonly { key: MeasureKey; label: string; csv: string; explain: string }[] = [
  {
    key: "ai",
    label: "AI recommendation: advance",
    csv: "selection rate, AI recommendation advance",
    explain: "share of the applicants Fulcrum screened that its screening recommended advancing.",
  },
  {
    key: "aiHold",
    label: "AI recommendation: hold",
    csv: "rate, AI recommendation hold",
    explain:
      "share of the applicants Fulcrum screened that its screening recommended holding for a person to decide (scored between the reject and advance bars).",
  },
  {
    key: "aiReject",
    label: "AI recommendation: reject",
    csv: "rate, AI recommendation reject",
    explain:
      "share of the applicants Fulcrum screened that its screening recommended rejecting (a must-have missing, or a score below the reject bar). Applicants it could not score count in each of the three rates' samples but in none of their numerators.",
  },
  {
    key: "human",
    label: "Human decision",
    csv: "selection rate, human decision",
    explain:
      "at the first decision, the share of the applicants whom a person moved past New applicant in Lever (or approved Fulcrum's proposal to); applicants still waiting there count as not advanced, as in an applicant-flow analysis, and moves Fulcrum made by itself in auto mode are left out. At a later stage, the share of the people who reached it that moved beyond it or were hired; those archived there count as not advanced, and those still there are undecided and left out.",
  },
  {
    key: "scoring",
    label: "Scoring rate",
    csv: "scoring rate",
    explain: "share of the screened applicants scoring above the median of the whole sample.",
  },
  {
    key: "attended",
    label: "Attended interviews",
    csv: "rate, attended booked interviews",
    explain:
      "of the people with a panel Fulcrum booked that has started, the share not marked a no-show at any of them. Cancelled panels are left out; people whose panels are all still ahead are undecided.",
  },
  {
    key: "keptTime",
    label: "Kept the booked time",
    csv: "rate, kept booked time without reschedule",
    explain:
      "of the people with a panel Fulcrum booked that has started or was cancelled, the share whose panels all went ahead at the time first booked: a reschedule (by the candidate's link or a re-booking after an interviewer's change) or a cancellation counts against it.",
  },
  {
    key: "interviewStrong",
    label: "Interview rated strong",
    csv: "rate, interview analysis triage strong",
    explain:
      "of the people whose recorded interview Fulcrum analysed under the posting's triage thresholds, the share in the strong band (the advisory score at or above strongAt). Analyses without thresholds give no band and are left out.",
  },
];

export interface FairnessSources {
  eeo: EeoSource;
  /** The account's stage order; without it, only the first decision is reported. */
  stages?: StageSource | undefined;
  /** Every connection to report on; connections with screening runs are added to these. */
  connections?: (() => Promise<string[]>) | undefined;
}

/** Lever's fixed lead stages: a lead there has not applied, so no selection is made yet. */
const LEAD_STAGES = new Set(["lead-new", "lead-reached-out", "lead-responded"]);
/** Lever's fixed first stage of every application (same id in every account). */
const APPLICATION_STAGE = "applicant-new";
/** The interview outcomes' table: not a Lever stage, so an id Lever never gives one. */
export const INTERVIEW_STAGE = "fulcrum-interviews";
const INTERVIEW_LABEL = "at interviews Fulcrum booked or analysed";

interface Screened {
  connectionId: string;
  opportunityId: string;
  postingId: string;
  postingTitle: string;
  /** What the screening recommended (`advance`, `hold`, `reject`, or `review` when it could not score). */
  recommendation: string | undefined;
  /** A person's decision on Fulcrum's proposal to advance: approved (true) or rejected (false). */
  personDecision: boolean | undefined;
  /** Fulcrum moved the applicant by itself (auto mode): not a person's decision. */
  movedByFulcrum: boolean;
  score: number | null;
}

/** The latest real screening run of each application, with what happened to its proposal to advance. */
async function screenedApplications(db: Queryable): Promise<Screened[]> {
  const rows = await screeningRunRows(db);
  const latest = new Map<string, Screened>();
  for (const r of rows) {
    const key = `${r.connection_id}/${r.opportunity_id}`;
    if (latest.has(key)) continue;
    const rec = typeof r.output?.recommendation === "string" ? r.output.recommendation : undefined;
    // Fulcrum's own decisions are recorded as `policy:…` (auto mode) and expiries as `system`.
    const byFulcrum = r.advance_decided_by?.startsWith("policy:") === true;
    const byPerson = r.advance_decided_by !== null && !byFulcrum && r.advance_decided_by !== "system";
    latest.set(key, {
      connectionId: r.connection_id,
      opportunityId: r.opportunity_id,
      postingId: r.posting_id,
      postingTitle: r.posting_title ?? r.posting_id,
      recommendation: rec,
      personDecision:
        byPerson && (r.advance_status === "approved" || r.advance_status === "applied")
          ? true
          : byPerson && r.advance_status === "rejected"
            ? false
            : undefined,
      movedByFulcrum: byFulcrum && (r.advance_status === "approved" || r.advance_status === "applied"),
      score: typeof r.output?.score === "number" ? r.output.score : null,
    });
  }
  return [...latest.values()];
}

/** What happened at one person's interviews; each field undefined while there is nothing to count. */
interface InterviewFacts {
  /** Not marked a no-show at any started panel. */
  attended: boolean | undefined;
  /** Every started or cancelled panel went ahead at the time first booked. */
  kept: boolean | undefined;
  /** The latest interview analysis's triage band is strong. */
  strong: boolean | undefined;
  /** Has booked panels, none started or cancelled yet. */
  upcoming: boolean;
}

/**
 * Interview outcomes per application (`connection/opportunity`): Fulcrum's booked panels (no-shows,
 * reschedules, cancellations) and the triage band of the latest interview analysis.
 */
async function interviewFacts(db: Queryable, now: Date): Promise<Map<string, InterviewFacts>> {
  const panels = await createReminderStore(db).panelOutcomes(now);
  const rows = await interviewTriageRows(db);
  const facts = new Map<string, InterviewFacts>();
  const of = (key: string) => facts.get(key) ?? { attended: undefined, kept: undefined, strong: undefined, upcoming: false };
  const byPerson = new Map<string, typeof panels>();
  for (const p of panels) {
    const key = `${p.connectionId}/${p.opportunityId}`;
    byPerson.set(key, [...(byPerson.get(key) ?? []), p]);
  }
  for (const [key, list] of byPerson) {
    const started = list.filter((p) => p.started && !p.cancelled);
    const decided = list.filter((p) => p.started || p.cancelled);
    facts.set(key, {
      ...of(key),
      attended: started.length ? started.every((p) => !p.noShow) : undefined,
      kept: decided.length ? decided.every((p) => !p.cancelled && p.reschedules === 0) : undefined,
      upcoming: decided.length === 0,
    });
  }
  for (const r of rows) {
    const tag = typeof r.triage_tag === "string" ? r.triage_tag : "";
    if (!tag) continue;
    const key = `${r.connection_id}/${r.opportunity_id}`;
    facts.set(key, { ...of(key), strong: tag.split("-").pop() === "strong" });
  }
  return facts;
}

/** `{id, text}` from Lever's object-or-id fields. */
function ref(value: unknown): { id: string; text: string | undefined } | undefined {
  if (typeof value === "string" && value !== "") return { id: value, text: undefined };
  if (value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string") {
    const v = value as { id: string; text?: unknown };
    return { id: v.id, text: typeof v.text === "string" ? v.text : undefined };
  }
  return undefined;
}

/** One applicant as the report counts them. */
interface Applicant {
  connectionId: string;
  opportunityId: string;
  postingId: string;
  postingTitle: string;
  sex: string | null;
  race: string | null;
  /** The screening's recommendation; undefined when Fulcrum did not screen the applicant. */
  recommendation: string | undefined;
  /** The first decision, by a person. */
  human: boolean | undefined;
  score: number | null;
  /** Position of the current stage in the connection's pipeline (0: New applicant); undefined when unknown. */
  stageIndex: number | undefined;
  hired: boolean;
  archived: boolean;
}

/**
 * A person's decision at the later stage at `index`, inferred from where the application is now:
 * undefined when it never reached the stage or is still undecided there.
 */
function laterDecision(a: Applicant, index: number): { reached: boolean; passed: boolean | undefined } {
  if (a.stageIndex === undefined || a.stageIndex < index) return { reached: false, passed: undefined };
  if (a.stageIndex > index || a.hired) return { reached: true, passed: true };
  return { reached: true, passed: a.archived ? false : undefined };
}

/** The application stages in pipeline order, New applicant first; lead stages are not applications. */
function pipelineOf(stages: readonly StageRef[]): StageRef[] {
  const application = stages.find((s) => s.id === APPLICATION_STAGE) ?? { id: APPLICATION_STAGE, text: "New applicant" };
  return [application, ...stages.filter((s) => s.id !== APPLICATION_STAGE && !LEAD_STAGES.has(s.id))];
}

function metric(report: GroupReport, group: string): Metric | null {
  const g = report.groups.find((x) => x.group === group);
  if (!g) return null;
  const pValue = g.significance?.pValue ?? null;
  const verdict = adverseImpactVerdict({ n: g.n, impactRatio: g.impactRatio, pValue, excluded: g.excluded });
  return {
    n: g.n,
    selected: g.positives,
    rate: g.rate,
    impactRatio: g.impactRatio,
    pValue,
    test: g.significance?.test ?? null,
    flagged: g.flagged,
    verdict,
    excluded: g.excluded,
  };
}

const labels = { dimensions: DIMENSION_LABELS, measures: MEASURES.map(({ key, label, explain }) => ({ key, label, explain })) };

const DIMENSIONS = ["sex", "race", "intersection"] as const;

/** Why the AI measures are empty at every later stage. */
const SCREENING_ONLY = "Fulcrum's screening recommends and scores at the first decision only; later stages show people's decisions.";

/**
 * Builds the report from Lever's EEO responses (with each application's stage), the account's
 * stage order and Fulcrum's screening runs.
 *
 * @example
 * const report = await buildFairnessReport(db, { eeo: (id) => client.listEeoResponses(window), stages: stagesThroughLever(clientOf), connections: async () => ["default"] });
 * for (const note of report.notes) console.log(note);
 */
export async function buildFairnessReport(db: Queryable, sources: FairnessSources, now = new Date()): Promise<FairnessReport> {
  const screened = await screenedApplications(db);
  const interviews = await interviewFacts(db, now);
  const connectionIds = [...new Set([...((await sources.connections?.()) ?? []), ...screened.map((s) => s.connectionId)])];
  const answers = new Map<string, EeoResponse>();
  const problems: string[] = [];
  /** Each connection's application stages in pipeline order, when Lever's stage list could be read. */
  const pipelines = new Map<string, StageRef[]>();
  const stageProblems: string[] = [];
  for (const connectionId of connectionIds) {
    const result = await sources.eeo(connectionId);
    if ("unavailable" in result) {
      problems.push(`${connectionId}: ${result.unavailable}`);
      continue;
    }
    for (const r of result) answers.set(`${connectionId}/${r.opportunityId}`, r);
    if (!sources.stages) continue;
    const stages = await sources.stages(connectionId);
    if ("unavailable" in stages) stageProblems.push(`${connectionId}: ${stages.unavailable}`);
    else pipelines.set(connectionId, pipelineOf(stages));
  }
  if (answers.size === 0 && problems.length > 0) {
    return {
      available: false,
      note: `Lever's EEO responses could not be read, so no group can be compared (${problems.join("; ")}). The connection's API key needs the "eeo_responses_pii:read:admin" permission.`,
      notes: [],
      labels,
      stages: [],
      tables: [],
    };
  }

  // Every applicant Lever has EEO answers for, with where their application is now, joined with
  // Fulcrum's screening of them; then the screened applicants Lever has no answers for (unknown).
  const screenedByKey = new Map(screened.map((s) => [`${s.connectionId}/${s.opportunityId}`, s]));
  const applicants: Applicant[] = [];
  let stageText = "New applicant";
  let unplaced = 0;
  for (const [key, a] of answers) {
    const connectionId = key.slice(0, key.indexOf("/"));
    const s = screenedByKey.get(key);
    const posting = ref(a.posting) ?? (s && { id: s.postingId, text: s.postingTitle });
    const stage = ref(a.currentStage);
    if (!posting || (stage && LEAD_STAGES.has(stage.id))) continue;
    if (stage?.id === APPLICATION_STAGE && stage.text) stageText = stage.text;
    const hired = typeof a.hiredDate === "number";
    const advanced = hired || (stage !== undefined && stage.id !== APPLICATION_STAGE);
    const pipeline = pipelines.get(connectionId);
    const stageIndex = stage && pipeline ? pipeline.findIndex((p) => p.id === stage.id) : -1;
    if (pipeline && stage && stageIndex < 0) unplaced++;
    applicants.push({
      connectionId,
      opportunityId: a.opportunityId,
      postingId: posting.id,
      postingTitle: posting.text ?? s?.postingTitle ?? posting.id,
      sex: a.gender ?? null,
      race: a.race ?? null,
      recommendation: s?.recommendation,
      human: s?.movedByFulcrum ? undefined : advanced || s?.personDecision === true ? true : stage || s?.personDecision === false ? false : undefined,
      score: s?.score ?? null,
      stageIndex: stageIndex < 0 ? undefined : stageIndex,
      hired,
      archived: typeof a.applicationArchivedAt === "number",
    });
  }
  for (const s of screened) {
    if (answers.has(`${s.connectionId}/${s.opportunityId}`)) continue;
    applicants.push({
      connectionId: s.connectionId,
      opportunityId: s.opportunityId,
      postingId: s.postingId,
      postingTitle: s.postingTitle,
      sex: null,
      race: null,
      recommendation: s.recommendation,
      human: s.personDecision,
      score: s.score,
      stageIndex: undefined,
      hired: false,
      archived: false,
    });
  }

  const notes: string[] = [];
  if (problems.length) notes.push(`Some connections' EEO data could not be read: ${problems.join("; ")}.`);
  if (applicants.length === 0) {
    notes.push(
      answers.size === 0
        ? "Lever returned no EEO survey answers for applications of the last two years, and Fulcrum has screened no one yet, so there is nothing to compare."
        : "Lever's EEO answers are all from leads or applications without a posting, so there is nothing to compare yet.",
    );
  } else if (screened.length === 0) {
    notes.push(
      "Fulcrum has not screened anyone yet, so the AI recommendation and scoring columns are empty: they fill in once the application-screening workflow has run (it runs on each new application; on the built-in sandbox, apply to one of its postings). The human-decision column comes from Lever alone.",
    );
  }
  if (stageProblems.length) {
    notes.push(
      `Lever's stage list could not be read (${stageProblems.join("; ")}), so only the first decision is shown for those connections. The later stages need the "Find all stages" permission on the API key (OAuth scope stages:read:admin).`,
    );
  }
  if (unplaced > 0) {
    notes.push(
      `${unplaced} application${unplaced === 1 ? " is" : "s are"} at a stage Lever's stage list does not include, so ${unplaced === 1 ? "it counts" : "they count"} at the first decision only.`,
    );
  }

  const byPosting = new Map<string, Applicant[]>();
  for (const a of applicants) {
    const key = `${a.connectionId}\u0000${a.postingId}`;
    byPosting.set(key, [...(byPosting.get(key) ?? []), a]);
  }
  const record = (a: Applicant): FairnessRecord => ({ sex: a.sex, race: a.race });
  const rowsOf = (everyone: GroupReport, measures: Partial<Record<MeasureKey, GroupReport>>): GroupRow[] =>
    everyone.groups.map((g) => ({
      group: g.group,
      n: g.n,
      share: g.share,
      excluded: g.excluded ? (g.exclusionReason ?? "under 2% of the sample") : null,
      ai: measures.ai ? metric(measures.ai, g.group) : null,
      aiHold: measures.aiHold ? metric(measures.aiHold, g.group) : null,
      aiReject: measures.aiReject ? metric(measures.aiReject, g.group) : null,
      human: measures.human ? metric(measures.human, g.group) : null,
      scoring: measures.scoring ? metric(measures.scoring, g.group) : null,
      attended: measures.attended ? metric(measures.attended, g.group) : null,
      keptTime: measures.keptTime ? metric(measures.keptTime, g.group) : null,
      interviewStrong: measures.interviewStrong ? metric(measures.interviewStrong, g.group) : null,
    }));
  const tables: FairnessTable[] = [];
  const stageList = new Map<string, { id: string; label: string; firstDecision: boolean; position: number }>();
  const firstLabel = `moving past ${stageText}`;
  for (const group of byPosting.values()) {
    const first = group[0]!;
    const posting = { connectionId: first.connectionId, postingId: first.postingId, postingTitle: first.postingTitle };

    // The first decision: the screening's, with AI recommendations and scores beside people's decisions.
    const everyone = DIMENSIONS.map((d) =>
      selectionRates(
        group.map((a) => ({ ...record(a), selected: true })),
        d,
      ),
    );
    // Each recommendation's rate among the screened: advance, hold and reject are counted apart.
    const recommended = (value: string) =>
      fairnessAudit(
        group.map((a) => ({ ...record(a), selected: a.recommendation === undefined ? undefined : a.recommendation === value })),
        "selection",
      );
    const ai = recommended("advance");
    const aiHold = recommended("hold");
    const aiReject = recommended("reject");
    const human = fairnessAudit(
      group.map((a) => ({ ...record(a), selected: a.human })),
      "selection",
    );
    const scoring = fairnessAudit(
      group.map((a) => ({ ...record(a), score: a.score })),
      "scoring",
    );
    const missing: Partial<Record<MeasureKey, string>> = {};
    if (screened.length > 0 && group.every((a) => a.recommendation === undefined)) {
      missing.ai = "Fulcrum has not screened any applicant of this posting yet; the screening workflow runs on each new application.";
      missing.aiHold = missing.ai;
      missing.aiReject = missing.ai;
    }
    if (screened.length > 0 && group.every((a) => a.score === null) && !missing.ai)
      missing.scoring = "The screening of this posting's applicants recorded no scores.";
    if (group.every((a) => a.human === undefined)) missing.human = "No applicant of this posting has a decision by a person yet.";
    stageList.set(APPLICATION_STAGE, { id: APPLICATION_STAGE, label: firstLabel, firstDecision: true, position: 0 });
    for (const [i, dimension] of DIMENSIONS.entries()) {
      const all = everyone[i]!;
      tables.push({
        ...posting,
        stageId: APPLICATION_STAGE,
        stage: firstLabel,
        firstDecision: true,
        measures: ["ai", "aiHold", "aiReject", "human", "scoring"],
        dimension,
        total: all.total,
        unknown: all.unknown,
        undecided: null,
        missing,
        rows: rowsOf(all, { ai: ai[i]!, aiHold: aiHold[i]!, aiReject: aiReject[i]!, human: human[i]!, scoring: scoring[i]! }),
      });
    }

    // Each later stage: of the people who reached it, who moved beyond it (or was hired).
    const pipeline = pipelines.get(first.connectionId) ?? [];
    for (let index = 1; index < pipeline.length; index++) {
      const stage = pipeline[index]!;
      const reached = group.flatMap((a) => {
        const d = laterDecision(a, index);
        return d.reached ? [{ ...record(a), selected: d.passed }] : [];
      });
      if (reached.length === 0) continue;
      const label = `moving past ${stage.text}`;
      const undecided = reached.filter((r) => r.selected === undefined).length;
      const decided = fairnessAudit(reached, "selection");
      const later: Partial<Record<MeasureKey, string>> = { ai: SCREENING_ONLY, aiHold: SCREENING_ONLY, aiReject: SCREENING_ONLY, scoring: SCREENING_ONLY };
      if (undecided === reached.length) later.human = `Everyone who reached ${stage.text} is still there, so no decision has been made at this stage yet.`;
      if (!stageList.has(stage.id)) stageList.set(stage.id, { id: stage.id, label, firstDecision: false, position: index });
      for (const [i, dimension] of DIMENSIONS.entries()) {
        const all = selectionRates(
          reached.map((r) => ({ ...r, selected: true })),
          dimension,
        );
        tables.push({
          ...posting,
          stageId: stage.id,
          stage: label,
          firstDecision: false,
          measures: ["human"],
          dimension,
          total: all.total,
          unknown: all.unknown,
          undecided,
          missing: later,
          rows: rowsOf(all, { human: decided[i]! }),
        });
      }
    }
  }
  // Interview outcomes of the people Fulcrum booked panels for or analysed, as a stage of its own
  // after the pipeline: the same groups, small-sample rules and significance test as the decisions.
  let unplacedInterviews = 0;
  const placed = new Set(applicants.map((a) => `${a.connectionId}/${a.opportunityId}`));
  for (const key of interviews.keys()) if (!placed.has(key)) unplacedInterviews++;
  for (const group of byPosting.values()) {
    const first = group[0]!;
    const people = group.flatMap((a) => {
      const f = interviews.get(`${a.connectionId}/${a.opportunityId}`);
      return f ? [{ record: record(a), f }] : [];
    });
    if (people.length === 0) continue;
    const audit = (pick: (f: InterviewFacts) => boolean | undefined) =>
      fairnessAudit(
        people.map(({ record, f }) => ({ ...record, selected: pick(f) })),
        "selection",
      );
    const attended = audit((f) => f.attended);
    const keptTime = audit((f) => f.kept);
    const interviewStrong = audit((f) => f.strong);
    const missing: Partial<Record<MeasureKey, string>> = {};
    if (people.every(({ f }) => f.attended === undefined)) missing.attended = "No panel Fulcrum booked for this posting has started yet.";
    if (people.every(({ f }) => f.kept === undefined)) missing.keptTime = "No panel Fulcrum booked for this posting has started or been cancelled yet.";
    if (people.every(({ f }) => f.strong === undefined))
      missing.interviewStrong =
        "No recorded interview of this posting was analysed under triage thresholds (interviews.postings[].triage in the configuration).";
    stageList.set(INTERVIEW_STAGE, { id: INTERVIEW_STAGE, label: INTERVIEW_LABEL, firstDecision: false, position: Number.MAX_SAFE_INTEGER });
    for (const [i, dimension] of DIMENSIONS.entries()) {
      const all = selectionRates(
        people.map(({ record }) => ({ ...record, selected: true })),
        dimension,
      );
      tables.push({
        connectionId: first.connectionId,
        postingId: first.postingId,
        postingTitle: first.postingTitle,
        stageId: INTERVIEW_STAGE,
        stage: INTERVIEW_LABEL,
        firstDecision: false,
        measures: ["attended", "keptTime", "interviewStrong"],
        dimension,
        total: all.total,
        unknown: all.unknown,
        // Booked, but every panel still ahead: neither attended nor missed yet.
        undecided: people.filter(({ f }) => f.upcoming && f.strong === undefined).length,
        missing,
        rows: rowsOf(all, { attended: attended[i]!, keptTime: keptTime[i]!, interviewStrong: interviewStrong[i]! }),
      });
    }
  }
  if (unplacedInterviews > 0) {
    notes.push(
      `${unplacedInterviews} ${unplacedInterviews === 1 ? "person" : "people"} with interviews Fulcrum booked or analysed ${unplacedInterviews === 1 ? "has" : "have"} neither EEO answers in Lever nor a screening run, so no posting is known and ${unplacedInterviews === 1 ? "it is" : "they are"} left out of the interview outcomes.`,
    );
  }

  // Stable: within a posting, the tables stay in stage then dimension order.
  tables.sort((a, b) => a.postingTitle.localeCompare(b.postingTitle) || a.postingId.localeCompare(b.postingId));
  const stages = [...stageList.values()].sort((a, b) => a.position - b.position).map(({ id, label, firstDecision }) => ({ id, label, firstDecision }));
  return { available: true, notes, labels, stages, tables };
}

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  // Quote every text cell and neutralise spreadsheet formulas (a posting title is user-supplied).
  return typeof v === "number" ? s : `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
}

/**
 * The report in the layout of a bias-audit summary table: one line per posting, stage, category and
 * measure that applies at the stage (AI recommendation and scoring rate at the first decision only).
 */
export function fairnessCsv(report: FairnessReport, generatedAt = new Date()): string {
  const header = [
    "posting",
    "posting_id",
    "stage",
    "dimension",
    "category",
    "measure",
    "applicants",
    "selected_or_above_median",
    "rate",
    "impact_ratio",
    "p_value",
    "flagged_below_0_8",
    "excluded_reason",
    "unknown_category_count",
    "undecided_left_out",
    "generated_at",
  ];
  const lines = [header.join(",")];
  for (const t of report.tables) {
    for (const r of t.rows) {
      for (const measure of MEASURES.filter((m) => t.measures.includes(m.key))) {
        const m = r[measure.key];
        const excluded = r.excluded ?? (m?.excluded ? "under 2% of this measure's sample" : null);
        lines.push(
          [
            t.postingTitle,
            t.postingId,
            t.stage,
            DIMENSION_LABELS[t.dimension],
            r.group,
            measure.csv,
            m?.n ?? 0,
            m?.selected ?? null,
            m ? Number(m.rate.toFixed(4)) : null,
            m?.impactRatio === null || !m ? null : Number(m.impactRatio.toFixed(4)),
            m?.pValue === null || !m ? null : Number(m.pValue.toPrecision(4)),
            m?.flagged ? "yes" : "no",
            excluded,
            t.unknown,
            t.undecided,
            generatedAt.toISOString(),
          ]
            .map((v) => csvCell(v as string | number | null))
            .join(","),
        );
      }
    }
  }
  return lines.join("\r\n") + "\r\n";
}
