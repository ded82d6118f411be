/**
 * The embedded database's own thread. PGlite runs PostgreSQL compiled to WebAssembly on whatever
 * thread calls it, and a statement holds that thread until it is done (about a millisecond for the
 * engine's statements). Run on the main thread, every statement stalls the HTTP server, the Lever
 * client and the workflow code behind it; run here, it uses the second core while the main thread
 * goes on. `pglite-thread.ts` is the other end: it speaks the protocol below and gives the rest of
 * Fulcrum the same `Database` interface as before.
 *
 * Protocol (one message per request, answered by `id`):
 *   query {sql, params, tx?}   → {rows, rowCount}
 *   exec  {sql, tx?}           → [{rows}]    (one per statement)
 *   batch {statements}         → [{rows, rowCount}] (one per statement, run as one transaction)
 *   begin                      → {tx}        (a transaction is open and holds PGlite's lock)
 *   end   {tx, commit}         → null        (committed, or rolled back when `commit` is false)
 *   listen / unlisten {channel}→ null        (notifications arrive as {notify, payload})
 *   close                      → null
 * Errors come back as plain objects carrying PostgreSQL's fields (`code`, `detail`, …).
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { createStatementCache, rowCountOf, type Statement } from "./pglite-prepared.ts";

export interface WorkerOptions {
  dataDir: string;
  /** PGlite's code and initial files, compiled and read once by the main thread. */
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

export type Request =
  | { id: number; op: "query"; sql: string; params: unknown[]; tx?: number }
  | { id: number; op: "exec"; sql: string; tx?: number }
  | { id: number; op: "batch"; statements: Statement[] }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "listen" | "unlisten"; channel: string }
  | { id: number; op: "close" };

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: Record<string, unknown> } | { notify: string; payload: string };

/** Thrown inside a transaction's callback to make PGlite roll it back. */
const ROLLBACK = Symbol("rollback");

const port = parentPort!;
const { dataDir, ...artifacts } = workerData as WorkerOptions;
const db = await PGlite.create(dataDir, artifacts);
const statements = createStatementCache();

interface OpenTransaction {
  tx: Transaction;
  end(commit: boolean, replyTo: number): void;
}
const open = new Map<number, OpenTransaction>();
const listening = new Map<string, () => Promise<void>>();
let nextTx = 1;

function reply(id: number, result: unknown): void {
  port.postMessage({ id, ok: true, result } satisfies Reply);
}

function fail(id: number, error: unknown): void {
  port.postMessage({ id, ok: false, error: errorFields(error) } satisfies Reply);
}

/** PGlite's `DatabaseError` carries PostgreSQL's fields as own properties; keep them all. */
function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { message: error.message, name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === "function" || typeof value === "object") continue;
    fields[key] = value;
  }
  return fields;
}

function target(tx: number | undefined) {
  if (tx === undefined) return db;
  const t = open.get(tx);
  if (!t) throw new Error(`transaction ${tx} is not open`);
  return t.tx;
}

// ------------------------------------------------------------------ transactions

function begin(id: number): void {
  const tx = nextTx++;
  let settle!: (outcome: { commit: boolean; replyTo: number }) => void;
  const ended = new Promise<{ commit: boolean; replyTo: number }>((resolve) => (settle = resolve));
  let replyTo = -1;
  db.transaction(async (handle) => {
    open.set(tx, { tx: handle, end: (commit, to) => settle({ commit, replyTo: to }) });
    reply(id, { tx });
    const outcome = await ended;
    replyTo = outcome.replyTo;
    open.delete(tx);
    if (!outcome.commit) throw ROLLBACK;
  }).then(
    () => reply(replyTo, null),
    (error: unknown) => {
      open.delete(tx);
      if (replyTo === -1) fail(id, error);
      else if (error === ROLLBACK) reply(replyTo, null);
      else fail(replyTo, error);
    },
  );
}

async function handle(message: Request): Promise<void> {
  const { id } = message;
  try {
    switch (message.op) {
      case "query": {
        const r = await statements.run(target(message.tx), message.tx !== undefined, message.sql, message.params);
        reply(id, { rows: r.rows, rowCount: rowCountOf(r) });
        return;
      }
      case "exec": {
        const results = await target(message.tx).exec(message.sql);
        reply(
          id,
          results.map((r) => ({ rows: r.rows })),
        );
        return;
      }
      case "batch": {
        const results = await statements.batch(db, message.statements);
        reply(id, results);
        return;
      }
      case "begin":
        begin(id);
        return;
      case "end": {
        const t = open.get(message.tx);
        if (!t) throw new Error(`transaction ${message.tx} is not open`);
        t.end(message.commit, id);
        return;
      }
      case "listen": {
        if (!listening.has(message.channel)) {
          const channel = message.channel;
          listening.set(channel, await db.listen(channel, (payload) => port.postMessage({ notify: channel, payload } satisfies Reply)));
        }
        reply(id, null);
        return;
      }
      case "unlisten": {
        const stop = listening.get(message.channel);
        listening.delete(message.channel);
        await stop?.();
        reply(id, null);
        return;
      }
      case "close":
        await db.close();
        reply(id, null);
        port.close();
        return;
    }
  } catch (error) {
    fail(id, error);
  }
}

port.on("message", (message: Request) => void handle(message));
port.postMessage({ id: 0, ok: true, result: "ready" } satisfies Reply);
