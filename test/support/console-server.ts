/**
 * Fulcrum as `fulcrum serve` runs it, for the console's browser tests: the console built when its
 * sources are newer than the bundle, a data folder of its own (the embedded database), the built-in
 * Lever sandbox, and free ports for both.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildConsole, consoleIsStale } from "../../scripts/build-web.ts";
import { startServer, type RunningServer } from "../../src/cli/commands/serve.ts";
import { loadConfig } from "../../src/config/index.ts";
import { silentLogger } from "../../src/observability/index.ts";

export interface ConsoleServer {
  running: RunningServer;
  url: string;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/** Starts the server; `name` names its data folder (`fulcrum-<name>-…` in the temporary folder). */
export async function startConsoleServer(name: string): Promise<ConsoleServer> {
  if (consoleIsStale()) await buildConsole();
  const dataDir = mkdtempSync(join(tmpdir(), `fulcrum-${name}-`));
  try {
    const running = await startServer({
      config: loadConfig({ FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", FULCRUM_LOG_LEVEL: "silent" }),
      logger: silentLogger,
    });
    return {
      running,
      url: running.url,
      stop: async () => {
        await running.stop({ timeoutMs: 2000 });
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
