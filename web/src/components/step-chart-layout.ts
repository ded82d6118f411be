/**
 * Where each step of a run sits on a time axis: pure arithmetic for the run page's step chart,
 * tested on its own. Runs mix steps of milliseconds with waits of days (a proposal waiting for a
 * person over a weekend), so when the spread is wide the axis is compressed (logarithmic from the
 * run's start) and says so; otherwise it is linear.
 */

export type StepState = "succeeded" | "failed" | "waiting" | "running" | "skipped" | "pending";

export interface ChartStep {
  name: string;
  status: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
}

export interface StepBar {
  name: string;
  state: StepState;
  /** Left edge and width as fractions of the axis; undefined for a step that never started. */
  start?: number;
  width?: number;
  durationMs?: number;
  /** Still going (running, or waiting for a person): the bar ends at now. */
  ongoing: boolean;
}

export interface StepLayout {
  scale: "linear" | "compressed";
  spanMs: number;
  bars: StepBar[];
  ticks: { at: number; label: string }[];
}

export const STATE_LABELS: Record<StepState, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  waiting: "Waiting for a person",
  running: "Running",
  skipped: "Skipped",
  pending: "Not started",
};

function stateOf(status: string): StepState {
  if (status === "succeeded" || status === "completed") return "succeeded";
  if (status === "failed" || status === "dead") return "failed";
  if (status === "waiting" || status === "running" || status === "skipped") return status;
  return "pending";
}

const time = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? undefined : t;
};

/** A duration in words a person reads at a glance: "350 ms", "4.2 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const x = Math.max(0, ms);
  if (x < 1000) return `${Math.round(x)} ms`;
  if (x < 60_000) return `${(x / 1000).toFixed(x < 10_000 ? 1 : 0)} s`;
  const s = Math.floor(x / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  const m = Math.floor(s / 60);
  if (m < 24 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
  const h = Math.floor(m / 60);
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ""}`;
}

const TICK_CANDIDATES = [1000, 10_000, 60_000, 600_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000];

/** Lays the steps out from the run's first start to the last end (or now, while a step goes on). */
export function layoutSteps(steps: readonly ChartStep[], now: Date, runStartedAt?: string): StepLayout {
  const nowMs = now.getTime();
  const spans = steps.map((s) => {
    const state = stateOf(s.status);
    const from = time(s.startedAt);
    const ongoing = from !== undefined && (state === "running" || state === "waiting") && time(s.finishedAt) === undefined;
    const to = ongoing ? Math.max(nowMs, from) : (time(s.finishedAt) ?? from);
    return { name: s.name, state, from, to, ongoing };
  });
  const starts = spans.flatMap((s) => (s.from === undefined ? [] : [s.from]));
  const runStart = time(runStartedAt);
  const t0 = Math.min(...starts, ...(runStart === undefined ? [] : [runStart]));
  const t1 = Math.max(...spans.flatMap((s) => (s.to === undefined ? [] : [s.to])));
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) {
    return { scale: "linear", spanMs: 0, bars: spans.map((s) => ({ name: s.name, state: s.state, ongoing: false })), ticks: [] };
  }
  const spanMs = Math.max(t1 - t0, 1);
  const durations = spans.flatMap((s) => (s.from !== undefined && s.to !== undefined && s.to > s.from ? [s.to - s.from] : []));
  const shortest = Math.max(1000, Math.min(...durations, spanMs));
  // Linear unless the span dwarfs the shortest step (it would be a hairline next to a long wait).
  const compressed = spanMs > 60_000 && spanMs / shortest > 40;
  const unit = shortest;
  const pos = compressed ? (x: number) => Math.log1p(x / unit) / Math.log1p(spanMs / unit) : (x: number) => x / spanMs;

  const bars: StepBar[] = spans.map((s) => {
    if (s.from === undefined) return { name: s.name, state: s.state, ongoing: false };
    const start = pos(s.from - t0);
    const end = pos((s.to ?? s.from) - t0);
    return { name: s.name, state: s.state, start, width: Math.max(end - start, 0), durationMs: (s.to ?? s.from) - s.from, ongoing: s.ongoing };
  });

  const ticks: StepLayout["ticks"] = [{ at: 0, label: "0" }];
  if (compressed) {
    for (const c of TICK_CANDIDATES) {
      if (c >= spanMs) break;
      const at = pos(c);
      if (at - ticks[ticks.length - 1]!.at >= 0.14 && 1 - at >= 0.14) ticks.push({ at, label: formatDuration(c) });
    }
  } else {
    for (const f of [0.25, 0.5, 0.75]) ticks.push({ at: f, label: formatDuration(spanMs * f) });
  }
  ticks.push({ at: 1, label: formatDuration(spanMs) });
  return { scale: compressed ? "compressed" : "linear", spanMs, bars, ticks };
}

/** What the row says (and a screen reader hears): the state and how long, in words. */
export function describeBar(b: StepBar): string {
  const label = STATE_LABELS[b.state];
  if (b.durationMs === undefined) return label;
  if (b.ongoing) return `${label}, ${formatDuration(b.durationMs)} so far`;
  if (b.state === "skipped") return label;
  return `${label} in ${formatDuration(b.durationMs)}`;
}
