/**
 * Selection rates as horizontal bars, one per group, with the four-fifths line (0.8 × the highest
 * included group's rate) drawn across them. The bars are decoration: every figure and verdict is
 * also written out in the row, so a screen reader hears the same as a sighted reader sees.
 * Plain HTML and CSS rather than a chart library: it reflows to a 360 px phone and costs nothing
 * in the bundle.
 */
import { explainVerdict, FOUR_FIFTHS, type AdverseImpactVerdict } from "../../../src/governance/adverse-impact.ts";
import "./charts.css";

export interface RateBar {
  group: string;
  n: number;
  selected: number;
  rate: number;
  impactRatio: number | null;
  pValue: number | null;
  test: "fisher-exact" | "two-proportion-z" | null;
  verdict: AdverseImpactVerdict;
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const TEST_NAMES: Record<NonNullable<RateBar["test"]>, string> = {
  "fisher-exact": "Fisher's exact test",
  "two-proportion-z": "two-proportion z-test",
};

export const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

/** What the row says after its figures: the verdict in a few words, with the test when there is one. */
function verdictText(b: RateBar): string {
  const test = b.pValue !== null && b.test ? `${pText(b.pValue)}, ${TEST_NAMES[b.test]}` : null;
  const ratio = b.impactRatio === null ? null : `ratio ${b.impactRatio.toFixed(2)}`;
  switch (b.verdict) {
    case "adverse":
      return `Below ${FOUR_FIFTHS}: ${ratio}, ${test}`;
    case "not-significant":
      return `${ratio}, not significant (${test})`;
    case "too-little-data":
      return `Too little data (${b.n} ${b.n === 1 ? "person" : "people"})`;
    case "excluded":
      return "Under 2%: excluded from ratios";
    case "within":
      return b.pValue === null ? "Highest rate" : `${ratio} (${test})`;
    case "no-ratio":
      return "No ratio";
  }
}

export function RateBars({ title, bars }: { title: string; bars: RateBar[] }) {
  const compared = bars.filter((b) => b.verdict !== "excluded");
  const highest = compared.reduce((m, b) => Math.max(m, b.rate), 0);
  const line = highest * FOUR_FIFTHS;
  return (
    <figure className="rate-bars">
      <figcaption>
        <strong>{title}</strong>{" "}
        <span className="muted small">
          {highest > 0 ? `four-fifths line at ${pct(line)} (0.8 × the highest rate, ${pct(highest)})` : "no group has a rate above zero"}
        </span>
      </figcaption>
      <ul>
        {bars.map((b) => (
          <li key={b.group} className={`rb-row rb-${b.verdict}`} title={explainVerdict(b.verdict, b.n)}>
            <span className="rb-group">{b.group}</span>
            <span className="rb-track" aria-hidden="true">
              <span className="rb-bar" style={{ width: `${Math.max(b.rate * 100, 0.5)}%` }} />
              {highest > 0 && <span className="rb-line" style={{ left: `${line * 100}%` }} />}
            </span>
            <span className="rb-value">
              {b.selected}/{b.n} · {pct(b.rate)}
            </span>
            <span className="rb-verdict">
              {b.verdict === "adverse" && <span aria-hidden="true">⚑ </span>}
              {verdictText(b)}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
