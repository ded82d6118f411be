/**
 * One day of a scheduling proposal: for each interviewer, their working hours, the events that
 * block them (busy, tentative, out of office; titles only where the calendar gave them), the
 * sessions proposed to them, and the other options' sessions that day. Plain HTML and CSS: every
 * block is also said in words for screen readers.
 */
import { placeOnDay, timeLabel } from "./zoned-time.ts";
import "./scheduling.css";

export interface CalendarView {
  id: string;
  name: string;
  timezone?: string | undefined;
  error?: string | undefined;
  working: { start: string; end: string }[];
  busy: { start: string; end: string; status: string; allDay?: boolean | undefined; title?: string | undefined }[];
  omitted?: number | undefined;
}

export interface TimelineSession {
  title: string;
  start: string;
  end: string;
  /** Lever user ids. */
  interviewers: string[];
}

export interface TimelineOption {
  label: string;
  sessions: TimelineSession[];
}

const STATUS_WORDS: Record<string, string> = { busy: "busy", tentative: "tentative", oof: "out of office" };

/** The part of the day worth drawing: working hours and sessions, an hour either side (default 08:00–18:00). */
export function dayRange(spans: { from: number; to: number }[]): { from: number; to: number } {
  const useful = spans.filter((s) => s.to - s.from < 1440);
  const from = useful.length ? Math.min(...useful.map((s) => s.from)) : 8 * 60;
  const to = useful.length ? Math.max(...useful.map((s) => s.to)) : 18 * 60;
  return { from: Math.max(0, Math.floor(from / 60) * 60 - 60), to: Math.min(1440, Math.ceil(to / 60) * 60 + 60) };
}

const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

export function DayTimeline({
  calendars,
  date,
  zone,
  proposed,
  alternatives,
  proposedLabel,
}: {
  calendars: CalendarView[];
  date: string;
  zone: string;
  proposed: TimelineSession[];
  alternatives: TimelineOption[];
  proposedLabel: string;
}) {
  const on = <T extends { start: string; end: string; allDay?: boolean | undefined }>(x: T) => {
    const p = placeOnDay(x, date, zone);
    return p ? { ...x, ...p } : undefined;
  };
  const mine = proposed.map(on).filter((x) => x !== undefined);
  const others = alternatives
    .flatMap((o) => o.sessions.map((s) => ({ ...s, option: o.label })))
    .map(on)
    .filter((x) => x !== undefined);
  const range = dayRange([...calendars.flatMap((c) => c.working.map(on).filter((x) => x !== undefined)), ...mine, ...others]);
  const span = range.to - range.from;
  const pos = (p: { from: number; to: number }) => {
    const left = Math.max(0, ((p.from - range.from) / span) * 100);
    const right = Math.min(100, ((p.to - range.from) / span) * 100);
    return { left: `${left}%`, width: `${Math.max(0.6, right - left)}%` };
  };
  const hours: number[] = [];
  for (let m = range.from; m <= range.to; m += span > 12 * 60 ? 120 : 60) hours.push(m);
  const when = (x: { start: string; end: string; from: number; to: number; allDay?: boolean | undefined }) =>
    x.allDay || x.to - x.from >= 1440 ? "all day" : `${timeLabel(x.start, zone)}–${timeLabel(x.end, zone)}`;

  return (
    <div className="day-timeline">
      <div className="dt-axis" aria-hidden="true">
        <span className="dt-name" />
        <div className="dt-track">
          {hours.map((m) => (
            <span key={m} className="dt-hour" style={{ left: `${((m - range.from) / span) * 100}%` }}>
              {hhmm(m)}
            </span>
          ))}
        </div>
      </div>
      <ul className="dt-rows" aria-label={`Calendars on ${date}, times in ${zone}`}>
        <li className="dt-row dt-panel">
          <span className="dt-name">Panel</span>
          <ul className="dt-track" aria-label="Sessions">
            {mine.map((s, i) => (
              <li key={`p${i}`} className="dt-block dt-proposed" style={pos(s)}>
                <span className="dt-text" aria-hidden="true">
                  {s.title}
                </span>
                <span className="sr-only">{`${proposedLabel}: ${s.title} ${when(s)}`}</span>
              </li>
            ))}
            {others.map((s, i) => (
              <li key={`a${i}`} className="dt-block dt-alternative" style={pos(s)}>
                <span className="dt-text" aria-hidden="true">
                  {s.option.replace(/:.*/, "")}
                </span>
                <span className="sr-only">{`${s.option}: ${s.title} ${when(s)}`}</span>
              </li>
            ))}
            {mine.length === 0 && others.length === 0 && <li className="dt-none">No session proposed on this day</li>}
          </ul>
        </li>
        {calendars.map((c) => {
          const working = c.working.map(on).filter((x) => x !== undefined);
          const busy = c.busy.map(on).filter((x) => x !== undefined);
          const seats = mine.filter((s) => s.interviewers.includes(c.id));
          const altSeats = others.filter((s) => s.interviewers.includes(c.id));
          return (
            <li key={c.id} className="dt-row">
              <span className="dt-name">
                {c.name}
                {c.timezone && c.timezone !== zone && <span className="dt-zone"> ({c.timezone})</span>}
              </span>
              {c.error ? (
                <p className="dt-error">Calendar not read: {c.error}</p>
              ) : (
                <ul className="dt-track" aria-label={`${c.name}'s day`}>
                  {working.map((w, i) => (
                    <li key={`w${i}`} className="dt-work" style={pos(w)}>
                      <span className="sr-only">{`working hours ${when(w)}`}</span>
                    </li>
                  ))}
                  {working.length === 0 && <li className="sr-only">not a working day</li>}
                  {busy.map((b, i) => (
                    <li key={`b${i}`} className={`dt-block dt-${b.status}`} style={pos(b)}>
                      <span className="dt-text" aria-hidden="true">
                        {b.title ?? STATUS_WORDS[b.status] ?? b.status}
                      </span>
                      <span className="sr-only">{`${STATUS_WORDS[b.status] ?? b.status} ${when(b)}${b.title ? `: ${b.title}` : ""}`}</span>
                    </li>
                  ))}
                  {seats.map((s, i) => (
                    <li key={`s${i}`} className="dt-block dt-proposed" style={pos(s)}>
                      <span className="dt-text" aria-hidden="true">
                        {s.title}
                      </span>
                      <span className="sr-only">{`${proposedLabel}: ${s.title} ${when(s)}`}</span>
                    </li>
                  ))}
                  {altSeats.map((s, i) => (
                    <li key={`x${i}`} className="dt-block dt-alternative" style={pos(s)}>
                      <span className="dt-text" aria-hidden="true">
                        {s.option.replace(/:.*/, "")}
                      </span>
                      <span className="sr-only">{`${s.option}: ${s.title} ${when(s)}`}</span>
                    </li>
                  ))}
                </ul>
              )}
              {c.omitted ? <p className="dt-note">{c.omitted} more events not kept with the proposal</p> : null}
            </li>
          );
        })}
      </ul>
      <ul className="dt-legend" aria-label="Legend">
        <li>
          <span className="dt-swatch dt-work" /> working hours
        </li>
        <li>
          <span className="dt-swatch dt-busy" /> busy
        </li>
        <li>
          <span className="dt-swatch dt-tentative" /> tentative
        </li>
        <li>
          <span className="dt-swatch dt-oof" /> out of office
        </li>
        <li>
          <span className="dt-swatch dt-proposed" /> {proposedLabel}
        </li>
        <li>
          <span className="dt-swatch dt-alternative" /> other options
        </li>
      </ul>
    </div>
  );
}
