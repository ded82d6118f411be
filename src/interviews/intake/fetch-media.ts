/**
 * Fetching a recording from a URL a webhook gave us, in a way that cannot be turned against us.
 * Webhook bodies are untrusted: a URL could point at the cloud metadata service, an internal admin
 * port, or a host that redirects there. Rules, checked on every hop (redirects are followed here,
 * one at a time, up to a limit):
 * - https only (http only for hosts named as insecure, for tests and local development);
 * - the host must be on the tool's allow-list;
 * - every address the host resolves to must be public, checked inside the socket's own DNS lookup
 *   so a DNS answer that changes between check and connect (rebinding) cannot slip through;
 * - a size cap (declared length and counted bytes) and time caps (whole fetch, and idle);
 * - the body streams to a temporary file, and its first bytes must be a supported media container
 *   (sniffed; the Content-Type header is not trusted).
 */
import { lookup as dnsLookup } from "node:dns";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { guardedLookup, isPublicAddress } from "../../notify/index.ts";
import { InterviewMediaError } from "../errors.ts";
import { SNIFF_BYTES, sniffMedia, type MediaKind } from "./sniff-media.ts";

/** Where a tool's media may come from and how much of it we take. */
export interface MediaFetchPolicy {
  /** Hosts this tool's media may come from: exact names, or `*.example.com` for any subdomain. */
  allowedHosts: readonly string[];
  /**
   * Hosts exempt from the https-only and public-address rules (they must still be allow-listed).
   * For tests and local development only, e.g. `["127.0.0.1"]`.
   */
  insecureHosts?: readonly string[] | undefined;
  /** Largest body accepted, in bytes (default 2 GiB). */
  maxBytes?: number | undefined;
  /** Whole fetch, all redirects included, in milliseconds (default 15 minutes). */
  timeoutMs?: number | undefined;
  /** Longest wait for the next bytes, in milliseconds (default 30 seconds). */
  idleTimeoutMs?: number | undefined;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number | undefined;
  /** DNS lookup (defaults to the system resolver); replaceable in tests. */
  lookup?: typeof dnsLookup | undefined;
}

/** A fetched recording on disk. Call `cleanup()` once it has been processed. */
export interface FetchedMedia {
  path: string;
  bytes: number;
  kind: MediaKind;
  mime: string;
  /** Scheme and host of the URL the bytes came from (paths of signed media URLs are secrets). */
  source: string;
  redirects: number;
  cleanup: () => Promise<void>;
}

export const DEFAULT_MAX_MEDIA_BYTES = 2 * 1024 ** 3;

/** A URL safe for logs and errors: scheme and host only (media URLs often carry signed tokens). */
export function describeMediaUrl(url: string | URL): string {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(unparseable URL)";
  }
}

function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => {
    const q = p.toLowerCase();
    return q.startsWith("*.") ? h.endsWith(q.slice(1)) && h.length > q.length - 1 : h === q;
  });
}

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Checks one hop's URL against the policy before any network use. */
export function checkMediaUrl(raw: string, policy: MediaFetchPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InterviewMediaError("blocked", "media URL is not a valid absolute URL");
  }
  const host = bareHost(url);
  const insecure = hostMatches(host, policy.insecureHosts ?? []);
  if (url.protocol !== "https:" && !(insecure && url.protocol === "http:")) {
    throw new InterviewMediaError("blocked", `media URL ${describeMediaUrl(url)} must use https`);
  }
  if (url.username || url.password) {
    throw new InterviewMediaError("blocked", `media URL ${describeMediaUrl(url)} must not carry a user name or password`);
  }
  if (!hostMatches(host, policy.allowedHosts)) {
    throw new InterviewMediaError("blocked", `media host ${host} is not on this tool's allow-list of media hosts`);
  }
  if (!insecure && isIP(host) && !isPublicAddress(host)) {
    throw new InterviewMediaError("blocked", `media URL ${describeMediaUrl(url)} points at a private, loopback or link-local address`);
  }
  return url;
}

/** A socket `lookup` that fails the connection when any resolved address is not public (the notify module's guard, with media's allow-list and error). */
function publicOnlyLookup(policy: MediaFetchPolicy): typeof dnsLookup {
  return guardedLookup(
    { lookup: policy.lookup },
    {
      isAllowed: (hostname) => hostMatches(hostname, policy.insecureHosts ?? []),
      refuse: (hostname) =>
        new InterviewMediaError(
          "blocked",
          `media host ${hostname} resolves to a private, loopback or link-local address; media may only come from public addresses`,
        ),
    },
  );
}

/**
 * Downloads a recording under `policy` into a new temporary folder (under `dir`, default the OS
 * temp folder). Throws `InterviewMediaError` with status `blocked`, `too-large`, `timeout`,
 * `not-media` or `fetch-failed`; nothing is left on disk when it throws.
 *
 * @example
 * const media = await fetchMedia(url, { allowedHosts: ["*.willotalent.com"] });
 * try { await extractAudio(media.path, out); } finally { await media.cleanup(); }
 */
export async function fetchMedia(rawUrl: string, policy: MediaFetchPolicy, options: { dir?: string } = {}): Promise<FetchedMedia> {
  const maxBytes = policy.maxBytes ?? DEFAULT_MAX_MEDIA_BYTES;
  const timeoutMs = policy.timeoutMs ?? 15 * 60_000;
  const idleTimeoutMs = policy.idleTimeoutMs ?? 30_000;
  const maxRedirects = policy.maxRedirects ?? 5;
  const lookup = publicOnlyLookup(policy);
  const folder = await mkdtemp(join(options.dir ?? tmpdir(), "fulcrum-media-"));
  const cleanup = () => rm(folder, { recursive: true, force: true });
  const path = join(folder, "media");
  const deadline = Date.now() + timeoutMs;
  try {
    let url = checkMediaUrl(rawUrl, policy);
    for (let redirects = 0; ; redirects += 1) {
      const result = await fetchOnce(url, { lookup, path, maxBytes, deadline, timeoutMs, idleTimeoutMs });
      if (result.redirect === undefined) {
        return { path, bytes: result.bytes, kind: result.kind, mime: result.mime, source: describeMediaUrl(url), redirects, cleanup };
      }
      if (redirects >= maxRedirects) {
        throw new InterviewMediaError("blocked", `media URL ${describeMediaUrl(rawUrl)} redirected more than ${maxRedirects} times`);
      }
      let next: string;
      try {
        next = new URL(result.redirect, url).href;
      } catch {
        throw new InterviewMediaError("fetch-failed", `media host ${url.host} sent an unreadable redirect`, { retriable: false });
      }
      url = checkMediaUrl(next, policy);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
}

interface HopOptions {
  lookup: typeof dnsLookup;
  path: string;
  maxBytes: number;
  deadline: number;
  timeoutMs: number;
  idleTimeoutMs: number;
}

type HopResult = { redirect: string } | { redirect?: undefined; bytes: number; kind: MediaKind; mime: string };

async function fetchOnce(url: URL, o: HopOptions): Promise<HopResult> {
  const remaining = o.deadline - Date.now();
  const timeoutError = () => new InterviewMediaError("timeout", `media download from ${describeMediaUrl(url)} took longer than ${o.timeoutMs} ms`);
  if (remaining <= 0) throw timeoutError();
  const client = url.protocol === "https:" ? https : http;
  const req = client.request(url, {
    method: "GET",
    lookup: o.lookup,
    agent: false,
    headers: { "user-agent": "fulcrum-media-fetch", accept: "audio/*, video/*, application/octet-stream;q=0.5" },
  });
  // Errors after the response has started reach us through the body stream; this keeps a late
  // socket error from becoming an uncaught exception.
  req.on("error", () => {});
  // The stream may surface a destroyed socket as a bare ECONNRESET; remember why we destroyed it.
  let failure: InterviewMediaError | undefined;
  let response: http.IncomingMessage | undefined;
  const fail = (error: InterviewMediaError) => {
    failure ??= error;
    response?.destroy(error);
    req.destroy(error);
  };
  const timer = setTimeout(() => fail(timeoutError()), remaining);
  req.setTimeout(o.idleTimeoutMs, () => fail(new InterviewMediaError("timeout", `media host ${url.host} sent nothing for ${o.idleTimeoutMs} ms`)));
  try {
    req.end();
    const [res] = (await once(req, "response")) as [http.IncomingMessage];
    response = res;
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      // Hang up rather than drain: the body of a redirect can be endless, and nothing reads it.
      const location = res.headers.location;
      res.destroy();
      req.destroy();
      if (!location) throw new InterviewMediaError("fetch-failed", `media host ${url.host} answered ${status} without a Location`, { retriable: false });
      return { redirect: location };
    }
    if (status < 200 || status >= 300) {
      res.destroy();
      throw new InterviewMediaError("fetch-failed", `media host ${url.host} answered HTTP ${status}`, { retriable: status >= 500 || status === 429 });
    }
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      res.destroy();
      throw new InterviewMediaError("too-large", `media from ${url.host} is ${declared} bytes, over the limit of ${o.maxBytes}`);
    }
    return await streamToFile(res, url, o);
  } catch (error) {
    req.destroy();
    if (failure) throw failure;
    if (error instanceof InterviewMediaError) throw error;
    const cause = error as NodeJS.ErrnoException;
    throw new InterviewMediaError("fetch-failed", `media download from ${describeMediaUrl(url)} failed: ${cause.code ?? cause.message}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

async function streamToFile(res: http.IncomingMessage, url: URL, o: HopOptions): Promise<HopResult> {
  const out = createWriteStream(o.path);
  let bytes = 0;
  let head: Buffer = Buffer.alloc(0);
  let sniffed: ReturnType<typeof sniffMedia> | undefined;
  const check = () => {
    sniffed = sniffMedia(head);
    if (!sniffed) {
      throw new InterviewMediaError(
        "not-media",
        `media from ${url.host} is not a supported audio or video file (the first bytes match no mp4, mov, m4a, webm, mkv, wav, mp3, ogg or flac; the server called it ${JSON.stringify(res.headers["content-type"] ?? "nothing")})`,
      );
    }
  };
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > o.maxBytes) {
        throw new InterviewMediaError("too-large", `media from ${url.host} went over the limit of ${o.maxBytes} bytes while downloading`);
      }
      if (sniffed === undefined) {
        head = Buffer.concat([head, chunk]).subarray(0, SNIFF_BYTES);
        if (head.length >= SNIFF_BYTES) check();
      }
      if (!out.write(chunk)) await once(out, "drain");
    }
    if (sniffed === undefined) check();
    out.end();
    await once(out, "finish");
    return { bytes, kind: sniffed!.kind, mime: sniffed!.mime };
  } catch (error) {
    res.destroy();
    out.destroy();
    throw error;
  }
}
