/**
 * A reader worker: one thread of the reader pool. Parses one file at a time and posts the bounded
 * result back; the pool owns its limits (heap, memory, deadline) and terminates it when they are
 * passed.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { boundResult, readByFormat } from "./read-by-format.ts";
import { emptyResult } from "./types.ts";

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  filename?: string;
  mime?: string;
}

/**
 * On Linux a thread has its own scheduling priority: the reader thread takes the lowest, so on a
 * busy machine the server's main thread (webhooks, console, API) gets the CPU first. Elsewhere the
 * reader runs at the process's priority.
 */
function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // No /proc, or not allowed: the limits still hold, only the priority is shared.
  }
}

lowerThisThreadsPriority();

parentPort!.on("message", async (request: ReadRequest) => {
  let result;
  try {
    result = boundResult(await readByFormat(request.bytes, request.filename, request.mime));
  } catch (error) {
    result = emptyResult("unknown", "corrupt", `The file could not be read: ${(error as Error)?.message ?? String(error)}.`);
  }
  parentPort!.postMessage({ id: request.id, result });
});
