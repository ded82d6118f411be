/** Audit: search the hash-chained trail by candidate, opportunity, user or trace; verify the chain. */
import { useEffect, useState, type FormEvent } from "react";
import { get, post, type User } from "../api.ts";
import { JsonView } from "../components/json-view.tsx";
import { actorName, rememberPeople } from "../people.ts";
import { navigate } from "../router.ts";

interface AuditRecord {
  seq: number;
  kind: string;
  traceId: string | null;
  actor: string;
  subject: Record<string, string>;
  data: unknown;
  createdAt: string;
  hash: string;
}

interface VerifyResult {
  ok: boolean;
  checked: number;
  problems: { seq: number; kind: string; detail: string }[];
  /** The check against the signed anchors kept outside the database. */
  anchor?: {
    checked: number;
    problems: { file: string; kind: string; detail: string }[];
    last: { anchoredAt: string; ageMs: number; seq: number; recordsSince: number } | null;
    /** Set when there is no anchor folder or it holds no anchor. */
    missing: string | null;
  };
}

function age(ms: number): string {
  const units: [number, string][] = [[86_400_000, "day"], [3_600_000, "hour"], [60_000, "minute"], [1000, "second"]];
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
          Anchored outside the database: {anchor.checked} anchor{anchor.checked === 1 ? "" : "s"} checked; the last, of {anchor.last.anchoredAt} ({age(anchor.last.ageMs)} ago), holds record{" "}
          {anchor.last.seq}; {anchor.last.recordsSince} record{anchor.last.recordsSince === 1 ? "" : "s"} appended since.
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

const FIELDS = [
  ["trace", "Trace id"],
  ["candidate", "Candidate id"],
  ["opportunity", "Opportunity id"],
  ["user", "User id"],
] as const;

export function AuditPage({ user, query }: { user: User; query: URLSearchParams }) {
  const [field, setField] = useState<string>(FIELDS.find(([k]) => query.get(k))?.[0] ?? "trace");
  const [value, setValue] = useState(query.get(field) ?? "");
  const [records, setRecords] = useState<AuditRecord[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [verify, setVerify] = useState<VerifyResult | undefined>();
  const [verifying, setVerifying] = useState(false);

  const search = async (f: string, v: string) => {
    setError(undefined);
    try {
      const r = await get<{ records: AuditRecord[]; people?: Record<string, string> }>(`/console/api/audit?${new URLSearchParams({ [f]: v })}`);
      rememberPeople(r.people);
      setRecords(r.records);
    } catch (e) {
      setError((e as Error).message);
      setRecords(undefined);
    }
  };

  useEffect(() => {
    const initial = FIELDS.find(([k]) => query.get(k));
    if (initial) void search(initial[0], query.get(initial[0])!);
    // run once for a link such as /audit?trace=…
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    navigate(`/audit?${new URLSearchParams({ [field]: value.trim() })}`);
    void search(field, value.trim());
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
        <p>Every record carries a hash of the one before it. Verification recomputes the whole chain and reports any record that was edited, removed or moved, and checks it against the signed anchors of the chain head kept outside the database, which show a rewrite even when every hash was recomputed.</p>
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
      <form onSubmit={submit} className="search" role="search" aria-label="Search the audit trail">
        <label>
          Search by
          <select value={field} onChange={(e) => setField(e.target.value)}>
            {FIELDS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">Value</span>
          <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="paste an id" />
        </label>
        <button type="submit" className="primary">
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
          <ol className="timeline">
            {records.map((r) => (
              <li key={r.seq} className="step">
                <h3>
                  {r.kind} <span className="muted">#{r.seq} · {new Date(r.createdAt).toLocaleString()} · <span title={r.actor}>{actorName(r.actor, undefined, user)}</span></span>
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
