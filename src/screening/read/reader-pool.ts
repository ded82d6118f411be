/**
 * Resume files are parsed in worker threads, never on the server's main thread, so a hostile file
 * (a PDF whose streams inflate to gigabytes, HTML nested 200,000 deep) costs one worker, not the
 * webhooks, the console and the API. Each worker has hard limits:
 *
 * - a V8 heap cap (`resourceLimits`), which ends the worker when JavaScript objects pass it;
 * - a memory watch: typed arrays live outside the V8 heap and are not capped by it, so the pool
 *   asks each busy worker for its heap and external memory every {@link MEMORY_POLL_MS} ms and
 *   terminates it past {@link ReaderLimits.memoryMb};
 * - a wall-clock deadline after which the worker is terminated, mid-instruction if need be.
 *
 * A small pool (one worker per spare core, at most two) bounds the CPU and memory all uploads
 * together may take; files beyond it wait their turn. Idle workers stay warm for a while (loading
 * pdf.js takes a few hundred milliseconds) and never keep the process alive.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ReadRequest } from "./read-worker.ts";
import type { ReadResult } from "./types.ts";
import { emptyResult } from "./types.ts";

export interface ReaderLimits {
  /** Workers parsing at once. */
  maxWorkers: number;
  /** V8 old-generation heap of one worker, in MB. */
  heapMb: number;
  /** Heap plus external memory (typed arrays) one worker may use, in MB. */
  memoryMb: number;
  /** A worker idle this long is ended, giving its memory back. */
  idleMs: number;
  /** A worker is replaced after this many files, so nothing one file left behind lingers. */
  maxFilesPerWorker: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxWorkers: Math.max(1, Math.min(2, availableParallelism() - 1)),
  heapMb: 256,
  memoryMb: 512,
  idleMs: 30_000,
  maxFilesPerWorker: 200,
};

const MEMORY_POLL_MS = 50;
const WORKER_URL = new URL("./read-worker.ts", import.meta.url);

interface Job {
  bytes: Uint8Array;
  filename?: string;
  mime?: string;
  deadlineMs: number;
  resolve: (result: ReadResult) => void;
}

interface Slot {
  worker: Worker;
  files: number;
  /** The heap cap it was started with. */
  heapMb: number;
  /** Terminated or exited: never given another file. */
  dead?: boolean;
  idleTimer?: NodeJS.Timeout;
  /** Settles the running job; set while the worker is busy. */
  finish?: (result: ReadResult | undefined) => void;
}

let limits: ReaderLimits = { ...DEFAULT_READER_LIMITS };
const idle: Slot[] = [];
const busy = new Set<Slot>();
const queue: Job[] = [];
let nextId = 1;
let started = 0;
let alive = 0;
let stopped = 0;

/**
 * What the pool is doing: workers `busy` and `idle`, files `queued`, worker threads still `alive`
 * (a terminated one counts until it has exited), and workers `stopped` mid-file for passing a
 * limit. For tests, metrics and the benchmark.
 */
export function readerPoolStats(): { busy: number; idle: number; queued: number; alive: number; started: number; stopped: number; limits: ReaderLimits } {
  return { busy: busy.size, idle: idle.length, queued: queue.length, alive, started, stopped, limits: { ...limits } };
}

/** Changes the pool's limits for files read from now on (workers already running keep theirs). */
export function configureReaderPool(change: Partial<ReaderLimits>): void {
  limits = { ...limits, ...change };
  for (const slot of idle.splice(0)) retire(slot);
}

/** "30 s", or "250 ms" for limits under a second. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

function retire(slot: Slot): void {
  clearTimeout(slot.idleTimer);
  slot.dead = true;
  void slot.worker.terminate();
}

function spawn(): Slot {
  started++;
  alive++;
  const worker = new Worker(WORKER_URL, {
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 32 },
    stdout: false,
    stderr: false,
  });
  const slot: Slot = { worker, files: 0, heapMb: limits.heapMb };
  worker.on("error", (error: Error & { code?: string }) => {
    slot.dead = true;
    const outOfMemory = error.code === "ERR_WORKER_OUT_OF_MEMORY";
    slot.finish?.(
      outOfMemory
        ? emptyResult(
            "unknown",
            "too-large",
            `Reading the file needed more than ${slot.heapMb} MB of memory and was stopped; it looks built to exhaust the server.`,
          )
        : emptyResult("unknown", "corrupt", `The file could not be read: ${error.message}.`),
    );
  });
  worker.on("exit", () => {
    alive--;
    slot.dead = true;
    slot.finish?.(emptyResult("unknown", "corrupt", "The reader stopped before finishing the file."));
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
    clearTimeout(slot.idleTimer);
  });
  return slot;
}

function run(slot: Slot, job: Job): void {
  clearTimeout(slot.idleTimer);
  busy.add(slot);
  slot.files++;
  slot.worker.ref();
  const id = nextId++;
  const memoryLimit = limits.memoryMb * 1024 * 1024;
  let done = false;
  const stop = (result: ReadResult) => {
    if (done) return;
    stopped++;
    slot.dead = true;
    slot.finish?.(result);
    void slot.worker.terminate();
  };
  const deadline = setTimeout(
    () => stop(emptyResult("unknown", "corrupt", `Reading the file took longer than ${duration(job.deadlineMs)} and was stopped.`)),
    job.deadlineMs,
  );
  const watch = setInterval(() => {
    slot.worker.getHeapStatistics().then(
      (heap) => {
        const used = heap.used_heap_size + heap.external_memory;
        if (used > memoryLimit)
          stop(
            emptyResult(
              "unknown",
              "too-large",
              `Reading the file needed more than ${limits.memoryMb} MB of memory and was stopped; it looks built to exhaust the server.`,
            ),
          );
      },
      () => {},
    );
  }, MEMORY_POLL_MS);
  const onMessage = (message: { id: number; result: ReadResult }) => {
    if (message.id === id) slot.finish?.(message.result);
  };
  slot.worker.on("message", onMessage);
  slot.finish = (result) => {
    if (done) return;
    done = true;
    clearTimeout(deadline);
    clearInterval(watch);
    slot.worker.off("message", onMessage);
    slot.finish = undefined;
    busy.delete(slot);
    job.resolve(result ?? emptyResult("unknown", "corrupt", "The reader stopped before finishing the file."));
    release(slot);
  };
  const request: ReadRequest = { id, bytes: job.bytes, ...(job.filename ? { filename: job.filename } : {}), ...(job.mime ? { mime: job.mime } : {}) };
  slot.worker.postMessage(request);
}

function release(slot: Slot): void {
  if (slot.dead || slot.files >= limits.maxFilesPerWorker) {
    if (!slot.dead) retire(slot);
  } else {
    const next = queue.shift();
    if (next) return run(slot, next);
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      const i = idle.indexOf(slot);
      if (i >= 0) idle.splice(i, 1);
      retire(slot);
    }, limits.idleMs);
    slot.idleTimer.unref();
    idle.push(slot);
    return;
  }
  pump();
}

function pump(): void {
  while (queue.length > 0 && busy.size < limits.maxWorkers) {
    const slot = idle.pop() ?? spawn();
    run(slot, queue.shift()!);
  }
}

/**
 * Parses a file in a reader worker within the pool's limits and `deadlineMs` (counted from when a
 * worker takes the file). Never rejects: every failure is a status with a message.
 */
export function readInWorker(bytes: Uint8Array, options: { filename?: string; mime?: string; deadlineMs: number }): Promise<ReadResult> {
  return new Promise((resolve) => {
    queue.push({
      bytes,
      deadlineMs: options.deadlineMs,
      resolve,
      ...(options.filename ? { filename: options.filename } : {}),
      ...(options.mime ? { mime: options.mime } : {}),
    });
    pump();
  });
}
