/**
 * The proposals inbox: what waits for a person, one card per candidate and run (the run's note,
 * tags and stage move together). A windowed list with filters on the left, the selected card on
 * the right led by the decision (recommendation, score against the bar, why a person is needed)
 * with the actions in a bar that stays in view, keyboard shortcuts (j/k, a, A, e, r, x, ?), bulk
 * decisions, and live updates when someone else decides. The list reads its cards a page at a
 * time as it scrolls (filters are applied by the server), so ten thousand proposals list as fast as
 * a hundred.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { can, get, onSandbox, post, type User } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { DecisionHead, MAX_LISTED, recommendationWords, type DecisionCardData } from "../components/decision-card.tsx";
import { Highlighted } from "../components/highlight.tsx";
import { Icon, StateBadge } from "../components/icons.tsx";
import { SchedulingChoice } from "../components/scheduling-choice.tsx";
import { VirtualList } from "../components/virtual-list.tsx";
import { useLive } from "../live.ts";
import type { ProposalCardList, ProposalContext, ProposalReply } from "../../../src/contract/console-api.ts";
import { toProposal, type Proposal } from "../model.ts";
import { useNotify } from "../notices.tsx";
import { actorName, usePeople } from "../people.ts";
import { navigate } from "../router.ts";

const ROW_HEIGHT = 64;
/** Cards read a page at a time; the next page is read when the rows in view come within half a page of the end. */
const PAGE_CARDS = 100;

// The transcript view is only needed on interview proposals: loaded when one is opened.
const InterviewTranscript = lazy(() => import("../components/interview-transcript.tsx").then((m) => ({ default: m.InterviewTranscript })));

type Card = ProposalCardList["cards"][number];

/** A row of the list: the proposals one run made for one candidate, newest run first. */
interface Group {
  key: string;
  proposals: Proposal[];
  card: DecisionCardData | undefined;
}

/** A card's proposal as the list and the detail start from (the detail then reads the whole proposal). */
function proposalOf(card: Card, p: Card["proposals"][number]): Proposal {
  return {
    id: p.id,
    status: p.status,
    workflowId: card.workflowId,
    workflowName: card.workflowId,
    runId: card.runId,
    actionType: p.kind,
    summary: p.summary || p.kind,
    action: {},
    opportunityId: card.opportunityId ?? undefined,
    candidateName: card.candidateName ?? "Unnamed candidate",
    postingId: card.postingId ?? undefined,
    postingTitle: card.postingTitle ?? undefined,
    stage: card.stage ?? undefined,
    reasons: [],
    evidence: [],
    confidence: card.confidence ?? undefined,
    createdAt: card.createdAt,
  };
}

/** Within a card, the order the workflow made them (note, tags, stage…), as the server gives them. */
function groupOf(card: Card): Group {
  return { key: card.runId, proposals: card.proposals.map((p) => proposalOf(card, p)), card };
}

const AGES: Record<string, { label: string; test: (ms: number) => boolean }> = {
  any: { label: "Any age", test: () => true },
  hour: { label: "Under an hour", test: (ms) => ms < 3600_000 },
  day: { label: "Under a day", test: (ms) => ms < 86_400_000 },
  older: { label: "Older than a day", test: (ms) => ms >= 86_400_000 },
  week: { label: "Older than a week", test: (ms) => ms >= 7 * 86_400_000 },
};

const CONFIDENCE: Record<string, { label: string; test: (c: number | undefined) => boolean }> = {
  any: { label: "Any confidence", test: () => true },
  low: { label: "Low (under 0.5)", test: (c) => c !== undefined && c < 0.5 },
  mid: { label: "0.5 to 0.8", test: (c) => c !== undefined && c >= 0.5 && c < 0.8 },
  high: { label: "High (0.8 and up)", test: (c) => c !== undefined && c >= 0.8 },
};

function age(iso: string): string {
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return "";
  if (ms < 60_000) return "just now";
  if (ms < 3600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3600_000)} h ago`;
  return `${Math.floor(ms / 86_400_000)} d ago`;
}

export function leverLink(p: Proposal): string | undefined {
  // The sandbox's candidates exist only in the sandbox: real Lever has no page for them.
  if (onSandbox()) return undefined;
  if (p.leverUrl && /^https:\/\//.test(p.leverUrl)) return p.leverUrl;
  return p.opportunityId ? `https://hire.lever.co/candidates/${encodeURIComponent(p.opportunityId)}` : undefined;
}

export function ProposalsPage({ user, selectedId, query }: { user: User; selectedId: string | undefined; query: URLSearchParams }) {
  const notify = useNotify();
  const [cards, setCards] = useState<Card[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState<{ proposals: number; cards: number } | undefined>();
  const [facets, setFacets] = useState<ProposalCardList["facets"]>();
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState(query.get("status") ?? "pending");
  const [workflow, setWorkflow] = useState(query.get("workflow") ?? "");
  const [posting, setPosting] = useState(query.get("posting") ?? "");
  const [stage, setStage] = useState("");
  const [ageFilter, setAgeFilter] = useState("any");
  const [confidence, setConfidence] = useState("any");
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [help, setHelp] = useState(false);
  const [bulkReject, setBulkReject] = useState(false);
  const [bulkReason, setBulkReason] = useState("");
  const rejectRef = useRef<HTMLInputElement>(null);
  const editRef = useRef<HTMLTextAreaElement>(null);

  // The filters, as the server applies them.
  const filterQuery = useMemo(() => {
    const params = new URLSearchParams({ status });
    if (workflow) params.set("workflow", workflow);
    if (posting) params.set("posting", posting);
    if (stage) params.set("stage", stage);
    if (ageFilter !== "any") params.set("age", ageFilter);
    if (confidence !== "any") params.set("confidence", confidence);
    return params.toString();
  }, [status, workflow, posting, stage, ageFilter, confidence]);
  // Answers to an older filter or reload are dropped.
  const generation = useRef(0);
  const loaded = useRef(0);
  const paging = useRef(false);
  const load = useCallback(() => {
    const mine = ++generation.current;
    // A reload (someone decided) keeps as many cards as were read, so the rows in view stay.
    const limit = Math.min(10_000, Math.max(PAGE_CARDS, loaded.current));
    get<ProposalCardList>(`/console/api/proposal-cards?${filterQuery}&limit=${limit}`).then(
      (page) => {
        if (mine !== generation.current) return;
        loaded.current = page.cards.length;
        paging.current = false;
        setCards(page.cards);
        setNext(page.next);
        setTotal(page.total);
        setFacets(page.facets);
        setError(undefined);
      },
      (e: Error) => {
        if (mine === generation.current) setError(e.message);
      },
    );
  }, [filterQuery]);
  useEffect(() => {
    loaded.current = 0;
    load();
  }, [load]);
  useLive((name) => {
    if (name.startsWith("proposal.")) load();
  });
  const loadMore = useCallback(() => {
    if (next === null || paging.current) return;
    paging.current = true;
    const mine = generation.current;
    get<ProposalCardList>(`/console/api/proposal-cards?${filterQuery}&limit=${PAGE_CARDS}&before=${encodeURIComponent(next)}`).then(
      (page) => {
        if (mine !== generation.current) return;
        paging.current = false;
        setCards((c) => {
          const have = new Set((c ?? []).map((x) => x.runId));
          const more = [...(c ?? []), ...page.cards.filter((x) => !have.has(x.runId))];
          loaded.current = more.length;
          return more;
        });
        setNext(page.next);
      },
      (e: Error) => {
        paging.current = false;
        if (mine === generation.current) setError(e.message);
      },
    );
  }, [next, filterQuery]);

  const groups = useMemo(() => (cards ?? []).map(groupOf), [cards]);
  const found = groups.findIndex((g) => g.proposals.some((p) => p.id === selectedId));
  // A proposal in the address that is not among the cards read (an old one, or filtered out) is shown on its own.
  const [alone, setAlone] = useState<Group | undefined>();
  const cardsRead = cards !== undefined;
  const inCards = found >= 0;
  useEffect(() => {
    setAlone(undefined);
    if (!selectedId || !cardsRead || inCards) return;
    let live = true;
    get<ProposalReply>(`/api/proposals/${encodeURIComponent(selectedId)}`).then(
      (raw) => {
        if (live && raw.proposal) setAlone({ key: `proposal-${selectedId}`, proposals: [toProposal(raw.proposal)], card: undefined });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [selectedId, cardsRead, inCards]);
  const activeIndex = Math.max(0, found);
  const group = found >= 0 ? groups[found] : selectedId && alone ? alone : groups[0];
  // The proposal shown in the card: the one in the address, else the card's first waiting one.
  const selected = group
    ? (group.proposals.find((p) => p.id === selectedId) ?? group.proposals.find((p) => p.status === "pending") ?? group.proposals[0])
    : undefined;
  const approveAllRef = useRef<(() => void) | undefined>(undefined);

  const select = useCallback(
    (index: number) => {
      const g = groups[Math.max(0, Math.min(groups.length - 1, index))];
      const p = g && (g.proposals.find((x) => x.status === "pending") ?? g.proposals[0]);
      if (p) navigate(`/proposals/${encodeURIComponent(p.id)}`);
    },
    [groups],
  );

  // On a narrow screen the detail sits below the list: a tap on a row scrolls it into view.
  const detailRef = useRef<HTMLElement>(null);
  const reveal = useRef(false);
  const tap = (index: number) => {
    const narrow = typeof matchMedia === "function" && matchMedia("(max-width: 900px)").matches;
    if (narrow && groups[index]?.proposals.some((p) => p.id === selectedId)) detailRef.current?.scrollIntoView({ block: "start" });
    reveal.current = narrow;
    select(index);
  };
  useEffect(() => {
    if (!reveal.current || !selectedId) return;
    reveal.current = false;
    detailRef.current?.scrollIntoView({ block: "start" });
  }, [selectedId]);

  const decide = useCallback(
    async (ids: string[], verdict: "approve" | "reject", body: { reason?: string; edits?: unknown }) => {
      let done = 0;
      const failures: string[] = [];
      for (const id of ids) {
        try {
          await post(`/api/proposals/${encodeURIComponent(id)}/${verdict}`, body);
          done++;
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
      if (done) notify(`${verdict === "approve" ? "Approved" : "Rejected"} ${done} proposal${done === 1 ? "" : "s"}.`);
      if (failures.length) notify(`Not done: ${failures[0]}`, "error");
      setChecked(new Set());
      load();
    },
    [load, notify],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest("input, textarea, select, dialog") || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j") select(activeIndex + 1);
      else if (e.key === "k") select(activeIndex - 1);
      else if (e.key === "?") setHelp(true);
      else if (e.key === "x" && group) {
        setChecked((c) => {
          const n = new Set(c);
          const on = group.proposals.every((p) => n.has(p.id));
          for (const p of group.proposals) {
            if (on) n.delete(p.id);
            else n.add(p.id);
          }
          return n;
        });
      } else if (e.key === "A" && group && can(user, "decide") && approveAllRef.current) approveAllRef.current();
      else if (selected && selected.status === "pending" && can(user, "decide")) {
        if (e.key === "a") void decide([selected.id], "approve", {});
        else if (e.key === "r") rejectRef.current?.focus();
        else if (e.key === "e") editRef.current?.focus();
        else return;
      } else return;
      e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [activeIndex, select, selected, group, decide, user]);

  const workflows = facets?.workflows ?? [];
  const stages = facets?.stages ?? [];

  return (
    <div className="proposals">
      <div className="page-head">
        <h1>Proposals</h1>
        <button type="button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          Keyboard shortcuts
        </button>
      </div>
      <form className="filters" aria-label="Filter proposals" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="pending">Waiting</option>
            <option value="approved">Approved</option>
            <option value="rejected">Rejected</option>
            <option value="all">All</option>
          </select>
        </label>
        <label>
          Workflow
          <select value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
            <option value="">All workflows</option>
            {workflows.map((w) => (
              <option key={w}>{w}</option>
            ))}
          </select>
        </label>
        <label>
          Posting
          <select value={posting} onChange={(e) => setPosting(e.target.value)}>
            <option value="">All postings</option>
            {(facets?.postings ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.title ?? p.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Stage
          <select value={stage} onChange={(e) => setStage(e.target.value)}>
            <option value="">All stages</option>
            {stages.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Age
          <select value={ageFilter} onChange={(e) => setAgeFilter(e.target.value)}>
            {Object.entries(AGES).map(([k, v]) => (
              <option key={k} value={k}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Confidence
          <select value={confidence} onChange={(e) => setConfidence(e.target.value)}>
            {Object.entries(CONFIDENCE).map(([k, v]) => (
              <option key={k} value={k}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && (
        <p role="alert" className="error">
          Could not load proposals: {error}
        </p>
      )}
      <div className="split">
        <section aria-label="Proposal list" className="list-pane">
          <div className="bulk">
            <span aria-live="polite">
              {total === undefined ? "Loading…" : `${total.proposals} proposal${total.proposals === 1 ? "" : "s"}`}
              {checked.size > 0 && `, ${checked.size} selected`}
            </span>
            {total !== undefined && total.cards !== total.proposals && (
              <span className="muted">
                for {total.cards} candidate{total.cards === 1 ? "" : "s"}
              </span>
            )}
            {checked.size > 0 && can(user, "decide") && (
              <>
                <button type="button" onClick={() => void decide([...checked], "approve", {})}>
                  <Icon name="check" />
                  Approve selected
                </button>
                <button type="button" onClick={() => setBulkReject(true)}>
                  <Icon name="x" />
                  Reject selected
                </button>
              </>
            )}
          </div>
          {total?.proposals === 0 ? (
            <p className="empty">Nothing waits for you here. New proposals appear as workflows run.</p>
          ) : (
            <VirtualList
              items={groups}
              rowHeight={ROW_HEIGHT}
              height={560}
              label="Proposals"
              activeIndex={found >= 0 ? activeIndex : undefined}
              onRange={(_, end) => {
                if (end > groups.length - PAGE_CARDS / 2) loadMore();
              }}
              getKey={(g) => g.key}
              renderRow={(g, i) => {
                const p = g.proposals[0]!;
                const active = g === group;
                const rec = recommendationWords(g.card?.recommendation);
                const score = g.card?.score;
                return (
                  <div className={`prow${active ? " active" : ""}`}>
                    <input
                      type="checkbox"
                      aria-label={`Select proposal for ${p.candidateName}`}
                      checked={g.proposals.every((x) => checked.has(x.id))}
                      onChange={(e) => {
                        const n = new Set(checked);
                        for (const x of g.proposals) {
                          if (e.target.checked) n.add(x.id);
                          else n.delete(x.id);
                        }
                        setChecked(n);
                      }}
                    />
                    <button type="button" className="prow-main" onClick={() => tap(i)} aria-current={active ? "true" : undefined}>
                      <span className="prow-title">
                        {p.candidateName} <span className="muted">· {p.postingTitle ?? p.postingId ?? ""}</span>
                      </span>
                      <span className="prow-sub">
                        <StateBadge state={p.status} />
                        {rec && <> {rec}</>}
                        {score != null && (
                          <>
                            {" · "}
                            <span className="prow-score">{score}</span>
                            {g.card?.bar && <> / bar {g.card.bar.at}</>}
                          </>
                        )}{" "}
                        · {g.proposals.length > 1 ? `${g.proposals.length} actions` : p.summary.slice(0, 60)} · {p.workflowName} · {age(p.createdAt)}
                        {score == null && p.confidence !== undefined && <> · {Math.round(p.confidence * 100)}%</>}
                      </span>
                    </button>
                  </div>
                );
              }}
            />
          )}
        </section>
        <section aria-label="Selected proposal" className="detail-pane" ref={detailRef}>
          {selected ? (
            <ProposalDetail
              key={selected.id}
              base={selected}
              group={group!}
              user={user}
              decide={decide}
              rejectRef={rejectRef}
              editRef={editRef}
              approveAllRef={approveAllRef}
            />
          ) : (
            <p className="muted">Select a proposal to see why it was made.</p>
          )}
        </section>
      </div>
      <ConfirmDialog open={help} title="Keyboard shortcuts" confirmLabel="Close" onConfirm={() => setHelp(false)} onCancel={() => setHelp(false)}>
        <dl className="keys">
          <dt>
            <kbd>j</kbd> / <kbd>k</kbd>
          </dt>
          <dd>next / previous candidate</dd>
          <dt>
            <kbd>a</kbd>
          </dt>
          <dd>approve the action shown</dd>
          <dt>
            <kbd>A</kbd>
          </dt>
          <dd>approve all the card's waiting actions (asks first)</dd>
          <dt>
            <kbd>e</kbd>
          </dt>
          <dd>edit the proposal before approving</dd>
          <dt>
            <kbd>r</kbd>
          </dt>
          <dd>reject: type the reason</dd>
          <dt>
            <kbd>x</kbd>
          </dt>
          <dd>add the card to or remove it from the bulk selection</dd>
          <dt>
            <kbd>?</kbd>
          </dt>
          <dd>this list</dd>
        </dl>
      </ConfirmDialog>
      <ConfirmDialog
        open={bulkReject}
        title={`Reject ${checked.size} proposals`}
        confirmLabel="Reject"
        danger
        onCancel={() => setBulkReject(false)}
        onConfirm={() => {
          if (!bulkReason.trim()) return;
          setBulkReject(false);
          void decide([...checked], "reject", { reason: bulkReason.trim() });
          setBulkReason("");
        }}
      >
        <label htmlFor="bulk-reason">Reason (recorded with each decision)</label>
        <textarea id="bulk-reason" value={bulkReason} onChange={(e) => setBulkReason(e.target.value)} required />
      </ConfirmDialog>
    </div>
  );
}

/** The field a person may change before approving (the engine accepts the same ones). */
function editableText(p: Proposal): { key: string; text: string; list?: boolean } | undefined {
  for (const key of ["body", "message", "stage", "reason", "value", "text"]) {
    const v = p.action[key];
    if (typeof v === "string") return { key, text: v };
  }
  for (const key of ["add", "tags"]) {
    const v = p.action[key];
    if (Array.isArray(v)) return { key, text: v.map(String).join(", "), list: true };
  }
  return undefined;
}

function ProposalDetail({
  base,
  group,
  user,
  decide,
  rejectRef,
  editRef,
  approveAllRef,
}: {
  base: Proposal;
  group: Group;
  user: User;
  decide: (ids: string[], verdict: "approve" | "reject", body: { reason?: string; edits?: unknown }) => Promise<void>;
  rejectRef: React.RefObject<HTMLInputElement | null>;
  editRef: React.RefObject<HTMLTextAreaElement | null>;
  approveAllRef: React.RefObject<(() => void) | undefined>;
}) {
  const [confirmAll, setConfirmAll] = useState(false);
  const [full, setFull] = useState<Proposal>(base);
  const [reason, setReason] = useState("");
  const editable = editableText(full);
  const [edited, setEdited] = useState(editable?.text ?? "");
  // Whether the person has typed in the edit box: the full proposal, when it arrives, must not
  // overwrite what they wrote meanwhile.
  const typed = useRef(false);
  useEffect(() => {
    Promise.all([
      get<ProposalReply>(`/api/proposals/${encodeURIComponent(base.id)}`),
      get<{ context: ProposalContext }>(`/console/api/proposals/${encodeURIComponent(base.id)}/context`).catch(() => undefined),
    ]).then(
      ([raw, ctx]) => {
        if (!raw.proposal) return;
        const p = toProposal(raw.proposal);
        const c = ctx?.context;
        const merged: Proposal = {
          ...p,
          candidateName: c?.candidateName ?? base.candidateName,
          postingTitle: c?.postingTitle ?? base.postingTitle,
          stage: c?.stage ?? base.stage,
          sourceText: c?.sourceText ?? p.sourceText,
        };
        setFull(merged);
        if (!typed.current) setEdited(editableText(merged)?.text ?? "");
      },
      () => undefined,
    );
  }, [base.id]);

  const p = full;
  const link = leverLink(p);
  // Who decided reads as a person, not the recorded `user:<id>`.
  const people = usePeople([p.decidedBy]);
  const pending = p.status === "pending" && can(user, "decide");
  const quotes = p.evidence.map((e) => e.quote);
  const changed = editable !== undefined && edited !== editable.text;

  const editsOf = () =>
    changed && editable
      ? {
          edits: {
            [editable.key]: editable.list
              ? edited
                  .split(",")
                  .map((s) => s.trim())
                  .filter(Boolean)
              : edited,
          },
        }
      : {};
  const approve = () => void decide([p.id], "approve", editsOf());
  // Every waiting action of the card: the one shown with its edits, then the others as proposed.
  const waiting = group.proposals.filter((x) => x.status === "pending");
  const canApproveAll = can(user, "decide") && waiting.length > 1;
  const approveAll = async () => {
    setConfirmAll(false);
    const others = waiting.filter((x) => x.id !== p.id).map((x) => x.id);
    if (pending) await decide([p.id], "approve", editsOf());
    if (others.length) await decide(others, "approve", {});
  };
  useEffect(() => {
    approveAllRef.current = canApproveAll ? () => setConfirmAll(true) : undefined;
    return () => {
      approveAllRef.current = undefined;
    };
  }, [canApproveAll, approveAllRef]);
  const card: DecisionCardData | undefined = group.card;
  // The card's proposals the list's filters keep.
  const shownIds = useMemo(() => new Set(group.proposals.map((x) => x.id)), [group]);
  const isInterview = p.workflowId === "interview-analysis";

  return (
    <article className="proposal" aria-labelledby="proposal-title">
      <h2 id="proposal-title">{p.candidateName}</h2>
      <p className="muted">
        {p.postingTitle ?? p.postingId ?? "No posting"}
        {p.stage && <> · stage {p.stage}</>} · workflow {p.workflowName}
        {link && (
          <>
            {" · "}
            <a href={link} target="_blank" rel="noopener noreferrer">
              Open in Lever <Icon name="external" />
            </a>
          </>
        )}
      </p>
      {card && (
        <DecisionHead
          card={{ ...card, proposals: card.proposals.filter((x) => shownIds.has(x.id)) }}
          shownId={p.id}
          canDecide={can(user, "decide")}
          onShow={(id) => navigate(`/proposals/${encodeURIComponent(id)}`)}
          onApproveOne={(id) => void decide([id], "approve", {})}
        />
      )}
      {(pending || canApproveAll) && (
        <section className="decide sticky" aria-label="Actions">
          {pending && (
            <button type="button" className="primary" onClick={approve} aria-keyshortcuts="a">
              <Icon name="check" />
              {changed ? "Approve with edits" : "Approve"}
            </button>
          )}
          {canApproveAll && (
            <button type="button" onClick={() => setConfirmAll(true)} aria-keyshortcuts="Shift+A">
              Approve all {waiting.length}
            </button>
          )}
          {pending && (
            <div className="reject">
              <label htmlFor="reject-reason">Reason for rejecting</label>
              <input id="reject-reason" ref={rejectRef} value={reason} onChange={(e) => setReason(e.target.value)} />
              <button type="button" className="danger" disabled={!reason.trim()} onClick={() => void decide([p.id], "reject", { reason: reason.trim() })}>
                <Icon name="x" />
                Reject
              </button>
            </div>
          )}
        </section>
      )}
      <ConfirmDialog
        open={confirmAll}
        title={`Approve all ${waiting.length} actions for ${p.candidateName}`}
        confirmLabel={`Approve ${waiting.length}`}
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => void approveAll()}
      >
        <p>Fulcrum will then do each of these in Lever, recorded in the audit trail as your decision:</p>
        <ul>
          {waiting.slice(0, MAX_LISTED).map((x) => (
            <li key={x.id}>
              {x.summary}
              {x.id === p.id && changed ? " (with your edits)" : ""}
            </li>
          ))}
        </ul>
        {waiting.length > MAX_LISTED && <p>and {waiting.length - MAX_LISTED} more.</p>}
      </ConfirmDialog>
      <section aria-labelledby="what-h">
        <h3 id="what-h">{group.proposals.length > 1 ? "The action shown" : "What Fulcrum proposes"}</h3>
        <p className="summary">{p.summary}</p>
        {editable && (
          <>
            <label htmlFor="edit-action">{pending ? "Edit before approving" : "Content"}</label>
            <textarea
              id="edit-action"
              ref={editRef}
              value={edited}
              readOnly={!pending}
              onChange={(e) => {
                typed.current = true;
                setEdited(e.target.value);
              }}
              rows={5}
            />
          </>
        )}
      </section>
      {(p.actionType === "scheduling.book" || p.workflowId === "interview-scheduling") && (
        <SchedulingChoice proposalId={p.id} booking={p.action.booking as never} canDecide={pending} decide={decide} />
      )}
      <dl className="facts">
        <dt>Confidence</dt>
        <dd>{p.confidence === undefined ? "—" : `${Math.round(p.confidence * 100)}%`}</dd>
        <dt>Model</dt>
        <dd>
          {p.model ?? "—"}
          {p.engine === "local" && <span className="badge"> local engine</span>}
        </dd>
        <dt>Prompt version</dt>
        <dd>{p.prompt ?? "—"}</dd>
        <dt>Status</dt>
        <dd>
          {p.status}
          {p.decidedBy && <> by {actorName(p.decidedBy, people, user)}</>}
          {p.decisionReason && <> — “{p.decisionReason}”</>}
        </dd>
      </dl>
      <section aria-labelledby="why-h">
        <h3 id="why-h">Why</h3>
        {p.reasons.length ? (
          <ul>
            {p.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">No reasons given.</p>
        )}
        {p.evidence.length > 0 && (
          <>
            <h4>Evidence</h4>
            <ul className="evidence">
              {p.evidence.map((e, i) => (
                <li key={i}>
                  <q>{e.quote}</q>
                  {e.criterion && <span className="muted"> — {e.criterion}</span>}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {isInterview && (
        <Suspense fallback={<p className="muted">Loading the transcript…</p>}>
          <InterviewTranscript proposalId={p.id} />
        </Suspense>
      )}
      {p.sourceText && !isInterview && (
        <section aria-labelledby="source-h">
          <h3 id="source-h">Resume or transcript, evidence marked</h3>
          <div className="source" tabIndex={0} aria-label="Source text">
            <Highlighted text={p.sourceText} quotes={quotes} />
          </div>
        </section>
      )}
    </article>
  );
}
