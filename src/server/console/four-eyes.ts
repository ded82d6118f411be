/**
 * Four eyes: the person who approves a rubric override or a prompt version must not be the person
 * who wrote it. The rule is on unless an admin turns it off (small teams with one admin); the
 * switch is kept in the `settings` table, so every process reads the same, and every change of it
 * is an audit record. While it is off, each approval by the author is still allowed but is marked
 * as self-approved in its own audit record.
 *
 * Who is "the same person" is decided by the actor strings the callers record: a console account
 * (`user:<id>`), an API token (`token:<id>`), or the name given to the CLI (`cli:<name>`). An API
 * token is not tied to an account, so a person holding both counts as two.
 */
import { createAuditTrail } from "../../governance/index.ts";
import type { Database, Queryable } from "../../store/index.ts";

const KEY = "four_eyes";

/** An approval refused because its approver wrote what is approved: a `forbidden` refusal. */
export class FourEyesError extends Error {
  override readonly name = "FourEyesError";
  readonly kind = "forbidden";
}

/** True unless an admin turned the rule off. */
export async function fourEyesRequired(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ value: unknown }>("select value from settings where key = $1", [KEY]);
  const value = typeof rows[0]?.value === "string" ? (JSON.parse(rows[0].value) as unknown) : rows[0]?.value;
  return !(value && typeof value === "object" && (value as { required?: unknown }).required === false);
}

/** The rule's state and who last changed it. */
export async function fourEyesState(db: Queryable): Promise<{ required: boolean; updatedBy: string | null; updatedAt: string | null }> {
  const { rows } = await db.query<{ updated_by: string; updated_at: Date | string }>("select updated_by, updated_at from settings where key = $1", [KEY]);
  return {
    required: await fourEyesRequired(db),
    updatedBy: rows[0]?.updated_by ?? null,
    updatedAt: rows[0] ? new Date(rows[0].updated_at).toISOString() : null,
  };
}

/** Turns the rule on or off, with its audit record (`settings.four_eyes`) in the same transaction. */
export async function setFourEyes(db: Database, required: boolean, actor: string): Promise<void> {
  const before = await fourEyesRequired(db);
  const audit = createAuditTrail(db);
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into settings (key, value, updated_by, updated_at) values ($1, $2::jsonb, $3, now())
       on conflict (key) do update set value = excluded.value, updated_by = excluded.updated_by, updated_at = now()`,
      [KEY, JSON.stringify({ required }), actor],
    );
    await audit.append({ kind: "settings.four_eyes", actor, subject: { userId: actor.replace(/^user:/, "") }, data: { before, required } }, tx);
  });
}

/**
 * Checks an approval against the rule. Returns whether it is a self-approval (allowed because the
 * rule is off; the caller records it as such); throws FourEyesError when the rule forbids it.
 * @example
 * const { selfApproved } = await checkFourEyes(db, { what: "rubric version 3", author: "user:a", approver: "user:a" });
 */
export async function checkFourEyes(db: Queryable, approval: { what: string; author: string | null; approver: string }): Promise<{ selfApproved: boolean }> {
  if (approval.author === null || approval.author !== approval.approver) return { selfApproved: false };
  if (await fourEyesRequired(db)) {
    throw new FourEyesError(
      `You wrote ${approval.what}, so someone else must approve it (four eyes). An admin can turn this rule off in the console's settings; that change is audited.`,
    );
  }
  return { selfApproved: true };
}
