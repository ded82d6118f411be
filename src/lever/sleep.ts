import { setTimeout as delay } from "node:timers/promises";

/** Waits `ms` milliseconds; rejects early with the signal's reason when it aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await delay(ms, undefined, signal ? { signal } : undefined);
}
