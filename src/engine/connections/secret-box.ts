/**
 * Encryption of stored secrets (Lever API keys, OAuth tokens and client secrets, webhook signature
 * tokens) with AES-256-GCM. The database only ever holds the sealed form, so a leaked backup or a
 * read-only SQL session reveals nothing usable.
 *
 * Sealed form: `fcs1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts). The key id is a short
 * fingerprint of the key, so "this was sealed with another key" (FULCRUM_SECRET_KEY changed) is told
 * apart from "this was altered" (GCM authentication failed) — two very different fixes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../config/index.ts";

const PREFIX = "fcs1";
const IV_BYTES = 12;

/** Why a sealed secret could not be opened; `reason` tells wrong key from tampering. */
export class SecretDecryptionError extends Error {
  override readonly name = "SecretDecryptionError";
  readonly reason: "wrong-key" | "tampered" | "malformed";
  constructor(reason: "wrong-key" | "tampered" | "malformed", message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Seals and opens secrets with one 32-byte key. */
export interface SecretBox {
  /** Short fingerprint of the key (safe to show; not the key). */
  readonly keyId: string;
  /**
   * Encrypts `plaintext`. `context` (e.g. `connection:acme:credentials`) is bound to the
   * ciphertext as associated data, so a sealed value copied into another row will not open there.
   */
  seal(plaintext: string, context?: string): string;
  /** Decrypts a sealed value; throws SecretDecryptionError saying whether the key or the data is wrong. */
  open(sealed: string, context?: string): string;
  /** True when `sealed` was made with a previous key and should be sealed again with the current one. */
  isStale(sealed: string): boolean;
}

function fingerprint(key: Buffer): string {
  return createHash("sha256").update("fulcrum-secret-key-id").update(key).digest("hex").slice(0, 12);
}

/**
 * Creates a SecretBox over a 32-byte key.
 *
 * @example
 * const box = createSecretBox(randomBytes(32));
 * const sealed = box.seal("lever-api-key", "connection:acme:credentials");
 * box.open(sealed, "connection:acme:credentials"); // "lever-api-key"
 */
export function createSecretBox(key: Buffer, options: { previous?: readonly Buffer[] | undefined } = {}): SecretBox {
  if (key.length !== 32) throw new Error(`secret key must be 32 bytes, got ${key.length}`);
  const keyId = fingerprint(key);
  // Keys from before a rotation still open what they sealed, until `rekey` re-seals it.
  const keys = new Map<string, Buffer>([[keyId, key]]);
  for (const old of options.previous ?? []) {
    if (old.length !== 32) throw new Error(`previous secret key must be 32 bytes, got ${old.length}`);
    if (!keys.has(fingerprint(old))) keys.set(fingerprint(old), old);
  }
  return {
    keyId,
    seal(plaintext, context = "") {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [PREFIX, keyId, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
    },
    open(sealed, context = "") {
      const parts = sealed.split(".");
      if (parts.length !== 5 || parts[0] !== PREFIX) {
        throw new SecretDecryptionError("malformed", "stored secret is not in Fulcrum's sealed format (fcs1); it may have been written by hand or truncated");
      }
      const [, storedKeyId, ivText, ctText, tagText] = parts as [string, string, string, string, string];
      const openKey = keys.get(storedKeyId);
      if (!openKey) {
        throw new SecretDecryptionError(
          "wrong-key",
          `stored secret was encrypted with another key (key id ${storedKeyId}, current key id ${keyId}): FULCRUM_SECRET_KEY differs from the one used when it was stored. Restore the original key (or, after a rotation, set it as FULCRUM_SECRET_KEY_PREVIOUS and run fulcrum connections rekey), or re-enter the credentials (fulcrum connections add … --replace)`,
        );
      }
      const iv = Buffer.from(ivText, "base64url");
      const tag = Buffer.from(tagText, "base64url");
      if (iv.length !== IV_BYTES || tag.length !== 16) {
        throw new SecretDecryptionError("malformed", "stored secret has a damaged header (iv or tag of the wrong length)");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", openKey, iv);
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(ctText, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretDecryptionError(
          "tampered",
          "stored secret failed its integrity check: the ciphertext was altered or belongs to another record. Re-enter the credentials",
        );
      }
    },
    isStale(sealed) {
      return sealed.split(".")[1] !== keyId;
    },
  };
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64/base64url. `where` names the source
 * for the error message (an environment variable or a file).
 */
export function parseSecretKey(text: string, where: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length === 32) return bytes;
    throw new ConfigError(
      where,
      `decodes to ${bytes.length} bytes, but the key must be exactly 32 bytes`,
      "Generate one with `openssl rand -hex 32` (64 hex digits) or `openssl rand -base64 32`.",
    );
  }
  throw new ConfigError(where, "is neither 64 hex digits nor base64", "Generate one with `openssl rand -hex 32` (64 hex digits) or `openssl rand -base64 32`.");
}

export interface SecretKeySource {
  secretKey?: string | undefined;
  secretKeyPrevious?: string | undefined;
  databaseUrl?: string | undefined;
  dataDir: string;
}

/**
 * Finds the key that encrypts stored secrets: `FULCRUM_SECRET_KEY` (config `secretKey`) when set;
 * otherwise, for the embedded database only, a key generated once into `<dataDir>/secret.key`
 * (mode 0600). With a database server several processes must share one key, so a missing
 * FULCRUM_SECRET_KEY then stops start-up instead of silently generating per-machine keys.
 */
export function loadSecretKey(config: SecretKeySource): { key: Buffer; previous: Buffer[]; source: "env" | "file" | "generated"; path?: string } {
  const previous = config.secretKeyPrevious ? [parseSecretKey(config.secretKeyPrevious, "FULCRUM_SECRET_KEY_PREVIOUS")] : [];
  const found = findSecretKey(config);
  return { ...found, previous };
}

function findSecretKey(config: SecretKeySource): { key: Buffer; source: "env" | "file" | "generated"; path?: string } {
  if (config.secretKey) return { key: parseSecretKey(config.secretKey, "FULCRUM_SECRET_KEY"), source: "env" };
  if (config.databaseUrl) {
    throw new ConfigError(
      "FULCRUM_SECRET_KEY",
      "is not set, but DATABASE_URL is: every process sharing that database must encrypt and decrypt stored credentials with the same key",
      "Generate one key with `openssl rand -hex 32` and set FULCRUM_SECRET_KEY to it in every Fulcrum process.",
    );
  }
  const path = join(config.dataDir, "secret.key");
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    // Tighten permissions that were loosened by hand (e.g. a copy with the default umask).
    if (mode & 0o077) chmodSync(path, 0o600);
    return { key: parseSecretKey(readFileSync(path, "utf8"), path), source: "file", path };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    // `wx`: if another process created the file first, use its key rather than overwrite it.
    writeFileSync(path, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return { key: parseSecretKey(readFileSync(path, "utf8"), path), source: "file", path };
    }
    throw error;
  }
  return { key, source: "generated", path };
}
