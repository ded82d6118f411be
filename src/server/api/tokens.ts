/**
 * API bearer tokens. Only the sha256 of a token is stored, so a copy of the database does not
 * give access. `FULCRUM_ADMIN_TOKEN` is registered at start-up as an admin token.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../../store/index.ts";

export type TokenRole = "admin" | "recruiter" | "hiring_manager" | "auditor";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Creates a token and returns it (shown once; only its hash is kept). */
export async function createApiToken(db: Queryable, name: string, role: TokenRole = "admin"): Promise<{ id: number; token: string }> {
  const token = `fk_${randomBytes(24).toString("base64url")}`;
  const { rows } = await db.query<{ id: number }>("insert into api_tokens (name, token_sha256, role) values ($1, $2, $3) returning id", [
    name,
    hashToken(token),
    role,
  ]);
  return { id: Number(rows[0]!.id), token };
}

/** Registers the bootstrap admin token (idempotent). */
export async function ensureBootstrapToken(db: Queryable, token: string): Promise<void> {
  await db.query(
    "insert into api_tokens (name, token_sha256, role) values ('bootstrap (FULCRUM_ADMIN_TOKEN)', $1, 'admin') on conflict (token_sha256) do nothing",
    [hashToken(token)],
  );
}

/** The token's holder, or undefined for an unknown or revoked token. */
export async function verifyApiToken(db: Queryable, token: string): Promise<{ id: number; name: string; role: TokenRole } | undefined> {
  if (token.length < 16 || token.length > 200) return undefined;
  const { rows } = await db.query<{ id: number; name: string; role: TokenRole }>(
    "update api_tokens set last_used_at = now() where token_sha256 = $1 and revoked_at is null returning id, name, role",
    [hashToken(token)],
  );
  const r = rows[0];
  return r ? { id: Number(r.id), name: r.name, role: r.role } : undefined;
}

export async function revokeApiToken(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query("update api_tokens set revoked_at = now() where id = $1 and revoked_at is null", [id]);
  return rowCount > 0;
}
