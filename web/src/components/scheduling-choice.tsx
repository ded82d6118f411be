/**
 * A scheduling proposal's options beside the day timeline: the coordinator looks at any option on
 * its day, books one with one click (an option other than the first becomes the booking through the
 * proposal's edit, so the audit trail shows who chose what), or edits the session times first.
 */
import { useEffect, useMemo, useState } from "react";
import type { SchedulingContextReply } from "../../../src/contract/console-api.ts";
import { get } from "../api.ts";
import { BookingLinkCopy } from "./booking-link-copy.tsx";
import { DayTimeline, type CalendarView, type TimelineSession } from "./day-timeline.tsx";
import { dayLabel, fromLocalInput, knownZone, localParts, rangeLabel, toLocalInput, viewerZone } from "./zoned-time.ts";

interface BookingSession {
  id: string;
  title: string;
  start: string;
  end: string;
  interviewers: { leverUserId: string; name?: string }[];
}
interface Booking {
  sessions: BookingSession[];
  [key: string]: unknown;
}
type ContextReply = SchedulingContextReply["scheduling"];
/**
 * The contract passes each option's booking and the calendars on as the step recorded them; this
 * component reads them as `scheduling.propose` writes them.
 */
type SchedulingContext = Omit<ContextReply, "options" | "calendars"> & {
  options: (Omit<ContextReply["options"][number], "booking"> & { booking: Booking })[];
  calendars: CalendarView[];
};

type Decide = (ids: string[], verdict: "approve" | "reject", body: { reason?: string; edits?: unknown }) => Promise<void>;

const toTimeline = (b: Booking): TimelineSession[] =>
  b.sessions.map((s) => ({ title: s.title, start: s.start, end: s.end, interviewers: s.interviewers.map((i) => i.leverUserId) }));

export function SchedulingChoice({
  proposalId,
  booking,
  canDecide,
  decide,
}: {
  proposalId: string;
  booking: Booking | undefined;
  canDecide: boolean;
  decide: Decide;
}) {
  const [ctx, setCtx] = useState<SchedulingContext | null | undefined>(undefined);
  const [chosen, setChosen] = useState(0);
  const [zoneChoice, setZoneChoice] = useState<"viewer" | "candidate">("viewer");
  const [day, setDay] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const [starts, setStarts] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<{ scheduling: SchedulingContext }>(`/console/api/proposals/${encodeURIComponent(proposalId)}/scheduling`).then(
      (r) => setCtx(r.scheduling),
      () => setCtx(null),
    );
  }, [proposalId]);

  const mine = viewerZone();
  const candidateZone = knownZone(ctx?.candidateTimezone) ? ctx!.candidateTimezone! : undefined;
  const zone = zoneChoice === "candidate" && candidateZone ? candidateZone : mine;
  // The proposal's current booking is what approving books (it may differ from option 1 after an edit elsewhere).
  const options = useMemo(() => {
    const list = ctx?.options ?? [];
    if (!booking || list.length === 0) return list;
    return [{ ...list[0]!, booking }, ...list.slice(1)];
  }, [ctx, booking]);
  const option = options[chosen];
  const edited: Booking | undefined = useMemo(() => {
    if (!option || !editing) return option?.booking;
    const sessions = option.booking.sessions.map((s, i) => {
      const start = fromLocalInput(starts[i] ?? "");
      if (!start) return s;
      const length = Date.parse(s.end) - Date.parse(s.start);
      return { ...s, start, end: new Date(Date.parse(start) + length).toISOString() };
    });
    return { ...option.booking, sessions };
  }, [option, editing, starts]);

  const days = useMemo(() => {
    const set = new Set<string>();
    for (const o of options) for (const s of o.booking.sessions) set.add(localParts(s.start, zone).date);
    for (const d of ctx?.window?.days ?? []) set.add(d);
    return [...set].sort();
  }, [options, ctx, zone]);
  const shownDay = day && days.includes(day) ? day : edited?.sessions[0] ? localParts(edited.sessions[0].start, zone).date : days[0];

  if (ctx === undefined) return <p className="muted">Loading the calendars…</p>;
  if (ctx === null) return null;

  const pick = (i: number) => {
    setChosen(i);
    setEditing(false);
    const first = options[i]?.booking.sessions[0];
    if (first) setDay(localParts(first.start, zone).date);
  };
  const startEditing = () => {
    if (!option) return;
    setStarts(option.booking.sessions.map((s) => toLocalInput(s.start)));
    setEditing(true);
  };
  const changedTimes = editing && edited && option && edited.sessions.some((s, i) => s.start !== option.booking.sessions[i]!.start);
  const book = async () => {
    if (!edited) return;
    setBusy(true);
    try {
      // The first option unchanged is the proposal as made; anything else is an edit of its booking.
      if (chosen === 0 && !changedTimes) await decide([proposalId], "approve", {});
      else await decide([proposalId], "approve", { edits: { booking: edited } });
    } finally {
      setBusy(false);
    }
  };

  const others = options.map((o, i) => ({ label: o.label, sessions: toTimeline(o.booking), i })).filter((o) => o.i !== chosen);

  return (
    <section aria-labelledby="sched-h" className="scheduling-choice">
      <h3 id="sched-h">Interview times</h3>
      {!ctx.feasible && ctx.reason && <p className="error-text">Nothing fits: {ctx.reason}</p>}
      <BookingLinkCopy proposalId={proposalId} />
      <fieldset>
        <legend>Show times in</legend>
        <label className="radio">
          <input type="radio" name={`zone-${proposalId}`} checked={zone === mine} onChange={() => setZoneChoice("viewer")} /> your time zone ({mine})
        </label>
        {candidateZone && candidateZone !== mine && (
          <label className="radio">
            <input type="radio" name={`zone-${proposalId}`} checked={zone === candidateZone} onChange={() => setZoneChoice("candidate")} /> the candidate's (
            {candidateZone})
          </label>
        )}
      </fieldset>
      {options.length > 0 && (
        <ol className="sched-options" aria-label="Options">
          {options.map((o, i) => (
            <li key={i} className={`sched-option${i === chosen ? " chosen" : ""}`}>
              <div className="row">
                <strong>
                  Option {i + 1}
                  {i === 0 ? " (proposed)" : ""}
                </strong>
                <span>{rangeLabel(o.booking.sessions[0]!.start, o.booking.sessions.at(-1)!.end, zone)}</span>
                <button type="button" aria-pressed={i === chosen} onClick={() => pick(i)}>
                  {i === chosen ? "Shown on the timeline" : "Show on the timeline"}
                </button>
              </div>
              <ul>
                {o.booking.sessions.map((s) => (
                  <li key={s.id}>
                    {s.title}: {rangeLabel(s.start, s.end, zone)} with {s.interviewers.map((p) => p.name ?? p.leverUserId).join(", ")}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {days.length > 0 && (
        <div className="dt-days" role="group" aria-label="Day shown">
          {days.map((d) => (
            <button key={d} type="button" aria-pressed={d === shownDay} onClick={() => setDay(d)}>
              {dayLabel(d)}
            </button>
          ))}
        </div>
      )}
      {shownDay && (
        <DayTimeline
          calendars={ctx.calendars}
          date={shownDay}
          zone={zone}
          proposed={edited ? toTimeline(edited) : []}
          alternatives={others}
          proposedLabel={option ? `Option ${chosen + 1}${changedTimes ? " as edited" : ""}` : "proposed"}
        />
      )}
      {canDecide && option && (
        <div className="sched-book">
          {editing ? (
            <div className="sched-edit">
              <p className="small muted">
                Start times in your time zone ({mine}); each session keeps its length. Free/busy is read again before anything is booked.
              </p>
              {option.booking.sessions.map((s, i) => (
                <label key={s.id}>
                  {s.title} starts
                  <input
                    type="datetime-local"
                    value={starts[i] ?? ""}
                    step={300}
                    onChange={(e) => setStarts(starts.map((v, j) => (j === i ? e.target.value : v)))}
                  />
                </label>
              ))}
              <div className="row">
                <button type="button" onClick={() => setEditing(false)}>
                  Cancel editing
                </button>
              </div>
            </div>
          ) : (
            <button type="button" onClick={startEditing}>
              Edit times of option {chosen + 1}
            </button>
          )}{" "}
          <button type="button" className="primary" disabled={busy} onClick={() => void book()}>
            {`Book option ${chosen + 1}${changedTimes ? " with these times" : ""}`}
          </button>
        </div>
      )}
    </section>
  );
}
