/**
 * The head of a proposal card: what a person decides on, before any evidence — the
 * recommendation, the score as a gauge against the bar the workflow used, why a person is needed,
 * and the run's actions together (note, tags, stage…), each shown or approved on its own.
 */
import "./decision-card.css";
import { Icon, StateBadge } from "./icons.tsx";

export interface CardProposal {
  id: string;
  kind: string;
  summary: string;
  status: string;
}

export interface DecisionCardData {
  runId: string;
  workflowId: string;
  candidateName: string | null;
  postingTitle: string | null;
  stage: string | null;
  proposals: CardProposal[];
  recommendation: string | null;
  recommendationReason: string | null;
  score: number | null;
  bar: { at: number; below: number | null; source: string } | null;
  confidence: number | null;
  needsPerson: string[];
  createdAt: string;
}

/** Actions listed on a card at most (a run rarely makes more than a handful). */
export const MAX_LISTED = 20;

const RECOMMENDATION_WORDS: Record<string, string> = {
  advance: "Advance",
  hold: "Hold",
  reject: "Reject",
  review: "A person reviews",
  strong: "Strong",
  weak: "Weak",
};

export function recommendationWords(r: string | null | undefined): string | undefined {
  if (!r) return undefined;
  return RECOMMENDATION_WORDS[r] ?? r.charAt(0).toUpperCase() + r.slice(1);
}

/** The score on a 0–100 track with the bar marked; described in words for screen readers. */
export function ScoreGauge({ score, bar }: { score: number; bar: DecisionCardData["bar"] }) {
  const clamp = (n: number) => Math.max(0, Math.min(100, n));
  const meets = bar ? score >= bar.at : undefined;
  const label = `Score ${score} of 100${bar ? `; the bar is ${bar.at} (${bar.source}), so it is ${meets ? "at or above" : "below"} the bar` : ""}`;
  return (
    <div className="gauge" role="img" aria-label={label}>
      <div className="gauge-track">
        {bar?.below != null && <span className="gauge-low" style={{ width: `${clamp(bar.below)}%` }} />}
        <span className={`gauge-fill${meets === false ? " under" : ""}`} style={{ width: `${clamp(score)}%` }} />
        {bar && <span className="gauge-bar" style={{ left: `${clamp(bar.at)}%` }} />}
      </div>
      <div className="gauge-legend" aria-hidden="true">
        <strong>{score}</strong>
        <span>/ 100</span>
        {bar && <span className="gauge-bar-label">bar {bar.at}</span>}
      </div>
    </div>
  );
}

export function DecisionHead({
  card,
  shownId,
  canDecide,
  onShow,
  onApproveOne,
}: {
  card: DecisionCardData;
  shownId: string;
  canDecide: boolean;
  onShow: (id: string) => void;
  onApproveOne: (id: string) => void;
}) {
  const rec = recommendationWords(card.recommendation);
  return (
    <section className="decision-head" aria-label="Decision">
      {(rec || card.score !== null) && (
        <div className="decision-facts">
          {rec && (
            <p className="recommendation">
              <span className="muted">Recommends</span> <span className={`rec rec-${card.recommendation}`}>{rec}</span>
              {card.recommendationReason && <span className="muted"> — {card.recommendationReason}</span>}
            </p>
          )}
          {card.score !== null && <ScoreGauge score={card.score} bar={card.bar} />}
        </div>
      )}
      {card.needsPerson.length > 0 && (
        <div className="needs-person">
          <h3 id="needs-h">Why a person is needed</h3>
          <ul aria-labelledby="needs-h">
            {card.needsPerson.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      {card.proposals.length > 1 && (
        <div className="card-actions">
          <h3 id="actions-h">The {card.proposals.length} actions of this run</h3>
          <ul aria-labelledby="actions-h">
            {card.proposals.slice(0, MAX_LISTED).map((p) => (
              <li key={p.id} className={p.id === shownId ? "shown" : undefined} aria-current={p.id === shownId ? "true" : undefined}>
                <StateBadge state={p.status} /> <span className="card-action-summary">{p.summary}</span>
                {p.id === shownId ? (
                  <span className="muted"> (shown below)</span>
                ) : (
                  <span className="card-action-buttons">
                    <button type="button" onClick={() => onShow(p.id)} aria-label={`Show: ${p.summary}`}>
                      Show
                    </button>
                    {canDecide && p.status === "pending" && (
                      <button type="button" onClick={() => onApproveOne(p.id)} aria-label={`Approve: ${p.summary}`}>
                        <Icon name="check" />
                        Approve
                      </button>
                    )}
                  </span>
                )}
              </li>
            ))}
          </ul>
          {card.proposals.length > MAX_LISTED && <p className="muted">and {card.proposals.length - MAX_LISTED} more of this run.</p>}
          <p className="muted card-actions-order">
            Fulcrum carries them out in this order: one approved early waits for those above it, and rejecting one withdraws those below it that still wait.
          </p>
        </div>
      )}
    </section>
  );
}
