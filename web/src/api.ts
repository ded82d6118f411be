/**
 * The console's HTTP client: same-origin fetches with the session cookie, the CSRF token on every
 * state-changing request, and errors carrying the server's code and message.
 */
import type { ApiErrorBody, ConsoleUser } from "../../src/contract/console-api.ts";

export type { Role, Status } from "../../src/contract/console-api.ts";

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  /** The server's machine-readable reason (`not_found`, `bad_body`, `four_eyes`…); `http_<status>` when the answer was not JSON. */
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

function csrfFromCookie(): string | undefined {
  const match = /(?:^|;\s*)fulcrum_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

let onUnauthorized: (() => void) | undefined;
export function whenSignedOut(fn: () => void): void {
  onUnauthorized = fn;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") {
    const token = csrfToken ?? csrfFromCookie();
    if (token) headers["x-csrf-token"] = token;
  }
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith("/login")) onUnauthorized?.();
    // Every refusal is `{ error: { code, message } }`; a proxy's HTML page or an empty body is not.
    const error = (data as Partial<ApiErrorBody> | undefined)?.error;
    if (typeof error?.message === "string") throw new ApiError(res.status, error.code, error.message);
    throw new ApiError(res.status, `http_${res.status}`, `${res.status} ${res.statusText}`);
  }
  return data as T;
}

let sandbox = false;
export function setSandbox(on: boolean): void {
  sandbox = on;
}
/** True when Fulcrum runs against its built-in Lever sandbox. */
export function onSandbox(): boolean {
  return sandbox;
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => api<T>("POST", path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>("PATCH", path, body);
export const put = <T>(path: string, body: unknown) => api<T>("PUT", path, body);

/** A console account as the pages see it. */
export type User = ConsoleUser;

/** The capabilities a role has in the page; the server checks them again on every request. */
export function can(user: User, what: "decide" | "admin" | "audit" | "runs" | "workflows"): boolean {
  switch (what) {
    case "decide":
      return user.role === "admin" || user.role === "recruiter" || user.role === "hiring_manager";
    case "admin":
      return user.role === "admin";
    case "audit":
      return user.role === "admin" || user.role === "auditor";
    case "runs":
    case "workflows":
      return user.role !== "hiring_manager";
  }
}
