/**
 * Anchors for the audit chain, kept outside the database. The hash chain alone shows clumsy edits;
 * someone with database access can still rewrite records and recompute every hash after them, head
 * included. An anchor is a signed note of the chain head (record number, hash, count, time) written
 * as a new file into a folder the operator chooses — ideally write-once storage — so a rewrite of
 * any record at or before an anchored head no longer matches it.
 *
 * Anchors are signed with Ed25519 rather than an HMAC: checking one needs only the public key, so
 * an auditor (or anyone who copies the folder) can verify anchors without being able to forge them.
 * The signing key is derived from FULCRUM_SECRET_KEY, which every process of a deployment already
 * shares and keeps out of the database; no second key file to lose or to back up.
 */
import { createPrivateKey, createPublicKey, hkdfSync, randomBytes, sign, verify, type KeyObject } from "node:crypto";
import { mkdir, open, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Queryable } from "../store/index.ts";
import type { AuditTrail, AuditVerifyResult } from "./audit-trail.ts";
import { canonicalJson } from "./canonical-json.ts";

export const ANCHOR_FORMAT = "fulcrum-audit-anchor/1";
const FILE_PATTERN = /^audit-anchor-.+\.json$/;
const MAX_ANCHOR_BYTES = 16 * 1024;

/** What an anchor file holds, signature aside. */
export interface AuditAnchor {
  format: typeof ANCHOR_FORMAT;
  /** The chain head when the anchor was made: its record number and hash. */
  seq: number;
  hash: string;
  /** Records in the table up to `seq` at that moment (equal to `seq` in an unbroken chain). */
  count: number;
  /** ISO 8601, UTC. */
  anchoredAt: string;
  /** The signer's Ed25519 public key, raw 32 bytes in base64url. */
  publicKey: string;
}

export interface SignedAuditAnchor extends AuditAnchor {
  /** Ed25519 over the canonical JSON of the other fields, base64url. */
  signature: string;
}

/** The key pair that signs anchors, and its public half as it appears in anchor files. */
export interface AnchorKey {
  privateKey: KeyObject;
  /** Raw 32 bytes in base64url: what `--public-key` takes and what each anchor names. */
  publicKey: string;
}

// PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410): Node imports Ed25519 private keys only in a
// container, and this 16-byte header is the whole of it.
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * The anchor-signing key of a deployment, derived (HKDF-SHA256) from its secret key, so every
 * process sharing FULCRUM_SECRET_KEY signs with the same key and nothing else needs keeping.
 *
 * @example
 * const key = anchorKeyFrom(loadSecretKey(config).key);
 * console.log(key.publicKey); // give this to your auditor
 */
export function anchorKeyFrom(secretKey: Buffer): AnchorKey {
  const seed = Buffer.from(hkdfSync("sha256", secretKey, Buffer.alloc(0), "fulcrum audit anchor ed25519 v1", 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  return { privateKey, publicKey: String(jwk.x) };
}

function publicKeyObject(publicKey: string): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: publicKey }, format: "jwk" });
}

function signedBytes(anchor: AuditAnchor): Buffer {
  const { format, seq, hash, count, anchoredAt, publicKey } = anchor;
  return Buffer.from(canonicalJson({ format, seq, hash, count, anchoredAt, publicKey }));
}

/** Signs `anchor` (its `publicKey` is set to the key's). */
function signAnchor(anchor: Omit<AuditAnchor, "format" | "publicKey">, key: AnchorKey): SignedAuditAnchor {
  const body: AuditAnchor = { format: ANCHOR_FORMAT, ...anchor, publicKey: key.publicKey };
  return { ...body, signature: sign(null, signedBytes(body), key.privateKey).toString("base64url") };
}

/** A file name that sorts by time and never repeats: `audit-anchor-<time>-<record>-<random>.json`. */
function anchorFileName(anchor: AuditAnchor): string {
  const time = anchor.anchoredAt.replace(/[-:]/g, "");
  return `audit-anchor-${time}-${String(anchor.seq).padStart(12, "0")}-${randomBytes(3).toString("hex")}.json`;
}

/**
 * Notes the chain head as it is committed now and writes it, signed, as a new file in `dir`
 * (created when missing). Never overwrites or renames: a folder that only allows new files
 * (S3 Object Lock, `chattr +a`, WORM storage) works as is.
 */
export async function writeAuditAnchor(
  db: Queryable,
  options: { dir: string; key: AnchorKey; now?: Date },
): Promise<{ file: string; anchor: SignedAuditAnchor }> {
  // One statement, one snapshot: the head and the count agree with each other.
  const { rows } = await db.query<{ seq: number | string; hash: string; count: number | string }>(
    "select h.seq, h.hash, (select count(*) from audit_records r where r.seq <= h.seq) as count from audit_chain_head h where h.id",
  );
  const head = rows[0];
  if (!head) throw new Error("cannot anchor the audit chain: its head row (audit_chain_head) is missing");
  const anchor = signAnchor(
    { seq: Number(head.seq), hash: head.hash, count: Number(head.count), anchoredAt: (options.now ?? new Date()).toISOString() },
    options.key,
  );
  await mkdir(options.dir, { recursive: true });
  const file = join(options.dir, anchorFileName(anchor));
  // `wx`: fail rather than replace, should a name ever repeat; sync so a crash keeps the anchor.
  // Asynchronous throughout: a slow mount (object storage) never holds up the server's main thread.
  const handle = await open(file, "wx", 0o444);
  try {
    await handle.writeFile(`${JSON.stringify(anchor, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { file, anchor };
}

/** Why an anchor file could not be used. */
export interface AnchorFileProblem {
  file: string;
  /** `signature`: altered or signed by another key; `format`: not an anchor; `unreadable`: cut short (e.g. by a crash). */
  kind: "signature" | "format" | "unreadable";
  detail: string;
}

export interface ReadAnchorsResult {
  /** Anchors whose signature holds under a trusted key, oldest first. */
  anchors: (SignedAuditAnchor & { file: string })[];
  problems: AnchorFileProblem[];
}

function isAnchor(value: unknown): value is SignedAuditAnchor {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.format === ANCHOR_FORMAT &&
    Number.isSafeInteger(v.seq) &&
    (v.seq as number) >= 0 &&
    Number.isSafeInteger(v.count) &&
    typeof v.hash === "string" &&
    typeof v.anchoredAt === "string" &&
    !Number.isNaN(Date.parse(v.anchoredAt)) &&
    typeof v.publicKey === "string" &&
    /^[A-Za-z0-9_-]{43}$/.test(v.publicKey) &&
    typeof v.signature === "string"
  );
}

/** Thrown when the anchor folder is missing or holds no anchor: nothing to check against. */
export class AnchorFolderError extends Error {
  override readonly name = "AnchorFolderError";
  readonly dir: string;
  constructor(dir: string, problem: string) {
    super(
      `${problem}; anchors are written by \`fulcrum serve\` every FULCRUM_AUDIT_ANCHOR_INTERVAL seconds and by \`fulcrum audit anchor\` into FULCRUM_AUDIT_ANCHOR_DIR (now ${dir}). Point FULCRUM_AUDIT_ANCHOR_DIR (or --anchor-dir) at the folder that holds them, or check without anchors with --no-anchor`,
    );
    this.dir = dir;
  }
}

/**
 * Reads every anchor file in `dir` and checks its signature against `trustedKeys` (base64url public
 * keys). Throws AnchorFolderError when the folder is missing or holds no anchor file.
 */
export async function readAuditAnchors(dir: string, trustedKeys: readonly string[]): Promise<ReadAnchorsResult> {
  const isFolder = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) throw new AnchorFolderError(dir, `no audit anchor folder at ${dir}`);
  const names = (await readdir(dir)).filter((n) => FILE_PATTERN.test(n)).sort();
  if (names.length === 0) throw new AnchorFolderError(dir, `the audit anchor folder ${dir} holds no anchor`);
  const trusted = new Map(trustedKeys.map((k) => [k, publicKeyObject(k)]));
  const result: ReadAnchorsResult = { anchors: [], problems: [] };
  for (const name of names) {
    const file = join(dir, name);
    let value: unknown;
    try {
      // An anchor is a few hundred bytes; anything large dropped into the folder is not read in.
      if ((await stat(file)).size > MAX_ANCHOR_BYTES) {
        result.problems.push({ file, kind: "format", detail: `is larger than ${MAX_ANCHOR_BYTES} bytes, so it is not an anchor` });
        continue;
      }
      value = JSON.parse(await readFile(file, "utf8"));
    } catch {
      result.problems.push({ file, kind: "unreadable", detail: "is not complete JSON (cut short by a crash while it was written, or damaged)" });
      continue;
    }
    if (!isAnchor(value)) {
      result.problems.push({ file, kind: "format", detail: `is not a ${ANCHOR_FORMAT} file (a field is missing or of the wrong type)` });
      continue;
    }
    const key = trusted.get(value.publicKey);
    if (!key) {
      result.problems.push({
        file,
        kind: "signature",
        detail: `is signed by key ${value.publicKey}, which is not this deployment's anchor key (${trustedKeys.join(" or ")})`,
      });
      continue;
    }
    if (!verify(null, signedBytes(value), key, Buffer.from(value.signature, "base64url"))) {
      result.problems.push({ file, kind: "signature", detail: "has a signature that does not match its content: the file was altered after it was written" });
      continue;
    }
    const { format, seq, hash, count, anchoredAt, publicKey, signature } = value;
    result.anchors.push({ format, seq, hash, count, anchoredAt, publicKey, signature, file });
  }
  result.anchors.sort((a, b) => a.anchoredAt.localeCompare(b.anchoredAt) || a.seq - b.seq);
  return result;
}

export interface AnchoredVerifyResult extends AuditVerifyResult {
  /** Anchor files with a valid signature that were checked. */
  anchorsChecked: number;
  /** Anchor files that could not be used; a `signature` or `format` problem makes the result not ok. */
  anchorProblems: AnchorFileProblem[];
  /** The newest valid anchor, how old it is, and how many records were appended after it. */
  lastAnchor: (SignedAuditAnchor & { file: string; ageMs: number; recordsSince: number }) | null;
}

/**
 * Verifies the chain against every signed anchor in `dir`: each anchored record must still carry
 * its anchored hash (so a rewrite at or before any anchor shows, however consistently re-hashed),
 * and every record, including those after the last anchor, must still chain.
 *
 * @example
 * const r = await verifyWithAnchors(createAuditTrail(db), { dir, trustedKeys: [key.publicKey] });
 * if (!r.ok) for (const p of r.problems) console.log(p.seq, p.detail);
 */
export async function verifyWithAnchors(
  trail: AuditTrail,
  options: { dir: string; trustedKeys: readonly string[]; now?: Date },
): Promise<AnchoredVerifyResult> {
  const { anchors, problems: anchorProblems } = await readAuditAnchors(options.dir, options.trustedKeys);
  const bySeq = new Map<number, SignedAuditAnchor & { file: string }>();
  const problems: AuditVerifyResult["problems"] = [];
  for (const a of anchors) {
    const earlier = bySeq.get(a.seq);
    if (earlier && earlier.hash !== a.hash) {
      // Two signed anchors disagree: the chain was rewritten between them and anchored again.
      problems.push({
        seq: a.seq,
        kind: "edited",
        detail: `anchors ${earlier.file} (${earlier.anchoredAt}) and ${a.file} (${a.anchoredAt}) give record ${a.seq} different hashes; the chain was rewritten between them`,
      });
    } else if (a.seq > 0) {
      bySeq.set(a.seq, a);
    }
  }
  const chain = await trail.verify({ anchors: [...bySeq.values()].map((a) => ({ seq: a.seq, hash: a.hash, source: `anchor ${a.file} of ${a.anchoredAt}` })) });
  problems.push(...chain.problems);
  const last = anchors.at(-1);
  const now = options.now ?? new Date();
  return {
    ok: problems.length === 0 && !anchorProblems.some((p) => p.kind !== "unreadable") && anchors.length > 0,
    checked: chain.checked,
    head: chain.head,
    problems,
    anchorsChecked: anchors.length,
    anchorProblems,
    lastAnchor: last
      ? { ...last, ageMs: Math.max(0, now.getTime() - Date.parse(last.anchoredAt)), recordsSince: Math.max(0, (chain.head?.seq ?? 0) - last.seq) }
      : null,
  };
}

/** "3 minutes", "2 hours", "5 days": how old an anchor is, for people. */
export function describeAge(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1000, "second"],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"}`;
  }
  return "less than a second";
}

export interface AnchorScheduleLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface AuditAnchoring {
  /** Writes an anchor now unless the head has not moved since this process's last one. */
  anchorNow(): Promise<{ file: string; anchor: SignedAuditAnchor } | null>;
  /** Stops the schedule and writes a last anchor (the graceful-shutdown one). */
  stop(): Promise<void>;
}

/**
 * Writes an anchor at start, every `intervalMs`, and at `stop()`. A head that has not moved since
 * this process's last anchor is not written again. Failures are logged, never thrown: intake and
 * the audit trail keep working while the anchor folder is unreachable.
 */
export function startAuditAnchoring(options: { db: Queryable; dir: string; key: AnchorKey; intervalMs: number; logger: AnchorScheduleLogger }): AuditAnchoring {
  let lastSeq: number | undefined;
  let lastHash: string | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const once = async () => {
    const { rows } = await options.db.query<{ seq: number | string; hash: string }>("select seq, hash from audit_chain_head where id");
    if (rows[0] && Number(rows[0].seq) === lastSeq && rows[0].hash === lastHash) return null;
    const written = await writeAuditAnchor(options.db, { dir: options.dir, key: options.key });
    lastSeq = written.anchor.seq;
    lastHash = written.anchor.hash;
    options.logger.info({ file: written.file, seq: written.anchor.seq }, "audit chain head anchored");
    return written;
  };
  const anchorNow = () => {
    // One write at a time: the timer and a shutdown never race each other.
    const next = running.then(once, once);
    running = next.catch(() => undefined);
    return next;
  };
  const tick = () => {
    anchorNow().catch((error: unknown) =>
      options.logger.error({ err: error, dir: options.dir }, "could not write the audit anchor; the chain head is not anchored outside the database"),
    );
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    anchorNow,
    async stop() {
      clearInterval(timer);
      await anchorNow().catch((error: unknown) => options.logger.error({ err: error, dir: options.dir }, "could not write the audit anchor at shutdown"));
    },
  };
}
