import type { ReactNode } from "react";

/**
 * A small set of line icons drawn for the console on a 24 × 24 grid, stroked in the text's colour.
 * Each one stands beside a text label that says the same thing, so it is hidden from screen readers.
 */
const PATHS = {
  start: "M3 11l9-7 9 7M5 9.5V20h5v-6h4v6h5V9.5",
  inbox: "M3 13l3-8h12l3 8v6H3zM3 13h5l1 3h6l1-3h5",
  calendar: "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
  activity: "M3 12h4l3-7 4 14 3-7h4",
  flow: "M4 4h6v6H4zM14 14h6v6h-6zM7 10v4a3 3 0 003 3h4",
  list: "M9 6h11M9 12h11M9 18h11M4 6h1M4 12h1M4 18h1",
  scale: "M12 3v17M7 20h10M5 6h14M5 6l-3 7h6zM19 6l-3 7h6z",
  menu: "M4 6h16M4 12h16M4 18h16",
  sliders: "M4 6h16M4 12h16M4 18h16M14 4v4M8 10v4M16 16v4",
  users: "M9 11a4 4 0 100-8 4 4 0 000 8zM2 21v-1a6 6 0 0112 0v1M16 3.5a4 4 0 010 7.5M18 14a6 6 0 014 6v1",
  check: "M5 12.5l4.5 4.5L19 7",
  x: "M6 6l12 12M18 6L6 18",
  clock: "M12 3a9 9 0 100 18 9 9 0 000-18zM12 7v5l3 2",
  search: "M11 4a7 7 0 100 14 7 7 0 000-14zM20 20l-4-4",
  external: "M14 4h6v6M20 4l-9 9M18 14v6H4V6h6",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

const STATE_ICONS: Record<string, IconName> = {
  pending: "clock",
  waiting: "clock",
  proposed: "clock",
  booking: "clock",
  rescheduling: "clock",
  approved: "check",
  succeeded: "check",
  processed: "check",
  completed: "check",
  applied: "check",
  booked: "check",
  rejected: "x",
  failed: "x",
  dead: "x",
  declined: "x",
  cancelled: "x",
};

/** A state's badge: its colour and icon from the state, its words (the state itself unless given). */
export function StateBadge({ state, children }: { state: string; children?: ReactNode }) {
  const icon = STATE_ICONS[state];
  return (
    <span className={`badge ${state}`}>
      {icon && <Icon name={icon} />}
      {children ?? state}
    </span>
  );
}
