/**
 * Checks a tool's webhook signature by the scheme its config names (`tools.<id>.signature`), or by
 * Fulcrum's own when it names none. Pure: the caller passes the headers, the raw body bytes, the
 * tool's secrets and the time. The HMAC is over the bytes as they arrived, never over a decoding of
 * them, so a byte-order mark or an invalid UTF-8 sequence cannot make a valid signature fail.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ToolSignature } from "../../config/index.ts";

export type SignatureVerdict = { ok: true } | { ok: false; code: "signature_invalid" | "signature_stale"; message: string };

export interface VerifyToolSignatureInput {
  /** The tool's scheme; undefined: Fulcrum's own `X-Fulcrum-Signature`. */
  scheme: ToolSignature | undefined;
  /** A request header by name (case-insensitive), undefined when absent. */
  header: (name: string) => string | undefined;
  body: Uint8Array;
  /** The tool's secrets, the current one first (several during a rotation). */
  secrets: string[];
  nowSeconds: number;
  /** The default max age of a signed time stamp (webhook.replayWindowSeconds). */
  replayWindowSeconds: number;
}

const FULCRUM_HEADER = "X-Fulcrum-Signature";
const digestBytes = { sha1: 20, sha256: 32, sha512: 64 } as const;

/**
 * @example
 * verifyToolSignature({
 *   scheme: { header: "X-Hub-Signature-256", algorithm: "sha256", encoding: "hex", prefix: "sha256=", signs: "body" },
 *   header: (name) => request.headers.get(name) ?? undefined,
 *   body: new Uint8Array(await request.arrayBuffer()),
 *   secrets: ["the tool's secret"],
 *   nowSeconds: Math.floor(Date.now() / 1000),
 *   replayWindowSeconds: 300,
 * }); // { ok: true } or { ok: false, code: "signature_invalid", message: "the X-Hub-Signature-256 header is missing" }
 */
export function verifyToolSignature(input: VerifyToolSignatureInput): SignatureVerdict {
  return input.scheme ? verifyHmacScheme(input, input.scheme) : verifyFulcrumScheme(input);
}

function invalid(message: string): SignatureVerdict {
  return { ok: false, code: "signature_invalid", message };
}

/** Whether any secret's HMAC of `parts` equals `given`, compared in constant time. */
function madeWithASecret(algorithm: ToolSignature["algorithm"], parts: (string | Uint8Array)[], given: Buffer, secrets: string[]): boolean {
  return secrets.some((secret) => {
    const mac = createHmac(algorithm, secret);
    for (const part of parts) mac.update(part);
    const expected = mac.digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

function checkAge(where: string, t: number, nowSeconds: number, maxAge: number): SignatureVerdict {
  const age = Math.abs(nowSeconds - t);
  if (age > maxAge) return { ok: false, code: "signature_stale", message: `${where} is ${age} s from now, outside the ${maxAge} s allowed` };
  return { ok: true };
}

/** `X-Fulcrum-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as before schemes could be configured. */
function verifyFulcrumScheme({ header, body, secrets, nowSeconds, replayWindowSeconds }: VerifyToolSignatureInput): SignatureVerdict {
  const value = header(FULCRUM_HEADER);
  if (value === undefined || value.trim() === "") return invalid(`the ${FULCRUM_HEADER} header is missing`);
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(value.trim());
  if (!m) return invalid(`${FULCRUM_HEADER} is not t=<unix seconds>,v1=<64 hex digits>`);
  const t = Number(m[1]);
  if (!madeWithASecret("sha256", [`${t}.`, body], Buffer.from(m[2]!, "hex"), secrets)) return invalid(`${FULCRUM_HEADER} was not made with this tool's secret`);
  return checkAge(`${FULCRUM_HEADER}'s time stamp`, t, nowSeconds, replayWindowSeconds);
}

function verifyHmacScheme({ header, body, secrets, nowSeconds, replayWindowSeconds }: VerifyToolSignatureInput, scheme: ToolSignature): SignatureVerdict {
  const name = scheme.header;
  const value = header(name)?.trim();
  if (value === undefined || value === "") return invalid(`the ${name} header is missing`);
  let encoded = value;
  if (scheme.prefix) {
    if (!value.startsWith(scheme.prefix)) return invalid(`${name} does not start with "${scheme.prefix}"`);
    encoded = value.slice(scheme.prefix.length);
  }
  const given = decodeDigest(encoded, scheme);
  if (!given) {
    const size = digestBytes[scheme.algorithm];
    const what = scheme.encoding === "hex" ? `${size * 2} hex digits` : `${size} bytes in base64`;
    return invalid(`${name} is not a ${scheme.encoding} HMAC-${scheme.algorithm.toUpperCase()} (${what}${scheme.prefix ? ` after "${scheme.prefix}"` : ""})`);
  }
  if (scheme.signs === "body") {
    return madeWithASecret(scheme.algorithm, [body], given, secrets) ? { ok: true } : invalid(`${name} was not made with this tool's secret`);
  }
  // The config schema requires a timestamp header with `signs: timestamp.body`.
  const tsName = scheme.timestampHeader!;
  const ts = header(tsName)?.trim();
  if (ts === undefined || ts === "") return invalid(`the ${tsName} header is missing`);
  if (!/^\d{1,12}$/.test(ts)) return invalid(`${tsName}: ${JSON.stringify(ts.slice(0, 40))} is not a time in unix seconds`);
  // The time stamp is signed as sent, so a sender's leading zeros still verify.
  if (!madeWithASecret(scheme.algorithm, [`${ts}.`, body], given, secrets)) return invalid(`${name} was not made with this tool's secret`);
  return checkAge(tsName, Number(ts), nowSeconds, scheme.maxAgeSeconds ?? replayWindowSeconds);
}

/** The digest's bytes, or null when the text is not the scheme's encoding of a digest of the algorithm's size. */
function decodeDigest(text: string, scheme: ToolSignature): Buffer | null {
  const size = digestBytes[scheme.algorithm];
  if (scheme.encoding === "hex") return new RegExp(`^[0-9a-fA-F]{${size * 2}}$`).test(text) ? Buffer.from(text, "hex") : null;
  // Buffer.from(…, "base64") skips characters it does not know, so the alphabet is checked first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.length === size ? bytes : null;
}
