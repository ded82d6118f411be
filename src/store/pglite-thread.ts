/**
 * The embedded database on a thread of its own (see `pglite-worker.ts` for why and for the
 * protocol). This end looks like the part of PGlite that Fulcrum and pg-boss use — `query`, `exec`,
 * `transaction`, `listen`, `close` — and forwards each call to the worker.
 *
 * Semantics are PGlite's own: one session, and a transaction holds it, so a statement sent outside
 * an open transaction waits until that transaction ends (PGlite's lock, taken in the worker).
 * The thread keeps the process alive only while a call is waiting on it, as an in-process PGlite
 * would.
 */
import { readFile } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { Reply, Request, WorkerOptions } from "./pglite-worker.ts";
import type { Statement } from "./pglite-prepared.ts";

export interface ThreadQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /** Runs statements with no parameters; one result per statement (as PGlite's `exec`). */
  exec(sql: string): Promise<{ rows: unknown[] }[]>;
}

export interface PgliteThread extends ThreadQueryable {
  /** Runs the statements in one transaction, in one call to the thread (see `StatementCache.batch`). */
  batch(statements: Statement[]): Promise<{ rows: unknown[]; rowCount: number }[]>;
  transaction<T>(fn: (tx: ThreadQueryable) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; resolves to the unsubscribe function (as PGlite's `listen`). */
  listen(channel: string, onNotification: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** An error from the database thread, with PostgreSQL's fields (`code`, `detail`, …) as in PGlite. */
export class DatabaseThreadError extends Error {
  code?: string;
  constructor(fields: Record<string, unknown>) {
    super(String(fields.message ?? "database error"));
    for (const [key, value] of Object.entries(fields))
      if (key !== "message" && key !== "name" && key !== "stack") (this as Record<string, unknown>)[key] = value;
    this.name = fields.name === "DatabaseError" ? "DatabaseError" : "DatabaseThreadError";
  }
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type Outgoing = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/**
 * PGlite's WebAssembly, compiled once per process and handed to each thread: a thread compiling it
 * for itself took over a second per database opened (the CLI opens one per command).
 */
let artifacts: Promise<Omit<WorkerOptions, "dataDir">> | undefined;
function pgliteArtifacts(): Promise<Omit<WorkerOptions, "dataDir">> {
  artifacts ??= (async () => {
    const dist = new URL(".", import.meta.resolve("@electric-sql/pglite"));
    const [pglite, initdb, bundle] = await Promise.all(["pglite.wasm", "initdb.wasm", "pglite.data"].map((file) => readFile(new URL(file, dist))));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(pglite!), WebAssembly.compile(initdb!)]);
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([bundle!]) };
  })();
  artifacts.catch(() => (artifacts = undefined));
  return artifacts;
}

export async function startPgliteThread(dataDir: string): Promise<PgliteThread> {
  const workerData: WorkerOptions = { dataDir, ...(await pgliteArtifacts()) };
  const worker = new Worker(new URL("./pglite-worker.ts", import.meta.url), { workerData });
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let broken: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));
  worker.on("message", (message: Reply) => {
    if ("notify" in message) {
      for (const callback of listeners.get(message.notify) ?? []) callback(message.payload);
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new DatabaseThreadError(message.error));
  });
  const stop = (error: Error) => {
    broken ??= error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("error", (error: Error) => stop(new Error(`the embedded database stopped: ${error.message}`, { cause: error })));
  worker.on("exit", (code) => stop(new Error(`the embedded database's thread exited (code ${code})`)));
  await ready;
  worker.unref();

  function call<T>(request: Outgoing): Promise<T> {
    if (broken) return Promise.reject(broken);
    const id = nextId++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  }

  const on = (tx: number | undefined): ThreadQueryable => ({
    query: <T>(sql: string, params: unknown[] = []) => call<{ rows: T[]; rowCount: number }>({ op: "query", sql, params, ...(tx === undefined ? {} : { tx }) }),
    exec: (sql: string) => call<{ rows: unknown[] }[]>({ op: "exec", sql, ...(tx === undefined ? {} : { tx }) }),
  });
  const session = on(undefined);

  return {
    ...session,
    batch: (statements) => call({ op: "batch", statements }),
    async transaction(fn) {
      const { tx } = await call<{ tx: number }>({ op: "begin" });
      let result;
      try {
        result = await fn(on(tx));
      } catch (error) {
        await call({ op: "end", tx, commit: false }).catch(() => {});
        throw error;
      }
      await call({ op: "end", tx, commit: true });
      return result;
    },
    async listen(channel, onNotification) {
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        await call({ op: "listen", channel });
      }
      set.add(onNotification);
      return async () => {
        const current = listeners.get(channel);
        if (!current?.delete(onNotification) || current.size > 0) return;
        listeners.delete(channel);
        await call({ op: "unlisten", channel });
      };
    },
    async close() {
      if (!broken) await call({ op: "close" });
      await worker.terminate();
    },
  };
}
