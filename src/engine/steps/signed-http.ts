/**
 * The generic signed HTTP call (HR systems, other tools): a JSON body signed with HMAC-SHA256 in
 * the `X-Fulcrum-Signature` header (`t=<unix seconds>,v1=<hex of HMAC(secret, t + "." + body)>`),
 * sent only to https URLs whose resolved addresses are all public (SSRF guard), with a deadline and
 * size limits. The address check runs inside the socket's own DNS lookup (`guardedLookup`, as for
 * Slack and Teams), so the address checked is the address connected to: a DNS answer that changes
 * between a check and the connection (rebinding) cannot reach an internal address. Redirects are
 * never followed (a redirect could lead anywhere). The receiver recomputes the HMAC and checks the
 * time stamp.
 */
import { createHmac } from "node:crypto";
import type { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { checkOutboundUrl, describeUrl, guardedLookup, OutboundBlockedError } from "../../notify/index.ts";

export interface SignedCallOptions {
  method?: "POST" | "PUT" | "PATCH";
  secret?: string | undefined;
  /** Hosts exempt from https-only and public-address rules (tests, local development). */
  allowHosts?: readonly string[] | undefined;
  timeoutMs?: number;
  maxBodyBytes?: number;
  now?: () => number;
  /** More request headers (e.g. an event id the receiver dedupes by); cannot replace the signature or content type. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** DNS lookup the socket uses (defaults to the system resolver); replaceable in tests. */
  lookup?: typeof dnsLookup | undefined;
}

/** Builds the signature header value for a body. */
export function signBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** An error the engine reads: `retryable` says whether trying again may help. */
function callError(message: string, retryable: boolean, cause?: unknown): Error & { retryable: boolean } {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { retryable });
}

/**
 * Sends the call; resolves to the status and the start of the reply, throws on non-2xx (a 3xx
 * included: redirects are not followed). Errors carry `retryable`.
 * @example await signedCall("https://hr.example.com/hires", { id: "o1" }, { secret: process.env.HR_SECRET })
 */
export async function signedCall(rawUrl: string, payload: unknown, options: SignedCallOptions = {}): Promise<{ status: number; body: string }> {
  let url: URL;
  try {
    url = checkOutboundUrl(rawUrl, { allowHosts: options.allowHosts });
  } catch (error) {
    throw callError((error as Error).message, false, error);
  }
  const body = JSON.stringify(payload ?? {});
  const max = options.maxBodyBytes ?? 256 * 1024;
  if (Buffer.byteLength(body) > max) throw callError(`request body is over ${max} bytes`, false);
  const headers: Record<string, string> = { "user-agent": "Fulcrum", ...options.headers, "content-type": "application/json" };
  delete headers["x-fulcrum-signature"];
  if (options.secret) headers["x-fulcrum-signature"] = signBody(options.secret, body, Math.floor((options.now?.() ?? Date.now()) / 1000));
  headers["content-length"] = String(Buffer.byteLength(body));
  // An early refusal with no socket opened and a clear message; the socket's own guarded lookup
  // below is the check that counts, since a second answer may differ from this one.
  const check = guardedLookup({ allowHosts: options.allowHosts, lookup: options.lookup });
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 0) {
    await new Promise<void>((resolve, reject) =>
      check(host, { all: true }, (error) =>
        error
          ? reject(callError(`${describeUrl(url)}: ${error.message}`, !(error instanceof OutboundBlockedError || error.code === "EBLOCKED"), error))
          : resolve(),
      ),
    );
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const where = describeUrl(url);
  const maxReply = 16 * 1024;
  const transport = url.protocol === "https:" ? https : http;

  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: options.method ?? "POST",
        headers,
        // IP literals never reach a lookup; checkOutboundUrl has already judged those.
        lookup: check,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < maxReply) chunks.push(chunk.subarray(0, maxReply - size));
          size += chunk.length;
          if (size > maxReply * 4) res.destroy();
        });
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          if (status >= 200 && status < 300) return resolve({ status, body: text });
          const hint = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
          reject(callError(`${where} answered ${status}${hint}: ${text.slice(0, 200)}`, status === 429 || status >= 500));
        };
        res.on("end", finish);
        res.on("close", () => {
          if (!res.complete) finish();
        });
        res.on("error", () => {});
      },
    );
    req.on("error", (error: Error & { code?: string }) => {
      if (error instanceof OutboundBlockedError || error.code === "EBLOCKED") return reject(callError(`${where}: ${error.message}`, false, error));
      if (error.name === "AbortError" || error.name === "TimeoutError") return reject(callError(`${where} did not answer within ${timeoutMs} ms`, true, error));
      reject(callError(`could not reach ${where}: ${error.code ?? error.message}`, true, error));
    });
    req.end(body);
  });
}
