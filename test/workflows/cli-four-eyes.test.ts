/**
 * `fulcrum workflows mode` follows four eyes as the console and API do: raising a mode waits for
 * someone else (`fulcrum workflows approve-change`), lowering applies at once, and the listing
 * shows what waits. Commands run in this process through the program `fulcrum` builds.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runFulcrum } from "../support/fulcrum-cli.ts";
import { migrate, openDatabase, type Database } from "../../src/store/index.ts";
import { createPostgresDatabase, testEngines } from "../../src/store/testing.ts";
import { setFourEyes } from "../../src/server/console/index.ts";

const ENGINES = await testEngines();
const savedEnv = { ...process.env };

function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...savedEnv, FULCRUM_DATA_DIR: dataDir, FULCRUM_LOG_LEVEL: "silent" };
  for (const k of ["FULCRUM_CONFIG", "DATABASE_URL", "FULCRUM_MODE_CEILING", "FULCRUM_WORKFLOWS_DIR", "LEVER_API_KEY"]) delete env[k];
  return env;
}

const blockOf = (stdout: string, id: string) => {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`${id} `));
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
};

for (const e of ENGINES) {
  describe(`fulcrum workflows mode under four eyes on ${e.kind}`, { skip: e.skip }, () => {
    let dataDir: string;
    let env: NodeJS.ProcessEnv;
    let dropDb: (() => Promise<void>) | undefined;
    const fulcrum = (...args: string[]) => runFulcrum(args, env);

    /** Opens the deployment's database for a look (the CLI closes it after each command). */
    async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
      const db = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, "db") });
      try {
        await migrate(db);
        return await fn(db);
      } finally {
        await db.close();
      }
    }
    const workflowAudit = () =>
      withDb(
        async (db) =>
          (
            await db.query<{ kind: string; actor: string; data: { data: Record<string, any> } }>(
              "select kind, actor, data from audit_records where kind like 'workflow.%' order by seq",
            )
          ).rows,
      );

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), "fulcrum-wf-four-eyes-"));
      env = baseEnv(dataDir);
      if (e.kind === "postgres") {
        const created = await createPostgresDatabase();
        dropDb = created.drop;
        env.DATABASE_URL = created.url;
        env.FULCRUM_SECRET_KEY = "a".repeat(64);
      }
    });
    after(async () => {
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("keeps a raise waiting until someone else approves it; its author's approval is refused", async () => {
      const asked = await fulcrum("workflows", "mode", "interview-packet", "auto", "--as", "ann");
      assert.equal(asked.code, 0, asked.stderr);
      const id = /change (\d+)/.exec(asked.stdout)?.[1];
      assert.ok(id, asked.stdout);
      assert.match(asked.stdout, new RegExp(`^interview-packet stays in shadow mode: raising it to auto waits for approval \\(change ${id}\\)\\.$`, "m"));
      assert.match(asked.stdout, new RegExp(`someone other than cli:ann must approve it: fulcrum workflows approve-change ${id} --as <name>`));

      let list = await fulcrum("workflows", "list");
      assert.match(blockOf(list.stdout, "interview-packet"), /^interview-packet \[builtin\] mode shadow /m);
      assert.match(
        blockOf(list.stdout, "interview-packet"),
        new RegExp(`^  waiting for approval: change ${id}, set its mode to auto \\(asked by cli:ann at [^)]+\\)$`, "m"),
      );

      const own = await fulcrum("workflows", "approve-change", id, "--as", "ann");
      assert.equal(own.code, 1);
      assert.match(
        own.stderr,
        /You asked for this change to workflow interview-packet \(set its mode to auto\), so someone else must approve it \(four eyes\)/,
      );

      const other = await fulcrum("workflows", "approve-change", id, "--as", "ben");
      assert.equal(other.code, 0, other.stderr);
      assert.match(other.stdout, /^interview-packet is now in auto mode \(asked by cli:ann, approved by cli:ben\)$/m);
      list = await fulcrum("workflows", "list");
      assert.match(blockOf(list.stdout, "interview-packet"), /mode auto .*\[set live by cli:ann, approved by cli:ben\]/);
      assert.doesNotMatch(blockOf(list.stdout, "interview-packet"), /waiting for approval/);

      const audit = await workflowAudit();
      assert.deepEqual(
        audit.map((a) => [a.kind, a.actor]),
        [
          ["workflow.change_requested", "cli:ann"],
          ["workflow.change_approved", "cli:ben"],
        ],
      );
    });

    it("lowers at once, and lets the author withdraw a waiting raise", async () => {
      const lower = await fulcrum("workflows", "mode", "interview-packet", "shadow", "--as", "ann");
      assert.equal(lower.code, 0, lower.stderr);
      assert.match(lower.stdout, /^interview-packet is now in shadow mode$/m);
      const asked = await fulcrum("workflows", "mode", "interview-packet", "assist", "--as", "ann");
      const id = /change (\d+)/.exec(asked.stdout)![1]!;
      const changes = await fulcrum("workflows", "changes");
      assert.match(changes.stdout, new RegExp(`^${id} interview-packet: set its mode to assist \\(asked by cli:ann at [^)]+\\)$`, "m"));
      const withdrawn = await fulcrum("workflows", "reject-change", id, "--as", "ann");
      assert.equal(withdrawn.code, 0, withdrawn.stderr);
      assert.match(withdrawn.stdout, new RegExp(`^change ${id} to interview-packet withdrawn by cli:ann; nothing changed$`, "m"));
      assert.equal((await fulcrum("workflows", "approve-change", id, "--as", "ben")).code, 1);
      const kinds = (await workflowAudit()).slice(-3).map((a) => a.kind);
      assert.deepEqual(kinds, ["workflow.changed", "workflow.change_requested", "workflow.change_withdrawn"]);
    });

    it("applies a raise at once when an admin turned the rule off, and says it was self-approved", async () => {
      await withDb((db) => setFourEyes(db, false, "user:admin"));
      try {
        const r = await fulcrum("workflows", "mode", "language-check", "auto", "--as", "ann");
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^language-check is now in auto mode \(self-approved: four eyes is off\)$/m);
        const last = (await workflowAudit()).at(-1)!;
        assert.deepEqual([last.kind, last.actor, last.data.data.selfApproved], ["workflow.changed", "cli:ann", true]);
      } finally {
        await withDb((db) => setFourEyes(db, true, "user:admin"));
      }
    });
  });
}
