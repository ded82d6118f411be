/**
 * `fulcrum workflows list` shows the mode ceiling in force: the environment's, or the lower one an
 * admin set live in the console (read from the database), and the console's per-workflow changes.
 * Commands run in this process through the program `fulcrum` builds.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runFulcrum } from "../support/fulcrum-cli.ts";
import { migrate, openDatabase } from "../../src/store/index.ts";
import { createPostgresDatabase, testEngines } from "../../src/store/testing.ts";
import { createModeCeiling } from "../../src/engine/policy/index.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

const savedEnv = { ...process.env };

/** Runs `fulcrum <args>` in this process with `env` as the whole environment. */
const fulcrum = (env: NodeJS.ProcessEnv, ...args: string[]) => runFulcrum(args, env);

function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...savedEnv, FULCRUM_DATA_DIR: dataDir, FULCRUM_LOG_LEVEL: "silent" };
  for (const k of ["FULCRUM_CONFIG", "DATABASE_URL", "FULCRUM_MODE_CEILING", "FULCRUM_WORKFLOWS_DIR", "LEVER_API_KEY"]) delete env[k];
  return env;
}

/** The action lines listed under one workflow. */
const actionsOf = (stdout: string, id: string) => {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`${id} `));
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines
    .slice(start, end === -1 ? undefined : end)
    .filter((l) => l.startsWith("    "))
    .join("\n");
};

/** The block of one workflow in the text listing. */
const blockOf = (stdout: string, id: string) => stdout.split("\n").find((l) => l.startsWith(`${id} `)) ?? "";

describe("fulcrum workflows list without a database", () => {
  it("shows the environment's ceiling and creates no database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-wf-list-"));
    try {
      const r = await fulcrum({ ...baseEnv(dataDir), FULCRUM_MODE_CEILING: "assist" }, "workflows", "list");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^mode ceiling: assist \(FULCRUM_MODE_CEILING\)$/m);
      assert.match(blockOf(r.stdout, "talent-pool-nurture"), /mode shadow \(ceiling assist\)/);
      assert.ok(!existsSync(join(dataDir, "db")), "listing does not create a database");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("says so when fulcrum serve holds the embedded database, instead of failing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "fulcrum-wf-list-"));
    try {
      // A database folder and the pid file of a live process that is not this one (our parent).
      const db = await openDatabase({ dataDir: join(dataDir, "db") });
      await db.close();
      writeFileSync(join(dataDir, "serve.pid"), `${process.ppid}\n`);
      const r = await fulcrum(baseEnv(dataDir), "workflows", "list");
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `^mode ceiling: auto \\(FULCRUM_MODE_CEILING; a live change could not be read: fulcrum serve \\(pid ${process.ppid}\\) holds the embedded database`,
          "m",
        ),
      );
      const json = JSON.parse((await fulcrum(baseEnv(dataDir), "workflows", "list", "--json")).stdout) as {
        modeCeiling: { effective: string; unavailable?: string };
      };
      assert.equal(json.modeCeiling.effective, "auto");
      assert.match(json.modeCeiling.unavailable ?? "", /holds the embedded database/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

for (const e of ENGINES) {
  describe(`fulcrum workflows list with a ceiling lowered live on ${e.kind}`, { skip: e.skip }, () => {
    let dataDir: string;
    let env: NodeJS.ProcessEnv;
    let dropDb: (() => Promise<void>) | undefined;

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "fulcrum-wf-list-"));
      env = baseEnv(dataDir);
      if (e.kind === "postgres") {
        const created = await createPostgresDatabase();
        dropDb = created.drop;
        env.DATABASE_URL = created.url;
        env.FULCRUM_SECRET_KEY = "a".repeat(64);
      }
      const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, "db") });
      try {
        await migrate(db);
        await createModeCeiling(db, "auto").set("assist", "user:ops@example.com");
        await db.query(
          "insert into workflow_settings (workflow_id, enabled, mode, updated_by) values ('talent-pool-nurture', null, 'auto', 'user:ops@example.com'), ('language-check', false, null, 'user:ops@example.com')",
        );
      } finally {
        await db.close();
      }
    });
    after(async () => {
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("prints the effective ceiling, says it was lowered live, and applies it to each workflow", async () => {
      const r = await fulcrum(env, "workflows", "list");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^mode ceiling: assist \(lowered live from FULCRUM_MODE_CEILING=auto by user:ops@example\.com at \d{4}-\d\d-\d\dT[\d:.]+Z\)$/m);
      assert.match(
        blockOf(r.stdout, "talent-pool-nurture"),
        /mode auto → runs as assist \(ceiling assist, lowered live\) \[set live by user:ops@example\.com\]/,
      );
      assert.match(blockOf(r.stdout, "application-screening"), /mode shadow \(ceiling assist, lowered live\)$/);
      assert.match(blockOf(r.stdout, "language-check"), /^language-check \(disabled\) .*\[set live by user:ops@example\.com\]/);
      assert.ok(!/ceiling auto/.test(r.stdout), "the environment's ceiling is not shown as the one in force");
    });

    it("shows each action's effective mode with the layer that decided it", async () => {
      const r = await fulcrum(env, "workflows", "list");
      assert.equal(r.code, 0, r.stderr);
      const nurture = actionsOf(r.stdout, "talent-pool-nurture");
      assert.match(nurture, /^ {4}tags \(lever\.tags\): assist: the mode ceiling \(lowered live from FULCRUM_MODE_CEILING=auto by user:ops@example\.com\)$/m);
      assert.match(nurture, /^ {4}email \(notify\): assist: the mode ceiling .* and e-mail is never sent without a person$/m);
      const screening = actionsOf(r.stdout, "application-screening");
      assert.match(screening, /^ {4}note \(lever\.note\): shadow: the workflow's mode in its file$/m);
      assert.match(screening, /^ {4}advance \(lever\.stage\): shadow: the workflow's mode in its file$/m);
    });

    it("gives the same in JSON", async () => {
      const r = await fulcrum(env, "workflows", "list", "--json");
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as {
        modeCeiling: Record<string, unknown>;
        workflows: { id: string; mode: string; effective: { mode: string; runsAs: string; enabled: boolean } }[];
      };
      assert.equal(json.modeCeiling.effective, "assist");
      assert.equal(json.modeCeiling.environment, "auto");
      assert.equal(json.modeCeiling.override, "assist");
      assert.equal(json.modeCeiling.loweredLive, true);
      const nurture = json.workflows.find((w) => w.id === "talent-pool-nurture")!;
      assert.equal(nurture.mode, "shadow", "the file's mode stays as written");
      assert.deepEqual({ mode: nurture.effective.mode, runsAs: nurture.effective.runsAs }, { mode: "auto", runsAs: "assist" });
      assert.equal(json.workflows.find((w) => w.id === "language-check")!.effective.enabled, false);
      const actions = (nurture.effective as unknown as { actions: { step: string; mode: string; decidedBy: string[]; reason: string }[] }).actions;
      assert.deepEqual(
        actions.map((a) => [a.step, a.mode, a.decidedBy.join("+")]),
        [
          ["tags", "assist", "ceiling"],
          ["note", "assist", "ceiling"],
          ["email", "assist", "ceiling+email"],
        ],
      );
    });

    it("sets a workflow's mode from the command line, and the listing shows every action held to it", async () => {
      const set = await fulcrum(env, "workflows", "mode", "interview-packet", "shadow", "--as", "ops@example.com");
      assert.equal(set.code, 0, set.stderr);
      assert.match(set.stdout, /^interview-packet is now in shadow mode$/m);
      assert.match(set.stdout, /^ {4}note \(lever\.note\): shadow: the workflow's mode \(set by cli:ops@example\.com\)$/m);
      const r = await fulcrum(env, "workflows", "list");
      assert.match(blockOf(r.stdout, "interview-packet"), /mode shadow \(ceiling assist, lowered live\) \[set live by cli:ops@example\.com\]/);
      assert.match(actionsOf(r.stdout, "interview-packet"), /note \(lever\.note\): shadow: the workflow's mode \(set by cli:ops@example\.com\)/);
    });

    it("refuses an unknown mode or workflow with what is allowed, and changes nothing", async () => {
      const badMode = await fulcrum(env, "workflows", "mode", "interview-packet", "sometimes", "--as", "ops@example.com");
      assert.equal(badMode.code, 2);
      assert.match(badMode.stderr, /mode must be shadow, assist or auto, not "sometimes"/);
      const badId = await fulcrum(env, "workflows", "mode", "no-such-workflow", "auto", "--as", "ops@example.com");
      assert.equal(badId.code, 2);
      assert.match(badId.stderr, /no workflow "no-such-workflow" \(known: .*interview-packet/);
      const r = await fulcrum(env, "workflows", "list", "--json");
      const packet = (JSON.parse(r.stdout) as { workflows: { id: string; effective: { mode: string } }[] }).workflows.find((w) => w.id === "interview-packet")!;
      assert.equal(packet.effective.mode, "shadow");
    });

    it("shows the environment's cap when it is below the console's", async () => {
      const r = await fulcrum({ ...env, FULCRUM_MODE_CEILING: "shadow" }, "workflows", "list");
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^mode ceiling: shadow \(FULCRUM_MODE_CEILING; the console's assist is above it and has no effect\)$/m);
      assert.match(blockOf(r.stdout, "talent-pool-nurture"), /mode auto → runs as shadow \(ceiling shadow\)/);
    });
  });
}
