/**
 * Connections and settings: Lever connections (add by API key or OAuth), doctor results, webhook
 * health, the AI provider with a test button, the mode ceiling switch and the four-eyes rule.
 */
import { useState, type FormEvent } from "react";
import type {
  AiTestReply,
  ConnectionList,
  DoctorReply,
  DoctorRowView as DoctorRow,
  FourEyesReply,
  ModeCeilingReply,
  Settings,
} from "../../../src/contract/console-api.ts";
import { post, get, put } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { useNotify } from "../notices.tsx";
import { useFetch } from "../use-fetch.ts";
import { useLive } from "../live.ts";
import { actorName, usePeople } from "../people.ts";

const MODES = ["shadow", "assist", "auto"] as const;

/** One line on the doctor's terms that are Lever's jargon. */
const CHECK_TERMS: Record<string, string> = {
  "perform-as user":
    "The Lever user Fulcrum writes as: Lever needs one for panels, interviews and new opportunities, and shows their name on what Fulcrum writes.",
};

/** What changing the ceiling does in Lever, said before the change is made. */
export function ceilingConsequence(mode: string): string {
  if (mode === "shadow")
    return "From now on no workflow writes to Lever: workflows keep running but only record what they would have done, and nothing new waits for approval. Proposals already waiting are still written if a person approves them.";
  if (mode === "assist") return "From now on no workflow writes to Lever by itself; proposals wait for a person to approve them.";
  return "Workflows set to auto may again write to Lever by themselves (notes, tags, stage moves, archives) when their guards pass.";
}

export function SettingsPage() {
  const notify = useNotify();
  const connections = useFetch("/console/api/connections", (r: ConnectionList) => r.connections);
  const settings = useFetch("/console/api/settings", (r: Settings) => r);
  const [doctor, setDoctor] = useState<Record<string, DoctorRow[] | string>>({});
  const [form, setForm] = useState({ id: "", name: "", apiKey: "", baseUrl: "", kind: "apiKey", clientId: "", clientSecret: "" });
  const [ceiling, setCeiling] = useState<string | undefined>();
  const [aiTest, setAiTest] = useState<string | undefined>();
  const live = useFetch("/api/settings/mode-ceiling", (r: ModeCeilingReply) => r.modeCeiling);
  const fourEyes = useFetch("/console/api/settings/four-eyes", (r: FourEyesReply) => r.fourEyes);
  const [fourEyesChange, setFourEyesChange] = useState<boolean | undefined>();
  const people = usePeople([live.data?.updatedBy, fourEyes.data?.updatedBy]);
  // Another admin (or another console tab) changed it: show the new value.
  useLive((name) => {
    if (name === "settings.modeCeiling") live.reload();
  });

  const runDoctor = async (id: string) => {
    setDoctor((d) => ({ ...d, [id]: "running…" }));
    try {
      const r = await get<DoctorReply>(`/console/api/connections/${encodeURIComponent(id)}/doctor`);
      setDoctor((d) => ({ ...d, [id]: r.rows }));
    } catch (e) {
      setDoctor((d) => ({ ...d, [id]: (e as Error).message }));
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const credentials = form.kind === "oauth" ? { oauth: { clientId: form.clientId, clientSecret: form.clientSecret } } : { apiKey: form.apiKey };
      await post("/console/api/connections", { id: form.id, name: form.name || form.id, baseUrl: form.baseUrl || undefined, ...credentials });
      notify(form.kind === "oauth" ? `Connection ${form.id} added: now connect it with Lever.` : `Connection ${form.id} added.`);
      setForm({ id: "", name: "", apiKey: "", baseUrl: "", kind: "apiKey", clientId: "", clientSecret: "" });
      connections.reload();
    } catch (err) {
      notify(`Not added: ${(err as Error).message}`, "error");
    }
  };

  const saveCeiling = async (mode: string) => {
    try {
      const r = await put<ModeCeilingReply>("/api/settings/mode-ceiling", { mode });
      notify(`Mode ceiling set to ${r.modeCeiling.effective}.`);
      live.reload();
      settings.reload();
    } catch (err) {
      notify(`Not changed: ${(err as Error).message}`, "error");
    }
  };

  const saveFourEyes = async (required: boolean) => {
    try {
      const r = await put<FourEyesReply>("/console/api/settings/four-eyes", { required });
      notify(
        r.fourEyes.required
          ? "Four eyes is on: authors cannot approve their own changes."
          : "Four eyes is off: authors may approve their own changes, and each such approval is marked in the audit trail.",
      );
      fourEyes.reload();
    } catch (err) {
      notify(`Not changed: ${(err as Error).message}`, "error");
    }
  };

  const testAi = async () => {
    setAiTest("testing…");
    try {
      const r = await post<AiTestReply>("/console/api/settings/ai/test");
      setAiTest(`${r.ok ? "Works" : "Failed"}: ${r.detail}`);
    } catch (e) {
      setAiTest(`Failed: ${(e as Error).message}`);
    }
  };

  return (
    <>
      <h1>Connections and settings</h1>
      <section aria-labelledby="ceiling-h" className="card">
        <h2 id="ceiling-h">Mode ceiling</h2>
        <p>One switch caps every workflow. Set it to shadow to stop all writes to Lever at once.</p>
        {live.error && <p className="error">{live.error}</p>}
        {live.data && (
          <>
            <p>
              In force: <strong>{live.data.effective}</strong>. <code>FULCRUM_MODE_CEILING</code> on the server is <strong>{live.data.environment}</strong>; the
              console can lower the ceiling below it but never raise it above.
              {live.data.updatedBy && live.data.updatedAt && (
                <span className="muted small">
                  {" "}
                  Last changed by {actorName(live.data.updatedBy, people)} at {new Date(live.data.updatedAt).toLocaleString()}.
                </span>
              )}
            </p>
            {live.data.note && <p className="muted small">{live.data.note}</p>}
            <fieldset>
              <legend>Highest mode any workflow may run in</legend>
              {MODES.map((m) => {
                const aboveEnv = MODES.indexOf(m) > MODES.indexOf(live.data!.environment as (typeof MODES)[number]);
                return (
                  <label key={m} className="radio">
                    <input
                      type="radio"
                      name="ceiling"
                      value={m}
                      checked={live.data!.effective === m}
                      disabled={aboveEnv}
                      aria-describedby={aboveEnv ? "ceiling-env" : undefined}
                      onChange={() => setCeiling(m)}
                    />{" "}
                    {m}
                  </label>
                );
              })}
            </fieldset>
            {live.data.environment !== "auto" && (
              <p id="ceiling-env" className="muted small">
                Modes above {live.data.environment} are closed by the server's environment; change <code>FULCRUM_MODE_CEILING</code> and restart to allow them.
              </p>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="conn-h">
        <h2 id="conn-h">Lever connections</h2>
        {connections.error && <p className="error">{connections.error}</p>}
        {connections.data?.length === 0 && <p className="muted">No connection yet.</p>}
        {connections.data?.map((c) => (
          <article key={c.id} className="card" aria-labelledby={`conn-${c.id}`}>
            <h3 id={`conn-${c.id}`}>
              {c.name}{" "}
              <span className="muted small">
                ({c.id}, {c.environment}, {c.authKind === "oauth" ? "OAuth" : "API key"})
              </span>
            </h3>
            <p className="small">{c.baseUrl}</p>
            {c.authKind === "oauth" && (
              <p>
                {c.oauthConnected ? "Connected through OAuth. " : "Not connected yet. "}
                <a href={`/oauth/lever/start?connection=${encodeURIComponent(c.id)}`}>{c.oauthConnected ? "Connect again" : "Connect with Lever"}</a>
              </p>
            )}
            <button type="button" onClick={() => void runDoctor(c.id)}>
              Run doctor <span className="sr-only">for {c.name}</span>
            </button>
            {typeof doctor[c.id] === "string" && <p>{doctor[c.id] as string}</p>}
            {Array.isArray(doctor[c.id]) && (
              <table className="stacked">
                <caption>Doctor results for {c.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Check</th>
                    <th scope="col">Result</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {(doctor[c.id] as DoctorRow[]).map((row, i) => (
                    <tr key={i}>
                      <td data-label="Check">
                        {row.check}
                        {CHECK_TERMS[row.check] && <div className="muted small">{CHECK_TERMS[row.check]}</div>}
                      </td>
                      <td data-label="Result">
                        {row.status === "fail" || (!row.status && !row.ok) ? (
                          <strong className="error-text">problem</strong>
                        ) : row.status === "warn" ? (
                          <strong>warning</strong>
                        ) : (
                          (row.status ?? "ok")
                        )}
                      </td>
                      <td data-label="Detail">
                        {row.detail}
                        {row.fix && <div className="muted small">Fix: {row.fix}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {c.webhooks && c.webhooks.length > 0 && (
              <table className="stacked">
                <caption>Webhook health</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Last delivery</th>
                    <th scope="col">Deliveries</th>
                    <th scope="col">Failures</th>
                  </tr>
                </thead>
                <tbody>
                  {c.webhooks.map((w) => (
                    <tr key={w.event}>
                      <td data-label="Event">{w.event}</td>
                      <td data-label="Last delivery">{w.lastDeliveryAt ? new Date(w.lastDeliveryAt).toLocaleString() : "never"}</td>
                      <td data-label="Deliveries">{w.deliveries}</td>
                      <td data-label="Failures">{w.failures ? <strong className="error-text">{w.failures}</strong> : 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
        ))}
        <form onSubmit={add} className="card stack" aria-labelledby="add-conn-h">
          <h3 id="add-conn-h">Add a connection</h3>
          <fieldset>
            <legend>How Fulcrum signs in to Lever</legend>
            <label className="radio">
              <input type="radio" name="conn-kind" checked={form.kind === "apiKey"} onChange={() => setForm({ ...form, kind: "apiKey" })} /> API key
            </label>
            <label className="radio">
              <input type="radio" name="conn-kind" checked={form.kind === "oauth"} onChange={() => setForm({ ...form, kind: "oauth" })} /> OAuth (a Lever
              partner app)
            </label>
          </fieldset>
          <label htmlFor="conn-id">Id (lower-case letters, digits, - and _)</label>
          <input id="conn-id" required pattern="[a-z0-9][a-z0-9_\-]{0,62}" value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} />
          <label htmlFor="conn-name">Name</label>
          <input id="conn-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          {form.kind === "apiKey" ? (
            <>
              <label htmlFor="conn-key">Lever API key</label>
              <input
                id="conn-key"
                type="password"
                autoComplete="off"
                required
                value={form.apiKey}
                onChange={(e) => setForm({ ...form, apiKey: e.target.value })}
              />
            </>
          ) : (
            <>
              <label htmlFor="conn-client-id">OAuth client id</label>
              <input id="conn-client-id" autoComplete="off" required value={form.clientId} onChange={(e) => setForm({ ...form, clientId: e.target.value })} />
              <label htmlFor="conn-client-secret">OAuth client secret</label>
              <input
                id="conn-client-secret"
                type="password"
                autoComplete="off"
                required
                value={form.clientSecret}
                onChange={(e) => setForm({ ...form, clientSecret: e.target.value })}
              />
              <p className="muted small">Register {location.origin}/oauth/lever/callback as the app's redirect URI in Lever.</p>
            </>
          )}
          <label htmlFor="conn-url">API base URL (leave empty for Lever production)</label>
          <input id="conn-url" type="url" value={form.baseUrl} onChange={(e) => setForm({ ...form, baseUrl: e.target.value })} />
          <button type="submit" className="primary">
            Add connection
          </button>
        </form>
      </section>
      {settings.data && (
        <>
          <section aria-labelledby="ai-h" className="card">
            <h2 id="ai-h">AI provider</h2>
            <p>
              {settings.data.ai.configured ? (
                <>
                  Provider <strong>{settings.data.ai.provider}</strong>
                  {settings.data.ai.model && <>, model {settings.data.ai.model}</>}.
                </>
              ) : (
                <>No provider is configured: every AI step uses its deterministic local engine, labelled “local”.</>
              )}
            </p>
            {settings.data.aiTestable ? (
              <button type="button" onClick={() => void testAi()}>
                Test the provider
              </button>
            ) : (
              <p className="muted small">A test call is not available in this deployment; `fulcrum doctor` checks the provider from the command line.</p>
            )}
            {aiTest && <p role="status">{aiTest}</p>}
          </section>
          <section aria-labelledby="four-eyes-h" className="card">
            <h2 id="four-eyes-h">Four eyes</h2>
            <p>Whoever wrote a rubric override or a prompt version may not approve it; someone else must.</p>
            {fourEyes.error && <p className="error">{fourEyes.error}</p>}
            {fourEyes.data && (
              <>
                <p>
                  The rule is <strong>{fourEyes.data.required ? "on" : "off"}</strong>.
                  {fourEyes.data.updatedBy && fourEyes.data.updatedAt && (
                    <span className="muted small">
                      {" "}
                      Last changed by {actorName(fourEyes.data.updatedBy, people)} at {new Date(fourEyes.data.updatedAt).toLocaleString()}.
                    </span>
                  )}
                </p>
                <button type="button" onClick={() => setFourEyesChange(!fourEyes.data!.required)}>
                  {fourEyes.data.required ? "Turn four eyes off" : "Turn four eyes on"}
                </button>
              </>
            )}
          </section>
        </>
      )}
      {/* One dialog for both confirmations: the page has one dialog title id. */}
      <ConfirmDialog
        open={ceiling !== undefined || fourEyesChange !== undefined}
        title={ceiling !== undefined ? `Set the mode ceiling to ${ceiling}?` : fourEyesChange ? "Turn four eyes on?" : "Turn four eyes off?"}
        confirmLabel={ceiling !== undefined ? `Set to ${ceiling}` : fourEyesChange ? "Turn on" : "Turn off"}
        danger={ceiling !== undefined ? ceiling === "auto" : fourEyesChange === false}
        onCancel={() => {
          setCeiling(undefined);
          setFourEyesChange(undefined);
        }}
        onConfirm={() => {
          if (ceiling) void saveCeiling(ceiling);
          else if (fourEyesChange !== undefined) void saveFourEyes(fourEyesChange);
          setCeiling(undefined);
          setFourEyesChange(undefined);
        }}
      >
        <p>
          {ceiling !== undefined
            ? ceilingConsequence(ceiling)
            : fourEyesChange
              ? "From now on the author of a rubric override or prompt version cannot approve it."
              : "From now on authors may approve their own rubric overrides and prompt versions. The change is recorded in the audit trail under your name, and so is each approval by its author."}
        </p>
      </ConfirmDialog>
    </>
  );
}
