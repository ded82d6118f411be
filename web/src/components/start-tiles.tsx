/**
 * Start's count tiles (each a link to its page) and the webhook-health sparkline: deliveries per
 * hour over the last 24 hours, failures marked. Hand-drawn SVG and CSS, no chart library: Start is
 * in the first download. The figures are written out beside the drawing for screen readers.
 */
import { onLinkClick } from "../router.ts";
import "./start-tiles.css";

export interface StartCounts {
  waitingProposals: number;
  runsToday?: number | undefined;
  failedRunsToday?: number | undefined;
  deadJobs?: number | undefined;
}

export interface WebhookHour {
  hour: string;
  deliveries: number;
  failed: number;
  refused: number;
}

interface Tile {
  n: number;
  label: string;
  href: string;
  explain?: string;
  alarm?: boolean;
}

export function CountTiles({ counts }: { counts: StartCounts }) {
  const tiles: Tile[] = [{ n: counts.waitingProposals, label: counts.waitingProposals === 1 ? "proposal waiting" : "proposals waiting", href: "/proposals" }];
  if (counts.runsToday !== undefined) tiles.push({ n: counts.runsToday, label: counts.runsToday === 1 ? "run today" : "runs today", href: "/runs" });
  if (counts.failedRunsToday !== undefined)
    tiles.push({
      n: counts.failedRunsToday,
      label: counts.failedRunsToday === 1 ? "failed run today" : "failed runs today",
      href: "/runs",
      alarm: counts.failedRunsToday > 0,
    });
  if (counts.deadJobs !== undefined) {
    tiles.push({
      n: counts.deadJobs,
      label: counts.deadJobs === 1 ? "dead job" : "dead jobs",
      href: "/runs",
      explain: "failed on every retry; waits for a replay",
      alarm: counts.deadJobs > 0,
    });
  }
  return (
    <ul className="count-tiles" aria-label="At a glance">
      {tiles.map((t) => (
        <li key={t.label}>
          <a href={t.href} onClick={onLinkClick} className={t.alarm ? "tile alarm" : "tile"}>
            <span className="tile-n">{t.n}</span> <span className="tile-label">{t.label}</span>
            {t.explain && <span className="tile-explain">{t.explain}</span>}
          </a>
        </li>
      ))}
    </ul>
  );
}

const W = 240;
const H = 48;

export function WebhookSparkline({ hours }: { hours: readonly WebhookHour[] }) {
  const total = hours.reduce((n, h) => n + h.deliveries, 0);
  const failed = hours.reduce((n, h) => n + h.failed, 0);
  const refused = hours.reduce((n, h) => n + h.refused, 0);
  const max = Math.max(1, ...hours.map((h) => h.deliveries + h.refused));
  const step = W / Math.max(hours.length, 1);
  const y = (n: number) => (n / max) * (H - 8);
  const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const bad = hours.filter((h) => h.failed + h.refused > 0);
  return (
    <figure className="sparkline">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <line x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} className="sl-base" />
        {hours.map((h, i) => {
          const ok = h.deliveries - h.failed;
          const x = i * step + 1;
          const w = Math.max(step - 2, 1);
          return (
            <g key={h.hour}>
              {ok > 0 && <rect className="sl-ok" x={x} y={H - y(ok)} width={w} height={y(ok)} />}
              {h.failed + h.refused > 0 && <rect className="sl-bad" x={x} y={H - y(ok + h.failed + h.refused)} width={w} height={y(h.failed + h.refused)} />}
              {h.failed + h.refused > 0 && <circle className="sl-mark" cx={x + w / 2} cy={Math.max(3, H - y(ok + h.failed + h.refused) - 4)} r="2.5" />}
            </g>
          );
        })}
      </svg>
      <div className="sl-axis" aria-hidden="true">
        <span>24 h ago</span>
        <span>now</span>
      </div>
      <figcaption>
        <strong>{total}</strong> {total === 1 ? "delivery" : "deliveries"} in the last 24 hours
        {failed + refused === 0 ? (
          <span className="muted">, none failed.</span>
        ) : (
          <span className="sl-bad-text">
            {" "}
            · {failed} failed in processing · {refused} refused (bad or reused signature, outside the replay window, malformed)
          </span>
        )}
      </figcaption>
      {bad.length > 0 && (
        <details className="small">
          <summary>Hours with failures</summary>
          <ul>
            {bad.map((h) => (
              <li key={h.hour}>
                {time(h.hour)}: {h.deliveries} stored, {h.failed} failed in processing, {h.refused} refused
              </li>
            ))}
          </ul>
        </details>
      )}
    </figure>
  );
}
