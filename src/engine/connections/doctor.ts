/**
 * `fulcrum doctor`: checks one connection end to end and says what to fix. Credentials; every
 * endpoint Fulcrum may call (a cheap GET each; each write probed with a made-up id or a body Lever
 * must refuse, so nothing is written), each judged permitted, permitted by inference (Lever refused
 * the made-up write on validation: presumably after the permission check, which Lever does not
 * document), refused (with the API-key permission as Lever's settings page words it, and the OAuth
 * scope), not found (a 404 that cannot tell) or skipped; per enabled workflow, the permissions it needs and whether they are granted; the
 * perform-as user; webhook subscriptions and tokens; and whether Lever can reach this server at
 * FULCRUM_PUBLIC_URL.
 */
import { lookup } from "node:dns/promises";
import { LEVER_HOSTS_HELP, leverEventNames } from "../../config/index.ts";
import { leverPermissionFor } from "../../lever/index.ts";
import type { Workflow } from "../workflows/index.ts";
import { isPublicAddress } from "../../notify/index.ts";
import type { LeverAccountApi, ProbeResult } from "./ports.ts";
import { ConnectionError, type ConnectionRegistry } from "./registry.ts";
import { webhookUrlFor } from "./webhook-install.ts";
import { checkProfileForms } from "./form-check.ts";
import { CONFIDENTIAL_SCOPE, FULCRUM_NEEDS, scopesFor, scopeUsers, workflowEndpoints } from "./workflow-needs.ts";

export type DoctorStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorRow {
  /** What was checked, e.g. `GET /stages` or `perform-as user`. */
  check: string;
  status: DoctorStatus;
  detail: string;
  /** What to do about a warn or fail. */
  fix?: string | undefined;
  /** Endpoint rows: what the probe showed about the permission. */
  verdict?: DoctorVerdict | undefined;
  /** Endpoint rows: the API-key permission (as Lever's settings page words it) and the OAuth scope. */
  permission?: string | undefined;
  scope?: string | undefined;
  /** Endpoint rows: the enabled workflows (and `fulcrum` for Fulcrum itself) that call the endpoint. */
  neededBy?: string[] | undefined;
}

export interface DoctorOptions {
  /** FULCRUM_PUBLIC_URL: where Lever reaches this server. */
  publicUrl?: string | undefined;
  /** Hosts exempt from the https and public-address rules of the reachability check (tests, local dev). */
  allowHosts?: readonly string[] | undefined;
  /** Deadline of the reachability request (default 5 s). */
  timeoutMs?: number | undefined;
  /** Set by `runDoctor`: the connection whose webhook route is tried through the public URL. */
  connectionId?: string | undefined;
  /** The enabled workflows: a refused endpoint one of them (or Fulcrum) needs fails the check. */
  workflows?: readonly Workflow[] | undefined;
}

/** Ids no account holds: write probes aim at them so that nothing is ever written. */
const ABSENT_OPPORTUNITY = "00000000-0000-4000-8000-00000000d0c7";
const ABSENT_RESUME = "00000000-0000-4000-8000-00000000d0c8";
const ABSENT_WEBHOOK = "00000000-0000-4000-8000-00000000d0c9";
const ABSENT_POSTINGS = ["00000000-0000-4000-8000-00000000d0ca", "00000000-0000-4000-8000-00000000d0cb"];

/** What a probe showed about one endpoint's permission. */
/**
 * What a probe showed about one endpoint's permission. `permitted-inferred`: Lever refused the
 * probe's made-up request (400) or file (422) on validation, which is read as the permission check
 * having passed; Lever does not document that it checks permissions before validating, so this is
 * an inference, shown as such and not counted as a failure.
 */
export type DoctorVerdict = "permitted" | "permitted-inferred" | "refused" | "not found" | "unchecked" | "skipped";

interface Ids {
  opportunity?: string | undefined;
  contact?: string | undefined;
  posting?: string | undefined;
  user?: string | undefined;
  /** A resume of `opportunity` that has a file. */
  resume?: string | undefined;
  /** An interview of `opportunity`. */
  interview?: string | undefined;
}

interface EndpointCheck {
  endpoint: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The path to probe, or a reason to skip it. */
  path: (ids: Ids) => string | { skip: string };
  body?: unknown;
  /**
   * True when the probe aims at an id that does not exist or sends a body Lever must refuse, so
   * that nothing is written. Its 404 then says nothing about the permission.
   */
  madeUp?: boolean;
  /**
   * When the made-up id answered 404: a second probe on a real opportunity with a request Lever
   * must refuse (a made-up perform-as user, stage or reason, or nothing to add), so the 404 of an
   * id lookup cannot hide the permission and still nothing is written.
   */
  confirm?: { path: (opportunity: string) => string; body?: unknown };
}

const noOpportunity = { skip: "nothing to try it on: no opportunity is visible to these credentials" };
const opp = (ids: Ids, rest: string) => (ids.opportunity ? `/opportunities/${ids.opportunity}${rest}` : noOpportunity);
const absent = (rest: string) => () => `/opportunities/${ABSENT_OPPORTUNITY}${rest}`;
const DAY = 86_400_000;
const ABSENT_USER = "00000000-0000-4000-8000-00000000d0cc";
const onReal = (rest: string, body: unknown) => ({
  path: (o: string) => `/opportunities/${o}${rest}${rest.includes("?") ? "&" : "?"}perform_as=${ABSENT_USER}`,
  body,
});

/** Every endpoint Fulcrum may call, with a probe that reads little and writes nothing. */
const CHECKS: EndpointCheck[] = [
  { endpoint: "GET /opportunities", method: "GET", path: () => "/opportunities?limit=1" },
  { endpoint: "GET /postings", method: "GET", path: () => "/postings?limit=1" },
  { endpoint: "GET /opportunities/:opportunity", method: "GET", path: (i) => opp(i, "") },
  { endpoint: "GET /opportunities/:opportunity/notes", method: "GET", path: (i) => opp(i, "/notes?limit=1") },
  { endpoint: "GET /opportunities/:opportunity/feedback", method: "GET", path: (i) => opp(i, "/feedback?limit=1") },
  { endpoint: "GET /opportunities/:opportunity/interviews", method: "GET", path: (i) => opp(i, "/interviews?limit=1") },
  {
    endpoint: "GET /opportunities/:opportunity/interviews/:interview",
    method: "GET",
    path: (i) => (i.interview ? opp(i, `/interviews/${i.interview}`) : { skip: "nothing to try it on: the first visible opportunity has no interview" }),
  },
  { endpoint: "GET /opportunities/:opportunity/panels", method: "GET", path: (i) => opp(i, "/panels?limit=1") },
  { endpoint: "GET /opportunities/:opportunity/files", method: "GET", path: (i) => opp(i, "/files?limit=1") },
  { endpoint: "GET /opportunities/:opportunity/offers", method: "GET", path: (i) => opp(i, "/offers?limit=1") },
  { endpoint: "GET /opportunities/:opportunity/resumes", method: "GET", path: (i) => opp(i, "/resumes") },
  // A real resume's file when there is one (a read); otherwise a made-up resume of a real opportunity.
  {
    endpoint: "GET /opportunities/:opportunity/resumes/:resume/download",
    method: "GET",
    path: (i) => opp(i, `/resumes/${i.resume ?? ABSENT_RESUME}/download`),
  },
  { endpoint: "GET /contacts/:contact", method: "GET", path: (i) => (i.contact ? `/contacts/${i.contact}` : noOpportunity) },
  {
    endpoint: "GET /postings/:posting",
    method: "GET",
    path: (i) => (i.posting ? `/postings/${i.posting}` : { skip: "nothing to try it on: no posting is visible to these credentials" }),
  },
  { endpoint: "GET /stages", method: "GET", path: () => "/stages" },
  { endpoint: "GET /archive_reasons", method: "GET", path: () => "/archive_reasons" },
  { endpoint: "GET /users", method: "GET", path: () => "/users?limit=1" },
  { endpoint: "GET /users/:user", method: "GET", path: (i) => (i.user ? `/users/${i.user}` : { skip: "nothing to try it on: GET /users listed no user" }) },
  { endpoint: "GET /feedback_templates", method: "GET", path: () => "/feedback_templates?limit=1" },
  { endpoint: "GET /form_templates", method: "GET", path: () => "/form_templates?limit=1" },
  { endpoint: "GET /tags", method: "GET", path: () => "/tags?limit=1" },
  { endpoint: "GET /sources", method: "GET", path: () => "/sources?limit=1" },
  { endpoint: "GET /webhooks", method: "GET", path: () => "/webhooks" },
  // A one-day window keeps the answer small.
  { endpoint: "GET /eeo/responses/pii", method: "GET", path: () => `/eeo/responses/pii?created_at_start=${Date.now() - DAY}&created_at_end=${Date.now()}` },
  // Writes: a made-up opportunity, and bodies Lever must refuse, so nothing can be written.
  {
    endpoint: "POST /opportunities/:opportunity/notes",
    method: "POST",
    path: absent("/notes"),
    body: {},
    madeUp: true,
    confirm: onReal(`/notes?note_id=${ABSENT_OPPORTUNITY}`, {}),
  },
  {
    endpoint: "PUT /opportunities/:opportunity/stage",
    method: "PUT",
    path: absent("/stage"),
    body: {},
    madeUp: true,
    confirm: onReal("/stage", { stage: ABSENT_OPPORTUNITY }),
  },
  {
    endpoint: "PUT /opportunities/:opportunity/archived",
    method: "PUT",
    path: absent("/archived"),
    body: { reason: ABSENT_OPPORTUNITY },
    madeUp: true,
    confirm: onReal("/archived", { reason: ABSENT_OPPORTUNITY }),
  },
  {
    endpoint: "POST /opportunities/:opportunity/addTags",
    method: "POST",
    path: absent("/addTags"),
    body: { tags: [] },
    madeUp: true,
    confirm: onReal("/addTags", { tags: [] }),
  },
  {
    endpoint: "POST /opportunities/:opportunity/removeTags",
    method: "POST",
    path: absent("/removeTags"),
    body: { tags: [] },
    madeUp: true,
    confirm: onReal("/removeTags", { tags: [] }),
  },
  {
    endpoint: "POST /opportunities/:opportunity/addLinks",
    method: "POST",
    path: absent("/addLinks"),
    body: { links: [] },
    madeUp: true,
    confirm: onReal("/addLinks", { links: [] }),
  },
  {
    endpoint: "POST /opportunities/:opportunity/removeLinks",
    method: "POST",
    path: absent("/removeLinks"),
    body: { links: [] },
    madeUp: true,
    confirm: onReal("/removeLinks", { links: [] }),
  },
  { endpoint: "POST /opportunities/:opportunity/panels", method: "POST", path: absent("/panels"), body: {}, madeUp: true, confirm: onReal("/panels", {}) },
  // No baseTemplateId (required) and a made-up perform-as user: no form can come of it.
  { endpoint: "POST /opportunities/:opportunity/forms", method: "POST", path: absent("/forms"), body: {}, madeUp: true, confirm: onReal("/forms", {}) },
  // No perform_as (required) and two postings (Lever takes one): refused after the permission check.
  { endpoint: "POST /opportunities", method: "POST", path: () => "/opportunities", body: { postings: ABSENT_POSTINGS }, madeUp: true },
  // An event that does not exist and a URL that is not https: no webhook can come of it.
  {
    endpoint: "POST /webhooks",
    method: "POST",
    path: () => "/webhooks",
    body: { url: "http://fulcrum-doctor.invalid/", event: "fulcrumDoctorProbe" },
    madeUp: true,
  },
  { endpoint: "DELETE /webhooks/:webhook", method: "DELETE", path: () => `/webhooks/${ABSENT_WEBHOOK}`, madeUp: true },
];

function permissionFix(endpoint: string, oauth: boolean): string {
  const p = leverPermissionFor(endpoint);
  const wording = p.confirmed ? "" : " (wording inferred from Lever's pattern)";
  return oauth
    ? `Connect again so Lever grants the OAuth scope ${p.scope} (fulcrum connections connect <id>)`
    : `Add the API-key permission "${p.permission}"${wording} in Lever: Settings → Integrations and API → API Credentials (permissions cannot be edited on an existing key: create a new key with it)`;
}

/**
 * What one answer says about the permission: 2xx is permitted; 400 and 422 are permitted by
 * inference (Lever validated the request or the file, so the permission check presumably passed,
 * which its docs do not promise); 403 refused; a 404 on a made-up id is "not found": Lever may look
 * the id up before the permission, so it proves nothing either way.
 * @example verdictOf(400) // → "permitted-inferred"
 */
export function verdictOf(status: number): DoctorVerdict {
  if (status === 403) return "refused";
  if (status >= 200 && status < 300) return "permitted";
  if (status === 400 || status === 422) return "permitted-inferred";
  if (status === 404) return "not found";
  return "unchecked";
}

/** Turns one probe answer into a row; `neededBy` says which workflows (or `fulcrum`) need the endpoint. */
function judge(check: EndpointCheck & { confirmed?: boolean }, result: ProbeResult, oauth: boolean, neededBy: readonly string[]): DoctorRow {
  const lever = [result.code, result.message].filter(Boolean).join(": ");
  const { status } = result;
  const p = leverPermissionFor(check.endpoint);
  const base = { check: check.endpoint, permission: p.permission, scope: p.scope, neededBy: [...neededBy] };
  const who = neededBy.length ? `needed by ${neededBy.join(", ")}` : "no enabled workflow needs it";
  if (status === 401) return { ...base, verdict: "unchecked", status: "fail", detail: "401: credentials refused", fix: "Check the API key or reconnect OAuth" };
  const verdict = verdictOf(status);
  switch (verdict) {
    case "refused":
      return {
        ...base,
        verdict,
        status: neededBy.length ? "fail" : "warn",
        detail: `refused: 403${lever ? ` (${lever})` : ""}; ${who}`,
        fix: permissionFix(check.endpoint, oauth),
      };
    case "permitted":
      return { ...base, verdict, status: "ok", detail: `permitted (answered ${status}${check.body !== undefined ? "; the probe had nothing to change" : ""})` };
    case "permitted-inferred": {
      const what = status === 422 ? "file" : "request";
      const inferred = `permitted (inferred: Lever validated the ${what}, so the permission check passed)`;
      return {
        ...base,
        verdict,
        status: "ok",
        detail: check.confirmed
          ? `${inferred}: the made-up opportunity answered 404, which tells nothing; on a real one Lever refused the probe's made-up ${what} with ${status}; nothing written`
          : `${inferred}: Lever refused the probe's made-up ${what} with ${status}; nothing written`,
      };
    }
    case "not found":
      return {
        ...base,
        verdict,
        status: "warn",
        detail: check.madeUp
          ? `not found: Lever answered 404 for the made-up id before saying whether these credentials may call it, so the permission could not be told; ${who}`
          : `not found: Lever answered 404${lever ? ` (${lever})` : ""}, so the permission could not be told; ${who}`,
        fix: check.madeUp
          ? `Make sure ${oauth ? `the OAuth scope ${p.scope} is granted` : `the API key has "${p.permission}"`}`
          : "Run fulcrum doctor again; if it persists check the connection's base URL (environment)",
      };
    default:
      return {
        ...base,
        verdict,
        status: "warn",
        detail:
          status === 429 || status >= 500
            ? `Lever answered ${status}; the permission could not be checked`
            : `unexpected ${status}${lever ? ` (${lever})` : ""}; the permission could not be checked`,
        fix: status === 429 || status >= 500 ? "Run fulcrum doctor again in a minute" : undefined,
      };
  }
}

function items(body: unknown): Record<string, unknown>[] {
  const data = (body as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? (data.filter((d) => d && typeof d === "object") as Record<string, unknown>[]) : [];
}

const idOf = (v: unknown): string | undefined =>
  typeof v === "string" ? v : v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string" ? (v as { id: string }).id : undefined;

async function probe(api: LeverAccountApi, check: EndpointCheck, path: string): Promise<ProbeResult | Error> {
  try {
    return await api.probe(check.method, path, check.body);
  } catch (error) {
    return error as Error;
  }
}

/** Picks the ids later probes need from the lists probed before them. */
function learnIds(endpoint: string, body: unknown, ids: Ids): void {
  const first = items(body)[0];
  if (endpoint === "GET /opportunities" && first) {
    ids.opportunity = idOf(first.id);
    ids.contact = idOf(first.contact);
  }
  if (endpoint === "GET /postings" && first) ids.posting = idOf(first.id);
  if (endpoint === "GET /users" && first) ids.user = idOf(first.id);
  if (endpoint === "GET /opportunities/:opportunity/interviews" && first) ids.interview = idOf(first.id);
  // Resumes parsed from a profile have no file: only one with a file can be downloaded.
  if (endpoint === "GET /opportunities/:opportunity/resumes") ids.resume = idOf(items(body).find((r) => r.file && typeof r.file === "object")?.id);
}

async function checkEndpoints(
  api: LeverAccountApi,
  oauth: boolean,
  neededBy: (endpoint: string) => string[],
): Promise<{ rows: DoctorRow[]; credentialsOk: boolean; verdicts: Map<string, DoctorRow> }> {
  const rows: DoctorRow[] = [];
  const verdicts = new Map<string, DoctorRow>();
  const ids: Ids = {};
  for (const check of CHECKS) {
    const path = check.path(ids);
    if (typeof path !== "string") {
      const row: DoctorRow = { check: check.endpoint, status: "skip", verdict: "skipped", detail: path.skip, neededBy: neededBy(check.endpoint) };
      rows.push(row);
      verdicts.set(check.endpoint, row);
      continue;
    }
    let result = await probe(api, check, path);
    let confirmed = false;
    if (!(result instanceof Error) && result.status === 404 && check.confirm && ids.opportunity) {
      const second = await probe(api, { ...check, body: check.confirm.body }, check.confirm.path(ids.opportunity));
      if (!(second instanceof Error)) {
        result = second;
        confirmed = true;
      }
    }
    if (rows.length === 0) {
      // The first probe doubles as the credentials check.
      if (result instanceof Error) {
        return {
          rows: [
            {
              check: "credentials",
              status: "fail",
              detail: `Lever could not be reached: ${result.message}`,
              fix: "Check the base URL and this machine's network access to Lever",
            },
          ],
          credentialsOk: false,
          verdicts,
        };
      }
      if (result.status === 401) {
        return {
          rows: [
            {
              check: "credentials",
              status: "fail",
              detail: "Lever refused the credentials (401)",
              fix: oauth ? "Connect again at /oauth/lever/start?connection=<id>" : "Replace the API key: fulcrum connections add <id> --api-key … --replace",
            },
          ],
          credentialsOk: false,
          verdicts,
        };
      }
      rows.push({ check: "credentials", status: "ok", detail: "accepted by Lever" });
    }
    const row: DoctorRow =
      result instanceof Error
        ? { check: check.endpoint, status: "warn", verdict: "unchecked", detail: `could not be checked: ${result.message}`, neededBy: neededBy(check.endpoint) }
        : judge(confirmed ? { ...check, madeUp: false, confirmed: true } : check, result, oauth, neededBy(check.endpoint));
    if (!(result instanceof Error) && result.status >= 200 && result.status < 300) learnIds(check.endpoint, result.body, ids);
    rows.push(row);
    verdicts.set(check.endpoint, row);
  }
  return { rows, credentialsOk: true, verdicts };
}

/** One row per enabled workflow (and one for Fulcrum itself): the permissions it needs and whether they are granted. */
function checkWorkflows(workflows: readonly Workflow[], verdicts: Map<string, DoctorRow>, oauth: boolean): DoctorRow[] {
  const needs: [string, string, string[]][] = [
    ["Fulcrum itself", "fulcrum", FULCRUM_NEEDS.map((n) => n.endpoint)],
    ...workflows.map((w): [string, string, string[]] => [`workflow ${w.id}`, w.id, workflowEndpoints(w)]),
  ];
  return needs.map(([check, , endpoints]) => {
    const scopes = [...new Set(endpoints.map((e) => leverPermissionFor(e).scope))].sort();
    const name = (e: string) => (oauth ? leverPermissionFor(e).scope : `"${leverPermissionFor(e).permission}"`);
    const refused = endpoints.filter((e) => verdicts.get(e)?.verdict === "refused");
    const known: readonly (DoctorVerdict | undefined)[] = ["permitted", "permitted-inferred", "refused"];
    const unknown = endpoints.filter((e) => !known.includes(verdicts.get(e)?.verdict));
    const needsText =
      endpoints.length === 0
        ? "needs nothing from Lever"
        : `needs ${oauth ? `the scopes ${scopes.join(", ")}` : `${endpoints.length} permission(s) (scopes ${scopes.join(", ")})`}`;
    if (endpoints.length === 0) return { check, status: "ok", detail: needsText };
    if (refused.length) {
      return {
        check,
        status: "fail",
        detail: `${needsText}; missing: ${[...new Set(refused.map(name))].join(", ")}`,
        fix: oauth
          ? "Connect again (fulcrum connections connect <id>): Fulcrum asks for the scopes the enabled workflows need"
          : `Create an API key that also has ${[...new Set(refused.map((e) => `"${leverPermissionFor(e).permission}"`))].join(", ")} and replace this one`,
      };
    }
    if (unknown.length) {
      return {
        check,
        status: "warn",
        detail: `${needsText}; could not tell for ${unknown.map((e) => `${e} (${verdicts.get(e)?.verdict ?? "no probe"})`).join(", ")}`,
        fix: `Make sure ${oauth ? "these scopes are granted" : `the key has ${[...new Set(unknown.map((e) => `"${leverPermissionFor(e).permission}"`))].join(", ")}`}`,
      };
    }
    return { check, status: "ok", detail: `${needsText}; all granted` };
  });
}

/** OAuth only: the scopes a connect asks for, and those an explicit list leaves out. */
function checkScopes(settings: { scopes: string[]; confidential?: boolean | undefined }, workflows: readonly Workflow[]): DoctorRow {
  const wanted = scopesFor(workflows, { confidential: settings.confidential ?? true });
  if (!settings.scopes.length)
    return { check: "OAuth scopes", status: "ok", detail: `a connect asks for what the enabled workflows need: ${wanted.join(" ")}` };
  const users = scopeUsers(workflows);
  const missing = wanted.filter(
    (s) => !settings.scopes.includes(s) && s !== "offline_access" && !(s.includes(":read:") && settings.scopes.includes(s.replace(":read:", ":write:"))),
  );
  if (!missing.length)
    return { check: "OAuth scopes", status: "ok", detail: `the connection's own list covers every enabled workflow: ${settings.scopes.join(" ")}` };
  return {
    check: "OAuth scopes",
    status: "warn",
    detail: `the connection's own scope list leaves out ${missing.map((s) => `${s} (${s === CONFIDENTIAL_SCOPE ? "confidential postings and candidates" : (users.get(s) ?? []).join(", ")})`).join(", ")}`,
    fix: "Add them to the connection's scopes (or drop its list to ask for what the workflows need), then connect again",
  };
}

const GOOD_ROLES = new Set(["super admin", "admin", "team member"]);

async function checkPerformAs<C>(registry: ConnectionRegistry<C>, id: string, api: LeverAccountApi): Promise<DoctorRow> {
  const check = "perform-as user";
  const connection = (await registry.get(id))!;
  if (!connection.performAsEmail && !connection.performAsFallback) {
    return {
      check,
      status: "warn",
      detail: "none set: writes that need perform_as (panels, interviews, new opportunities) will fail",
      fix: "Set LEVER_PERFORM_AS (or performAs) to an active Lever user's e-mail",
    };
  }
  try {
    const resolved = (await registry.resolvePerformAs(id, { force: true }))!;
    const user = await api.getUser(resolved.userId);
    const role = (user?.accessRole ?? "unknown").toLowerCase();
    const who = `${resolved.via === "primary" ? connection.performAsEmail : connection.performAsFallback} → ${resolved.userId}, active, role ${role}`;
    if (resolved.via === "fallback") {
      return {
        check,
        status: "warn",
        detail: `${connection.performAsEmail} is missing or deactivated; using the fallback ${who}`,
        fix: "Point LEVER_PERFORM_AS at an active user",
      };
    }
    if (!GOOD_ROLES.has(role)) {
      return {
        check,
        status: "warn",
        detail: `${who}: this role may not be allowed to make every write`,
        fix: "Use a Super Admin, Admin or Team Member as the perform-as user",
      };
    }
    return { check, status: "ok", detail: who };
  } catch (error) {
    const fix =
      error instanceof ConnectionError ? "Set LEVER_PERFORM_AS to an active Lever user's e-mail (and LEVER_PERFORM_AS_FALLBACK to a second one)" : undefined;
    return { check, status: "fail", detail: (error as Error).message, fix };
  }
}

async function checkWebhooks<C>(registry: ConnectionRegistry<C>, id: string, api: LeverAccountApi, publicUrl: string | undefined): Promise<DoctorRow[]> {
  const connection = (await registry.get(id))!;
  const covered = new Set<string>();
  const settings = connection.webhookTokens.filter((t) => t.origin === "settings");
  if (settings.some((t) => t.event === null)) for (const e of leverEventNames) covered.add(e);
  for (const t of settings) if (t.event) covered.add(t.event);
  const withToken = new Set(connection.webhookTokens.filter((t) => t.webhookId).map((t) => t.webhookId!));
  const rows: DoctorRow[] = [];
  let subscriptions: Awaited<ReturnType<LeverAccountApi["listWebhooks"]>> = [];
  try {
    subscriptions = await api.listWebhooks();
  } catch (error) {
    rows.push({ check: "webhook subscriptions (API)", status: "warn", detail: `cannot list: ${(error as Error).message}` });
  }
  const ours = subscriptions.filter((w) => new RegExp(`/webhooks/lever/${id}/?$`).test(w.url) || w.url === (publicUrl && webhookUrlFor(publicUrl, id)));
  const tokenless = ours.filter((w) => !withToken.has(w.id));
  for (const w of ours) if (withToken.has(w.id)) covered.add(w.event);
  const missing = leverEventNames.filter((e) => !covered.has(e));
  const install = `fulcrum webhooks install --url ${publicUrl ?? "<public https URL>"} --connection ${id}`;
  rows.push(
    missing.length === 0
      ? { check: "webhook events", status: "ok", detail: `all ${leverEventNames.length} events have a subscription or a signature token` }
      : {
          check: "webhook events",
          status: "warn",
          detail: `no subscription or token for: ${missing.join(", ")}`,
          fix: `${install} (or paste each event's token from Lever's webhook settings)`,
        },
  );
  if (tokenless.length > 0) {
    rows.push({
      check: "webhook tokens",
      status: "fail",
      detail: `${tokenless.length} subscription(s) to this connection have no stored signature token: their deliveries will be refused (${tokenless.map((w) => w.event).join(", ")})`,
      fix: `${install} (recreates them and stores the tokens)`,
    });
  }
  return rows;
}

async function checkReachability(options: DoctorOptions): Promise<DoctorRow[]> {
  const check = "public URL";
  if (!options.publicUrl) {
    return [
      {
        check,
        status: "skip",
        detail: "FULCRUM_PUBLIC_URL is not set, so Lever's reach to this server was not checked",
        fix: "Set FULCRUM_PUBLIC_URL to the https URL at which Lever reaches this server",
      },
    ];
  }
  let url: URL;
  try {
    url = new URL(options.publicUrl);
  } catch {
    return [{ check, status: "fail", detail: "FULCRUM_PUBLIC_URL is not a URL", fix: "Set it to e.g. https://fulcrum.example.com" }];
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const allowed = options.allowHosts?.includes(host) ?? false;
  const rows: DoctorRow[] = [];
  if (url.protocol !== "https:" && !allowed) {
    return [
      {
        check,
        status: "fail",
        detail: `${url.origin} is not https: Lever delivers webhooks over https only, with a certificate from a public CA`,
        fix: "Put Fulcrum behind an https proxy and set FULCRUM_PUBLIC_URL to its https URL",
      },
    ];
  }
  try {
    const addresses = await lookup(host, { all: true });
    const privateOnes = addresses.filter((a) => !isPublicAddress(a.address));
    if (privateOnes.length > 0 && !allowed) {
      return [
        {
          check,
          status: "fail",
          detail: `${host} resolves to a private address (${privateOnes.map((a) => a.address).join(", ")}); Lever cannot reach it`,
          fix: "Publish Fulcrum on a public address (a reverse proxy or tunnel) and use that host name",
        },
      ];
    }
    rows.push({ check: `${check} DNS`, status: "ok", detail: `${host} → ${addresses.map((a) => a.address).join(", ")}` });
  } catch (error) {
    return [
      {
        check,
        status: "fail",
        detail: `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        fix: "Create the DNS record, or correct FULCRUM_PUBLIC_URL",
      },
    ];
  }
  const health = new URL("healthz", url.href.endsWith("/") ? url.href : `${url.href}/`);
  try {
    const res = await fetch(health, { redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    await res.body?.cancel();
    rows.push(
      res.status === 200
        ? { check: `${check} /healthz`, status: "ok", detail: `${health.origin}/healthz answered 200 through the public URL` }
        : {
            check: `${check} /healthz`,
            status: "fail",
            detail: `${health.origin}/healthz answered ${res.status}`,
            fix: "Check that the proxy forwards to this Fulcrum server",
          },
    );
  } catch (error) {
    rows.push({
      check: `${check} /healthz`,
      status: "fail",
      detail: `${health.origin}/healthz did not answer: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
      fix: "Check the proxy, firewall and that `fulcrum serve` is running",
    });
    return rows;
  }
  if (options.connectionId) {
    // An unsigned, empty delivery: the intake must refuse it (400/401) and store nothing. A 404
    // means the server behind the public URL does not know this connection (another database?).
    const hook = new URL(webhookUrlFor(url.href, options.connectionId));
    const name = `${check} webhook route`;
    try {
      const res = await fetch(hook, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      await res.body?.cancel();
      if (res.status === 400 || res.status === 401)
        rows.push({ check: name, status: "ok", detail: `${hook.pathname} answers (an unsigned test was refused with ${res.status}, as it should be)` });
      else if (res.status === 404)
        rows.push({
          check: name,
          status: "fail",
          detail: `${hook.pathname} answered 404: the server behind the public URL does not know connection "${options.connectionId}"`,
          fix: "Point FULCRUM_PUBLIC_URL at the server that shares this database",
        });
      else
        rows.push({
          check: name,
          status: "warn",
          detail: `${hook.pathname} answered ${res.status} to an unsigned test delivery`,
          fix: res.status >= 300 && res.status < 400 ? "Lever does not follow redirects: use the final URL" : undefined,
        });
    } catch (error) {
      rows.push({ check: name, status: "fail", detail: `${hook.pathname} did not answer: ${(error as Error).message}` });
    }
  }
  return rows;
}

/**
 * Runs every check on one connection and returns the rows, in order. Never throws for a failed
 * check: each problem is a row with its fix.
 */
export async function runDoctor<C>(registry: ConnectionRegistry<C>, connectionId: string, options: DoctorOptions = {}): Promise<DoctorRow[]> {
  const connection = await registry.get(connectionId);
  if (!connection)
    return [
      {
        check: "connection",
        status: "fail",
        detail: `no connection "${connectionId}"`,
        fix: "See `fulcrum connections list`, or add one with `fulcrum connections add`",
      },
    ];
  const rows: DoctorRow[] = [
    {
      check: "connection",
      status: "ok",
      detail: `${connection.id} (${connection.environment}, ${connection.baseUrl}, ${connection.authKind === "api_key" ? "API key" : "OAuth"})`,
    },
  ];
  // Every probe carries the key: none is sent to a host that is not Lever's (or explicitly allowed).
  const hostProblem = registry.baseUrlProblem(connection.baseUrl);
  if (hostProblem) {
    rows.push({ check: "base URL", status: "fail", detail: `${hostProblem}; nothing was sent to it`, fix: LEVER_HOSTS_HELP });
    rows.push(...(await checkReachability({ ...options, connectionId })));
    return rows;
  }
  let api: LeverAccountApi;
  try {
    await registry.credentials(connectionId);
    api = await registry.accountApi(connectionId);
    if (connection.authKind === "oauth") await registry.accessToken(connectionId);
  } catch (error) {
    rows.push({ check: "credentials", status: "fail", detail: (error as Error).message });
    rows.push(...(await checkReachability({ ...options, connectionId })));
    return rows;
  }
  const oauth = connection.authKind === "oauth";
  const workflows = options.workflows ?? [];
  const users = new Map<string, string[]>();
  for (const n of FULCRUM_NEEDS) users.set(n.endpoint, ["fulcrum"]);
  for (const w of workflows) for (const e of workflowEndpoints(w)) users.set(e, [...(users.get(e) ?? []), w.id]);
  const endpoints = await checkEndpoints(api, oauth, (e) => users.get(e) ?? []);
  rows.push(...endpoints.rows);
  if (endpoints.credentialsOk) {
    rows.push(...checkWorkflows(workflows, endpoints.verdicts, oauth));
    // lever.form steps against the account's profile form templates: a missing field is named here, before a run fails on it.
    rows.push(...(await checkProfileForms(api, workflows)));
    if (oauth) rows.push(checkScopes(await registry.oauthSettings(connectionId), workflows));
    rows.push(await checkPerformAs(registry, connectionId, api));
    rows.push(...(await checkWebhooks(registry, connectionId, api, options.publicUrl)));
  }
  rows.push(...(await checkReachability({ ...options, connectionId })));
  return rows;
}

const SYMBOL: Record<DoctorStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };

/** Formats rows as a plain-text table: status, check, detail, fix. */
export function formatDoctorTable(rows: DoctorRow[]): string {
  const checkWidth = Math.max(5, ...rows.map((r) => r.check.length));
  const lines = [`   ${"check".padEnd(checkWidth)}  result`, `   ${"-".repeat(checkWidth)}  ${"-".repeat(40)}`];
  for (const r of rows) {
    lines.push(` ${SYMBOL[r.status]} ${r.check.padEnd(checkWidth)}  ${r.detail}`);
    if (r.fix && (r.status === "fail" || r.status === "warn" || r.status === "skip")) lines.push(`   ${" ".repeat(checkWidth)}  fix: ${r.fix}`);
  }
  const count = (s: DoctorStatus) => rows.filter((r) => r.status === s).length;
  lines.push("", `${count("ok")} ok, ${count("warn")} warnings, ${count("fail")} failed, ${count("skip")} skipped`);
  return lines.join("\n");
}

/** True when any row failed (the CLI then exits with 1). */
export function doctorFailed(rows: DoctorRow[]): boolean {
  return rows.some((r) => r.status === "fail");
}
