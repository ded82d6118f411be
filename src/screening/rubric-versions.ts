/**
 * A posting's rubric versions as recruiters manage them (CLI `fulcrum rubric`, REST API
 * `/api/postings/:id/rubric`): save an override written by a person — it scores nobody yet —
 * approve it, and see every version with who wrote and who approved it. The newest approved
 * override is what screening and rediscovery score by (`activeRubric`); without one they use the
 * requirements read from the posting.
 */
import type { Database, Queryable } from "../store/index.ts";
import { parseRubricOverride, rubricSchema, RubricError, type Rubric } from "./rubric.ts";
import { activeRubric, approveRubricVersion, saveRubricVersion } from "./store.ts";

/** Where a saved or approved version is recorded (the audit trail's `append`, inside the same transaction). */
export interface RubricAudit {
  append(record: { kind: string; actor: string; subject: Record<string, string>; data: unknown }, tx: Queryable): Promise<unknown>;
}

/** Why a rubric request was refused: `invalid` (with the field path), `not_found`, `conflict` or `forbidden` (four eyes). */
export class RubricVersionError extends Error {
  override readonly name = "RubricVersionError";
  readonly code: "invalid" | "not_found" | "conflict" | "forbidden";
  readonly path: string | undefined;
  constructor(code: "invalid" | "not_found" | "conflict" | "forbidden", message: string, path?: string) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

export interface RubricVersion {
  version: number;
  source: "posting" | "override";
  createdBy: string | null;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  /** True for the version screening scores by now. */
  active: boolean;
  rubric: Rubric;
}

/**
 * Validates a person's override for `postingId` and saves it as a new version, not yet approved.
 * The body's own `postingId` may be left out; when given it must be this posting.
 */
export async function saveRubricOverride(
  db: Database,
  connectionId: string,
  postingId: string,
  input: unknown,
  author: string,
  audit?: RubricAudit,
): Promise<number> {
  const body = input && typeof input === "object" && !Array.isArray(input) ? { postingId, ...(input as Record<string, unknown>) } : input;
  let rubric: Rubric;
  try {
    rubric = parseRubricOverride(body);
  } catch (error) {
    if (error instanceof RubricError) throw new RubricVersionError("invalid", `${error.path || "(rubric)"}: ${error.message}`, error.path);
    throw error;
  }
  if (rubric.postingId !== postingId)
    throw new RubricVersionError("invalid", `postingId: the rubric names posting "${rubric.postingId}", not "${postingId}"`, "postingId");
  return db.transaction(async (tx) => {
    const version = await saveRubricVersion(tx, connectionId, rubric, author);
    await audit?.append({ kind: "rubric.saved", actor: author, subject: { connectionId, postingId }, data: { version } }, tx);
    return version;
  });
}

/**
 * Approves an override version; from then on it is what the posting is scored by. Four eyes: its
 * author may not approve it (`forbidden`) unless `allowSelfApproval` is set (an admin turned the
 * rule off), and then the audit record says `selfApproved`.
 */
export async function approveRubricOverride(
  db: Database,
  connectionId: string,
  postingId: string,
  version: number,
  approver: string,
  audit?: RubricAudit,
  options: { allowSelfApproval?: boolean | undefined } = {},
): Promise<RubricVersion> {
  const versions = await rubricVersions(db, connectionId, postingId);
  const v = versions.find((x) => x.version === version);
  if (!v) throw new RubricVersionError("not_found", `posting ${postingId} has no rubric version ${version}`);
  if (v.source !== "override") throw new RubricVersionError("conflict", `version ${version} was read from the posting and needs no approval`);
  if (v.approvedBy) throw new RubricVersionError("conflict", `version ${version} was already approved by ${v.approvedBy}`);
  const selfApproved = v.createdBy === approver;
  if (selfApproved && !options.allowSelfApproval) {
    throw new RubricVersionError(
      "forbidden",
      `You wrote rubric version ${version} of posting ${postingId}, so someone else must approve it (four eyes). An admin can turn this rule off in the console's settings; that change is audited.`,
    );
  }
  await db.transaction(async (tx) => {
    if (!(await approveRubricVersion(tx, connectionId, postingId, version, approver))) {
      throw new RubricVersionError("conflict", `version ${version} was approved by someone else meanwhile`);
    }
    await audit?.append(
      { kind: "rubric.approved", actor: approver, subject: { connectionId, postingId }, data: selfApproved ? { version, selfApproved: true } : { version } },
      tx,
    );
  });
  return (await rubricVersions(db, connectionId, postingId)).find((x) => x.version === version)!;
}

/** Every version of a posting's rubric, newest first, marking the one in force. */
export async function rubricVersions(db: Queryable, connectionId: string, postingId: string): Promise<RubricVersion[]> {
  const { rows } = await db.query<{
    version: number;
    source: "posting" | "override";
    rubric: unknown;
    created_by: string | null;
    created_at: Date | string;
    approved_by: string | null;
    approved_at: Date | string | null;
  }>(
    "select version, source, rubric, created_by, created_at, approved_by, approved_at from screening_rubrics where connection_id = $1 and posting_id = $2 order by version desc",
    [connectionId, postingId],
  );
  const active = await activeRubric(db, connectionId, postingId);
  return rows.map((r) => ({
    version: Number(r.version),
    source: r.source,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at ? new Date(r.approved_at).toISOString() : null,
    active: active?.version === Number(r.version),
    rubric: rubricSchema.parse(typeof r.rubric === "string" ? JSON.parse(r.rubric) : r.rubric),
  }));
}
