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
 * - the body streams to a temporary file, and its first bytes must be what was asked for (sniffed;
 *   the Content-Type header is not trusted): a supported media container for a recording, or the
 *   text of a WebVTT, SRT or JSON transcript for a transcript (`fetchTranscript`).
 */
import { lookup as dnsLookup } from "node:dns";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { guardedLookup, isPublicAddress } from "../../notify/index.ts";
import { InterviewMediaError } from "../errors.ts";
import { SNIFF_BYTES, sniffMedia, type MediaKind } from "./sniff-media.ts";
import { detectTranscriptFormat, MAX_TRANSCRIPT_BYTES, type TranscriptFormat } from "./transcript-files.ts";

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

/** A fetched transcript, read into memory (its temporary file is already gone). */
export interface FetchedTranscript {
  text: string;
  format: TranscriptFormat;
  bytes: number;
  /** Scheme and host of the URL the text came from. */
  source: string;
  redirects: number;
}

/** What a fetch is for: a recording, or a platform's transcript. */
type FetchKind = "media" | "transcript";

/** Bytes of a transcript's start that are sniffed (enough for a WebVTT header block or an SRT cue). */
const TRANSCRIPT_SNIFF_BYTES = 512;

interface KindRules {
  noun: string;
  accept: string;
  sniffBytes: number;
  maxBytes: number;
  timeoutMs: number;
  /** What the first bytes are, or null when they are not this kind. */
  sniff: (head: Buffer) => { kind: string; mime: string } | null;
  refusal: (host: string, contentType: string) => InterviewMediaError;
}

/** Text of one of the transcript formats: valid UTF-8, no NUL bytes, and a recognisable start. */
function sniffTranscript(head: Buffer): { kind: TranscriptFormat; mime: string } | null {
  if (head.includes(0)) return null;
  let text: string;
  try {
    // `stream: true` lets a multi-byte character cut at the end of the sniffed bytes pass.
    text = new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
  const format = detectTranscriptFormat(text);
  return format ? { kind: format, mime: format === "vtt" ? "text/vtt" : format === "srt" ? "application/x-subrip" : "application/json" } : null;
}

const kinds: Record<FetchKind, KindRules> = {
  media: {
    noun: "media",
    accept: "audio/*, video/*, application/octet-stream;q=0.5",
    sniffBytes: SNIFF_BYTES,
    maxBytes: DEFAULT_MAX_MEDIA_BYTES,
    timeoutMs: 15 * 60_000,
    sniff: sniffMedia,
    refusal: (host, type) =>
      new InterviewMediaError(
        "not-media",
        `media from ${host} is not a supported audio or video file (the first bytes match no mp4, mov, m4a, webm, mkv, wav, mp3, ogg or flac; the server called it ${type})`,
      ),
  },
  transcript: {
    noun: "transcript",
    accept: "text/vtt, application/x-subrip, application/json, text/plain;q=0.5",
    sniffBytes: TRANSCRIPT_SNIFF_BYTES,
    maxBytes: MAX_TRANSCRIPT_BYTES,
    timeoutMs: 2 * 60_000,
    sniff: sniffTranscript,
    refusal: (host, type) =>
      new InterviewMediaError(
        "transcript-invalid",
        `transcript from ${host} is not WebVTT, SRT or JSON segments in UTF-8 text (judged by its first bytes; the server called it ${type})`,
      ),
  },
};

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

/** Checks one hop's URL against the policy before any network use; `noun` names it in errors ("media", "transcript"). */
export function checkMediaUrl(raw: string, policy: MediaFetchPolicy, noun: string = "media"): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InterviewMediaError("blocked", `${noun} URL is not a valid absolute URL`);
  }
  const host = bareHost(url);
  const insecure = hostMatches(host, policy.insecureHosts ?? []);
  if (url.protocol !== "https:" && !(insecure && url.protocol === "http:")) {
    throw new InterviewMediaError("blocked", `${noun} URL ${describeMediaUrl(url)} must use https`);
  }
  if (url.username || url.password) {
    throw new InterviewMediaError("blocked", `${noun} URL ${describeMediaUrl(url)} must not carry a user name or password`);
  }
  if (!hostMatches(host, policy.allowedHosts)) {
    throw new InterviewMediaError("blocked", `${noun} host ${host} is not on this tool's allow-list of media hosts`);
  }
  if (!insecure && isIP(host) && !isPublicAddress(host)) {
    throw new InterviewMediaError("blocked", `${noun} URL ${describeMediaUrl(url)} points at a private, loopback or link-local address`);
  }
  return url;
}

/** A socket `lookup` that fails the connection when any resolved address is not public (the notify module's guard, with media's allow-list and error). */
function publicOnlyLookup(policy: MediaFetchPolicy, noun: string): typeof dnsLookup {
  return guardedLookup(
    { lookup: policy.lookup },
    {
      isAllowed: (hostname) => hostMatches(hostname, policy.insecureHosts ?? []),
      refuse: (hostname) =>
        new InterviewMediaError(
          "blocked",
          `${noun} host ${hostname} resolves to a private, loopback or link-local address; ${noun === "media" ? "media" : `a ${noun}`} may only come from public addresses`,
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
  const fetched = await fetchGuarded(rawUrl, policy, "media", options);
  return { ...fetched, kind: fetched.kind as MediaKind };
}

/**
 * Downloads a platform's transcript under the same rules as media (allow-list, https, public
 * addresses on every hop, size and time caps; by default 20 MB and 2 minutes), and checks by its
 * first bytes that it is WebVTT, SRT or JSON text — a Content-Type header is not believed. Throws
 * `InterviewMediaError` (`transcript-invalid` for anything else); nothing is left on disk.
 *
 * @example
 * const { text } = await fetchTranscript(url, { allowedHosts: ["*.willotalent.com"] });
 * const transcript = parseTranscriptFile(text);
 */
export async function fetchTranscript(rawUrl: string, policy: MediaFetchPolicy, options: { dir?: string } = {}): Promise<FetchedTranscript> {
  const fetched = await fetchGuarded(rawUrl, policy, "transcript", options);
  try {
    const text = (await readFile(fetched.path, "utf8")).replace(/^\uFEFF/, "");
    return { text, format: fetched.kind as TranscriptFormat, bytes: fetched.bytes, source: fetched.source, redirects: fetched.redirects };
  } finally {
    await fetched.cleanup();
  }
}

/** One fetch under `policy`, its body sniffed by the rules of `kind`, into a new temporary folder. */
async function fetchGuarded(
  rawUrl: string,
  policy: MediaFetchPolicy,
  kind: FetchKind,
  options: { dir?: string },
): Promise<Omit<FetchedMedia, "kind"> & { kind: string }> {
  const rules = kinds[kind];
  const noun = rules.noun;
  const maxBytes = policy.maxBytes ?? rules.maxBytes;
  const timeoutMs = policy.timeoutMs ?? rules.timeoutMs;
  const idleTimeoutMs = policy.idleTimeoutMs ?? 30_000;
  const maxRedirects = policy.maxRedirects ?? 5;
  const lookup = publicOnlyLookup(policy, noun);
  const folder = await mkdtemp(join(options.dir ?? tmpdir(), `fulcrum-${kind}-`));
  const cleanup = () => rm(folder, { recursive: true, force: true });
  const path = join(folder, kind);
  const deadline = Date.now() + timeoutMs;
  try {
    let url = checkMediaUrl(rawUrl, policy, noun);
    for (let redirects = 0; ; redirects += 1) {
      const result = await fetchOnce(url, { lookup, path, maxBytes, deadline, timeoutMs, idleTimeoutMs, rules });
      if (result.redirect === undefined) {
        return { path, bytes: result.bytes, kind: result.kind, mime: result.mime, source: describeMediaUrl(url), redirects, cleanup };
      }
      if (redirects >= maxRedirects) {
        throw new InterviewMediaError("blocked", `${noun} URL ${describeMediaUrl(rawUrl)} redirected more than ${maxRedirects} times`);
      }
      let next: string;
      try {
        next = new URL(result.redirect, url).href;
      } catch {
        throw new InterviewMediaError("fetch-failed", `${noun} host ${url.host} sent an unreadable redirect`, { retriable: false });
      }
      url = checkMediaUrl(next, policy, noun);
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
  rules: KindRules;
}

type HopResult = { redirect: string } | { redirect?: undefined; bytes: number; kind: string; mime: string };

async function fetchOnce(url: URL, o: HopOptions): Promise<HopResult> {
  const remaining = o.deadline - Date.now();
  const noun = o.rules.noun;
  const timeoutError = () => new InterviewMediaError("timeout", `${noun} download from ${describeMediaUrl(url)} took longer than ${o.timeoutMs} ms`);
  if (remaining <= 0) throw timeoutError();
  const client = url.protocol === "https:" ? https : http;
  const req = client.request(url, {
    method: "GET",
    lookup: o.lookup,
    agent: false,
    headers: { "user-agent": "fulcrum-media-fetch", accept: o.rules.accept },
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
  req.setTimeout(o.idleTimeoutMs, () => fail(new InterviewMediaError("timeout", `${noun} host ${url.host} sent nothing for ${o.idleTimeoutMs} ms`)));
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
      if (!location) throw new InterviewMediaError("fetch-failed", `${noun} host ${url.host} answered ${status} without a Location`, { retriable: false });
      return { redirect: location };
    }
    if (status < 200 || status >= 300) {
      res.destroy();
      throw new InterviewMediaError("fetch-failed", `${noun} host ${url.host} answered HTTP ${status}`, { retriable: status >= 500 || status === 429 });
    }
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      res.destroy();
      throw new InterviewMediaError("too-large", `${noun} from ${url.host} is ${declared} bytes, over the limit of ${o.maxBytes}`);
    }
    return await streamToFile(res, url, o);
  } catch (error) {
    req.destroy();
    if (failure) throw failure;
    if (error instanceof InterviewMediaError) throw error;
    const cause = error as NodeJS.ErrnoException;
    throw new InterviewMediaError("fetch-failed", `${noun} download from ${describeMediaUrl(url)} failed: ${cause.code ?? cause.message}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

async function streamToFile(res: http.IncomingMessage, url: URL, o: HopOptions): Promise<HopResult> {
  const out = createWriteStream(o.path);
  let bytes = 0;
  let head: Buffer = Buffer.alloc(0);
  let sniffed: { kind: string; mime: string } | null | undefined;
  const check = () => {
    sniffed = o.rules.sniff(head);
    if (!sniffed) throw o.rules.refusal(url.host, JSON.stringify(res.headers["content-type"] ?? "nothing"));
  };
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > o.maxBytes) {
        throw new InterviewMediaError("too-large", `${o.rules.noun} from ${url.host} went over the limit of ${o.maxBytes} bytes while downloading`);
      }
      if (sniffed === undefined) {
        head = Buffer.concat([head, chunk]).subarray(0, o.rules.sniffBytes);
        if (head.length >= o.rules.sniffBytes) check();
      }
      if (!out.write(chunk)) await once(out, "drain");
    }
    if (sniffed === undefined) check();
    out.end();
    await once(out, "finish");
    return { bytes, kind: sniffed!.kind, mime: sniffed!.mime };
  } catch (error) {
    res.destroy();
    // A write still in flight fails once the file is destroyed; we have already given up on it.
    out.on("error", () => {});
    out.destroy();
    throw error;
  }
}
