/**
 * Who may do what. The console and the REST API ask `permits` on the server for every request; the
 * page hides what a role may not do only as a courtesy.
 */
import { z } from "zod";

export const roleSchema = z.enum(["admin", "recruiter", "hiring_manager", "auditor"]);
/** admin: everything; recruiter: approve and reject; hiring_manager: proposals of their own postings; auditor: read-only audit and fairness. */
export type Role = z.infer<typeof roleSchema>;
export const ROLES: readonly Role[] = roleSchema.options;

/** The signed-in caller as the API sees it (the contract's `ctx.auth` shape). */
export interface Caller {
  userId: string;
  role: Role;
  /** Lever posting ids a hiring manager may see; undefined means every posting. */
  postingIds?: string[] | undefined;
  email?: string | undefined;
  name?: string | undefined;
}

/** What a request wants to do, in the terms of the permission table. */
export type Action =
  | "proposals:read"
  | "proposals:decide"
  | "runs:read"
  | "jobs:retry"
  | "workflows:read"
  | "workflows:write"
  | "prompts:read"
  | "prompts:write"
  | "rediscovery:run"
  | "rubrics:read"
  | "rubrics:write"
  | "audit:read"
  | "fairness:read"
  | "connections:read"
  | "connections:write"
  | "settings:write"
  | "users:manage"
  | "sandbox:simulate";

const PERMISSIONS: Record<Role, ReadonlySet<Action>> = {
  admin: new Set<Action>([
    "proposals:read",
    "proposals:decide",
    "runs:read",
    "jobs:retry",
    "workflows:read",
    "workflows:write",
    "prompts:read",
    "prompts:write",
    "rediscovery:run",
    "rubrics:read",
    "rubrics:write",
    "audit:read",
    "fairness:read",
    "connections:read",
    "connections:write",
    "settings:write",
    "users:manage",
    "sandbox:simulate",
  ]),
  recruiter: new Set<Action>([
    "proposals:read",
    "proposals:decide",
    "runs:read",
    "workflows:read",
    "prompts:read",
    "rediscovery:run",
    "rubrics:read",
    "rubrics:write",
    "sandbox:simulate",
  ]),
  // A hiring manager sees and decides only proposals of their own postings (checked per proposal).
  hiring_manager: new Set<Action>(["proposals:read", "proposals:decide"]),
  auditor: new Set<Action>(["audit:read", "fairness:read", "proposals:read", "runs:read", "workflows:read", "prompts:read", "rubrics:read"]),
};

/** True when the role allows the action (posting ownership is checked separately). */
export function permits(role: Role, action: Action): boolean {
  return PERMISSIONS[role].has(action);
}

/** True when the caller may see or act on something that belongs to `postingId`. */
export function coversPosting(caller: Caller, postingId: string | null | undefined): boolean {
  if (caller.role !== "hiring_manager") return true;
  return postingId != null && (caller.postingIds ?? []).includes(postingId);
}

/**
 * Maps a REST API request (method and path below `/api`) to the action it performs. Unknown
 * routes map to the strictest action so that a route added later is closed until listed here.
 */
export function actionForApiRequest(method: string, path: string): Action {
  const m = method.toUpperCase();
  const read = m === "GET" || m === "HEAD";
  const p = path.replace(/^\/api/, "").replace(/\/+$/, "") || "/";
  if (/^\/proposals(\/|$)/.test(p)) return read ? "proposals:read" : "proposals:decide";
  if (/^\/(events|runs)(\/|$)/.test(p)) return read ? "runs:read" : "jobs:retry";
  if (/^\/jobs(\/|$)/.test(p)) return read ? "runs:read" : "jobs:retry";
  if (/^\/workflows(\/|$)/.test(p)) return read ? "workflows:read" : "workflows:write";
  if (/^\/prompts(\/|$)/.test(p)) return read ? "prompts:read" : "prompts:write";
  if (/^\/audit(\/|$)/.test(p)) return "audit:read";
  if (/^\/postings\/[^/]+\/rubric(\/|$)/.test(p)) return read ? "rubrics:read" : "rubrics:write";
  if (/^\/rediscovery\/backfill(\/|$)/.test(p)) return read ? "connections:read" : "connections:write";
  if (/^\/rediscovery(\/|$)/.test(p)) return "rediscovery:run";
  if (/^\/fairness(\/|$)/.test(p)) return "fairness:read";
  if (/^\/connections(\/|$)/.test(p)) return read ? "connections:read" : "connections:write";
  if (/^\/settings(\/|$)/.test(p)) return read ? "connections:read" : "settings:write";
  return "users:manage";
}
