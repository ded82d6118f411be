import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { migrate, openDatabase } from "../../store/index.ts";
import { openConnections } from "./index.ts";

/** A data folder whose serve.pid names `pid`, as a running `fulcrum serve` leaves it. */
function dataDirHeldBy(pid: number): string {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-open-registry-"));
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data", "serve.pid"), `${pid}\n`);
  return dir;
}

describe("openConnections beside a running fulcrum serve", () => {
  // The test runner (our parent) stands in for the server: a live process other than this one.
  const serverPid = process.ppid;

  it("refuses to open the embedded database, with the message the other commands give, and touches nothing", async () => {
    const dir = dataDirHeldBy(serverPid);
    try {
      const config = loadConfig({ FULCRUM_DATA_DIR: join(dir, "data") });
      await assert.rejects(openConnections(config, silentLogger), (error: Error) => {
        assert.match(error.message, new RegExp(`^fulcrum serve \\(pid ${serverPid}\\) is using the embedded database in `));
        assert.match(error.message, /serves one process at a time; stop it first, or use the console or the REST API under \/api/);
        return true;
      });
      // Neither the database nor a secret key was created.
      assert.deepEqual(readdirSync(join(dir, "data")), ["serve.pid"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opens it once the pid file names no live process", async () => {
    const dir = dataDirHeldBy(2 ** 22 + 1); // above Linux's pid_max: never a live process
    try {
      const config = loadConfig({ FULCRUM_DATA_DIR: join(dir, "data") });
      const opened = await openConnections(config, silentLogger);
      await opened.close();
      assert.ok(existsSync(join(dir, "data", "db")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets serve itself build the registry over the database it holds", async () => {
    const dir = dataDirHeldBy(serverPid);
    try {
      const config = loadConfig({ FULCRUM_DATA_DIR: join(dir, "data") });
      const db = await openDatabase({ dataDir: "memory://" });
      try {
        await migrate(db);
        const opened = await openConnections(config, silentLogger, { db });
        assert.deepEqual(await opened.registry.list(), []);
        await opened.close();
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
