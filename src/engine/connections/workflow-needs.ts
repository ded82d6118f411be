/**
 * Which Lever endpoints (hence API-key permissions and OAuth scopes) each workflow needs, worked out
 * from its steps and triggers, plus what Fulcrum itself needs whatever workflows run. One table per
 * kind of step, so a new step type or task adds its endpoints in one place; OAuth asks for the
 * scopes of the enabled workflows and `doctor` says which workflow needs which permission.
 */
import { leverPermissionFor } from "../../lever/index.ts";
import { conditionNeeds, type FetchKind, type Step, type Workflow } from "../workflows/index.ts";

/** What `fetch` kinds (and the engine's own lookups) read from Lever. */
const FETCH_ENDPOINTS: Readonly<Record<FetchKind | "stages" | "archiveReasons", readonly string[]>> = {
  opportunity: ["GET /opportunities/:opportunity"],
  posting: ["GET /opportunities/:opportunity", "GET /postings/:posting"],
  resume: ["GET /opportunities/:opportunity/resumes", "GET /opportunities/:opportunity/resumes/:resume/download"],
  files: ["GET /opportunities/:opportunity/files"],
  notes: ["GET /opportunities/:opportunity/notes"],
  feedback: ["GET /opportunities/:opportunity/feedback"],
  interviews: ["GET /opportunities/:opportunity/interviews"],
  panels: ["GET /opportunities/:opportunity/panels"],
  offers: ["GET /opportunities/:opportunity/offers"],
  stages: ["GET /stages"],
  archiveReasons: ["GET /archive_reasons"],
};

/** The context each built-in task loads (see `src/engine/steps/tasks/`), plus its own Lever calls. */
const TASK_NEEDS: Readonly<Record<string, { fetch: readonly (keyof typeof FETCH_ENDPOINTS)[]; endpoints?: readonly string[] }>> = {
  "screening.screen": { fetch: ["opportunity", "posting", "resume"] },
  "texts.collect": { fetch: ["notes", "feedback"] },
  "interview.packet": { fetch: ["opportunity", "posting", "resume", "feedback", "stages"] },
  "approval.brief": { fetch: ["opportunity", "posting", "resume", "feedback", "interviews"] },
  "nurture.prepare": { fetch: ["opportunity", "posting", "resume", "archiveReasons"] },
  "feedback.review": { fetch: ["opportunity", "posting", "interviews", "feedback"] },
  "hr.payload": { fetch: ["opportunity", "posting", "offers"] },
  "tool.result": { fetch: [] },
  "tool.link": { fetch: [] },
  "tool.status": { fetch: ["opportunity", "stages", "archiveReasons"] },
  "rediscovery.find": { fetch: [], endpoints: ["GET /postings", "GET /postings/:posting"] },
  "rediscovery.explain": { fetch: ["opportunity"], endpoints: ["GET /postings/:posting"] },
};

/** The endpoints one step calls. */
export function stepEndpoints(step: Step): string[] {
  const reads = (kinds: readonly (keyof typeof FETCH_ENDPOINTS)[]) => kinds.flatMap((k) => FETCH_ENDPOINTS[k]);
  switch (step.type) {
    case "fetch":
      return reads(step.include);
    case "task": {
      const t = TASK_NEEDS[step.task];
      return t ? [...reads(t.fetch), ...(t.endpoints ?? [])] : [];
    }
    case "lever.note":
      return ["POST /opportunities/:opportunity/notes"];
    case "lever.tags":
    case "lever.links": {
      const what = step.type === "lever.tags" ? "Tags" : "Links";
      const out: string[] = [];
      // A step that names neither still calls nothing; one that names both needs both.
      if (step.add !== undefined) out.push(`POST /opportunities/:opportunity/add${what}`);
      if (step.remove !== undefined) out.push(`POST /opportunities/:opportunity/remove${what}`);
      return out;
    }
    case "lever.stage":
      return ["PUT /opportunities/:opportunity/stage", "GET /stages"];
    case "lever.archive":
      return ["PUT /opportunities/:opportunity/archived", "GET /archive_reasons"];
    case "lever.panel":
      return ["POST /opportunities/:opportunity/panels"];
    case "scheduling.book":
      // The panel, then the "Panel scheduled for …" note.
      return ["POST /opportunities/:opportunity/panels", "POST /opportunities/:opportunity/notes"];
    case "scheduling.rebook":
      // The panel replaced whole, then the "Panel changed …" note.
      return ["PUT /opportunities/:opportunity/panels/:panel", "POST /opportunities/:opportunity/notes"];
    case "lever.createOpportunity":
      return ["POST /opportunities", ...(step.findExisting === false ? [] : ["GET /opportunities"])];
    case "lever.form":
      return ["GET /form_templates", "POST /opportunities/:opportunity/forms"];
    case "assessment.send":
      // The candidate's e-mail from the opportunity; the invitation link written back as a Lever link and a note.
      return ["GET /opportunities/:opportunity", "POST /opportunities/:opportunity/addLinks", "POST /opportunities/:opportunity/notes"];
    default:
      // ai, branch, approval, wait, notify, http, tool.status: nothing from Lever.
      return [];
  }
}

/** One interview by id, read when an interview event does not carry what a timer needs. */
const INTERVIEW_BY_ID = "GET /opportunities/:opportunity/interviews/:interview";

/** The endpoints one workflow needs: its triggers' conditions and timers, and every step. */
export function workflowEndpoints(workflow: Workflow): string[] {
  const out = new Set<string>();
  for (const t of workflow.triggers) {
    if ("when" in t) for (const need of conditionNeeds(t.when)) for (const e of FETCH_ENDPOINTS[need]) out.add(e);
    // Timers are armed from the interview the event names; when the event lacks its fields, that
    // one interview is fetched by id (GET …/interviews/:interview).
    if ("timer" in t) for (const e of [...FETCH_ENDPOINTS.opportunity, ...FETCH_ENDPOINTS.interviews, INTERVIEW_BY_ID]) out.add(e);
  }
  for (const step of workflow.steps) for (const e of stepEndpoints(step)) out.add(e);
  return [...out];
}

/** What Fulcrum needs whatever workflows run, and why. */
export const FULCRUM_NEEDS: readonly { endpoint: string; why: string }[] = [
  { endpoint: "GET /opportunities", why: "checking the credentials, finding a candidate by e-mail" },
  { endpoint: "GET /users", why: "finding the perform-as user by e-mail" },
  { endpoint: "GET /users/:user", why: "checking the perform-as user is active" },
  { endpoint: "GET /webhooks", why: "fulcrum webhooks install/list" },
  { endpoint: "POST /webhooks", why: "fulcrum webhooks install" },
  { endpoint: "DELETE /webhooks/:webhook", why: "fulcrum webhooks install/remove (replacing a subscription whose token is lost)" },
  { endpoint: "GET /eeo/responses/pii", why: "the console's fairness report (groups from Lever's EEO survey answers)" },
];

/** The OAuth scope that lets a connection see confidential postings and opportunities. */
export const CONFIDENTIAL_SCOPE = "confidential:access:admin";

/** Lever allows an app at most 20 scopes (reference §1.3, [M]). */
const MAX_SCOPES = 20;

/**
 * The OAuth scopes to request: `offline_access`, what Fulcrum itself needs, what the given
 * (enabled) workflows need, and `confidential:access:admin` unless the connection opted out. Read
 * scopes are kept beside their write scope (that a write scope includes the read is only reported
 * by a third party) unless the list would pass Lever's limit of 20.
 * @example
 * scopesFor(enabledWorkflows, { confidential: true }); // ["offline_access", "opportunities:read:admin", …]
 */
export function scopesFor(workflows: readonly Workflow[], options: { confidential: boolean }): string[] {
  const endpoints = new Set(FULCRUM_NEEDS.map((n) => n.endpoint));
  for (const wf of workflows) for (const e of workflowEndpoints(wf)) endpoints.add(e);
  const scopes = new Set<string>();
  for (const e of endpoints) {
    const { scope } = leverPermissionFor(e);
    if (scope !== "unknown") scopes.add(scope);
  }
  let list = [...scopes].sort();
  if (list.length + 2 > MAX_SCOPES) list = list.filter((s) => !(s.includes(":read:") && scopes.has(s.replace(":read:", ":write:"))));
  return ["offline_access", ...list, ...(options.confidential ? [CONFIDENTIAL_SCOPE] : [])];
}

/** For each scope, the workflows (by id) that need it; Fulcrum's own needs are listed as `fulcrum`. */
export function scopeUsers(workflows: readonly Workflow[]): Map<string, string[]> {
  const users = new Map<string, Set<string>>();
  const add = (endpoint: string, who: string) => {
    const { scope } = leverPermissionFor(endpoint);
    if (!users.has(scope)) users.set(scope, new Set());
    users.get(scope)!.add(who);
  };
  for (const n of FULCRUM_NEEDS) add(n.endpoint, "fulcrum");
  for (const wf of workflows) for (const e of workflowEndpoints(wf)) add(e, wf.id);
  return new Map([...users].map(([s, who]) => [s, [...who]]));
}
