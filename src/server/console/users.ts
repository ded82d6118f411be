/**
 * Console accounts: create, find, list, change. Passwords never leave this file in clear and are
 * never logged; rows returned to callers carry no hash.
 */
import { randomUUID } from "node:crypto";
import type { Queryable } from "../../store/index.ts";
import { clearAccountThrottle } from "./login-throttle.ts";
import { hashPassword, passwordProblem, type ScryptCost } from "./passwords.ts";
import { roleSchema, type Role } from "./roles.ts";

/** A console account as the rest of the code sees it (no password hash). */
export interface ConsoleUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  postingIds: string[];
  disabled: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** A refused request to the user store: what is wrong, in words a person can act on, and its kind (`not_found` for no such account). */
export class UserError extends Error {
  override readonly name = "UserError";
  readonly kind: "invalid" | "not_found";
  constructor(message: string, kind: "invalid" | "not_found" = "invalid") {
    super(message);
    this.kind = kind;
  }
}

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  posting_ids: unknown;
  disabled: boolean;
  locked_until: Date | string | null;
  last_login_at: Date | string | null;
  created_at: Date | string;
}

// "Locked until" is the end of the account's current sign-in wait (see login-throttle.ts).
const COLUMNS =
  "id, email, name, role, posting_ids, disabled, (select blocked_until from console_login_throttle where key = 'account:' || lower(console_users.email)) as locked_until, last_login_at, created_at";

function toDate(v: Date | string | null): Date | null {
  return v == null ? null : v instanceof Date ? v : new Date(v);
}

function toUser(row: UserRow): ConsoleUser {
  const ids = typeof row.posting_ids === "string" ? (JSON.parse(row.posting_ids) as unknown) : row.posting_ids;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: roleSchema.parse(row.role),
    postingIds: Array.isArray(ids) ? ids.map(String) : [],
    disabled: row.disabled,
    lockedUntil: toDate(row.locked_until),
    lastLoginAt: toDate(row.last_login_at),
    createdAt: toDate(row.created_at)!,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NewUser {
  email: string;
  name?: string | undefined;
  role: Role;
  password?: string | undefined;
  postingIds?: string[] | undefined;
}

/** Creates an account; throws UserError for a bad e-mail, weak password or a taken address. */
export async function createUser(db: Queryable, input: NewUser, cost?: ScryptCost): Promise<ConsoleUser> {
  const email = input.email.trim();
  if (!EMAIL.test(email) || email.length > 254) throw new UserError(`"${input.email}" is not an e-mail address`);
  const role = roleSchema.safeParse(input.role);
  if (!role.success) throw new UserError(`"${input.role}" is not a role (admin, recruiter, hiring_manager, auditor)`);
  if (input.password !== undefined) {
    const problem = await passwordProblem(input.password, [email, input.name ?? ""]);
    if (problem) throw new UserError(problem);
  }
  const existing = await db.query("select 1 from console_users where lower(email) = lower($1)", [email]);
  if (existing.rows.length > 0) throw new UserError(`an account for ${email} already exists`);
  const hash = input.password === undefined ? null : await hashPassword(input.password, cost);
  const { rows } = await db.query<UserRow>(
    `insert into console_users (id, email, name, role, password_hash, posting_ids)
     values ($1, $2, $3, $4, $5, $6::jsonb) returning ${COLUMNS}`,
    [randomUUID(), email, input.name ?? null, role.data, hash, JSON.stringify(input.postingIds ?? [])],
  );
  return toUser(rows[0]!);
}

export async function findUserByEmail(db: Queryable, email: string): Promise<ConsoleUser | undefined> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from console_users where lower(email) = lower($1)`, [email.trim()]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function findUserById(db: Queryable, id: string): Promise<ConsoleUser | undefined> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from console_users where id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function listUsers(db: Queryable): Promise<ConsoleUser[]> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from console_users order by lower(email)`);
  return rows.map(toUser);
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("select count(*)::int as n from console_users");
  return rows[0]!.n;
}

/** The stored hash, for the sign-in check only. */
export async function passwordHashOf(db: Queryable, userId: string): Promise<string | null> {
  const { rows } = await db.query<{ password_hash: string | null }>("select password_hash from console_users where id = $1", [userId]);
  return rows[0]?.password_hash ?? null;
}

/** Sets a new password, ends every session of the account (a changed password must log others out) and lifts its sign-in wait. */
export async function setPassword(db: Queryable, userId: string, password: string, cost?: ScryptCost): Promise<void> {
  const account = await findUserById(db, userId);
  if (!account) throw new UserError("no such account", "not_found");
  const problem = await passwordProblem(password, [account.email, account.name ?? ""]);
  if (problem) throw new UserError(problem);
  const hash = await hashPassword(password, cost);
  const r = await db.query<{ email: string }>("update console_users set password_hash = $2, updated_at = now() where id = $1 returning email", [userId, hash]);
  if (!r.rows[0]) throw new UserError("no such account", "not_found");
  await db.query("delete from console_sessions where user_id = $1", [userId]);
  // A new password set by an admin (or the CLI) ends the account's sign-in wait.
  await clearAccountThrottle(db, r.rows[0].email);
}

export interface UserChanges {
  role?: Role | undefined;
  name?: string | undefined;
  postingIds?: string[] | undefined;
  disabled?: boolean | undefined;
}

/** Changes an account; a disabled account loses its sessions at once. */
export async function updateUser(db: Queryable, userId: string, changes: UserChanges): Promise<ConsoleUser> {
  const current = await findUserById(db, userId);
  if (!current) throw new UserError("no such account", "not_found");
  if (changes.role !== undefined && !roleSchema.safeParse(changes.role).success) throw new UserError(`"${changes.role}" is not a role`);
  const { rows } = await db.query<UserRow>(
    `update console_users set role = $2, name = $3, posting_ids = $4::jsonb, disabled = $5, updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [
      userId,
      changes.role ?? current.role,
      changes.name ?? current.name,
      JSON.stringify(changes.postingIds ?? current.postingIds),
      changes.disabled ?? current.disabled,
    ],
  );
  if (changes.disabled || (changes.role && changes.role !== current.role)) {
    await db.query("delete from console_sessions where user_id = $1", [userId]);
  }
  return toUser(rows[0]!);
}
