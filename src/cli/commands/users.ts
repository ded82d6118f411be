/**
 * `fulcrum users`: console accounts from the command line — the way to create the first admin
 * before the first start, and to unlock or reset an account when no admin can sign in.
 */
import type { Command } from "commander";
import { createUser, findUserByEmail, generatePassword, listUsers, ROLES, setPassword, updateUser, UserError, type Role } from "../../server/index.ts";
import { withDatabase } from "../engine-session.ts";

function fail(message: string): never {
  process.stderr.write(`fulcrum users: ${message}\n`);
  process.exit(1);
}

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export function register(program: Command): void {
  const users = program.command("users").description("manage the people who sign in to the console");

  users
    .command("add")
    .description("create a console account; prints a random password unless one is given")
    .requiredOption("--email <email>", "the person's e-mail address (their sign-in name)")
    .option("--admin", "make the account an admin (same as --role admin)")
    .option("--role <role>", `one of ${ROLES.join(", ")}`, "recruiter")
    .option("--name <name>", "the person's name as shown in the console")
    .option("--postings <ids>", "comma-separated Lever posting ids a hiring manager may see")
    .option("--password-stdin", "read the password from standard input instead of generating one")
    .addHelpText(
      "after",
      "\nExamples:\n  fulcrum users add --admin --email ops@example.com\n  fulcrum users add --role hiring_manager --email hm@example.com --postings 3f1c…,9a2b…\n  echo 'my long passphrase' | fulcrum users add --email me@example.com --password-stdin",
    )
    .action(async (opts: { email: string; admin?: boolean; role: string; name?: string; postings?: string; passwordStdin?: boolean }) => {
      const role = (opts.admin ? "admin" : opts.role) as Role;
      if (!ROLES.includes(role)) fail(`"${opts.role}" is not a role; use one of ${ROLES.join(", ")}`);
      const generated = !opts.passwordStdin;
      const password = opts.passwordStdin ? await readPasswordFromStdin() : generatePassword();
      const postingIds = opts.postings
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      await withDatabase(async (db) => {
        try {
          const user = await createUser(db, { email: opts.email, name: opts.name, role, password, postingIds });
          process.stdout.write(`created ${user.role} ${user.email}\n`);
          if (generated) process.stdout.write(`password (shown once): ${password}\n`);
        } catch (error) {
          if (error instanceof UserError) fail(error.message);
          throw error;
        }
      });
    });

  users
    .command("list")
    .description("list console accounts with their roles")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const all = await listUsers(db);
        if (opts.json) {
          process.stdout.write(JSON.stringify(all, null, 2) + "\n");
          return;
        }
        if (all.length === 0) process.stdout.write("no accounts yet; create one with `fulcrum users add --admin --email you@example.com`\n");
        for (const u of all) {
          const flags = [u.disabled ? "disabled" : "", u.lockedUntil && u.lockedUntil > new Date() ? `locked until ${u.lockedUntil.toISOString()}` : ""]
            .filter(Boolean)
            .join(", ");
          process.stdout.write(`${u.email}\t${u.role}${u.postingIds.length ? `\tpostings ${u.postingIds.join(",")}` : ""}${flags ? `\t(${flags})` : ""}\n`);
        }
      });
    });

  users
    .command("reset-password")
    .description("set a new random password (shown once), unlock the account and end its sessions")
    .requiredOption("--email <email>", "the account's e-mail address")
    .option("--password-stdin", "read the new password from standard input")
    .action(async (opts: { email: string; passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await readPasswordFromStdin() : generatePassword();
      await withDatabase(async (db) => {
        const user = await findUserByEmail(db, opts.email);
        if (!user) fail(`no account for ${opts.email}`);
        try {
          await setPassword(db, user.id, password);
        } catch (error) {
          if (error instanceof UserError) fail(error.message);
          throw error;
        }
        process.stdout.write(`password of ${user.email} reset; sessions ended\n`);
        if (!opts.passwordStdin) process.stdout.write(`password (shown once): ${password}\n`);
      });
    });

  users
    .command("set")
    .description("change an account's role, postings or whether it is disabled")
    .requiredOption("--email <email>", "the account's e-mail address")
    .option("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--postings <ids>", "comma-separated Lever posting ids (hiring managers)")
    .option("--disable", "disable the account and end its sessions")
    .option("--enable", "enable the account again")
    .action(async (opts: { email: string; role?: string; postings?: string; disable?: boolean; enable?: boolean }) => {
      if (opts.role && !ROLES.includes(opts.role as Role)) fail(`"${opts.role}" is not a role; use one of ${ROLES.join(", ")}`);
      await withDatabase(async (db) => {
        const user = await findUserByEmail(db, opts.email);
        if (!user) fail(`no account for ${opts.email}`);
        const updated = await updateUser(db, user.id, {
          role: opts.role as Role | undefined,
          postingIds: opts.postings
            ?.split(",")
            .map((s) => s.trim())
            .filter(Boolean),
          disabled: opts.disable ? true : opts.enable ? false : undefined,
        });
        process.stdout.write(`${updated.email}\t${updated.role}${updated.disabled ? "\t(disabled)" : ""}\n`);
      });
    });
}
