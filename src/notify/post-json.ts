/**
 * One guarded JSON POST: SSRF rules from `outbound-guard.ts`, a deadline for the whole exchange,
 * a cap on the request and on how much of the reply is read, no redirects followed (a redirect
 * could lead to an internal address), and errors that never contain the URL's secret path.
 */
import http from "node:http";
import https from "node:https";
import { checkOutboundUrl, describeUrl, guardedLookup, OutboundBlockedError, type OutboundPolicy } from "./outbound-guard.ts";

/** A notification that could not be delivered; `retryable` says whether trying again may help. */
export class NotifyError extends Error {
  override readonly name = "NotifyError";
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(message: string, options: { status?: number | undefined; retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable;
  }
}

export interface PostOptions extends OutboundPolicy {
  /** Deadline for connect + send + reply, in milliseconds (default 10 s). */
  timeoutMs?: number | undefined;
  /** Largest request body allowed, in bytes (default 256 KiB). */
  maxRequestBytes?: number | undefined;
  /** Most reply bytes read (default 16 KiB); the rest is discarded. */
  maxResponseBytes?: number | undefined;
}

export interface PostResult {
  status: number;
  /** The start of the reply body (at most maxResponseBytes). */
  body: string;
}

/** POSTs `payload` as JSON to `rawUrl` under the SSRF guard. Throws NotifyError unless 2xx. */
export async function postJson(rawUrl: string, payload: unknown, options: PostOptions = {}): Promise<PostResult> {
  let url: URL;
  try {
    url = checkOutboundUrl(rawUrl, options);
  } catch (error) {
    throw new NotifyError((error as Error).message, { retryable: false, cause: error });
  }
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  const maxRequest = options.maxRequestBytes ?? 256 * 1024;
  if (body.length > maxRequest) {
    throw new NotifyError(`message is ${body.length} bytes, over the ${maxRequest}-byte limit`, { retryable: false });
  }
  const maxResponse = options.maxResponseBytes ?? 16 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const where = describeUrl(url);
  const transport = url.protocol === "https:" ? https : http;

  return new Promise<PostResult>((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "content-length": body.length, "user-agent": "Fulcrum" },
        lookup: guardedLookup(options),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < maxResponse) chunks.push(chunk.subarray(0, maxResponse - size));
          size += chunk.length;
          // Stop reading a reply that will not end; we already have what we need.
          if (size > maxResponse * 4) res.destroy();
        });
        const finish = () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          if (status >= 200 && status < 300) return resolve({ status, body: text });
          const retryable = status === 429 || status >= 500;
          const hint = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
          reject(new NotifyError(`${where} answered ${status}${hint}: ${text.slice(0, 200)}`, { status, retryable }));
        };
        res.on("end", finish);
        res.on("close", () => {
          if (!res.complete) finish();
        });
        res.on("error", () => {});
      },
    );
    req.on("error", (error: Error & { code?: string }) => {
      if (error instanceof OutboundBlockedError || error.code === "EBLOCKED") {
        return reject(new NotifyError(error.message, { retryable: false, cause: error }));
      }
      if (error.name === "AbortError" || error.name === "TimeoutError") {
        return reject(new NotifyError(`${where} did not answer within ${timeoutMs} ms`, { retryable: true, cause: error }));
      }
      reject(new NotifyError(`could not reach ${where}: ${error.code ?? error.message}`, { retryable: true, cause: error }));
    });
    req.end(body);
  });
}
