/**
 * Audit: search the hash-chained trail by candidate (name or id), person (name or e-mail), workflow
 * and date range — the server resolves names to ids — or by a trace or application id; verify the chain.
 */
import { useEffect, useState, type FormEvent } from "react";
import type {
  AuditMatched as Matched,
  AuditRecordView as AuditRecord,
  AuditSearchReply,
  AuditVerify as VerifyResult,
  WorkflowList,
} from "../../../src/contract/console-api.ts";
import { get, post, type User } from "../api.ts";
import "../components/search-form.css";
import { Icon } from "../components/icons.tsx";
import { JsonView } from "../components/json-view.tsx";
import { actorName, rememberPeople } from "../people.ts";
import { navigate } from "../router.ts";

function age(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1000, "second"],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"}`;
  }
  return "less than a second";
}

/** What the anchors outside the database say: how old the last is, or why they could not be used. */
function AnchorStatus({ anchor }: { anchor: NonNullable<VerifyResult["anchor"]> }) {
  return (
    <>
      {anchor.last && (
        <p>
          Anchored outside the database: {anchor.checked} anchor{anchor.checked === 1 ? "" : "s"} checked; the last, of {anchor.last.anchoredAt} (
          {age(anchor.last.ageMs)} ago), holds record {anchor.last.seq}; {anchor.last.recordsSince} record{anchor.last.recordsSince === 1 ? "" : "s"} appended
          since.
        </p>
      )}
      {anchor.missing && <p>Not anchored: {anchor.missing}</p>}
      {anchor.problems.length > 0 && (
        <ul>
          {anchor.problems.map((p, i) => (
            <li key={i}>
              anchor file {p.file}: {p.kind} — {p.detail}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The search fields, as query parameters of the page and of `/console/api/audit`. */
const FIELDS = ["candidate", "person", "workflow", "from", "to", "trace", "opportunity", "user"] as const;
type Field = (typeof FIELDS)[number];
type Search = Partial<Record<Field, string>>;

const searchOf = (query: URLSearchParams): Search => Object.fromEntries(FIELDS.flatMap((f) => (query.get(f) ? [[f, query.get(f)!]] : [])));

/** What the names in the search matched, in a sentence. */
function matchedText(m: Matched): string | undefined {
  const parts: string[] = [];
  const list = (xs: string[]) => (xs.length > 5 ? `${xs.slice(0, 5).join(", ")} and ${xs.length - 5} more` : xs.join(", "));
  if (m.candidates)
    parts.push(
      m.candidates.length
        ? `candidates ${list(m.candidates.map((c) => `${c.name} (${c.applications} application${c.applications === 1 ? "" : "s"})`))}`
        : "no candidate of that name",
    );
  if (m.people) parts.push(m.people.length ? `people ${list(m.people.map((p) => p.name))}` : "no person of that name or e-mail");
  if (m.workflow) parts.push(`workflow ${m.workflow.id} (${m.workflow.runs} run${m.workflow.runs === 1 ? "" : "s"})`);
  return parts.length ? `Matched ${parts.join("; ")}.` : undefined;
}

export function AuditPage({ user, query }: { user: User; query: URLSearchParams }) {
  const [form, setForm] = useState<Search>(() => searchOf(query));
  const [workflows, setWorkflows] = useState<{ id: string; name: string }[]>([]);
  const [matched, setMatched] = useState<string | undefined>();
  const [records, setRecords] = useState<AuditRecord[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [verify, setVerify] = useState<VerifyResult | undefined>();
  const [verifying, setVerifying] = useState(false);

  const search = async (s: Search) => {
    setError(undefined);
    try {
      const r = await get<AuditSearchReply>(`/console/api/audit?${new URLSearchParams(s)}`);
      rememberPeople(r.people);
      setRecords(r.records);
      setMatched(r.matched ? matchedText(r.matched) : undefined);
    } catch (e) {
      setError((e as Error).message);
      setRecords(undefined);
      setMatched(undefined);
    }
  };

  useEffect(() => {
    const initial = searchOf(query);
    if (Object.keys(initial).length) void search(initial);
    // The workflows to pick from; without them the field still takes an id.
    get<WorkflowList>("/api/workflows").then(
      (r) => setWorkflows(r.workflows),
      () => {},
    );
    // run once for a link such as /audit?trace=…
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const set = (f: Field) => (e: { target: { value: string } }) => setForm((old) => ({ ...old, [f]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const s = Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (v?.trim() ? [[k, v.trim()]] : []))) as Search;
    if (!Object.keys(s).length) {
      setError("Give a candidate, person, workflow, date range or id to search for.");
      return;
    }
    navigate(`/audit?${new URLSearchParams(s)}`);
    void search(s);
  };

  const runVerify = async () => {
    setVerifying(true);
    try {
      setVerify(await post<VerifyResult>("/console/api/audit/verify"));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <>
      <h1>Audit trail</h1>
      <section aria-labelledby="verify-h" className="card">
        <h2 id="verify-h">Chain verification</h2>
        <p>
          Every record carries a hash of the one before it. Verification recomputes the whole chain and reports any record that was edited, removed or moved,
          and checks it against the signed anchors of the chain head kept outside the database, which show a rewrite even when every hash was recomputed.
        </p>
        <button type="button" onClick={() => void runVerify()} disabled={verifying}>
          {verifying ? "Verifying…" : "Verify the chain"}
        </button>
        {verify && (
          <div role="status" className={verify.ok ? "ok" : "error"}>
            {verify.problems.length === 0 ? (
              <p>The chain is intact: {verify.checked} records checked.</p>
            ) : (
              <>
                <p>
                  The chain is broken: {verify.problems.length} problem{verify.problems.length === 1 ? "" : "s"} in {verify.checked} records.
                </p>
                <ul>
                  {verify.problems.map((p, i) => (
                    <li key={i}>
                      record {p.seq}: {p.kind} — {p.detail}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {verify.anchor && <AnchorStatus anchor={verify.anchor} />}
          </div>
        )}
      </section>
      <form onSubmit={submit} className="audit-search" role="search" aria-label="Search the audit trail">
        <p className="muted small">Fill in any of these; a record must match all that are given. Names match in part, ignoring case.</p>
        <div className="fields">
          <label>
            Candidate
            <input value={form.candidate ?? ""} onChange={set("candidate")} placeholder="name or id" />
          </label>
          <label>
            Person
            <input value={form.person ?? ""} onChange={set("person")} placeholder="name or e-mail" />
          </label>
          <label>
            Workflow
            <select value={form.workflow ?? ""} onChange={set("workflow")}>
              <option value="">Any workflow</option>
              {[...workflows, ...(form.workflow && !workflows.some((w) => w.id === form.workflow) ? [{ id: form.workflow, name: form.workflow }] : [])].map(
                (w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ),
              )}
            </select>
          </label>
          <label>
            From
            <input type="date" value={form.from ?? ""} onChange={set("from")} />
          </label>
          <label>
            To (included)
            <input type="date" value={form.to ?? ""} onChange={set("to")} />
          </label>
        </div>
        <details open={Boolean(form.trace || form.opportunity)}>
          <summary>By trace or application id</summary>
          <div className="fields">
            <label>
              Trace id <span className="muted">(follows one Lever event through runs, AI calls and writes)</span>
              <input value={form.trace ?? ""} onChange={set("trace")} />
            </label>
            <label>
              Application (opportunity) id
              <input value={form.opportunity ?? ""} onChange={set("opportunity")} />
            </label>
          </div>
        </details>
        {form.user && (
          <p className="small">
            Only records by or about the user <span title={form.user}>{actorName(`user:${form.user}`, undefined, user)}</span>.{" "}
            <button type="button" onClick={() => setForm(({ user: _, ...rest }) => rest)}>
              Remove
            </button>
          </p>
        )}
        <button type="submit" className="primary">
          <Icon name="search" />
          Search
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {records && (
        <section aria-labelledby="records-h">
          <h2 id="records-h">
            {records.length} record{records.length === 1 ? "" : "s"}
          </h2>
          {matched && <p className="muted">{matched}</p>}
          <ol className="timeline">
            {records.map((r) => (
              <li key={r.seq} className="step">
                <h3>
                  {r.kind}{" "}
                  <span className="muted">
                    #{r.seq} · {new Date(r.createdAt).toLocaleString()} · <span title={r.actor}>{actorName(r.actor, undefined, user)}</span>
                  </span>
                </h3>
                {r.traceId && (
                  <p className="small">
                    trace <code>{r.traceId}</code>
                  </p>
                )}
                <details>
                  <summary>Record</summary>
                  <JsonView value={{ subject: r.subject, data: r.data, hash: r.hash }} label="Record" />
                </details>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
