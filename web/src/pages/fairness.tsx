/**
 * Fairness: selection rates and impact ratios by group for each posting and stage, AI
 * recommendations beside human decisions, and the scoring rate. Only counts are shown — never an
 * individual's EEO answers.
 */
import { useFetch } from "../use-fetch.ts";

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
  excluded?: string | null;
  ai?: Metric | null;
  human?: Metric | null;
  scoring?: Metric | null;
}

export interface FairnessTable {
  postingId: string;
  postingTitle: string;
  stage: string;
  dimension: string;
  total: number;
  unknown: number;
  rows: GroupRow[];
}

export interface FairnessReport {
  available: boolean;
  note?: string;
  tables: FairnessTable[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function MetricCells({ m, label }: { m: Metric | null | undefined; label: string }) {
  if (!m) return <td colSpan={3} className="muted">—</td>;
  return (
    <>
      <td>
        {m.selected}/{m.n} ({pct(m.rate)})
      </td>
      <td className={m.flagged ? "flag" : undefined}>
        {m.impactRatio === null ? "—" : m.impactRatio.toFixed(2)}
        {m.flagged && (
          <strong className="flag-label">
            {" "}
            below 0.8<span className="sr-only"> for {label}</span>
          </strong>
        )}
      </td>
      <td>{m.pValue === null ? "—" : m.pValue < 0.001 ? "< 0.001" : m.pValue.toFixed(3)}</td>
    </>
  );
}

export function FairnessPage() {
  const report = useFetch("/console/api/fairness", (r) => r as FairnessReport);
  const flagged = report.data?.tables.flatMap((t) => t.rows.filter((r) => r.ai?.flagged || r.human?.flagged || r.scoring?.flagged).map((r) => ({ t, r }))) ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Fairness</h1>
        <a className="button" href="/console/api/fairness.csv" download>
          Export bias-audit summary (CSV)
        </a>
      </div>
      <p>
        Selection rate = share of a group advanced (by Fulcrum's recommendation, or by people's decisions). Impact ratio = a group's rate divided by the
        highest group's rate; below 0.8 is flagged, with the sample sizes and a two-sided significance test (Fisher's exact test; a two-proportion z-test for large samples) against the highest group. Groups under 2%
        of the sample are excluded (too small to compare) and shown as such; people who did not answer are counted as unknown. Scoring rate = share scoring
        above the median of the whole sample.
      </p>
      {report.error && <p className="error">Could not compute the report: {report.error}</p>}
      {report.data && !report.data.available && <p className="card">{report.data.note ?? "No EEO data is available for this connection."}</p>}
      {report.data?.available && (
        <>
          <p role="status" className={flagged.length ? "error" : "ok"}>
            {flagged.length ? `${flagged.length} group result${flagged.length === 1 ? "" : "s"} below the four-fifths threshold.` : "No group is below the four-fifths threshold."}
          </p>
          {report.data.tables.length === 0 && <p className="muted">No decisions to report on yet.</p>}
          {report.data.tables.map((t) =>
            t.rows.length === 0 ? (
              <p key={`${t.postingId}/${t.stage}/${t.dimension}`} className="muted">
                {t.postingTitle} · {t.stage} · by {t.dimension}: all {t.total} candidates' answers are unknown, so there is nothing to compare.
              </p>
            ) : (
            <section key={`${t.postingId}/${t.stage}/${t.dimension}`} aria-label={`${t.postingTitle}, ${t.stage}, by ${t.dimension}`} className="card">
              <table className="fairness">
                <caption>
                  {t.postingTitle} · {t.stage} · by {t.dimension} — {t.total} candidates, {t.unknown} unknown
                </caption>
                <thead>
                  <tr>
                    <th scope="col" rowSpan={2}>Group</th>
                    <th scope="col" rowSpan={2}>n</th>
                    <th scope="colgroup" colSpan={3}>AI recommendation</th>
                    <th scope="colgroup" colSpan={3}>Human decision</th>
                    <th scope="colgroup" colSpan={3}>Scoring rate</th>
                  </tr>
                  <tr>
                    {[0, 1, 2].map((i) => (
                      <Headers key={i} />
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {t.rows.map((r) => (
                    <tr key={r.group}>
                      <th scope="row">{r.group}</th>
                      <td>
                        {r.n} ({pct(r.share)})
                      </td>
                      {r.excluded ? (
                        <td colSpan={9} className="muted">
                          Excluded: {r.excluded}
                        </td>
                      ) : (
                        <>
                          <MetricCells m={r.ai} label={`${r.group}, AI`} />
                          <MetricCells m={r.human} label={`${r.group}, human`} />
                          <MetricCells m={r.scoring} label={`${r.group}, scoring`} />
                        </>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            ),
          )}
        </>
      )}
    </>
  );
}

function Headers() {
  return (
    <>
      <th scope="col">Selected</th>
      <th scope="col">Impact ratio</th>
      <th scope="col">p</th>
    </>
  );
}
