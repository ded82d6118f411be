/**
 * The audit trail: an append-only, hash-chained log of everything Fulcrum does — events received,
 * runs, AI calls, proposals and decisions, Lever writes. Each record carries the hash of the one
 * before it, so `verify()` finds any record that was edited, removed or moved, even when the
 * database's own append-only trigger was switched off to do it.
 */
import { createHash } from "node:crypto";
import type { Database, Queryable } from "../store/index.ts";
import { canonicalJson, toJsonValue } from "./canonical-json.ts";

/**
 * Record kinds used across Fulcrum, so every writer spells them the same way and auditors can
 * filter on them. Other dotted kinds are allowed.
 */
export const AUDIT_KINDS = {
  /** A webhook or other inbound event stored in the inbox. */
  eventReceived: "event.received",
  runStarted: "run.started",
  runFinished: "run.finished",
  /** Every AI call, local or model, with its redacted input (written by the AI layer). */
  aiCall: "ai.call",
  proposalCreated: "proposal.created",
  /** Approve, edit-then-approve, reject, expire — with who decided and why. */
  proposalDecided: "proposal.decided",
  /** A write to Lever: what, the step key, Lever's id in reply. */
  leverWrite: "lever.write",
  notificationSent: "notification.sent",
  /** A booked interview panel re-planned after a change: what changed, the decision and why. */
  schedulingReplanned: "scheduling.replanned",
  /** A scheduling problem escalated to the coordinator: on which channel, whether it was sent. */
  schedulingEscalated: "scheduling.escalated",
} as const;

/** The hash before the first record. */
export const GENESIS_HASH = "genesis";

/** Who or what a record is about. Every id is optional; give all you have. */
export interface AuditSubject {
  connectionId?: string | undefined;
  opportunityId?: string | undefined;
  candidateId?: string | undefined;
  /** A Fulcrum or Lever user the record concerns (e.g. the approver, the interviewer). */
  userId?: string | undefined;
  /** Other ids worth keeping (runId, proposalId, postingId, …); stored inside the record. */
  [other: string]: string | undefined;
}

export interface AuditAppend {
  /** What happened, dotted: `event.received`, `run.started`, `ai.call`, `proposal.decided`, `lever.write`. */
  kind: string;
  /** Follows one webhook through runs, AI calls and Lever writes. */
  traceId?: string | undefined;
  /** `system`, `workflow:<id>`, `user:<id>`, `lever` … */
  actor: string;
  subject?: AuditSubject | undefined;
  /** Must be JSON; never secrets, and only redacted candidate text. */
  data?: unknown;
}

export interface AuditRecord {
  seq: number;
  prevHash: string;
  hash: string;
  kind: string;
  traceId: string | null;
  actor: string;
  subject: Record<string, string>;
  data: unknown;
  /** ISO 8601, millisecond precision, UTC. */
  createdAt: string;
}

export type AuditProblemKind = "edited" | "removed" | "reordered";

export interface AuditProblem {
  seq: number;
  kind: AuditProblemKind;
  detail: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** How many records were checked. */
  checked: number;
  problems: AuditProblem[];
  /** The chain head as stored: keep its hash somewhere else (a ticket, a signed e-mail) to make
   * even a rewrite of the whole table, head included, detectable later. */
  head: { seq: number; hash: string } | null;
}

export interface AuditSearch {
  candidateId?: string | undefined;
  opportunityId?: string | undefined;
  /** Matches the actor `user:<id>` or a subject's userId. */
  userId?: string | undefined;
  traceId?: string | undefined;
  kind?: string | undefined;
  /** Records about any of these candidates or applications (a candidate's name resolves to both). */
  about?: { candidateIds: readonly string[]; opportunityIds: readonly string[] } | undefined;
  /** Records by or about any of these users: the actor `user:<id>` or a subject's userId. */
  userIds?: readonly string[] | undefined;
  /** Records of a workflow: its own (actor `workflow:<id>`) and those of its runs' traces. */
  workflow?: { id: string; traceIds: readonly string[] } | undefined;
  /** Created at or after this time. */
  from?: Date | undefined;
  /** Created before this time. */
  to?: Date | undefined;
  limit?: number | undefined;
}

export interface AuditTrail {
  /**
   * Appends one record. Pass `tx` to append inside your own transaction (the record then exists
   * only if your transaction commits); appends from any number of processes form one chain.
   * One statement; it takes the chain head's lock, which is held until the transaction ends, so
   * make it the last statement of a transaction that has other work.
   */
  append(record: AuditAppend, tx?: Queryable): Promise<AuditRecord>;
  /** Appends several records, in order, in one statement (see `append`). */
  appendMany(records: readonly AuditAppend[], tx?: Queryable): Promise<AuditRecord[]>;
  /**
   * For callers that fold an append into a statement of their own (one round trip, one commit):
   * SQL for a set-returning call that appends `records` when evaluated, one row per record.
   * `bind` adds a parameter to the caller's statement and returns its placeholder. With `when`
   * (an SQL condition), nothing is appended where it does not hold. Put the call last, e.g.
   * `with done as (update … returning id) select 1 from done cross join lateral <call>`: evaluated
   * once per row of `done`, and not at all when it has none.
   */
  appendCall(records: readonly AuditAppend[], bind: (value: unknown) => string, when?: string): string;
  /**
   * Re-computes the whole chain and reports every place it is broken. `anchors` are chain heads
   * noted earlier outside Fulcrum; each must still be the hash of its record. `source` says where
   * an anchor came from (an anchor file, a ticket) in the problem it raises.
   */
  verify(options?: { anchors?: readonly { seq: number; hash: string; source?: string | undefined }[] }): Promise<AuditVerifyResult>;
  /**
   * Records created in [from, to), oldest first, as JSON Lines (each string ends with "\n"), then
   * one last line with the chain head the export was taken at:
   * `{"chainHead":{"seq":…,"hash":"…"},"exportedAt":"…"}`. Records appended while the export runs
   * are left out, so the head line describes exactly the chain exported from.
   */
  export(range?: { from?: Date | string | undefined; to?: Date | string | undefined }): AsyncIterable<string>;
  /** Records about a candidate, opportunity, user or trace, oldest first. */
  search(query: AuditSearch): Promise<AuditRecord[]>;
}

/** The part of a record the hash covers. The sequence number is left out on purpose: order is
 * carried by the prev-hash links, so a moved record shows as "reordered", not as "edited". */
function hashedContent(r: Omit<AuditRecord, "seq" | "prevHash" | "hash">): string {
  return canonicalJson({ kind: r.kind, traceId: r.traceId, actor: r.actor, subject: r.subject, data: r.data, createdAt: r.createdAt });
}

/**
 * The canonical JSON of a record in two parts, before and after its creation time, so the
 * database can stamp the time under the chain head's lock and hash `prevHash + before + createdAt
 * + after` — exactly `hashedContent` (keys in canonical order: actor, createdAt, data, kind,
 * subject, traceId).
 */
export function hashedParts(r: Omit<AuditRecord, "seq" | "prevHash" | "hash" | "createdAt">): { before: string; after: string } {
  return {
    before: `{"actor":${canonicalJson(r.actor)},"createdAt":"`,
    after: `","data":${canonicalJson(r.data)},"kind":${canonicalJson(r.kind)},"subject":${canonicalJson(r.subject)},"traceId":${canonicalJson(r.traceId)}}`,
  };
}

/** sha256(prevHash + canonical JSON of the record), hex. */
export function hashRecord(prevHash: string, r: Omit<AuditRecord, "seq" | "prevHash" | "hash">): string {
  return createHash("sha256").update(prevHash).update(hashedContent(r)).digest("hex");
}

interface Row {
  seq: number | string;
  prev_hash: string;
  hash: string;
  kind: string;
  trace_id: string | null;
  actor: string;
  connection_id: string | null;
  opportunity_id: string | null;
  candidate_id: string | null;
  user_id: string | null;
  data: unknown;
  created_at: Date | string;
}

interface StoredData {
  subject?: Record<string, string>;
  data: unknown;
}

function fromRow(row: Row): AuditRecord & { columnsMatch: boolean } {
  const stored = (typeof row.data === "string" ? JSON.parse(row.data) : row.data) as StoredData;
  const subject = stored.subject ?? {};
  // The id columns are copies of the hashed subject, kept for search; a copy that disagrees was
  // changed behind the chain's back.
  const columnsMatch =
    (row.connection_id ?? undefined) === subject["connectionId"] &&
    (row.opportunity_id ?? undefined) === subject["opportunityId"] &&
    (row.candidate_id ?? undefined) === subject["candidateId"] &&
    (row.user_id ?? undefined) === subject["userId"];
  return {
    columnsMatch,
    seq: Number(row.seq),
    prevHash: row.prev_hash,
    hash: row.hash,
    kind: row.kind,
    traceId: row.trace_id,
    actor: row.actor,
    subject,
    data: stored.data ?? null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function cleanSubject(subject: AuditSubject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(subject ?? {})) if (typeof v === "string" && v !== "") out[k] = v;
  return out;
}

const SELECT = "select seq, prev_hash, hash, kind, trace_id, actor, connection_id, opportunity_id, candidate_id, user_id, data, created_at from audit_records";

/**
 * The audit trail over a migrated database (PGlite or PostgreSQL).
 *
 * @example
 * const audit = createAuditTrail(db);
 * await audit.append({ kind: AUDIT_KINDS.leverWrite, traceId, actor: "workflow:screening",
 *   subject: { connectionId, opportunityId }, data: { what: "addNote", stepKey, leverId } });
 * const { ok, problems } = await audit.verify();
 */
export function createAuditTrail(db: Database): AuditTrail {
  /** The record as hashed and stored, and what `audit_append` (migration 0080) is given for it. */
  function prepare(record: AuditAppend) {
    if (!record.kind || !record.actor) throw new TypeError("audit record needs a kind and an actor");
    const subject = cleanSubject(record.subject);
    const content = { kind: record.kind, traceId: record.traceId ?? null, actor: record.actor, subject, data: toJsonValue(record.data) };
    const { before, after } = hashedParts(content);
    return {
      content,
      arg: {
        before,
        after,
        kind: content.kind,
        traceId: content.traceId,
        actor: content.actor,
        connectionId: subject["connectionId"] ?? null,
        opportunityId: subject["opportunityId"] ?? null,
        candidateId: subject["candidateId"] ?? null,
        userId: subject["userId"] ?? null,
        stored: { subject, data: content.data },
      },
    };
  }

  async function appendIn(tx: Queryable, records: readonly AuditAppend[]): Promise<AuditRecord[]> {
    if (records.length === 0) return [];
    const prepared = records.map(prepare);
    // One statement: the function locks the single head row (serialising appenders, across
    // processes on PostgreSQL too, until this transaction ends), stamps and hashes each record,
    // inserts them and moves the head.
    const { rows } = await tx.query<{ o_seq: number | string; o_prev_hash: string; o_hash: string; o_created_at: string }>(
      "select o_seq, o_prev_hash, o_hash, o_created_at from audit_append($1::jsonb)",
      [JSON.stringify(prepared.map((p) => p.arg))],
    );
    if (rows.length !== prepared.length) throw new Error(`audit_append stored ${rows.length} of ${prepared.length} records`);
    return rows.map((row, i) => ({
      seq: Number(row.o_seq),
      prevHash: row.o_prev_hash,
      hash: row.o_hash,
      ...prepared[i]!.content,
      createdAt: row.o_created_at,
    }));
  }

  async function* rowsInOrder(where = "", params: unknown[] = []): AsyncGenerator<AuditRecord & { columnsMatch: boolean }> {
    // Keyset paging keeps memory flat however long the chain is.
    let after = 0;
    for (;;) {
      const clause = where ? `where seq > $1 and ${where}` : "where seq > $1";
      const { rows } = await db.query<Row>(`${SELECT} ${clause} order by seq limit 1000`, [after, ...params]);
      for (const row of rows) yield fromRow(row);
      if (rows.length < 1000) return;
      after = Number(rows.at(-1)!.seq);
    }
  }

  return {
    async append(record, tx) {
      // A single statement commits on its own: no transaction needed around it.
      const [stored] = await appendIn(tx ?? db, [record]);
      return stored!;
    },

    appendMany(records, tx) {
      return appendIn(tx ?? db, records);
    },

    appendCall(records, bind, when) {
      const arg = `${bind(JSON.stringify(records.map((r) => prepare(r).arg)))}::jsonb`;
      return `audit_append(${when ? `case when ${when} then ${arg} end` : arg})`;
    },

    async verify(options = {}) {
      const problems: AuditProblem[] = [];
      const anchors = new Map((options.anchors ?? []).map((a) => [a.seq, a.hash]));
      const anchorSource = new Map((options.anchors ?? []).map((a) => [a.seq, a.source ?? "the anchor noted earlier"]));
      const seen = new Set<number>();
      // First pass: every hash present (to tell a record that moved — its predecessor exists
      // elsewhere — from one whose predecessor is gone), which records still match their hash,
      // and the chain's own order, found by following the links from the start.
      const present = new Map<string, number>();
      const intact = new Set<number>();
      const nextOf = new Map<string, string>();
      for await (const r of rowsInOrder()) {
        present.set(r.hash, r.seq);
        if (hashRecord(r.prevHash, r) === r.hash && r.columnsMatch) {
          intact.add(r.seq);
          if (!nextOf.has(r.prevHash)) nextOf.set(r.prevHash, r.hash);
        }
      }
      const chainPosition = new Map<string, number>();
      for (let cur = nextOf.get(GENESIS_HASH), i = 1; cur !== undefined && !chainPosition.has(cur); cur = nextOf.get(cur), i++) chainPosition.set(cur, i);

      let previous: AuditRecord | undefined;
      let checked = 0;
      for await (const r of rowsInOrder()) {
        checked++;
        const position = checked;
        const anchored = anchors.get(r.seq);
        seen.add(r.seq);
        if (anchored !== undefined && anchored !== r.hash) {
          problems.push({
            seq: r.seq,
            kind: "edited",
            detail: `its hash ${r.hash.slice(0, 12)}… differs from ${anchorSource.get(r.seq)} (${anchored.slice(0, 12)}…); the chain was rewritten at or before this record`,
          });
        }
        const expectedPrev = previous?.hash ?? GENESIS_HASH;
        if (!intact.has(r.seq)) {
          const selfOk = hashRecord(r.prevHash, r) === r.hash;
          problems.push({
            seq: r.seq,
            kind: "edited",
            detail: selfOk ? "its subject id columns differ from the hashed subject" : "its content no longer matches its hash",
          });
        }
        if (r.prevHash !== expectedPrev) {
          const predecessorSeq = r.prevHash === GENESIS_HASH ? 0 : present.get(r.prevHash);
          const expectedSeq = (previous?.seq ?? 0) + 1;
          if (predecessorSeq !== undefined) {
            // Only records out of their chain position moved; a neighbour of a moved record has a
            // broken link too, but sits exactly where the chain puts it.
            const belongsAt = chainPosition.get(r.hash);
            if (belongsAt !== position) {
              problems.push({
                seq: r.seq,
                kind: "reordered",
                detail:
                  belongsAt !== undefined
                    ? `it is record ${belongsAt} of the chain but sits in place ${position}`
                    : `it follows record ${predecessorSeq} in the chain but sits after ${previous?.seq ?? "the start"}`,
              });
            }
          } else if (r.seq === expectedSeq && previous) {
            // No gap, yet the link is broken: the record before was changed and re-hashed.
            if (!problems.some((p) => p.seq === previous!.seq && p.kind === "edited")) {
              problems.push({ seq: previous.seq, kind: "edited", detail: "it was changed and its hash recomputed; the next record no longer links to it" });
            }
          } else {
            const missingFrom = expectedSeq;
            const missingTo = r.seq - 1;
            problems.push({
              seq: missingFrom,
              kind: "removed",
              detail:
                missingTo > missingFrom
                  ? `records ${missingFrom}–${missingTo} are missing`
                  : missingTo === missingFrom
                    ? `record ${missingFrom} is missing`
                    : "a record before this one is missing",
            });
          }
        }
        previous = r;
      }
      for (const seq of anchors.keys()) {
        if (!seen.has(seq)) problems.push({ seq, kind: "removed", detail: `the record anchored in ${anchorSource.get(seq)} is missing` });
      }
      const head = await db.query<{ seq: number | string; hash: string }>("select seq, hash from audit_chain_head where id");
      const h = head.rows[0];
      if (!h) {
        problems.push({ seq: 0, kind: "removed", detail: "the chain head row is missing" });
      } else if (Number(h.seq) > (previous?.seq ?? 0)) {
        const from = (previous?.seq ?? 0) + 1;
        problems.push({ seq: from, kind: "removed", detail: `the chain ends at ${previous?.seq ?? 0} but ${h.seq} records were appended` });
      } else if (previous && h.hash !== previous.hash && Number(h.seq) === previous.seq) {
        if (!problems.some((p) => p.seq === previous!.seq)) {
          problems.push({ seq: previous.seq, kind: "edited", detail: "the last record's hash differs from the one recorded at append" });
        }
      }
      return { ok: problems.length === 0, checked, problems, head: h ? { seq: Number(h.seq), hash: h.hash } : null };
    },

    async *export(range = {}) {
      const head = await db.query<{ seq: number | string; hash: string }>("select seq, hash from audit_chain_head where id");
      const headSeq = Number(head.rows[0]?.seq ?? 0);
      const params: unknown[] = [headSeq];
      const conditions: string[] = ["seq <= $2"];
      if (range.from !== undefined) {
        params.push(new Date(range.from).toISOString());
        conditions.push(`created_at >= $${params.length + 1}`);
      }
      if (range.to !== undefined) {
        params.push(new Date(range.to).toISOString());
        conditions.push(`created_at < $${params.length + 1}`);
      }
      for await (const { columnsMatch: _, ...r } of rowsInOrder(conditions.join(" and "), params)) yield `${JSON.stringify(r)}\n`;
      // The head goes with every export, so an auditor holding one can tell later whether the
      // chain was rewritten before that point (compare it with `fulcrum audit verify --anchor`).
      const chainHead = head.rows[0] ? { seq: headSeq, hash: head.rows[0].hash } : null;
      yield `${JSON.stringify({ chainHead, exportedAt: new Date().toISOString() })}\n`;
    },

    async search(query) {
      const conditions: string[] = [];
      const params: unknown[] = [];
      const add = (sql: (n: string) => string, value: string) => {
        params.push(value);
        conditions.push(sql(`$${params.length}`));
      };
      if (query.candidateId) add((p) => `candidate_id = ${p}`, query.candidateId);
      if (query.opportunityId) add((p) => `opportunity_id = ${p}`, query.opportunityId);
      if (query.traceId) add((p) => `trace_id = ${p}`, query.traceId);
      if (query.kind) add((p) => `kind = ${p}`, query.kind);
      if (query.userId) {
        params.push(query.userId, `user:${query.userId}`);
        conditions.push(`(user_id = $${params.length - 1} or actor = $${params.length})`);
      }
      // Lists match through `= any(array)`, which uses the same indexes as a single id.
      if (query.about) {
        params.push([...query.about.candidateIds], [...query.about.opportunityIds]);
        conditions.push(`(candidate_id = any($${params.length - 1}::text[]) or opportunity_id = any($${params.length}::text[]))`);
      }
      if (query.userIds) {
        params.push(
          [...query.userIds],
          query.userIds.map((id) => `user:${id}`),
        );
        conditions.push(`(user_id = any($${params.length - 1}::text[]) or actor = any($${params.length}::text[]))`);
      }
      if (query.workflow) {
        params.push(`workflow:${query.workflow.id}`, [...query.workflow.traceIds]);
        conditions.push(`(actor = $${params.length - 1} or trace_id = any($${params.length}::text[]))`);
      }
      if (query.from) {
        params.push(query.from.toISOString());
        conditions.push(`created_at >= $${params.length}::timestamptz`);
      }
      if (query.to) {
        params.push(query.to.toISOString());
        conditions.push(`created_at < $${params.length}::timestamptz`);
      }
      if (conditions.length === 0) throw new TypeError("search needs a candidateId, opportunityId, userId, traceId, kind or time range");
      params.push(Math.min(Math.max(query.limit ?? 1000, 1), 10_000));
      const { rows } = await db.query<Row>(`${SELECT} where ${conditions.join(" and ")} order by seq limit $${params.length}`, params);
      return rows.map((row) => {
        const { columnsMatch: _, ...r } = fromRow(row);
        return r;
      });
    },
  };
}
