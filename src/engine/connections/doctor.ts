/**
 * `fulcrum doctor`: checks one connection end to end and says what to fix. Credentials; every
 * endpoint Fulcrum uses (a cheap GET each, and each write probed against an opportunity that does
 * not exist, so nothing is written), with a 403 turned into the name of the API-key permission to
 * add as Lever's settings page words it; the perform-as user; webhook subscriptions and tokens; and
 * whether Lever can reach this server at FULCRUM_PUBLIC_URL.
 */
import { lookup } from "node:dns/promises";
import { leverEventNames } from "../../config/index.ts";
import { leverPermissionFor } from "../../lever/permissions.ts";
import { LEVER_HOSTS_HELP } from "../../lever/api-hosts.ts";
import { isPublicAddress } from "../../notify/index.ts";
import type { LeverAccountApi, ProbeResult } from "./ports.ts";
import { ConnectionError, type ConnectionRegistry } from "./registry.ts";
import { webhookUrlFor } from "./webhook-install.ts";

export type DoctorStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorRow {
  /** What was checked, e.g. `GET /stages` or `perform-as user`. */
  check: string;
  status: DoctorStatus;
  detail: string;
  /** What to do about a warn or fail. */
  fix?: string | undefined;
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
}

/** An opportunity id no account holds: write probes hit it so that nothing is ever written. */
const ABSENT_OPPORTUNITY = "00000000-0000-4000-8000-00000000d0c7";

interface EndpointCheck {
  endpoint: string;
  method: "GET" | "POST" | "PUT";
  path: (ids: { opportunity?: string; contact?: string; posting?: string }) => string | undefined;
  body?: unknown;
  write?: boolean;
}

const READS: EndpointCheck[] = [
  { endpoint: "GET /opportunities/:opportunity", method: "GET", path: (i) => i.opportunity && `/opportunities/${i.opportunity}` },
  { endpoint: "GET /opportunities/:opportunity/notes", method: "GET", path: (i) => i.opportunity && `/opportunities/${i.opportunity}/notes?limit=1` },
  { endpoint: "GET /opportunities/:opportunity/feedback", method: "GET", path: (i) => i.opportunity && `/opportunities/${i.opportunity}/feedback?limit=1` },
  { endpoint: "GET /opportunities/:opportunity/interviews", method: "GET", path: (i) => i.opportunity && `/opportunities/${i.opportunity}/interviews?limit=1` },
  { endpoint: "GET /opportunities/:opportunity/panels", method: "GET", path: (i) => i.opportunity && `/opportunities/${i.opportunity}/panels?limit=1` },
  { endpoint: "GET /opportunities/:opportunity/resumes", method: "GET", path: (i) => i.opportunity && `/opportunities/${i.opportunity}/resumes?limit=1` },
  { endpoint: "GET /opportunities/:opportunity/files", method: "GET", path: (i) => i.opportunity && `/opportunities/${i.opportunity}/files?limit=1` },
  { endpoint: "GET /contacts/:contact", method: "GET", path: (i) => i.contact && `/contacts/${i.contact}` },
  { endpoint: "GET /postings/:posting", method: "GET", path: (i) => i.posting && `/postings/${i.posting}` },
  { endpoint: "GET /stages", method: "GET", path: () => "/stages" },
  { endpoint: "GET /archive_reasons", method: "GET", path: () => "/archive_reasons" },
  { endpoint: "GET /users", method: "GET", path: () => "/users?limit=1" },
  { endpoint: "GET /feedback_templates", method: "GET", path: () => "/feedback_templates?limit=1" },
  { endpoint: "GET /tags", method: "GET", path: () => "/tags?limit=1" },
  { endpoint: "GET /sources", method: "GET", path: () => "/sources?limit=1" },
  { endpoint: "GET /webhooks", method: "GET", path: () => "/webhooks" },
];

const absent = () => `/opportunities/${ABSENT_OPPORTUNITY}`;
const WRITES: EndpointCheck[] = [
  { endpoint: "POST /opportunities/:opportunity/notes", method: "POST", path: () => `${absent()}/notes`, body: { value: "" }, write: true },
  { endpoint: "PUT /opportunities/:opportunity/stage", method: "PUT", path: () => `${absent()}/stage`, body: {}, write: true },
  { endpoint: "PUT /opportunities/:opportunity/archived", method: "PUT", path: () => `${absent()}/archived`, body: {}, write: true },
  { endpoint: "POST /opportunities/:opportunity/addTags", method: "POST", path: () => `${absent()}/addTags`, body: { tags: [] }, write: true },
  { endpoint: "POST /opportunities/:opportunity/removeTags", method: "POST", path: () => `${absent()}/removeTags`, body: { tags: [] }, write: true },
  { endpoint: "POST /opportunities/:opportunity/addLinks", method: "POST", path: () => `${absent()}/addLinks`, body: { links: [] }, write: true },
  { endpoint: "POST /opportunities/:opportunity/panels", method: "POST", path: () => `${absent()}/panels`, body: {}, write: true },
];

function permissionFix(endpoint: string, oauth: boolean): string {
  const p = leverPermissionFor(endpoint);
  const wording = p.confirmed ? "" : " (wording inferred from Lever's pattern)";
  return oauth
    ? `Reconnect with the OAuth scope ${p.scope}`
    : `Add the API-key permission "${p.permission}"${wording} in Lever: Settings → Integrations and API → API Credentials (permissions cannot be edited on an existing key: create a new key with it)`;
}

/** Turns one probe answer into a row. */
function judge(check: EndpointCheck, result: ProbeResult, oauth: boolean): DoctorRow {
  const lever = [result.code, result.message].filter(Boolean).join(": ");
  const { status } = result;
  if (status === 403) return { check: check.endpoint, status: "fail", detail: `403 Forbidden${lever ? ` (${lever})` : ""}`, fix: permissionFix(check.endpoint, oauth) };
  if (status === 401) return { check: check.endpoint, status: "fail", detail: "401: credentials refused", fix: "Check the API key or reconnect OAuth" };
  if (status === 429 || status >= 500) return { check: check.endpoint, status: "warn", detail: `Lever answered ${status}; the permission could not be checked`, fix: "Run fulcrum doctor again in a minute" };
  if (check.write) {
    // The probed opportunity does not exist: 400/404/422 mean Lever let us past the permission check.
    if (status < 300 || status === 400 || status === 404 || status === 422) {
      return { check: check.endpoint, status: "ok", detail: `permitted (probed on a non-existent opportunity: ${status}; nothing written)` };
    }
    return { check: check.endpoint, status: "warn", detail: `unexpected ${status}${lever ? ` (${lever})` : ""}` };
  }
  if (status >= 200 && status < 300) return { check: check.endpoint, status: "ok", detail: `answered ${status}` };
  return { check: check.endpoint, status: "fail", detail: `answered ${status}${lever ? ` (${lever})` : ""}`, fix: status === 404 ? "Check the connection's base URL (environment)" : undefined };
}

function firstItem(body: unknown): Record<string, unknown> | undefined {
  const data = (body as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) && data[0] && typeof data[0] === "object" ? (data[0] as Record<string, unknown>) : undefined;
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

async function checkEndpoints(api: LeverAccountApi, oauth: boolean): Promise<{ rows: DoctorRow[]; credentialsOk: boolean }> {
  const rows: DoctorRow[] = [];
  const list: EndpointCheck = { endpoint: "GET /opportunities", method: "GET", path: () => "/opportunities?limit=1" };
  const first = await probe(api, list, "/opportunities?limit=1");
  if (first instanceof Error) {
    return { rows: [{ check: "credentials", status: "fail", detail: `Lever could not be reached: ${first.message}`, fix: "Check the base URL and this machine's network access to Lever" }], credentialsOk: false };
  }
  if (first.status === 401) {
    return { rows: [{ check: "credentials", status: "fail", detail: "Lever refused the credentials (401)", fix: oauth ? "Connect again at /oauth/lever/start?connection=<id>" : "Replace the API key: fulcrum connections add <id> --api-key … --replace" }], credentialsOk: false };
  }
  rows.push({ check: "credentials", status: "ok", detail: "accepted by Lever" });
  rows.push(judge(list, first, oauth));
  const opportunity = firstItem(first.body);
  const ids: { opportunity?: string; contact?: string; posting?: string } = {};
  if (opportunity) {
    ids.opportunity = idOf(opportunity.id);
    ids.contact = idOf(opportunity.contact);
  }
  const postingsCheck: EndpointCheck = { endpoint: "GET /postings", method: "GET", path: () => "/postings?limit=1" };
  const postings = await probe(api, postingsCheck, "/postings?limit=1");
  rows.push(postings instanceof Error ? { check: postingsCheck.endpoint, status: "fail", detail: postings.message } : judge(postingsCheck, postings, oauth));
  if (!(postings instanceof Error)) {
    const posting = idOf(firstItem(postings.body)?.id);
    if (posting) ids.posting = posting;
  }
  for (const check of [...READS, ...WRITES]) {
    const path = check.path(ids);
    if (!path) {
      rows.push({ check: check.endpoint, status: "skip", detail: "nothing to try it on (the account has no opportunity or posting visible to this key)" });
      continue;
    }
    const result = await probe(api, check, path);
    rows.push(result instanceof Error ? { check: check.endpoint, status: "fail", detail: result.message } : judge(check, result, oauth));
  }
  return { rows, credentialsOk: true };
}

const GOOD_ROLES = new Set(["super admin", "admin", "team member"]);

async function checkPerformAs<C>(registry: ConnectionRegistry<C>, id: string, api: LeverAccountApi): Promise<DoctorRow> {
  const check = "perform-as user";
  const connection = (await registry.get(id))!;
  if (!connection.performAsEmail && !connection.performAsFallback) {
    return { check, status: "warn", detail: "none set: writes that need perform_as (panels, interviews, new opportunities) will fail", fix: "Set LEVER_PERFORM_AS (or performAs) to an active Lever user's e-mail" };
  }
  try {
    const resolved = (await registry.resolvePerformAs(id, { force: true }))!;
    const user = await api.getUser(resolved.userId);
    const role = (user?.accessRole ?? "unknown").toLowerCase();
    const who = `${resolved.via === "primary" ? connection.performAsEmail : connection.performAsFallback} → ${resolved.userId}, active, role ${role}`;
    if (resolved.via === "fallback") {
      return { check, status: "warn", detail: `${connection.performAsEmail} is missing or deactivated; using the fallback ${who}`, fix: "Point LEVER_PERFORM_AS at an active user" };
    }
    if (!GOOD_ROLES.has(role)) {
      return { check, status: "warn", detail: `${who}: this role may not be allowed to make every write`, fix: "Use a Super Admin, Admin or Team Member as the perform-as user" };
    }
    return { check, status: "ok", detail: who };
  } catch (error) {
    const fix = error instanceof ConnectionError ? "Set LEVER_PERFORM_AS to an active Lever user's e-mail (and LEVER_PERFORM_AS_FALLBACK to a second one)" : undefined;
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
      : { check: "webhook events", status: "warn", detail: `no subscription or token for: ${missing.join(", ")}`, fix: `${install} (or paste each event's token from Lever's webhook settings)` },
  );
  if (tokenless.length > 0) {
    rows.push({ check: "webhook tokens", status: "fail", detail: `${tokenless.length} subscription(s) to this connection have no stored signature token: their deliveries will be refused (${tokenless.map((w) => w.event).join(", ")})`, fix: `${install} (recreates them and stores the tokens)` });
  }
  return rows;
}

async function checkReachability(options: DoctorOptions): Promise<DoctorRow[]> {
  const check = "public URL";
  if (!options.publicUrl) {
    return [{ check, status: "skip", detail: "FULCRUM_PUBLIC_URL is not set, so Lever's reach to this server was not checked", fix: "Set FULCRUM_PUBLIC_URL to the https URL at which Lever reaches this server" }];
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
    return [{ check, status: "fail", detail: `${url.origin} is not https: Lever delivers webhooks over https only, with a certificate from a public CA`, fix: "Put Fulcrum behind an https proxy and set FULCRUM_PUBLIC_URL to its https URL" }];
  }
  try {
    const addresses = await lookup(host, { all: true });
    const privateOnes = addresses.filter((a) => !isPublicAddress(a.address));
    if (privateOnes.length > 0 && !allowed) {
      return [{ check, status: "fail", detail: `${host} resolves to a private address (${privateOnes.map((a) => a.address).join(", ")}); Lever cannot reach it`, fix: "Publish Fulcrum on a public address (a reverse proxy or tunnel) and use that host name" }];
    }
    rows.push({ check: `${check} DNS`, status: "ok", detail: `${host} → ${addresses.map((a) => a.address).join(", ")}` });
  } catch (error) {
    return [{ check, status: "fail", detail: `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, fix: "Create the DNS record, or correct FULCRUM_PUBLIC_URL" }];
  }
  const health = new URL("healthz", url.href.endsWith("/") ? url.href : `${url.href}/`);
  try {
    const res = await fetch(health, { redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    await res.body?.cancel();
    rows.push(
      res.status === 200
        ? { check: `${check} /healthz`, status: "ok", detail: `${health.origin}/healthz answered 200 through the public URL` }
        : { check: `${check} /healthz`, status: "fail", detail: `${health.origin}/healthz answered ${res.status}`, fix: "Check that the proxy forwards to this Fulcrum server" },
    );
  } catch (error) {
    rows.push({ check: `${check} /healthz`, status: "fail", detail: `${health.origin}/healthz did not answer: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, fix: "Check the proxy, firewall and that `fulcrum serve` is running" });
    return rows;
  }
  if (options.connectionId) {
    // An unsigned, empty delivery: the intake must refuse it (400/401) and store nothing. A 404
    // means the server behind the public URL does not know this connection (another database?).
    const hook = new URL(webhookUrlFor(url.href, options.connectionId));
    const name = `${check} webhook route`;
    try {
      const res = await fetch(hook, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
      await res.body?.cancel();
      if (res.status === 400 || res.status === 401) rows.push({ check: name, status: "ok", detail: `${hook.pathname} answers (an unsigned test was refused with ${res.status}, as it should be)` });
      else if (res.status === 404) rows.push({ check: name, status: "fail", detail: `${hook.pathname} answered 404: the server behind the public URL does not know connection "${options.connectionId}"`, fix: "Point FULCRUM_PUBLIC_URL at the server that shares this database" });
      else rows.push({ check: name, status: "warn", detail: `${hook.pathname} answered ${res.status} to an unsigned test delivery`, fix: res.status >= 300 && res.status < 400 ? "Lever does not follow redirects: use the final URL" : undefined });
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
  if (!connection) return [{ check: "connection", status: "fail", detail: `no connection "${connectionId}"`, fix: "See `fulcrum connections list`, or add one with `fulcrum connections add`" }];
  const rows: DoctorRow[] = [{ check: "connection", status: "ok", detail: `${connection.id} (${connection.environment}, ${connection.baseUrl}, ${connection.authKind === "api_key" ? "API key" : "OAuth"})` }];
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
  const endpoints = await checkEndpoints(api, connection.authKind === "oauth");
  rows.push(...endpoints.rows);
  if (endpoints.credentialsOk) {
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
