/**
 * Workflows and prompts: enable, disable, change mode (after a confirmation that says what will
 * start happening in Lever), read the YAML, save a prompt as a new version, and replay a version on
 * history to see where its proposals would differ. Four eyes: lowering applies at once; a raise
 * (higher mode, enabling) waits, shown under its workflow, until another admin approves it.
 */
import { useState } from "react";
import { can, get, patch, post, type User } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { describePendingChange, toWorkflow, type ActionModeView, type Workflow } from "../model.ts";
import { useNotify } from "../notices.tsx";
import { actorName, usePeople } from "../people.ts";
import { onLinkClick } from "../router.ts";
import { useFetch } from "../use-fetch.ts";
import type {
  PromptChoice,
  PromptList,
  PromptReply,
  PromptSaved,
  ReplayResult,
  ReplayRow,
  WorkflowFile,
  WorkflowList as WorkflowListReply,
  WorkflowPatchReply,
} from "../../../src/contract/console-api.ts";

const MODES = ["shadow", "assist", "auto"] as const;

/** What changing to a mode starts doing in Lever, in words. */
export function modeConsequence(workflow: Workflow, mode: string): string {
  const writes = workflow.actions.length ? workflow.actions.join(", ") : "its Lever actions";
  switch (mode) {
    case "shadow":
      return `${workflow.name} will stop writing to Lever. It keeps running and records what it would have done, so you can compare.`;
    case "assist":
      return `${workflow.name} will propose ${writes}; nothing is written to Lever until a person approves each proposal here.`;
    case "auto":
      return `${workflow.name} will write ${writes} to Lever by itself whenever its guards pass (confidence at or above the threshold, no policy flag, posting not excluded). Everything else still waits for approval. Each action runs in the lowest mode that applies, so actions its file holds lower and the mode ceiling still hold.`;
    default:
      return "";
  }
}

export function WorkflowsPage({ user, workflowId }: { user: User; workflowId: string | undefined }) {
  if (workflowId) return <WorkflowDetail user={user} id={decodeURIComponent(workflowId)} />;
  return <WorkflowList user={user} />;
}

function WorkflowList({ user }: { user: User }) {
  const notify = useNotify();
  const list = useFetch("/api/workflows", (r: WorkflowListReply) => r.workflows.map(toWorkflow));
  const [pending, setPending] = useState<{ workflow: Workflow; mode: string } | undefined>();
  const admin = can(user, "admin");

  const change = async (w: Workflow, changes: { enabled?: boolean; mode?: string }) => {
    try {
      const r = await patch<WorkflowPatchReply>(`/api/workflows/${encodeURIComponent(w.id)}`, changes);
      if (r?.change) notify(`${w.name}: ${changes.mode ? `switching to ${changes.mode}` : "enabling it"} waits until another admin approves it (four eyes).`);
      else notify(changes.mode ? `${w.name} is now in ${changes.mode} mode.` : `${w.name} is now ${changes.enabled ? "enabled" : "disabled"}.`);
      list.reload();
    } catch (e) {
      notify(`Not changed: ${(e as Error).message}`, "error");
    }
  };

  const decide = async (w: Workflow, decision: "approve" | "reject") => {
    const c = w.pendingChange;
    if (!c) return;
    try {
      await post(`/api/workflows/${encodeURIComponent(w.id)}/changes/${c.id}/${decision}`, {});
      const own = c.author === `user:${user.id}`;
      notify(
        decision === "approve"
          ? `Approved: ${w.name} is changed (${describePendingChange(c)}).`
          : own
            ? `Withdrawn: ${w.name} stays as it is.`
            : `Rejected: ${w.name} stays as it is.`,
      );
      list.reload();
    } catch (e) {
      notify(`Not ${decision === "approve" ? "approved" : "rejected"}: ${(e as Error).message}`, "error");
    }
  };

  return (
    <>
      <h1>Workflows</h1>
      {list.error && <p className="error">Could not load workflows: {list.error}</p>}
      {!admin && (
        <p className="muted">Only admins switch workflows on and off or change their modes: ask one to change them. Here you can see how each one runs.</p>
      )}
      {list.data && (
        <table className="stacked">
          <thead>
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col">Enabled</th>
              <th scope="col">Mode</th>
              <th scope="col">Trigger</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((w) => (
              <tr key={w.id}>
                <td data-label="Workflow">
                  <a href={`/workflows/${encodeURIComponent(w.id)}`} onClick={onLinkClick}>
                    {w.name}
                  </a>
                  {w.description && <div className="muted small">{w.description}</div>}
                </td>
                <td data-label="Enabled">
                  {/* Only admins change these: the others read the value, not a form they cannot use. */}
                  {admin ? (
                    <label className="switch">
                      <input type="checkbox" checked={w.enabled} onChange={(e) => void change(w, { enabled: e.target.checked })} />
                      <span>{w.enabled ? "on" : "off"}</span>
                      <span className="sr-only"> — {w.name} enabled</span>
                    </label>
                  ) : (
                    <span>{w.enabled ? "on" : "off"}</span>
                  )}
                </td>
                <td data-label="Mode">
                  {admin ? (
                    <label>
                      <span className="sr-only">Mode of {w.name}</span>
                      <select value={w.mode} onChange={(e) => setPending({ workflow: w, mode: e.target.value })}>
                        {MODES.map((m) => (
                          <option key={m}>{m}</option>
                        ))}
                      </select>
                    </label>
                  ) : (
                    <strong>{w.mode}</strong>
                  )}
                  {w.effectiveMode && w.effectiveMode !== w.mode && <div className="muted small">runs as {w.effectiveMode} at most</div>}
                  {w.pendingChange && <PendingChange workflow={w} user={user} admin={admin} onDecide={(d) => void decide(w, d)} />}
                  <ActionModes workflow={w} />
                </td>
                <td className="small" data-label="Trigger">
                  {w.trigger ?? "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={pending !== undefined}
        title={pending ? `Switch ${pending.workflow.name} to ${pending.mode}?` : ""}
        confirmLabel={pending ? `Switch to ${pending.mode}` : "Switch"}
        danger={pending?.mode === "auto"}
        onCancel={() => setPending(undefined)}
        onConfirm={() => {
          if (pending) void change(pending.workflow, { mode: pending.mode });
          setPending(undefined);
        }}
      >
        <p>{pending && modeConsequence(pending.workflow, pending.mode)}</p>
        {pending && MODES.indexOf(pending.mode as (typeof MODES)[number]) > MODES.indexOf(pending.workflow.mode as (typeof MODES)[number]) && (
          <p className="muted">A higher mode waits until another admin approves it (four eyes), unless an admin turned that rule off in Settings.</p>
        )}
      </ConfirmDialog>
    </>
  );
}

/** A raise waiting for approval: who asked, and Approve / Reject for another admin, Withdraw for its author. */
function PendingChange({ workflow, user, admin, onDecide }: { workflow: Workflow; user: User; admin: boolean; onDecide: (d: "approve" | "reject") => void }) {
  const c = workflow.pendingChange!;
  const own = c.author === `user:${user.id}`;
  const people = usePeople([c.author]);
  return (
    <div className="small card note" role="group" aria-label={`Change waiting for approval on ${workflow.name}`}>
      Waiting for approval: {describePendingChange(c)} (asked by {own ? "you" : actorName(c.author, people)}
      {c.createdAt ? ` at ${new Date(c.createdAt).toLocaleString()}` : ""}). {own ? "Another admin must approve it." : null}
      {admin && !own && (
        <>
          {" "}
          <button type="button" className="primary" onClick={() => onDecide("approve")}>
            Approve
          </button>{" "}
          <button type="button" onClick={() => onDecide("reject")}>
            Reject
          </button>
        </>
      )}
      {admin && own && (
        <>
          {" "}
          <button type="button" onClick={() => onDecide("reject")}>
            Withdraw
          </button>
        </>
      )}
    </div>
  );
}

/** A recorded actor inside the engine's words ("set by user:<id>"). */
const ACTOR_IN_TEXT = /\buser:[^\s),;]+/g;

/** Each action with the mode it really runs in and the layer that decided it (the lowest wins). */
function ActionModes({ workflow }: { workflow: Workflow }) {
  // The engine says who chose the mode as it is recorded; the page shows the person's name.
  const people = usePeople(workflow.actionModes.flatMap((a: ActionModeView) => a.reason.match(ACTOR_IN_TEXT) ?? []));
  if (workflow.actionModes.length === 0) return null;
  return (
    <ul className="small action-modes" aria-label={`Mode of each action of ${workflow.name}`}>
      {workflow.actionModes.map((a: ActionModeView) => (
        <li key={a.step}>
          <strong>{a.step}</strong> <span className="muted">({a.type})</span> {a.reason.replace(ACTOR_IN_TEXT, (actor) => actorName(actor, people))}
          {a.onSandbox && <span className="muted"> · on the built-in sandbox {a.onSandbox.reason}</span>}
          {a.ignored.map((i) => (
            <div key={i} className="muted">
              no effect: {i}
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}

function WorkflowDetail({ user, id }: { user: User; id: string }) {
  const notify = useNotify();
  const file = useFetch(`/console/api/workflows/${encodeURIComponent(id)}`, (r: { workflow: WorkflowFile }) => r.workflow);
  const all = useFetch("/api/workflows", (r: WorkflowListReply) => r.workflows.map(toWorkflow));
  const prompts = useFetch("/console/api/prompts", (r: PromptList) => r.prompts);
  const live = all.data?.find((w) => w.id === id);
  const wf = { error: file.error, data: file.data && { ...file.data, mode: live?.mode ?? "shadow", enabled: live?.enabled ?? true } };
  const [promptName, setPromptName] = useState<string | undefined>();
  const [promptText, setPromptText] = useState("");
  const [promptVersion, setPromptVersion] = useState<string | undefined>();
  const [replayN, setReplayN] = useState(20);
  const [replayPrompt, setReplayPrompt] = useState("");
  const choices = useFetch(
    can(user, "admin") ? `/console/api/replay/${encodeURIComponent(id)}/prompts` : undefined,
    (r: { prompts: PromptChoice[] }) => r.prompts,
  );
  const [replay, setReplay] = useState<(ReplayResult & { error?: string }) | undefined>();
  const [replaying, setReplaying] = useState(false);
  const admin = can(user, "admin");
  const people = usePeople(prompts.data?.flatMap((p) => p.pending?.map((v) => v.author) ?? []) ?? []);

  const openPrompt = async (name: string) => {
    try {
      const r = await get<PromptReply>(`/console/api/prompts/${encodeURIComponent(name)}`);
      setPromptName(name);
      setPromptText(r.prompt.text);
      setPromptVersion(r.prompt.version);
    } catch (e) {
      notify(`Could not open the prompt: ${(e as Error).message}`, "error");
    }
  };

  const savePrompt = async () => {
    if (!promptName) return;
    try {
      const r = await post<PromptSaved>("/console/api/prompts", { name: promptName, text: promptText });
      notify(`Saved ${promptName} as version ${r.prompt.version}. It runs once someone other than you approves it; replay on history to see what changes.`);
      setPromptVersion(r.prompt.version);
      prompts.reload();
      choices.reload();
      setReplayPrompt(`${promptName}@${r.prompt.version}`);
    } catch (e) {
      notify(`Not saved: ${(e as Error).message}`, "error");
    }
  };

  const approvePrompt = async (name: string, version: string) => {
    try {
      await post(`/console/api/prompts/${encodeURIComponent(name)}/${encodeURIComponent(version)}/approve`, {});
      notify(`Approved ${name}@${version}: workflows that name ${name} run it from the next start.`);
      prompts.reload();
      choices.reload();
    } catch (e) {
      notify(`Not approved: ${(e as Error).message}`, "error");
    }
  };

  const runReplay = async () => {
    setReplaying(true);
    try {
      const r = await post<ReplayResult>(`/console/api/replay`, { workflowId: id, last: replayN, ...(replayPrompt ? { prompt: replayPrompt } : {}) });
      setReplay(r);
    } catch (e) {
      setReplay({ baseline: "", replayed: "", rows: [], counts: { same: 0, differs: 0, edited: 0, waiting: 0 }, error: (e as Error).message });
    } finally {
      setReplaying(false);
    }
  };

  return (
    <>
      <p>
        <a href="/workflows" onClick={onLinkClick}>
          ← Workflows
        </a>
      </p>
      {wf.error && <p className="error">Could not load the workflow: {wf.error}</p>}
      {wf.data && (
        <>
          <h1>{wf.data.name}</h1>
          {wf.data.description && <p>{wf.data.description}</p>}
          <p>
            Mode <strong>{wf.data.mode}</strong>, {wf.data.enabled ? "enabled" : "disabled"}.
            {live?.pendingChange && ` Waiting for approval: ${describePendingChange(live.pendingChange)} (on the Workflows page).`}
          </p>
          {live && <ActionModes workflow={live} />}
          <section aria-labelledby="yaml-h">
            <h2 id="yaml-h">Definition</h2>
            <pre className="json" tabIndex={0} aria-label="Workflow YAML">
              {wf.data.yaml ?? "(the API did not include the YAML)"}
            </pre>
          </section>
          <section aria-labelledby="prompts-h">
            <h2 id="prompts-h">Prompts</h2>
            <p className="muted small">
              Prompt versions are files: the built-in ones in prompts/, those saved here in the data folder; saving writes the next version and leaves the old
              ones as they were. A saved version runs only after someone other than its author approves it (four eyes).
              {!admin && " Only admins save, approve and replay prompt versions; you can read them here."}
            </p>
            <ul>
              {prompts.data?.map((p) => (
                <li key={p.name}>
                  <button type="button" onClick={() => void openPrompt(p.name)}>
                    {p.name}
                  </button>{" "}
                  <span className="muted small">{p.versions.join(", ")}</span>
                  {p.pending?.map((v) => (
                    <span key={v.version} className="small">
                      {" "}
                      · {v.version} awaits approval{v.author ? ` (saved by ${actorName(v.author, people, user)})` : ""}
                      {admin && (
                        <>
                          {" "}
                          <button type="button" onClick={() => void approvePrompt(p.name, v.version)}>
                            Approve {v.version}
                          </button>
                        </>
                      )}
                    </span>
                  ))}
                </li>
              ))}
            </ul>
            {promptName && (
              <div className="prompt-editor">
                <label htmlFor="prompt-text">
                  {promptName} (version {promptVersion ?? "?"}) — saving makes a new version; the old one stays
                </label>
                <textarea id="prompt-text" rows={14} value={promptText} readOnly={!admin} onChange={(e) => setPromptText(e.target.value)} />
                {admin && (
                  <button type="button" className="primary" onClick={() => void savePrompt()}>
                    Save as new version
                  </button>
                )}
              </div>
            )}
          </section>
          {admin && (
            <section aria-labelledby="replay-h">
              <h2 id="replay-h">Replay on history</h2>
              <p>
                Runs this workflow as dry runs over the last events it ran on and shows side by side where its proposals differ. Without a prompt version it
                runs as saved now (workflow file and prompts) beside what it proposed the first time. With a saved prompt version it runs each event twice, with
                that version and with the current one, so the prompt is the only difference. Dry runs are shadow: nothing is written to Lever.
              </p>
              <div className="replay-form">
                <label>
                  Prompt version
                  <select value={replayPrompt} onChange={(e) => setReplayPrompt(e.target.value)}>
                    <option value="">None: as saved now, beside the first runs</option>
                    {choices.data?.map((p) => (
                      <optgroup key={p.name} label={`${p.name}${p.usedByWorkflow ? " (used by this workflow)" : ""}`}>
                        {p.versions.map((v) => (
                          <option key={v} value={`${p.name}@${v}`}>
                            {`${p.name} ${v}${p.current?.version === v ? ` (current: ${p.current.why})` : ""}`}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                </label>
                <label>
                  Last events
                  <input type="number" min={1} max={200} value={replayN} onChange={(e) => setReplayN(Number(e.target.value))} />
                </label>
                <button type="button" onClick={() => void runReplay()} disabled={replaying}>
                  {replaying ? "Replaying…" : "Replay"}
                </button>
              </div>
              {choices.error && <p className="error">Could not list the prompt versions: {choices.error}</p>}
              {replay?.error && <p className="error">Replay failed: {replay.error}</p>}
              {replay && !replay.error && replay.promptUsed === false && (
                <p className="card note">
                  None of these dry runs asked for {replay.pinned?.name}: this workflow does not use that prompt, so its versions cannot change what it
                  proposes.
                </p>
              )}
              {replay && !replay.error && replay.note && <p className="card note">{replay.note}</p>}
              {replay && !replay.error && <ReplayTable result={replay} />}
            </section>
          )}
        </>
      )}
    </>
  );
}

/** The replay side by side: per event, each side's proposals, with the steps that differ marked and their full text. */
function ReplayTable({ result }: { result: ReplayResult }) {
  const c = result.counts;
  const apart = [c.edited > 0 && `${c.edited} edited by a person`, c.waiting > 0 && `${c.waiting} still waiting`].filter(Boolean);
  return (
    <>
      {apart.length > 0 && <p className="muted">Not differences in the workflow, so not counted: {apart.join(", ")}.</p>}
      <table className="replay stacked">
        <caption>
          {c.differs} of {result.rows.length} events would get a different proposal
        </caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Candidate</th>
            <th scope="col">{result.baseline}</th>
            <th scope="col">{result.replayed}</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r) => (
            <tr key={r.eventId} className={r.differs ? "differs" : undefined}>
              <td data-label="Event">{r.eventId}</td>
              <td data-label="Candidate">{r.candidate ?? "—"}</td>
              <td data-label={result.baseline}>
                <Side row={r} side="current" />
              </td>
              <td data-label={result.replayed}>
                <Side row={r} side="replayed" />
                {r.outcome === "differs" && <span className="badge failed"> would differ</span>}
                {r.outcome === "edited" && <span className="badge"> edited by a person</span>}
                {r.outcome === "waiting" && <span className="badge"> still waiting</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Side({ row, side }: { row: ReplayRow; side: "current" | "replayed" }) {
  // A side without steps is summed up in one line (no proposal, or the event no longer matches).
  const steps = row.steps.filter((s) => s[side] !== null || s.differs);
  if (steps.length === 0) return <>{(side === "current" ? row.current : row.candidateVersion) ?? "—"}</>;
  return (
    <ul className="replay-steps">
      {steps.map((s) => {
        const detail = side === "current" ? s.currentDetail : s.replayedDetail;
        return (
          <li key={s.stepId} className={s.differs ? "differs" : undefined}>
            <strong>{s.stepId}</strong>: {s[side] ?? <span className="muted">no proposal</span>}
            {s.differs && <span className="sr-only"> (differs)</span>}
            {s.because === "edited" && <span className="muted"> (a person edited this before approving)</span>}
            {s.because === "waiting" && <span className="muted"> (the run has not got here yet)</span>}
            {s.differs && detail !== undefined && (
              <details>
                <summary>Full text</summary>
                <pre className="json">{detail}</pre>
              </details>
            )}
          </li>
        );
      })}
    </ul>
  );
}
