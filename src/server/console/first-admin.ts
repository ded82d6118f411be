/**
 * The first admin. When the console has no accounts at start-up, one admin is created and its
 * address and random password are printed once on the console output (never logged, the password
 * never stored in clear); `fulcrum users add --admin` creates one beforehand instead.
 *
 * The address is FULCRUM_ADMIN_EMAIL when set, otherwise generated (`admin-<random>@fulcrum.local`):
 * a well-known address would let anyone who knows it spend the account's sign-in allowance.
 */
import { randomInt } from "node:crypto";
import type { Queryable } from "../../store/index.ts";
import { generatePassword, type ScryptCost } from "./passwords.ts";
import { countUsers, createUser, UserError } from "./users.ts";

/** An address nobody can guess: `admin-` and ten random letters and digits, on the reserved `.local` domain. */
function generateAdminEmail(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  return `admin-${Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join("")}@fulcrum.local`;
}

/**
 * Creates the first admin when there is no account yet and returns its credentials (to show once);
 * returns undefined when accounts exist. When several processes start at once with a configured
 * address, the unique e-mail index lets only one of them create it; with generated addresses each
 * may create (and show) its own. A bad configured address throws UserError naming it.
 */
export async function ensureFirstAdmin(
  db: Queryable,
  cost?: ScryptCost,
  options: { email?: string | undefined } = { email: process.env.FULCRUM_ADMIN_EMAIL },
): Promise<{ email: string; password: string } | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  const email = options.email?.trim() || generateAdminEmail();
  const password = generatePassword();
  try {
    await createUser(db, { email, name: "First admin", role: "admin", password }, cost);
  } catch (error) {
    if ((await countUsers(db)) > 0) return undefined; // another process created it first
    if (error instanceof UserError && options.email) throw new UserError(`FULCRUM_ADMIN_EMAIL: ${error.message}`);
    throw error;
  }
  return { email, password };
}

/** The lines shown on the console output at first start. */
export function firstAdminBanner(credentials: { email: string; password: string }, consoleUrl: string): string {
  return [
    "",
    "  Fulcrum console: a first admin account was created. Its address and password are shown only once:",
    `    sign in at ${consoleUrl}`,
    `    e-mail    ${credentials.email}`,
    `    password  ${credentials.password}`,
    "  Change the password after signing in, or create your own admin with `fulcrum users add --admin --email you@example.com`",
    "  (or set FULCRUM_ADMIN_EMAIL before the first start to choose this account's address).",
    "",
  ].join("\n");
}
