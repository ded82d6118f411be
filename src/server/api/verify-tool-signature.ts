/**
 * Checks a tool's webhook signature by the scheme its config names (`tools.<id>.signature`), or by
 * Fulcrum's own when it names none. Pure: the caller passes the headers, the raw body bytes, the
 * tool's secrets and the time. The HMAC is over the bytes as they arrived, never over a decoding of
 * them, so a byte-order mark or an invalid UTF-8 sequence cannot make a valid signature fail.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { HmacSignature, StandardWebhooksSignature, ToolSignature } from "../../config/index.ts";

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
  const { scheme } = input;
  if (!scheme) return verifyFulcrumScheme(input);
  return "scheme" in scheme ? verifyStandardWebhooks(input, scheme) : verifyHmacScheme(input, scheme);
}

function invalid(message: string): SignatureVerdict {
  return { ok: false, code: "signature_invalid", message };
}

/** Whether any secret's HMAC of `parts` equals `given`, compared in constant time. */
function madeWithASecret(algorithm: HmacSignature["algorithm"], parts: (string | Uint8Array)[], given: Buffer, secrets: string[]): boolean {
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

function verifyHmacScheme({ header, body, secrets, nowSeconds, replayWindowSeconds }: VerifyToolSignatureInput, scheme: HmacSignature): SignatureVerdict {
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
function decodeDigest(text: string, scheme: Pick<HmacSignature, "algorithm" | "encoding">): Buffer | null {
  const size = digestBytes[scheme.algorithm];
  if (scheme.encoding === "hex") return new RegExp(`^[0-9a-fA-F]{${size * 2}}$`).test(text) ? Buffer.from(text, "hex") : null;
  // Buffer.from(…, "base64") skips characters it does not know, so the alphabet is checked first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.length === size ? bytes : null;
}

/**
 * The Standard Webhooks spec, version 1.0.0 (the standard-webhooks/standard-webhooks repository,
 * spec/standard-webhooks.md, "Verifying webhook authenticity"): the signed content is
 * `<webhook-id>.<webhook-timestamp>.<body>`; webhook-timestamp is integer unix seconds;
 * webhook-signature is a space-delimited list of `<version>,<base64 signature>`, where `v1` is
 * HMAC-SHA256 and `v1a` an ed25519 signature, several at once during a rotation; a symmetric secret
 * is shown as base64 behind `whsec_`; compare in constant time and hold the time stamp to a tolerance.
 * Only v1 is checked: other versions are skipped, as the spec's own libraries skip them.
 */
function verifyStandardWebhooks(
  { header, body, secrets, nowSeconds, replayWindowSeconds }: VerifyToolSignatureInput,
  scheme: StandardWebhooksSignature,
): SignatureVerdict {
  const values: Record<(typeof STANDARD_HEADERS)[number], string> = { "webhook-id": "", "webhook-timestamp": "", "webhook-signature": "" };
  for (const name of STANDARD_HEADERS) {
    const value = header(name)?.trim();
    if (value === undefined || value === "") return invalid(`the ${name} header is missing`);
    values[name] = value;
  }
  const ts = values["webhook-timestamp"];
  if (!/^\d{1,12}$/.test(ts)) {
    return invalid(`webhook-timestamp: ${JSON.stringify(ts.slice(0, 40))} is not a time in unix seconds (the spec sends seconds; milliseconds are not read)`);
  }
  const given = values["webhook-signature"]
    .split(/\s+/)
    .map((entry) => /^v1,([A-Za-z0-9+/]+={0,2})$/.exec(entry)?.[1])
    .map((b64) => (b64 === undefined ? null : decodeDigest(b64, { algorithm: "sha256", encoding: "base64" })))
    .filter((bytes): bytes is Buffer => bytes !== null);
  if (given.length === 0) return invalid('webhook-signature holds no v1 signature (32 bytes in base64 after "v1,"; v1a and other versions are not checked)');
  // One HMAC per secret, then a constant-time comparison with each listed signature.
  const signed = `${values["webhook-id"]}.${ts}.`;
  const matches = secrets
    .map(standardWebhooksKey)
    .filter((key): key is Buffer => key !== null)
    .some((key) => {
      const expected = createHmac("sha256", key).update(signed).update(body).digest();
      return given.some((g) => timingSafeEqual(expected, g));
    });
  if (!matches) return invalid("webhook-signature was not made with this tool's secret");
  return checkAge("webhook-timestamp", Number(ts), nowSeconds, scheme.maxAgeSeconds ?? replayWindowSeconds);
}

const STANDARD_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

/**
 * The HMAC key a secret stands for: a `whsec_` secret's base64 decoded, as the spec serialises
 * symmetric secrets; any other secret its text, as in Fulcrum's other schemes. A `whsec_` secret
 * whose rest is not base64 stands for no key, so it matches nothing rather than a key it was not.
 */
function standardWebhooksKey(secret: string): Buffer | null {
  if (!secret.startsWith("whsec_")) return Buffer.from(secret, "utf8");
  const b64 = secret.slice("whsec_".length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const key = Buffer.from(b64, "base64");
  return key.length > 0 ? key : null;
}
