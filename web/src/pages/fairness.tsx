/**
 * Fairness: selection rates and impact ratios by group for each posting, AI recommendations beside
 * people's decisions, and the scoring rate. Only counts are shown — never an individual's EEO
 * answers. The shapes, the names of the measures and dimensions and what is missing come from the
 * server's report (`src/server/console/fairness-report.ts`), so page and CSV say the same.
 */
import { useState } from "react";
import type { FairnessReport, FairnessTable, Metric } from "../../../src/server/console/fairness-report.ts";
import { useFetch } from "../use-fetch.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function MetricCells({ m, label }: { m: Metric | null | undefined; label: string }) {
  if (!m) return <td colSpan={3} className="muted">—</td>;
  return (
    <>
      <td>
        {m.selected}/{m.n} ({pct(m.rate)})
      </td>
      <td className={m.flagged ? "flag" : undefined}>
        {m.excluded ? <span className="muted">excluded (under 2%)</span> : m.impactRatio === null ? "—" : m.impactRatio.toFixed(2)}
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

const tableKey = (t: FairnessTable) => `${t.connectionId}/${t.postingId}`;

export function FairnessPage() {
  const report = useFetch("/console/api/fairness", (r) => r as FairnessReport);
  const [posting, setPosting] = useState("");
  const data = report.data;
  const measures = data?.labels.measures ?? [];
  const dimensions = data?.labels.dimensions;
  const postings = [...new Map((data?.tables ?? []).map((t) => [tableKey(t), t.postingTitle])).entries()];
  const shown = (data?.tables ?? []).filter((t) => !posting || tableKey(t) === posting);
  const flagged = (data?.tables ?? []).flatMap((t) =>
    t.rows.flatMap((r) => measures.filter((m) => r[m.key]?.flagged).map((m) => ({ t, r, measure: m.label }))),
  );
  return (
    <>
      <div className="page-head">
        <h1>Fairness</h1>
        <a className="button" href="/console/api/fairness.csv" download>
          Export bias-audit summary (CSV)
        </a>
      </div>
      <p>
        Impact ratio = a group's rate divided by the highest group's rate; below 0.8 is flagged, with the sample sizes and a two-sided significance test
        (Fisher's exact test; a two-proportion z-test for large samples) against the highest group. Groups under 2% of the sample are excluded (too small to
        compare) and shown as such; people who did not answer are counted as unknown.
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
            {flagged.length ? `${flagged.length} group result${flagged.length === 1 ? "" : "s"} below the four-fifths threshold.` : "No group is below the four-fifths threshold."}
          </p>
          {flagged.length > 0 && (
            <ul className="small">
              {flagged.slice(0, 12).map(({ t, r, measure }) => (
                <li key={`${tableKey(t)}/${t.dimension}/${r.group}/${measure}`}>
                  {t.postingTitle} · {dimensions?.[t.dimension] ?? t.dimension} · {r.group}: {measure}
                </li>
              ))}
              {flagged.length > 12 && <li>… and {flagged.length - 12} more.</li>}
            </ul>
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
          {data.tables.length === 0 && <p className="muted">No applicants to report on yet.</p>}
          {shown.map((t) => {
            const by = dimensions?.[t.dimension] ?? t.dimension;
            const key = `${tableKey(t)}/${t.dimension}`;
            const missing = measures.filter((m) => t.missing[m.key]);
            if (t.rows.length === 0) {
              return (
                <p key={key} className="muted">
                  {t.postingTitle} · {t.stage} · by {by}: all {t.total} applicants' answers are unknown, so there is nothing to compare.
                </p>
              );
            }
            return (
              <section key={key} aria-label={`${t.postingTitle}, ${t.stage}, by ${by}`} className="card">
                <table className="fairness">
                  <caption>
                    {t.postingTitle} · {t.stage} · by {by} — {t.total} applicants, {t.unknown} unknown
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" rowSpan={2}>
                        Group
                      </th>
                      <th scope="col" rowSpan={2}>
                        n
                      </th>
                      {measures.map((m) => (
                        <th key={m.key} scope="colgroup" colSpan={3}>
                          {m.label}
                        </th>
                      ))}
                    </tr>
                    <tr>
                      {measures.map((m) => (
                        <Headers key={m.key} />
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
                          <td colSpan={3 * measures.length} className="muted">
                            Excluded: {r.excluded}
                          </td>
                        ) : (
                          measures.map((m) => <MetricCells key={m.key} m={r[m.key]} label={`${r.group}, ${m.label}`} />)
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
                {missing.length > 0 && (
                  <ul className="muted small">
                    {missing.map((m) => (
                      <li key={m.key}>
                        {m.label}: {t.missing[m.key]}
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
