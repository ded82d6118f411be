/**
 * A run's steps as bars on one time axis, coloured and labelled by state. The bars are decoration:
 * each row also says its state and duration in words, so a screen reader hears what a sighted
 * reader sees. Plain HTML and CSS: it reflows to a 360 px phone and costs nothing in the bundle.
 */
import { describeBar, layoutSteps, type ChartStep } from "./step-chart-layout.ts";
import "./step-chart.css";

const GLYPHS = { succeeded: "✓", failed: "✗", waiting: "⏸", running: "▶", skipped: "↷", pending: "·" } as const;

export function StepChart({ steps, runStartedAt, now }: { steps: readonly ChartStep[]; runStartedAt?: string | undefined; now: Date }) {
  const layout = layoutSteps(steps, now, runStartedAt);
  if (steps.length === 0) return <p className="muted">This run has no steps yet.</p>;
  return (
    <figure className="step-chart">
      <figcaption className="muted small">
        {layout.spanMs === 0
          ? "No step has started yet."
          : layout.scale === "compressed"
            ? "Time from the run's start, compressed: later times are squeezed so short steps stay visible beside long waits."
            : "Time from the run's start."}
      </figcaption>
      {layout.ticks.length > 0 && (
        <div className="sc-row sc-axis" aria-hidden="true">
          <span />
          <span className="sc-track sc-ticks">
            {layout.ticks.map((t, i) => (
              <span key={i} className="sc-tick" style={{ left: `${t.at * 100}%` }}>
                {t.label}
              </span>
            ))}
          </span>
          <span />
        </div>
      )}
      <ol>
        {layout.bars.map((b, i) => (
          <li key={i} className={`sc-row sc-${b.state}`}>
            <span className="sc-name">{b.name}</span>
            <span className="sc-track" aria-hidden="true">
              {b.start !== undefined && (
                <span
                  className={`sc-bar${b.ongoing ? " sc-ongoing" : ""}`}
                  style={{ left: `${Math.min(b.start, 0.995) * 100}%`, width: `max(4px, ${(b.width ?? 0) * 100}%)` }}
                />
              )}
            </span>
            <span className="sc-state">
              <span aria-hidden="true">{GLYPHS[b.state]} </span>
              {describeBar(b)}
            </span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
