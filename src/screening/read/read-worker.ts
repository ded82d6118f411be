/**
 * A reader worker: one thread of the reader pool. Parses one file at a time and posts the bounded
 * result back; the pool owns its limits (heap, memory, deadline) and terminates it when they are
 * passed.
 */
import { parentPort } from "node:worker_threads";
import { boundResult, readByFormat } from "./read-by-format.ts";
import { emptyResult } from "./types.ts";

export interface ReadRequest {
  id: number;
  bytes: Uint8Array;
  filename?: string;
  mime?: string;
}

parentPort!.on("message", async (request: ReadRequest) => {
  let result;
  try {
    result = boundResult(await readByFormat(request.bytes, request.filename, request.mime));
  } catch (error) {
    result = emptyResult("unknown", "corrupt", `The file could not be read: ${(error as Error)?.message ?? String(error)}.`);
  }
  parentPort!.postMessage({ id: request.id, result });
});
