/**
 * The fairness report behind the console's Fairness page and its CSV export: for each posting and
 * decision stage, selection rates and impact ratios by sex, race/ethnicity and their
 * intersection — for Fulcrum's screening recommendations and for people's decisions on its
 * proposals side by side — and the scoring rate. The arithmetic is E5's pure functions
 * (`src/governance/fairness.ts`); this file gathers the records.
 *
 * Demographics come only from Lever's EEO responses (`GET /eeo/responses/pii`), joined in memory
 * for these counts; no individual's answers leave this function.
 */
import { fairnessAudit, type FairnessDimension, type FairnessRecord, type FairnessReport as GroupReport } from "../../governance/fairness.ts";
import type { Queryable } from "../../store/index.ts";

/** One person's EEO answers as Lever returns them (only the fields used here). */
export interface EeoResponse {
  opportunityId: string;
  gender?: string | null | undefined;
  race?: string | null | undefined;
}

/** Reads a connection's EEO responses, or says why it cannot. */
export type EeoSource = (connectionId: string) => Promise<EeoResponse[] | { unavailable: string }>;

export interface Metric {
  n: number;
  selected: number;
  rate: number;
  impactRatio: number | null;
  pValue: number | null;
  flagged: boolean;
}

export interface GroupRow {
  group: string;
  n: number;
  share: number;
  excluded: string | null;
  ai: Metric | null;
  human: Metric | null;
  scoring: Metric | null;
}

export interface FairnessTable {
  postingId: string;
  postingTitle: string;
  stage: string;
  dimension: FairnessDimension;
  total: number;
  unknown: number;
  rows: GroupRow[];
}

export interface FairnessReport {
  available: boolean;
  note?: string | undefined;
  tables: FairnessTable[];
}

interface Screened {
  connectionId: string;
  opportunityId: string;
  postingId: string;
  postingTitle: string;
  stage: string;
  aiSelected: boolean | undefined;
  humanSelected: boolean | undefined;
  score: number | null;
}

async function screenedCandidates(db: Queryable): Promise<Screened[]> {
  // One row per screening run: the screen step's score and recommendation, and what people did
  // with the stage-move proposal it led to (if any).
  const { rows } = await db.query<{
    connection_id: string;
    opportunity_id: string;
    posting_id: string;
    posting_title: string | null;
    output: { score?: unknown; recommendation?: unknown } | null;
    advance_status: string | null;
    advance_stage: string | null;
    advance_to: string | null;
  }>(
    `select r.connection_id, r.opportunity_id, r.posting_id, r.context->'posting'->>'text' as posting_title,
       (select s.output from workflow_steps s where s.run_id = r.id and s.type = 'task' and s.status = 'succeeded'
          order by s.generation desc, s.position limit 1) as output,
       p.status as advance_status, p.action->>'stage' as advance_stage, r.workflow->'settings'->>'advanceStage' as advance_to
     from workflow_runs r
     left join lateral (select status, action from proposals where run_id = r.id and kind = 'lever.stage' order by id desc limit 1) p on true
     where r.workflow_id = 'application-screening' and not r.dry_run and r.opportunity_id is not null and r.posting_id is not null`,
  );
  return rows.map((r) => {
    const score = typeof r.output?.score === "number" ? r.output.score : null;
    const rec = typeof r.output?.recommendation === "string" ? r.output.recommendation : undefined;
    const decided = r.advance_status === "approved" || r.advance_status === "applied" ? true : r.advance_status === "rejected" ? false : undefined;
    return {
      connectionId: r.connection_id,
      opportunityId: r.opportunity_id,
      postingId: r.posting_id,
      postingTitle: r.posting_title ?? r.posting_id,
      stage: `advance to ${r.advance_stage ?? r.advance_to ?? "next stage"}`,
      aiSelected: rec === undefined ? undefined : rec === "advance",
      humanSelected: decided,
      score,
    };
  });
}

function metric(report: GroupReport, group: string): Metric | null {
  const g = report.groups.find((x) => x.group === group);
  if (!g) return null;
  return { n: g.n, selected: g.positives, rate: g.rate, impactRatio: g.impactRatio, pValue: g.significance?.pValue ?? null, flagged: g.flagged };
}

/** Builds the report from the screening runs and the connections' EEO responses. */
export async function buildFairnessReport(db: Queryable, eeo: EeoSource): Promise<FairnessReport> {
  const screened = await screenedCandidates(db);
  if (screened.length === 0) return { available: true, tables: [] };
  const answers = new Map<string, EeoResponse>();
  const problems: string[] = [];
  for (const connectionId of new Set(screened.map((s) => s.connectionId))) {
    const result = await eeo(connectionId);
    if ("unavailable" in result) problems.push(`${connectionId}: ${result.unavailable}`);
    else for (const r of result) answers.set(`${connectionId}/${r.opportunityId}`, r);
  }
  if (answers.size === 0 && problems.length > 0) {
    return { available: false, note: `Lever's EEO responses could not be read, so no group can be compared (${problems.join("; ")}). The connection's API key needs the "eeo_responses_pii:read:admin" permission.`, tables: [] };
  }

  const byKey = new Map<string, Screened[]>();
  for (const s of screened) {
    const key = `${s.postingId}\u0000${s.stage}`;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const tables: FairnessTable[] = [];
  for (const group of byKey.values()) {
    const first = group[0]!;
    const base = (s: Screened): Pick<FairnessRecord, "sex" | "race"> => {
      const a = answers.get(`${s.connectionId}/${s.opportunityId}`);
      return { sex: a?.gender ?? null, race: a?.race ?? null };
    };
    const aiRecords: FairnessRecord[] = group.map((s) => ({ ...base(s), selected: s.aiSelected }));
    const humanRecords: FairnessRecord[] = group.map((s) => ({ ...base(s), selected: s.humanSelected }));
    const scoreRecords: FairnessRecord[] = group.map((s) => ({ ...base(s), score: s.score }));
    const ai = fairnessAudit(aiRecords, "selection");
    const human = fairnessAudit(humanRecords, "selection");
    const scoring = fairnessAudit(scoreRecords, "scoring");
    for (const [i, dimension] of (["sex", "race", "intersection"] as const).entries()) {
      const a = ai[i]!;
      const names = [...new Set([...a.groups, ...human[i]!.groups, ...scoring[i]!.groups].map((g) => g.group))].sort();
      tables.push({
        postingId: first.postingId,
        postingTitle: first.postingTitle,
        stage: first.stage,
        dimension,
        total: a.total,
        unknown: a.unknown,
        rows: names.map((name) => {
          const g = a.groups.find((x) => x.group === name) ?? human[i]!.groups.find((x) => x.group === name) ?? scoring[i]!.groups.find((x) => x.group === name)!;
          return {
            group: name,
            n: g.n,
            share: g.share,
            excluded: g.excluded ? (g.exclusionReason ?? "under 2% of the sample") : null,
            ai: metric(a, name),
            human: metric(human[i]!, name),
            scoring: metric(scoring[i]!, name),
          };
        }),
      });
    }
  }
  return { available: true, note: problems.length ? `Some connections' EEO data could not be read: ${problems.join("; ")}` : undefined, tables };
}

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  // Quote every text cell and neutralise spreadsheet formulas (a posting title is user-supplied).
  return typeof v === "number" ? s : `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
}

/** The report in the layout of a bias-audit summary table: one line per category and measure. */
export function fairnessCsv(report: FairnessReport, generatedAt = new Date()): string {
  const header = ["posting", "posting_id", "stage", "dimension", "category", "measure", "applicants", "selected_or_above_median", "rate", "impact_ratio", "p_value", "flagged_below_0_8", "excluded_reason", "unknown_category_count", "generated_at"];
  const lines = [header.join(",")];
  for (const t of report.tables) {
    for (const r of t.rows) {
      for (const [measure, m] of [["selection rate, AI recommendation", r.ai], ["selection rate, human decision", r.human], ["scoring rate", r.scoring]] as const) {
        lines.push(
          [t.postingTitle, t.postingId, t.stage, t.dimension, r.group, measure, m?.n ?? r.n, m?.selected ?? null, m ? Number(m.rate.toFixed(4)) : null, m?.impactRatio === null || !m ? null : Number(m.impactRatio.toFixed(4)), m?.pValue === null || !m ? null : Number(m.pValue.toPrecision(4)), m?.flagged ? "yes" : "no", r.excluded, t.unknown, generatedAt.toISOString()]
            .map((v) => csvCell(v as string | number | null))
            .join(","),
        );
      }
    }
  }
  return lines.join("\r\n") + "\r\n";
}
