/**
 * The first view: what is happening right now (events arriving, proposals waiting) and, on the
 * built-in sandbox, the next thing to try.
 */
import { can, type User } from "../api.ts";
import { useLive } from "../live.ts";
import type { EventList, Overview, ProposalCardList, StartCounts } from "../../../src/contract/console-api.ts";
import { toEvent } from "../model.ts";
import { onLinkClick } from "../router.ts";
import { useFetch } from "../use-fetch.ts";
import { SimulateActivity } from "../components/simulate-activity.tsx";
import { CountTiles, WebhookSparkline, type WebhookHour } from "../components/start-tiles.tsx";
import { localMidnightIso } from "../components/local-day.ts";
import { recommendationWords } from "../components/decision-card.tsx";

/** Candidates listed under "Waiting for a person"; the rest are a link away. */
const WAITING_SHOWN = 5;

export function WelcomePage({ user }: { user: User }) {
  const overview = useFetch("/console/api/overview", (r: Overview) => r);
  // One line per candidate and run, as the inbox shows them: the newest proposals, grouped into cards.
  const waiting = useFetch("/console/api/proposal-cards?status=pending&limit=100", (r: ProposalCardList) => r.cards);
  const events = useFetch(can(user, "runs") ? "/api/events?limit=5" : undefined, (r: EventList) => r.events.map(toEvent));
  const counts = useFetch(`/console/api/start-counts?since=${encodeURIComponent(localMidnightIso(new Date()))}`, (r: StartCounts) => r);
  const hours = useFetch(can(user, "runs") ? "/console/api/webhook-hours" : undefined, (r: { hours: WebhookHour[] }) => r.hours);
  useLive(() => {
    waiting.reload();
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
          {waiting.error && <p className="error">{waiting.error}</p>}
          {waiting.data?.length === 0 && <p className="muted">Nothing waits. Proposals appear here as workflows run.</p>}
          <ul aria-label="Candidates waiting for a decision">
            {waiting.data?.slice(0, WAITING_SHOWN).map((c) => (
              <WaitingLine key={c.runId} card={c} />
            ))}
          </ul>
          {waiting.data && waiting.data.length > WAITING_SHOWN && (
            <p>
              <a href="/proposals" onClick={onLinkClick}>
                All {waiting.data.length} candidates waiting
              </a>
            </p>
          )}
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

type WaitingCard = ProposalCardList["cards"][number];

/** A candidate and run waiting for a decision: who, for which posting, what the run recommends, and how many actions wait. */
function WaitingLine({ card }: { card: WaitingCard }) {
  const pending = card.proposals.filter((p) => p.status === "pending");
  const first = pending[0] ?? card.proposals[0];
  const rec = recommendationWords(card.recommendation);
  const facts = [
    card.postingTitle ?? "no posting",
    ...(rec ? [rec] : []),
    ...(card.score !== null ? [`score ${card.score}${card.bar ? `, bar ${card.bar.at}` : ""}`] : []),
    `${pending.length} ${pending.length === 1 ? "action" : "actions"} to decide`,
  ];
  return (
    <li>
      {first ? (
        <a href={`/proposals/${encodeURIComponent(first.id)}`} onClick={onLinkClick}>
          {card.candidateName ?? "A candidate"}
        </a>
      ) : (
        (card.candidateName ?? "A candidate")
      )}{" "}
      <span className="muted">— {facts.join(" · ")}</span>
    </li>
  );
}
