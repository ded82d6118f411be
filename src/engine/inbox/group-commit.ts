/**
 * Group commit: callers that arrive while a write is in flight wait together and are written by
 * the next write as one batch (one transaction, one multi-row statement). An idle system writes a
 * lone request at once, so batching adds no delay when there is nothing to batch with; under load
 * the number of transactions (and fsyncs) per request falls, which is what lets intake keep pace
 * with a bare HTTP server.
 */

export interface GroupCommitOptions<I, O> {
  /** Writes one batch; must resolve to one result per item, in order. */
  write(items: I[]): Promise<O[]>;
  /** Most items in one batch. */
  maxBatch: number;
  /**
   * Batches written at the same time (1 for a single-connection database). Only full batches are
   * written beside another: a partial one waits for the write in flight and grows meanwhile. Every
   * transaction has a fixed cost (round trips, statement executions, a commit), so splitting a
   * backlog into several small concurrent batches costs more CPU per item than one larger batch,
   * and on a machine whose cores are all busy that lowers throughput instead of raising it.
   */
  maxInFlight: number;
  /**
   * How long a batch waits for company before it is written, in milliseconds (default 0: at
   * once; what arrives meanwhile makes the next batch). For a database that runs its queries on
   * this very event loop, where no other request is read while it writes: without a short wait
   * every batch would hold a single request.
   */
  lingerMs?: number;
}

interface Waiter<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export interface GroupCommit<I, O> {
  /** Queues `item` for the next batch and resolves with its own result once that batch commits. */
  submit(item: I): Promise<O>;
  /** Resolves when nothing is waiting or being written. */
  drain(): Promise<void>;
}

export function createGroupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  const waiting: Waiter<I, O>[] = [];
  let inFlight = 0;
  let idle: (() => void)[] = [];
  const lingerMs = options.lingerMs ?? 0;
  let lingering: NodeJS.Timeout | undefined;

  function pump(): void {
    if (lingerMs > 0 && waiting.length < options.maxBatch && inFlight < options.maxInFlight) {
      lingering ??= setTimeout(() => {
        lingering = undefined;
        flush();
      }, lingerMs);
      return;
    }
    flush();
  }

  function flush(): void {
    if (lingering && waiting.length >= options.maxBatch) {
      clearTimeout(lingering);
      lingering = undefined;
    }
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      if (inFlight > 0 && waiting.length < options.maxBatch) break;
      const batch = waiting.splice(0, options.maxBatch);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        if (waiting.length > 0) pump();
        else if (inFlight === 0 && !lingering) {
          const done = idle;
          idle = [];
          for (const fn of done) fn();
        }
      });
    }
  }

  async function run(batch: Waiter<I, O>[]): Promise<void> {
    try {
      const results = await options.write(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        pump();
      });
    },
    drain() {
      if (inFlight === 0 && waiting.length === 0 && !lingering) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
