/**
 * Fairness: selection rates and impact ratios by group for each posting and stage — at the first
 * decision AI recommendations beside people's decisions, and the scoring rate; at later stages
 * people's decisions. A stage picker (default: the first decision) and a posting filter choose the
 * tables. Only counts are shown — never an individual's EEO answers. The shapes, the names of the measures and dimensions and what is missing come from the
 * server's report (`src/server/console/fairness-report.ts`), so page and CSV say the same.
 */
import { useState } from "react";
import type { FairnessReport, FairnessTable, MeasureKey, Metric } from "../../../src/contract/console-api.ts";
import { explainVerdict } from "../../../src/governance/adverse-impact.ts";
import { pct, pText, RateBars, TEST_NAMES } from "../components/rate-bars.tsx";
import { useFetch } from "../use-fetch.ts";

function MetricCells({ m, label, measure }: { m: Metric | null | undefined; label: string; measure: string }) {
  if (!m)
    return (
      <td colSpan={3} className="muted" data-label={measure}>
        —
      </td>
    );
  return (
    <>
      <td data-label={`${measure} · selected`}>
        {m.selected}/{m.n} ({pct(m.rate)})
      </td>
      <td className={m.verdict === "adverse" ? "flag" : undefined} data-label={`${measure} · impact ratio`}>
        {m.excluded ? <span className="muted">excluded (under 2%)</span> : m.impactRatio === null ? "—" : m.impactRatio.toFixed(2)}
        {m.verdict === "adverse" && (
          <strong className="flag-label">
            {" "}
            below 0.8<span className="sr-only"> for {label}</span>
          </strong>
        )}
        {(m.verdict === "too-little-data" || m.verdict === "not-significant") && <span className="muted small"> ({explainVerdict(m.verdict, m.n)})</span>}
      </td>
      <td data-label={`${measure} · p`}>
        {m.pValue === null ? "—" : pText(m.pValue).replace("p = ", "")}
        {m.test && <span className="muted small"> {TEST_NAMES[m.test]}</span>}
      </td>
    </>
  );
}

const tableKey = (t: FairnessTable) => `${t.connectionId}/${t.postingId}`;

/** A table's missing measures, one line per reason ("AI recommendation, Scoring rate: …"). */
function missingLines(t: FairnessTable, measures: { key: MeasureKey; label: string }[]): [string, string][] {
  const byReason = new Map<string, string[]>();
  for (const m of measures) {
    const why = t.missing[m.key];
    if (why) byReason.set(why, [...(byReason.get(why) ?? []), m.label]);
  }
  return [...byReason.entries()].map(([why, labels]) => [labels.join(", "), why]);
}

export function FairnessPage() {
  const report = useFetch("/console/api/fairness", (r: FairnessReport) => r);
  const [posting, setPosting] = useState("");
  const [picked, setPicked] = useState<string | null>(null);
  const data = report.data;
  const measures = data?.labels.measures ?? [];
  const dimensions = data?.labels.dimensions;
  const stages = data?.stages ?? [];
  const stage = picked ?? stages.find((s) => s.firstDecision)?.id ?? "";
  const postings = [...new Map((data?.tables ?? []).map((t) => [tableKey(t), t.postingTitle])).entries()];
  const shown = (data?.tables ?? []).filter((t) => (!posting || tableKey(t) === posting) && t.stageId === stage);
  const results = (data?.tables ?? []).flatMap((t) =>
    t.rows.flatMap((r) => measures.flatMap((m) => (r[m.key] ? [{ t, r, m: r[m.key]!, measure: m.label }] : []))),
  );
  // Only results that are below the line, large enough and significant are flagged; the rest are counted and explained.
  const flagged = results.filter((x) => x.m.verdict === "adverse");
  const unclear = results.filter((x) => x.m.verdict === "too-little-data" || x.m.verdict === "not-significant");
  return (
    <>
      <div className="page-head">
        <h1>Fairness</h1>
        <a className="button" href="/console/api/fairness.csv" download>
          Export bias-audit summary (CSV)
        </a>
      </div>
      <p>
        Impact ratio = a group's rate divided by the highest group's rate. The dashed line on each chart is the four-fifths line (0.8 × the highest rate). A
        group is flagged only when it is below that line, has at least 5 people and the difference is statistically significant (p &lt; 0.05 in a two-sided test
        against the highest group: Fisher's exact test, or a two-proportion z-test for large samples); below the line with fewer people it says{" "}
        <em>too little data</em>, and with a p-value of 0.05 or more <em>not significant</em>. As Local Law 144 allows, groups under 2% of the sample are left
        out of impact ratios and shown as such; people who did not answer are counted as unknown.
      </p>
      <p>
        Each stage asks, of the people who reached it, who moved beyond it (or was hired). Lever tells where each application is now, not the path it took, so
        reaching a stage is read from the account's stage order: an application now at a later stage, or hired, passed it (also when moved straight over it);
        one archived at it stopped there; one still at it is <strong>undecided</strong> and left out of that stage's rates rather than counted as rejected —
        each table says how many. At the first decision, applicants still waiting count as not advanced, as in an applicant-flow analysis. Fulcrum's AI
        recommendation and scoring rate belong to the first decision, where the screening runs.
      </p>
      {measures.length > 0 && (
        <dl className="measures">
          {measures.map((m) => (
            <div key={m.key}>
              <dt>{m.label}</dt>
              <dd>{m.explain}</dd>
            </div>
          ))}
        </dl>
      )}
      {report.error && <p className="error">Could not compute the report: {report.error}</p>}
      {data && !data.available && <p className="card">{data.note ?? "No EEO data is available for this connection."}</p>}
      {data?.available && (
        <>
          {data.notes.map((n) => (
            <p key={n} className="card note">
              {n}
            </p>
          ))}
          <p role="status" className={flagged.length ? "error" : "ok"}>
            {flagged.length
              ? `${flagged.length} group result${flagged.length === 1 ? "" : "s"} below the four-fifths line with enough data to mean something, across all postings and stages.`
              : "No group is below the four-fifths line with enough data to mean something, at any stage."}
            {unclear.length > 0 && (
              <span className="muted">
                {" "}
                {unclear.length} more {unclear.length === 1 ? "is" : "are"} below the line but with too little data or no statistically significant difference,
                so {unclear.length === 1 ? "it is" : "they are"} not flagged.
              </span>
            )}
          </p>
          {flagged.length > 0 && (
            <ul className="small">
              {flagged.slice(0, 12).map(({ t, r, m, measure }) => (
                <li key={`${tableKey(t)}/${t.stageId}/${t.dimension}/${r.group}/${measure}`}>
                  {t.postingTitle} · {t.stage} · {dimensions?.[t.dimension] ?? t.dimension} · {r.group}: {measure} — {m.selected}/{m.n}, ratio{" "}
                  {m.impactRatio?.toFixed(2)}, {m.pValue === null ? "" : pText(m.pValue)}
                  {m.test ? ` (${TEST_NAMES[m.test]})` : ""}
                </li>
              ))}
              {flagged.length > 12 && <li>… and {flagged.length - 12} more.</li>}
            </ul>
          )}
          {(stages.length > 1 || postings.length > 1) && (
            <div className="filters">
              {stages.length > 1 && (
                <label>
                  Stage
                  <select value={stage} onChange={(e) => setPicked(e.target.value)}>
                    {stages.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.firstDecision ? `First decision: ${s.label}` : s.label}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {postings.length > 1 && (
                <label>
                  Posting
                  <select value={posting} onChange={(e) => setPosting(e.target.value)}>
                    <option value="">All postings ({postings.length})</option>
                    {postings.map(([key, title]) => (
                      <option key={key} value={key}>
                        {title}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </div>
          )}
          {data.tables.length === 0 && <p className="muted">No applicants to report on yet.</p>}
          {data.tables.length > 0 && shown.length === 0 && (
            <p className="muted">No one of {posting ? "this posting" : "any posting"} has reached this stage.</p>
          )}
          {shown.map((t) => {
            const by = dimensions?.[t.dimension] ?? t.dimension;
            const key = `${tableKey(t)}/${t.stageId}/${t.dimension}`;
            const cols = measures.filter((m) => t.measures.includes(m.key));
            const missing = missingLines(t, measures);
            const who = t.firstDecision ? `${t.total} applicants` : `${t.total} reached this stage, ${t.undecided ?? 0} still undecided`;
            if (t.rows.length === 0) {
              return (
                <p key={key} className="muted">
                  {t.postingTitle} · {t.stage} · by {by}: all {t.total} {t.firstDecision ? "applicants'" : "people's"} answers are unknown, so there is nothing
                  to compare.
                </p>
              );
            }
            return (
              <section key={key} aria-label={`${t.postingTitle}, ${t.stage}, by ${by}`} className="card">
                <h2 className="chart-head">
                  {t.postingTitle} · {t.stage} · by {by}
                </h2>
                <p className="muted small">
                  {who}, {t.unknown} unknown
                </p>
                <div className="fairness-charts">
                  {cols.map((m) => (
                    <RateBars
                      key={m.key}
                      title={m.label}
                      bars={t.rows.flatMap((r) => {
                        const x = r[m.key];
                        if (!x) return [];
                        return [
                          {
                            group: r.group,
                            n: x.n,
                            selected: x.selected,
                            rate: x.rate,
                            impactRatio: x.impactRatio,
                            pValue: x.pValue,
                            test: x.test,
                            verdict: r.excluded ? "excluded" : x.verdict,
                          },
                        ];
                      })}
                    />
                  ))}
                </div>
                <details>
                  <summary>Show table</summary>
                  {/* Many columns: on a phone each group's row becomes a card of labelled values; the box scrolls only if a value cannot wrap. */}
                  <div className="table-scroll" tabIndex={0} role="group" aria-label={`Table: ${t.postingTitle}, ${t.stage}, by ${by}`}>
                    <table className="fairness stacked">
                      <caption>
                        {t.postingTitle} · {t.stage} · by {by} — {who}, {t.unknown} unknown
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col" rowSpan={2}>
                            Group
                          </th>
                          <th scope="col" rowSpan={2}>
                            n
                          </th>
                          {cols.map((m) => (
                            <th key={m.key} scope="colgroup" colSpan={3}>
                              {m.label}
                            </th>
                          ))}
                        </tr>
                        <tr>
                          {cols.map((m) => (
                            <Headers key={m.key} />
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {t.rows.map((r) => (
                          <tr key={r.group}>
                            <th scope="row">{r.group}</th>
                            <td data-label="n (share)">
                              {r.n} ({pct(r.share)})
                            </td>
                            {r.excluded ? (
                              <td colSpan={3 * cols.length} className="muted" data-label="Rates">
                                Excluded: {r.excluded}
                              </td>
                            ) : (
                              cols.map((m) => <MetricCells key={m.key} m={r[m.key]} label={`${r.group}, ${m.label}`} measure={m.label} />)
                            )}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </details>
                {missing.length > 0 && (
                  <ul className="muted small">
                    {missing.map(([which, why]) => (
                      <li key={which}>
                        {which}: {why}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
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
