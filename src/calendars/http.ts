/**
 * JSON over HTTP for the Google and Graph providers: deadlines, bounded retries of 429 and 5xx with
 * the provider's Retry-After (or exponential backoff with jitter), one token refresh on 401, and
 * bodies never echoed into errors beyond the provider's own error code and message.
 */
import { setTimeout as delay } from "node:timers/promises";
import { CalendarError } from "./errors.ts";

export interface HttpSettings {
  /** Attempts per request, the first included (default 4). */
  maxAttempts?: number | undefined;
  /** First backoff step (default 500 ms), doubled each retry, with jitter. */
  baseDelayMs?: number | undefined;
  /** A Retry-After longer than this is not slept through: the error carries it instead (default 30 s). */
  maxDelayMs?: number | undefined;
  /** Deadline of one attempt (default 30 s). */
  timeoutMs?: number | undefined;
}

export interface JsonResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface JsonRequest {
  provider: string;
  connectionId: string;
  /** `POST /freeBusy`: how errors name the call. */
  endpoint: string;
  url: string;
  method?: string | undefined;
  headers?: Record<string, string> | undefined;
  /** JSON-encoded unless a string or URLSearchParams. */
  body?: unknown;
  /**
   * A rate limit the provider answers with another status than 429 (Google's 403
   * rateLimitExceeded / userRateLimitExceeded): retried and reported like a 429.
   */
  rateLimited?: ((status: number, body: unknown) => boolean) | undefined;
  /** Gives the bearer token; `refresh` is true after a 401, to get a new one once. */
  token?: ((refresh: boolean) => Promise<string>) | undefined;
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date), if it holds one. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Sends a request and returns the final answer — 2xx or an error status that retrying did not fix
 * (the caller maps it to a CalendarError). Throws CalendarError only when the server could not be
 * reached, or kept answering 429/5xx.
 */
export async function requestJson(req: JsonRequest, settings: HttpSettings = {}): Promise<JsonResponse> {
  const maxAttempts = settings.maxAttempts ?? 4;
  const base = settings.baseDelayMs ?? 500;
  const maxDelay = settings.maxDelayMs ?? 30_000;
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    const headers: Record<string, string> = { accept: "application/json", ...req.headers };
    if (req.token) headers.authorization = `Bearer ${await req.token(false)}`;
    let body: string | URLSearchParams | undefined;
    if (req.body instanceof URLSearchParams || typeof req.body === "string") body = req.body;
    else if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["content-type"] = "application/json";
    }
    let res: Response;
    try {
      res = await fetch(req.url, { method: req.method ?? "GET", headers, body, redirect: "error", signal: AbortSignal.timeout(settings.timeoutMs ?? 30_000) });
    } catch (error) {
      const reason =
        (error as Error).name === "TimeoutError"
          ? `no answer within ${settings.timeoutMs ?? 30_000} ms`
          : `could not be reached (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message})`;
      if (attempt < maxAttempts) {
        await delay(backoff(base, attempt));
        continue;
      }
      throw new CalendarError({
        kind: "unavailable",
        provider: req.provider,
        connectionId: req.connectionId,
        endpoint: req.endpoint,
        message: `${reason} after ${attempt} attempt${attempt === 1 ? "" : "s"}`,
        cause: error,
      });
    }
    const text = await res.text();
    let parsed: unknown = text;
    if (text && (res.headers.get("content-type") ?? "").includes("json")) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (res.status === 401 && req.token && !refreshed) {
      // An access token can expire between being cached and being used: one fresh one, then give up.
      refreshed = true;
      await req.token(true);
      attempt--;
      continue;
    }
    const limited = res.status === 429 || (req.rateLimited?.(res.status, parsed) ?? false);
    if (limited || res.status >= 500) {
      const wait = retryAfterMs(res.headers.get("retry-after"));
      if (attempt < maxAttempts && (wait === undefined || wait <= maxDelay)) {
        await delay(wait ?? backoff(base, attempt));
        continue;
      }
      const { code, message } = providerError(parsed);
      throw new CalendarError({
        kind: limited ? "rate-limited" : "unavailable",
        provider: req.provider,
        connectionId: req.connectionId,
        endpoint: req.endpoint,
        status: res.status,
        code,
        message: `answered ${res.status}${message ? ` (${message})` : ""} after ${attempt} attempt${attempt === 1 ? "" : "s"}${wait !== undefined ? `; asked to wait ${Math.ceil(wait / 1000)} s` : ""}`,
        retryAfterMs: wait,
      });
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

function backoff(base: number, attempt: number): number {
  const step = base * 2 ** (attempt - 1);
  return Math.round(step / 2 + Math.random() * (step / 2));
}

/** The provider's error code and message from Google's, Graph's or OAuth's error body shapes. */
export function providerError(body: unknown): { code?: string | undefined; message?: string | undefined } {
  if (!body || typeof body !== "object") return {};
  const b = body as Record<string, unknown>;
  if (typeof b.error === "string")
    return { code: b.error, message: typeof b.error_description === "string" ? b.error_description.split(/\r?\n/)[0] : undefined };
  const e = b.error as Record<string, unknown> | undefined;
  if (e && typeof e === "object") {
    const reason = Array.isArray(e.errors) ? (e.errors[0] as { reason?: string } | undefined)?.reason : undefined;
    const code = typeof e.code === "string" ? e.code : (reason ?? (typeof e.status === "string" ? e.status : undefined));
    return { code, message: typeof e.message === "string" ? e.message : undefined };
  }
  return {};
}
