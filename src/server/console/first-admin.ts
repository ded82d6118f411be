/**
 * The first admin. When the console has no accounts at start-up, one admin is created with a
 * random password that is printed once on the console output (never logged, never stored in
 * clear); `fulcrum users add --admin` creates one beforehand instead.
 */
import type { Queryable } from "../../store/index.ts";
import { generatePassword, type ScryptCost } from "./passwords.ts";
import { countUsers, createUser } from "./users.ts";

export const FIRST_ADMIN_EMAIL = "admin@fulcrum.local";

/**
 * Creates the first admin when there is no account yet and returns its credentials (to show once);
 * returns undefined when accounts exist. Safe when several processes start at once: the unique
 * e-mail index lets only one of them create it.
 */
export async function ensureFirstAdmin(db: Queryable, cost?: ScryptCost): Promise<{ email: string; password: string } | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  const password = generatePassword();
  try {
    await createUser(db, { email: FIRST_ADMIN_EMAIL, name: "First admin", role: "admin", password }, cost);
  } catch {
    return undefined; // another process created it first
  }
  return { email: FIRST_ADMIN_EMAIL, password };
}

/** The lines shown on the console output at first start. */
export function firstAdminBanner(credentials: { email: string; password: string }, consoleUrl: string): string {
  return [
    "",
    "  Fulcrum console: a first admin account was created. This password is shown only once:",
    `    sign in at ${consoleUrl}`,
    `    e-mail    ${credentials.email}`,
    `    password  ${credentials.password}`,
    "  Change it after signing in, or create your own with `fulcrum users add --admin --email you@example.com`.",
    "",
  ].join("\n");
}
