/**
 * An in-memory write ledger, for library use and tests without a database. It forgets everything
 * when the process ends, so it protects against duplicate writes within one process only; deployments
 * use `src/store/lever-write-ledger.ts`.
 */
import type { LeverWriteRecord, WriteLedger } from "./ports.ts";

export function createMemoryWriteLedger(): WriteLedger & { records: Map<string, LeverWriteRecord> } {
  const records = new Map<string, LeverWriteRecord>();
  const id = (connectionId: string, key: string) => `${connectionId}\u0000${key}`;
  return {
    records,
    async get(connectionId, key) {
      const r = records.get(id(connectionId, key));
      return r ? structuredClone(r) : undefined;
    },
    async begin(connectionId, key, operation) {
      const existing = records.get(id(connectionId, key));
      records.set(id(connectionId, key), {
        connectionId,
        key,
        operation,
        status: "pending",
        leverId: existing?.leverId ?? null,
        result: existing?.result ?? null,
        error: null,
        attempts: (existing?.attempts ?? 0) + 1,
      });
    },
    async settle(connectionId, key, outcome) {
      const existing = records.get(id(connectionId, key));
      if (!existing) throw new Error(`write ledger: no record for key "${key}"`);
      if (outcome.status === "done") {
        records.set(id(connectionId, key), { ...existing, status: "done", leverId: outcome.leverId, result: structuredClone(outcome.result), error: null });
      } else {
        records.set(id(connectionId, key), { ...existing, status: outcome.status, error: outcome.error });
      }
    },
  };
}
