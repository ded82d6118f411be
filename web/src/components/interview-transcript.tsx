/**
 * An interview-analysis proposal's transcript beside its question list: each question asked or
 * not, the answer's quote and time; times jump the transcript to that moment (and open the
 * platform's player there when it gave one). Long transcripts arrive a page at a time. Loaded
 * only when such a proposal is open, to keep the inbox's first load small.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { TranscriptReply } from "../../../src/contract/console-api.ts";
import { get } from "../api.ts";
import { Highlighted } from "./highlight.tsx";
import "./interview-transcript.css";

type View = TranscriptReply["transcript"];
type Segment = View["segments"][number];

/** `0:07`, `12:03`, `1:02:09`. */
/** A time in the interview that scrolls the transcript to it. */
function TimeJump({ at, label, jump }: { at: number; label: string; jump: (seconds: number) => Promise<void> | void }) {
  return (
    <button type="button" className="itv-time" onClick={() => void jump(at)} aria-label={`${label} at ${clock(at)}: show in the transcript`}>
      {clock(at)}
    </button>
  );
}

/** Opens the platform's player at that moment, when the platform gave a player URL. */
function PlayLink({ at, playerUrl }: { at: number; playerUrl: string | null }) {
  const href = playerAt(playerUrl, at);
  return href ? (
    <a className="itv-play" href={href} target="_blank" rel="noopener noreferrer" aria-label={`Play the recording from ${clock(at)}`}>
      ▶ play
    </a>
  ) : null;
}

export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** The player opened at a moment (`t=` whole seconds), or undefined without an https player URL. */
export function playerAt(playerUrl: string | null, seconds: number): string | undefined {
  if (!playerUrl || !/^https:\/\//i.test(playerUrl)) return undefined;
  try {
    const u = new URL(playerUrl);
    u.searchParams.set("t", String(Math.max(0, Math.floor(seconds))));
    return u.href;
  } catch {
    return undefined;
  }
}

export function InterviewTranscript({ proposalId }: { proposalId: string }) {
  const [view, setView] = useState<View | undefined>();
  const [segments, setSegments] = useState<Segment[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [current, setCurrent] = useState<number | undefined>();
  const boxRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    get<TranscriptReply>(`/console/api/proposals/${encodeURIComponent(proposalId)}/transcript`).then(
      ({ transcript }) => {
        setView(transcript);
        setSegments(transcript.segments);
      },
      (e: Error) => setError(e.message),
    );
  }, [proposalId]);

  const loadMore = useCallback(async (): Promise<Segment[] | undefined> => {
    if (!view || view.next === null) return undefined;
    const { transcript } = await get<TranscriptReply>(`/console/api/proposals/${encodeURIComponent(proposalId)}/transcript?from=${view.next}`);
    const all = [...segments, ...transcript.segments];
    setSegments(all);
    setView({ ...view, next: transcript.next, note: transcript.note });
    return all;
  }, [proposalId, segments, view]);

  // Jump: the segment holding the moment (loading further pages when it lies beyond them), in view and focused.
  const jump = useCallback(
    async (seconds: number) => {
      let all = segments;
      let hit = all.find((s) => s.end > seconds) ?? undefined;
      for (let pages = 0; !hit && pages < 20; pages++) {
        const more = await loadMore();
        if (!more) break;
        all = more;
        hit = all.find((s) => s.end > seconds);
      }
      const target = hit ?? all.at(-1);
      if (!target) return;
      setCurrent(target.index);
      requestAnimationFrame(() => {
        const el = boxRef.current?.querySelector<HTMLElement>(`[data-index="${target.index}"]`);
        el?.scrollIntoView({ block: "center" });
        el?.focus({ preventScroll: true });
      });
    },
    [segments, loadMore],
  );

  if (error) return <p className="muted itv-error">{error}</p>;
  if (!view) return <p className="muted">Loading the transcript…</p>;

  const answers = view.questions.flatMap((q, i) => (q.answer ? [{ n: i + 1, ...q.answer }] : []));
  const answerOf = (s: Segment) => answers.find((a) => s.start < a.end && s.end > a.start);
  const quotes = answers.map((a) => a.quote);

  return (
    <section className="itv" aria-labelledby="itv-h">
      <h3 id="itv-h">Interview transcript and questions</h3>
      <p className="muted itv-meta">
        {view.source === "media" ? `Transcribed by Fulcrum (${view.engine})` : "The platform's transcript"} · {clock(view.durationSeconds)} · {view.total}{" "}
        segments
        {view.playerUrl ? " · times open the recording" : ""}
      </p>
      <div className="itv-cols">
        <div className="itv-questions">
          <h4 id="itv-q-h">Questions</h4>
          <ol aria-labelledby="itv-q-h">
            {view.questions.map((q, i) => (
              <li key={q.id || i}>
                <p className="itv-q">{q.text}</p>
                {!q.asked ? (
                  <p className="itv-status not-asked">Not asked</p>
                ) : (
                  <p className="itv-status">
                    Asked <TimeJump jump={jump} at={q.asked.start} label={`Question ${i + 1} asked`} />
                    {!q.answer && <span className="muted"> · no answer found</span>}
                  </p>
                )}
                {q.answer && (
                  <blockquote className="itv-answer">
                    <span className="itv-answer-time">
                      Answer <TimeJump jump={jump} at={q.answer.start} label={`Answer to question ${i + 1}`} />–{clock(q.answer.end)}{" "}
                      <PlayLink playerUrl={view.playerUrl} at={q.answer.start} />
                    </span>
                    <q>{q.answer.quote}</q>
                  </blockquote>
                )}
              </li>
            ))}
          </ol>
          {view.interviewerCheck.length > 0 && (
            <div className="itv-check">
              <h4>Interviewer check</h4>
              <p className="muted">
                For the recruiter only: questions that should not be asked, and the set's questions asked to some candidates of this posting and not others. Not
                written to Lever or the candidate's record.
              </p>
              <ul>
                {view.interviewerCheck.map((f, i) => (
                  <li key={i}>
                    {f.start !== null && <TimeJump jump={jump} at={f.start} label="Question to check" />} <q>{f.quote}</q>
                    {f.why && <span className="muted"> — {f.why}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        <div className="itv-transcript">
          <h4 id="itv-t-h">Transcript, answers marked</h4>
          <ol className="itv-segments" ref={boxRef} aria-labelledby="itv-t-h" tabIndex={0}>
            {segments.map((s) => {
              const answer = answerOf(s);
              const href = playerAt(view.playerUrl, s.start);
              return (
                <li key={s.index} data-index={s.index} tabIndex={-1} className={`${answer ? "answer" : ""}${current === s.index ? " current" : ""}`}>
                  <span className="itv-seg-time">
                    {href ? (
                      <a href={href} target="_blank" rel="noopener noreferrer" aria-label={`Play the recording from ${clock(s.start)}`}>
                        {clock(s.start)}
                      </a>
                    ) : (
                      clock(s.start)
                    )}
                  </span>
                  {s.speaker && <span className="itv-speaker">{s.speaker}</span>}
                  {answer && <span className="itv-tag">answer {answer.n}</span>}
                  <span className="itv-text">{answer ? <Highlighted text={s.text} quotes={quotes} /> : s.text}</span>
                </li>
              );
            })}
          </ol>
          {view.note && <p className="muted itv-note">{view.note}</p>}
          {view.next !== null && (
            <button type="button" onClick={() => void loadMore()}>
              Show more of the transcript
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
