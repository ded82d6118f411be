/**
 * The generic signed HTTP call (HR systems, other tools): a JSON body signed with HMAC-SHA256 in
 * the `X-Fulcrum-Signature` header (`t=<unix seconds>,v1=<hex of HMAC(secret, t + "." + body)>`),
 * sent only to https URLs whose every resolved address is public (SSRF guard), with a deadline and
 * size limits. The receiver recomputes the HMAC and checks the time stamp.
 */
import { createHmac } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { checkOutboundUrl, describeUrl, isPublicAddress } from "../../notify/index.ts";

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
}

/** Builds the signature header value for a body. */
export function signBody(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** Sends the call; resolves to the status and the start of the reply, throws on non-2xx. */
export async function signedCall(rawUrl: string, payload: unknown, options: SignedCallOptions = {}): Promise<{ status: number; body: string }> {
  const url = checkOutboundUrl(rawUrl, { allowHosts: options.allowHosts });
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const allowed = options.allowHosts?.includes(host) ?? false;
  if (!allowed && !isIP(host)) {
    // Resolve first and refuse private targets; fetch then resolves again, so a DNS answer that
    // changes in between is the remaining gap (documented; keep allow-lists tight).
    const addresses = await lookup(host, { all: true });
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) {
      throw Object.assign(new Error(`${describeUrl(url)} resolves to a private or loopback address`), { retryable: false });
    }
  }
  const body = JSON.stringify(payload ?? {});
  const max = options.maxBodyBytes ?? 256 * 1024;
  if (Buffer.byteLength(body) > max) throw Object.assign(new Error(`request body is over ${max} bytes`), { retryable: false });
  const headers: Record<string, string> = { "user-agent": "Fulcrum", ...options.headers, "content-type": "application/json" };
  delete headers["x-fulcrum-signature"];
  if (options.secret) headers["x-fulcrum-signature"] = signBody(options.secret, body, Math.floor((options.now?.() ?? Date.now()) / 1000));
  const res = await fetch(url, { method: options.method ?? "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  const text = (await res.text()).slice(0, 16 * 1024);
  if (res.status < 200 || res.status >= 300) {
    throw Object.assign(new Error(`${describeUrl(url)} answered ${res.status}: ${text.slice(0, 200)}`), { retryable: res.status === 429 || res.status >= 500 });
  }
  return { status: res.status, body: text };
}
