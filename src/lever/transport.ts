/**
 * One HTTP exchange with Lever, with everything every call needs: authentication (API key or OAuth
 * bearer), the shared rate limit, a per-request timeout, retries with exponential backoff and full
 * jitter on 429, 5xx and network errors (honouring `Retry-After` when present), none on other 4xx,
 * typed errors, and a `leverCalls` count per call. Bodies are never logged.
 */
import { LeverHostNotAllowedError } from "./api-hosts.ts";
import type { Logger } from "pino";
import { leverCalls, leverRateLimitWaitSeconds } from "../observability/index.ts";
import { LeverApiError, LeverNetworkError, LeverPermissionError, LeverRateLimitError } from "./errors.ts";
import { leverPermissionFor } from "./permissions.ts";
import { LEVER_RATE_LIMITED_PAUSE_MS, type RateLimiter } from "./ports.ts";

/** One decoder for every response (making one per call showed in profiles). */
const utf8 = new TextDecoder();
import { sleep } from "./sleep.ts";

export type LeverAuth =
  | { kind: "apiKey"; apiKey: string }
  | {
      kind: "oauth";
      /**
       * Returns a valid access token. Called before every request; called with
       * `{ forceRefresh: true }` once after a 401, so an expired token is replaced.
       */
      getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
    };

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];

export interface TransportOptions {
  baseUrl: string;
  auth: LeverAuth;
  connectionId: string;
  rateLimiter?: RateLimiter | undefined;
  fetch?: typeof fetch | undefined;
  /** Per attempt, including reading the body. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number | undefined;
  /** First backoff ceiling; doubles each retry (full jitter below it). Default 500 ms. */
  retryBaseMs?: number | undefined;
  /** Largest backoff. Default 30 s. */
  retryMaxMs?: number | undefined;
  /** Largest response body accepted (downloads included). Default 50 MB. */
  maxResponseBytes?: number | undefined;
  logger?: Logger | undefined;
}

export interface LeverRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The endpoint template, e.g. `GET /opportunities/:opportunity` (for errors, permissions, metrics). */
  endpoint: string;
  /** The real path below the base URL, ids already encoded. */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  json?: unknown;
  form?: FormData | undefined;
  signal?: AbortSignal | undefined;
  /** Return the body as bytes rather than parsed JSON (downloads). */
  binary?: boolean | undefined;
  /**
   * When false, an attempt whose outcome is unknown (5xx, timeout, lost connection after sending) is
   * not retried here: the error is thrown at once so the caller can check Lever's state first.
   * 429s and refused connections are always retried (nothing was applied). Default true.
   */
  retryUnknownOutcome?: boolean | undefined;
}

export interface LeverResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON (undefined for an empty body) or, for binary requests, the bytes. */
  body: unknown;
  bytes?: Uint8Array | undefined;
}

export interface Transport {
  readonly connectionId: string;
  request(req: LeverRequest): Promise<LeverResponse>;
}

/** True when a failed attempt may have been applied by Lever. */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof LeverNetworkError) return error.maybeSent;
  if (error instanceof LeverRateLimitError) return false;
  if (error instanceof LeverApiError) return error.status >= 500;
  return false;
}

/** Full-jitter exponential backoff: a random delay below min(max, base·2^attempt). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): URL {
  const url = new URL(baseUrl.replace(/\/+$/, "") + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    // Lever repeats a parameter for several values (`expand=stage&expand=owner`).
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
  }
  return url;
}

export function createTransport(options: TransportOptions): Transport {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 5;
  const baseMs = options.retryBaseMs ?? 500;
  const maxMs = options.retryMaxMs ?? 30_000;
  const maxBytes = options.maxResponseBytes ?? 50 * 1024 * 1024;
  const log = options.logger;

  async function authorization(forceRefresh: boolean): Promise<string> {
    if (options.auth.kind === "apiKey") {
      // HTTP Basic with the key as user name and an empty password.
      return `Basic ${Buffer.from(`${options.auth.apiKey}:`).toString("base64")}`;
    }
    return `Bearer ${await options.auth.getAccessToken(forceRefresh ? { forceRefresh } : undefined)}`;
  }

  async function attempt(req: LeverRequest, forceRefresh: boolean): Promise<LeverResponse> {
    const url = buildUrl(options.baseUrl, req.path, req.query);
    const headers: Record<string, string> = {
      authorization: await authorization(forceRefresh),
      accept: req.binary ? "*/*" : "application/json",
    };
    let body: string | FormData | undefined;
    if (req.form) body = req.form;
    else if (req.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.json);
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: req.method,
        headers,
        body: body ?? null,
        signal,
        // A redirected write would be replayed as a GET by fetch; refuse rather than guess.
        redirect: req.method === "GET" ? "follow" : "manual",
      });
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      // Refused before anything was sent: asking again would be refused again.
      if (error instanceof LeverHostNotAllowedError) throw error;
      leverCalls.inc({ method: req.method, status: "0" });
      throw networkError(req.endpoint, error, timeout.aborted);
    }
    leverCalls.inc({ method: req.method, status: String(response.status) });
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(response, maxBytes, req.endpoint);
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (error instanceof LeverApiError) throw error;
      throw networkError(req.endpoint, error, timeout.aborted);
    }
    if (response.status >= 200 && response.status < 300) {
      if (req.binary) return { status: response.status, headers: response.headers, body: undefined, bytes };
      const text = utf8.decode(bytes);
      let parsed: unknown;
      if (text.trim().length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          throw new LeverApiError({
            status: response.status,
            code: "InvalidJson",
            message: "the body is not JSON",
            endpoint: req.endpoint,
            retryable: false,
            cause: error,
          });
        }
      }
      return { status: response.status, headers: response.headers, body: parsed };
    }
    throw errorFor(req.endpoint, response, bytes);
  }

  return {
    connectionId: options.connectionId,
    async request(req) {
      let refreshed = false;
      for (let n = 0; ; n++) {
        if (options.rateLimiter) {
          const started = performance.now();
          await options.rateLimiter.take(options.connectionId, req.signal);
          const waited = (performance.now() - started) / 1000;
          if (waited > 0.001) leverRateLimitWaitSeconds.inc({ connection: options.connectionId }, waited);
        }
        try {
          const started = performance.now();
          const response = await attempt(req, refreshed);
          log?.debug({ endpoint: req.endpoint, status: response.status, attempt: n, ms: Math.round(performance.now() - started) }, "lever call");
          return response;
        } catch (error) {
          // An expired OAuth token: fetch a fresh one once, then try again straight away.
          if (error instanceof LeverApiError && error.status === 401 && options.auth.kind === "oauth" && !refreshed) {
            refreshed = true;
            n--;
            continue;
          }
          const retryable = error instanceof LeverApiError || error instanceof LeverNetworkError ? error.retryable : false;
          const mayRetry = retryable && n < maxRetries && (req.retryUnknownOutcome !== false || !outcomeUnknown(error));
          log?.debug(
            { endpoint: req.endpoint, attempt: n, error: (error as Error).name, status: (error as { status?: number }).status, retrying: mayRetry },
            "lever call failed",
          );
          if (!mayRetry) throw error;
          const retryAfter = error instanceof LeverApiError ? error.retryAfterMs : undefined;
          if (error instanceof LeverRateLimitError) {
            await options.rateLimiter?.backOff?.(options.connectionId, retryAfter ?? LEVER_RATE_LIMITED_PAUSE_MS);
          }
          await sleep(retryAfter ?? backoffDelay(n, baseMs, maxMs), req.signal);
        }
      }
    },
  };
}

function networkError(endpoint: string, error: unknown, timedOut: boolean): LeverNetworkError {
  // Only a refused connection proves the request never left: anything else may have reached Lever.
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  const refused = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
  return new LeverNetworkError({ endpoint, timedOut, maybeSent: !refused, cause: error });
}

async function readLimited(response: Response, maxBytes: number, endpoint: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new LeverApiError({
      status: response.status,
      code: "ResponseTooLarge",
      message: `${declared} bytes is over the ${maxBytes}-byte limit`,
      endpoint,
      retryable: false,
    });
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw new LeverApiError({ status: response.status, code: "ResponseTooLarge", message: `over the ${maxBytes}-byte limit`, endpoint, retryable: false });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function errorFor(endpoint: string, response: Response, bytes: Uint8Array): LeverApiError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(utf8.decode(bytes)) as Record<string, unknown>;
    if (typeof body.code === "string") code = body.code;
    if (typeof body.message === "string") message = body.message.slice(0, 500);
    else if (typeof body.error === "string") message = body.error.slice(0, 500);
  } catch {
    // Not JSON (a proxy's HTML error page): keep the status only.
  }
  const status = response.status;
  if (status === 403) {
    const p = leverPermissionFor(endpoint);
    return new LeverPermissionError({ code, message, endpoint, permission: p.permission, permissionConfirmed: p.confirmed, scope: p.scope });
  }
  if (status === 429) {
    return new LeverRateLimitError({ code, message, endpoint, retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) });
  }
  if (status >= 500) {
    return new LeverApiError({ status, code, message, endpoint, retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) });
  }
  return new LeverApiError({ status, code, message, endpoint, retryable: false });
}
