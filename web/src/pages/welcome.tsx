/**
 * The first view: what is happening right now (events arriving, proposals waiting) and, on the
 * built-in sandbox, the next thing to try.
 */
import { can, type User } from "../api.ts";
import { useLive } from "../live.ts";
import type { EventList, Overview, ProposalLabels, ProposalList, StartCounts } from "../../../src/contract/console-api.ts";
import { toEvent, toProposal } from "../model.ts";
import { onLinkClick } from "../router.ts";
import { useFetch } from "../use-fetch.ts";
import { SimulateActivity } from "../components/simulate-activity.tsx";
import { CountTiles, WebhookSparkline, type WebhookHour } from "../components/start-tiles.tsx";
import { localMidnightIso } from "../components/local-day.ts";

export function WelcomePage({ user }: { user: User }) {
  const overview = useFetch("/console/api/overview", (r: Overview) => r);
  const proposals = useFetch("/api/proposals?status=pending&limit=5", (r: ProposalList) => r.proposals.map(toProposal));
  const labels = useFetch("/console/api/proposal-labels?status=pending", (r: ProposalLabels) => r.labels);
  const events = useFetch(can(user, "runs") ? "/api/events?limit=5" : undefined, (r: EventList) => r.events.map(toEvent));
  const counts = useFetch(`/console/api/start-counts?since=${encodeURIComponent(localMidnightIso(new Date()))}`, (r: StartCounts) => r);
  const hours = useFetch(can(user, "runs") ? "/console/api/webhook-hours" : undefined, (r: { hours: WebhookHour[] }) => r.hours);
  useLive(() => {
    proposals.reload();
    labels.reload();
    events.reload();
    counts.reload();
    hours.reload();
  });
  const sandbox = overview.data?.sandbox;

  return (
    <>
      <h1>Welcome{user.name ? `, ${user.name}` : ""}</h1>
      {counts.error && <p className="error">Could not load the counts: {counts.error}</p>}
      {counts.data && <CountTiles counts={counts.data} />}
      {sandbox && (
        <section className="card guide" aria-labelledby="guide-h">
          <h2 id="guide-h">You are on the built-in Lever sandbox</h2>
          <p>
            Fulcrum is connected to a simulated Lever organisation with postings and candidates. Its webhooks arrive here as they would from Lever, and the
            built-in workflows run on them as their files say: most in shadow (they record what they would do and write nothing), interview scheduling in assist
            (proposed times wait for a person), here as on a real account.
          </p>
          {overview.data?.activity && <SimulateActivity user={user} everySeconds={overview.data.activity.everySeconds} />}
          <ol>
            {can(user, "runs") && (
              <li>Watch events arrive below as the sandbox sends them (new applications, stage moves, interviews), or simulate a round above.</li>
            )}
            {can(user, "admin") ? (
              <li>
                In{" "}
                <a href="/workflows" onClick={onLinkClick}>
                  workflows
                </a>
                , switch Application screening to assist (a person approves each proposal) or auto (notes and tags are written when the guards pass; stage moves
                and archives still wait for you). Each action shows the mode it runs in and why.
              </li>
            ) : (
              <li>
                An admin chooses how far each workflow may go on its own: record only (shadow), wait for a person (assist), or write when its guards pass
                (auto).
              </li>
            )}
            <li>
              Open the{" "}
              <a href="/proposals" onClick={onLinkClick}>
                proposals
              </a>{" "}
              waiting for you, read the reasons and evidence, and approve or reject one (keys <kbd>a</kbd> and <kbd>r</kbd>).
            </li>
            {can(user, "admin") && (
              <>
                <li>
                  In{" "}
                  <a href="/workflows" onClick={onLinkClick}>
                    workflows
                  </a>
                  , try a prompt change and replay it on history to see what would change.
                </li>
                <li>
                  When you are ready, add your real Lever account in{" "}
                  <a href="/settings" onClick={onLinkClick}>
                    connections and settings
                  </a>
                  .
                </li>
              </>
            )}
          </ol>
        </section>
      )}
      <div className="cols">
        <section aria-labelledby="waiting-h" className="card">
          <h2 id="waiting-h">Waiting for a person</h2>
          {proposals.error && <p className="error">{proposals.error}</p>}
          {proposals.data?.length === 0 && <p className="muted">Nothing waits. Proposals appear here as workflows run.</p>}
          <ul>
            {proposals.data?.map((p) => (
              <li key={p.id}>
                <a href={`/proposals/${encodeURIComponent(p.id)}`} onClick={onLinkClick}>
                  {labels.data?.[p.id]?.candidateName ?? p.candidateName}
                </a>{" "}
                <span className="muted">— {p.summary.slice(0, 80)}</span>
              </li>
            ))}
          </ul>
        </section>
        {can(user, "runs") && (
          <section aria-labelledby="arriving-h" className="card">
            <h2 id="arriving-h">Latest events</h2>
            {hours.error && <p className="error">Could not load webhook health: {hours.error}</p>}
            {hours.data && <WebhookSparkline hours={hours.data} />}
            {events.error && <p className="error">{events.error}</p>}
            {events.data?.length === 0 && <p className="muted">No events yet.</p>}
            <ul>
              {events.data?.map((e) => (
                <li key={e.id}>
                  {e.event}{" "}
                  <span className="muted">
                    · {e.status} · {new Date(e.receivedAt).toLocaleTimeString()}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
      {overview.data && (
        <p className="muted">
          Mode ceiling: <strong>{overview.data.modeCeiling}</strong> — no workflow goes beyond it.
        </p>
      )}
    </>
  );
}
