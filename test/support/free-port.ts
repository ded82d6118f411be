/**
 * Ports for servers a test starts. A port found free may be taken by another process before the
 * server listens on it (test files run side by side, and Chromium and the databases open ports of
 * their own), so a server whose address must be known before it starts (its public URL is in its
 * config) is started with `onFreePort`, which tries another port when that happens.
 */
import { createServer } from "node:net";

/** A port nobody listens on at this moment, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Runs `start` on a free port, and again on another when the port was taken in between
 * (EADDRINUSE), up to `attempts` times. `start` must release what it opened when it fails, as
 * `startServer` does.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if ((error as { code?: string }).code !== "EADDRINUSE" || attempt >= attempts) throw error;
    }
  }
}
