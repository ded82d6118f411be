/**
 * Events and runs: live lists, a run's timeline (a step chart, then each step's input beside its output, long ones
 * collapsed, all of it as text), and dead jobs to replay.
 */
import { useEffect, useState } from "react";
import { can, post, type User } from "../api.ts";
import { StateBadge } from "../components/icons.tsx";
import { StepValue } from "../components/json-view.tsx";
import { StepChart } from "../components/step-chart.tsx";
import { useLive } from "../live.ts";
import type { DeadJobList, EventList, RunLabels, RunList, RunReply } from "../../../src/contract/console-api.ts";
import { toDeadJob, toEvent, toRun } from "../model.ts";
import { useNotify } from "../notices.tsx";
import { onLinkClick } from "../router.ts";
import { useFetch } from "../use-fetch.ts";

function when(iso: string | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Why a step shows no input: it has not run, was skipped, or ran before inputs were kept. */
function noInput(s: { status: string; startedAt?: string | undefined }): string {
  if (s.status === "skipped") return "None: the step was skipped.";
  if (!s.startedAt || s.status === "pending") return "None yet: the step has not run.";
  return "Not recorded (steps that ran before Fulcrum kept step inputs have none).";
}

export function RunsPage({ user, runId }: { user: User; runId: string | undefined }) {
  if (runId) return <RunTimeline id={decodeURIComponent(runId)} />;
  return <RunsOverview user={user} />;
}

function RunsOverview({ user }: { user: User }) {
  const notify = useNotify();
  const events = useFetch("/api/events?limit=50", (r: EventList) => r.events.map(toEvent));
  const runs = useFetch("/api/runs?limit=50", (r: RunList) => r.runs.map(toRun));
  const dead = useFetch(can(user, "admin") ? "/api/jobs/dead" : undefined, (r: DeadJobList) => r.jobs.map(toDeadJob));
  const runIds = runs.data?.map((r) => r.id).join(",");
  const labels = useFetch(runIds ? `/console/api/run-labels?ids=${encodeURIComponent(runIds)}` : undefined, (r: RunLabels) => r.labels);
  const [busy, setBusy] = useState<string | undefined>();
  useLive((name) => {
    if (name === "run.updated") {
      runs.reload();
      events.reload();
    }
  });

  const replay = async (id: string) => {
    setBusy(id);
    try {
      await post(`/api/jobs/${encodeURIComponent(id)}/retry`);
      notify("Job sent back to its queue.");
      dead.reload();
    } catch (e) {
      notify(`Replay failed: ${(e as Error).message}`, "error");
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <h1>Events and runs</h1>
      {can(user, "admin") && (
        <section aria-labelledby="dead-h">
          <h2 id="dead-h">Dead jobs</h2>
          <p className="muted small">
            A dead job is a step that failed on every retry (Lever down, a bad answer); nothing more happens to it until someone replays it.
          </p>
          {dead.error && <p className="error">Could not load dead jobs: {dead.error}</p>}
          {dead.data?.length === 0 && <p className="muted">No dead jobs. Failures that run out of retries land here.</p>}
          {dead.data && dead.data.length > 0 && (
            <table className="stacked">
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  <th scope="col">Error</th>
                  <th scope="col">Failed</th>
                  <th scope="col">
                    <span className="sr-only">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {dead.data.map((j) => (
                  <tr key={j.id}>
                    <td data-label="Queue">{j.queue}</td>
                    <td className="error-text" data-label="Error">
                      {j.error}
                    </td>
                    <td data-label="Failed">{when(j.failedAt)}</td>
                    <td>
                      <button type="button" disabled={busy === j.id} onClick={() => void replay(j.id)}>
                        Replay
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section aria-labelledby="runs-h">
        <h2 id="runs-h">Runs</h2>
        {runs.error && <p className="error">Could not load runs: {runs.error}</p>}
        {runs.data?.length === 0 && <p className="muted">No runs yet.</p>}
        {runs.data && runs.data.length > 0 && (
          <table className="stacked">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Candidate</th>
                <th scope="col">Posting</th>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id}>
                  <td data-label="Run">
                    <a href={`/runs/${encodeURIComponent(r.id)}`} onClick={onLinkClick}>
                      {r.id.slice(0, 12)}
                    </a>
                  </td>
                  <td data-label="Candidate">{labels.data?.[r.id]?.candidateName ?? "—"}</td>
                  <td data-label="Posting">{labels.data?.[r.id]?.postingTitle ?? "—"}</td>
                  <td data-label="Workflow">{r.workflowId}</td>
                  <td data-label="Status">
                    <StateBadge state={r.status} />
                    {r.overdue && <StateBadge state="failed"> overdue</StateBadge>}
                  </td>
                  <td data-label="Started">{when(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="events-h">
        <h2 id="events-h">Events</h2>
        {events.error && <p className="error">Could not load events: {events.error}</p>}
        {events.data?.length === 0 && <p className="muted">No events yet. Lever's webhooks arrive here.</p>}
        {events.data && events.data.length > 0 && (
          <table className="stacked">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
                <th scope="col">Trace</th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((e) => (
                <tr key={e.id}>
                  <td data-label="Event">{e.event}</td>
                  <td data-label="Source">{e.source}</td>
                  <td data-label="Status">
                    <StateBadge state={e.status} />
                  </td>
                  <td data-label="Received">{when(e.receivedAt)}</td>
                  <td data-label="Trace">
                    {e.traceId && can(user, "audit") ? (
                      <a href={`/audit?trace=${encodeURIComponent(e.traceId)}`} onClick={onLinkClick}>
                        {e.traceId.slice(0, 12)}
                      </a>
                    ) : (
                      (e.traceId?.slice(0, 12) ?? "—")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function RunTimeline({ id }: { id: string }) {
  const run = useFetch(`/api/runs/${encodeURIComponent(id)}`, (r: RunReply) => toRun(r.run));
  useLive((name, data) => {
    if (name === "run.updated" && JSON.stringify(data ?? "").includes(id)) run.reload();
  });
  // A step that is still going grows with the clock.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <p>
        <a href="/runs" onClick={onLinkClick}>
          ← Events and runs
        </a>
      </p>
      <h1>Run {id.slice(0, 12)}</h1>
      {run.error && <p className="error">Could not load the run: {run.error}</p>}
      {run.data && (
        <>
          <dl className="facts">
            <dt>Workflow</dt>
            <dd>{run.data.workflowId}</dd>
            <dt>Status</dt>
            <dd>
              {run.data.status}
              {run.data.overdue && " (overdue)"}
            </dd>
            <dt>Started</dt>
            <dd>{when(run.data.createdAt)}</dd>
            <dt>Trace</dt>
            <dd>
              {run.data.traceId ? (
                <a href={`/audit?trace=${encodeURIComponent(run.data.traceId)}`} onClick={onLinkClick}>
                  {run.data.traceId}
                </a>
              ) : (
                "—"
              )}
            </dd>
          </dl>
          <h2>Timeline</h2>
          <StepChart steps={run.data.steps} runStartedAt={run.data.createdAt} now={now} />
          <h2>Steps</h2>
          <ol className="timeline">
            {run.data.steps.map((s, i) => (
              <li key={s.id || i} className={`step ${s.status}`}>
                <h3>
                  {s.name} <span className="muted">{s.type}</span> <StateBadge state={s.status} />
                </h3>
                <p className="muted">
                  {when(s.startedAt)} → {when(s.finishedAt)}
                </p>
                {s.error && <p className="error-text">{s.error}</p>}
                <div className="step-io">
                  <div>
                    <h4>Input</h4>
                    <StepValue value={s.input} label={`Input of ${s.name}`} missing={noInput(s)} />
                  </div>
                  <div>
                    <h4>Output</h4>
                    <StepValue value={s.output} label={`Output of ${s.name}`} missing={s.finishedAt ? "No output recorded." : "No output yet."} />
                  </div>
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
