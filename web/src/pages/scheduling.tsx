/**
 * Scheduling: the interview panels Fulcrum proposed or booked, soonest first, with their state,
 * the candidate, the posting, the times in the viewer's time zone and the interviewers by name.
 * Each links to its proposal, where the day timeline is.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ScheduledPanel as Panel, ScheduledPanelList } from "../../../src/contract/console-api.ts";
import { get } from "../api.ts";
import { StateBadge } from "../components/icons.tsx";
import { dayLabel, localParts, rangeLabel, timeLabel, viewerZone } from "../components/zoned-time.ts";
import { useLive } from "../live.ts";
import { onLinkClick } from "../router.ts";
import "../components/scheduling.css";

const STATE_WORDS: Record<string, string> = {
  proposed: "proposed, waiting for a person",
  escalated: "escalated to a person",
  booking: "being booked",
  booked: "booked",
  failed: "booking failed",
  rejected: "rejected",
  expired: "expired",
  shadow: "recorded only (shadow)",
  closed: "handled by hand",
  declined: "declined by an interviewer",
  cancelled: "cancelled",
  moved: "moved by hand",
  rescheduling: "rescheduling",
};

const REMINDER_WORDS: Record<NonNullable<Panel["reminders"]>[number]["state"], string> = {
  armed: "armed",
  sent: "sent",
  waiting: "waiting for approval",
  withdrawn: "withdrawn",
  skipped: "skipped",
};

/** A booked panel's reminders: who, when (in the viewer's zone), their state and why. */
function Reminders({ reminders, zone }: { reminders: NonNullable<Panel["reminders"]>; zone: string }) {
  return (
    <section className="reminders" aria-label="Reminders">
      <h3>Reminders</h3>
      {reminders.length === 0 ? (
        <p className="muted small">No reminder armed or sent for this panel.</p>
      ) : (
        <ul>
          {reminders.map((r, i) => (
            <li key={i}>
              <StateBadge state={r.state}>{REMINDER_WORDS[r.state]}</StateBadge> {r.who}, {dayLabel(localParts(r.at, zone).date)} {timeLabel(r.at, zone)}
              {r.reason && <span className="muted small"> ({r.reason})</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function SchedulingPage() {
  const [panels, setPanels] = useState<Panel[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [past, setPast] = useState(false);
  const [state, setState] = useState("");
  const zone = viewerZone();

  const load = useCallback(() => {
    get<ScheduledPanelList>(`/console/api/scheduling/panels?past=${past}`).then(
      (r) => {
        setPanels(r.panels);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [past]);
  useEffect(load, [load]);
  useLive((name) => {
    if (name.startsWith("proposal.") || name === "run.updated") load();
  });

  const states = useMemo(() => [...new Set((panels ?? []).map((p) => p.state))].sort(), [panels]);
  const shown = (panels ?? []).filter((p) => !state || p.state === state);

  return (
    <div className="scheduling">
      <div className="page-head">
        <h1>Scheduling</h1>
      </div>
      <form className="filters" aria-label="Filter panels" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">All states</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {STATE_WORDS[s] ?? s}
              </option>
            ))}
          </select>
        </label>
        <label className="switch">
          <input type="checkbox" checked={past} onChange={(e) => setPast(e.target.checked)} /> Include past panels
        </label>
      </form>
      <p className="muted small">Times in your time zone ({zone}).</p>
      {error && (
        <p role="alert" className="error">
          Could not load the panels: {error}
        </p>
      )}
      <p aria-live="polite" className="sr-only">
        {panels === undefined ? "Loading…" : `${shown.length} panel${shown.length === 1 ? "" : "s"}`}
      </p>
      {panels !== undefined && shown.length === 0 ? (
        <p className="empty">No upcoming interview panels. They appear here when the interview-scheduling workflow proposes times.</p>
      ) : (
        <ul className="panels" aria-label="Interview panels">
          {shown.map((p) => (
            <li key={p.proposalId} className="panel-card">
              <h2>
                <a href={`/proposals/${encodeURIComponent(p.proposalId)}`} onClick={onLinkClick}>
                  {p.candidateName ?? "Unnamed candidate"}
                </a>
                <StateBadge state={p.state}>{STATE_WORDS[p.state] ?? p.state}</StateBadge>
              </h2>
              <p className="muted small">
                {p.postingTitle ?? p.postingId ?? "No posting"}
                {p.stage && <> · {p.stage}</>}
                {p.candidateTimezone && <> · candidate's time zone {p.candidateTimezone}</>}
              </p>
              {p.firstStart && p.lastEnd ? (
                <>
                  <p>{rangeLabel(p.firstStart, p.lastEnd, zone)}</p>
                  <ul>
                    {p.sessions.map((s, i) => (
                      <li key={i}>
                        {s.title}, {rangeLabel(s.start, s.end, zone)}: {s.interviewers.join(", ")}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <p>No time yet.</p>
              )}
              {p.detail && <p className="small">{p.detail}</p>}
              {p.reminders && <Reminders reminders={p.reminders} zone={zone} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
