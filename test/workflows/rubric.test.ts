/**
 * A recruiter's rubric override, end to end: saved over the REST API (or from a file with the
 * CLI), it scores nobody until someone approves it; once approved, the screening workflow scores
 * new applications by it. Bad rubrics are refused with the field named and nothing stored.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresDatabase, postgresAvailable, testEngines } from "../../src/store/testing.ts";
import { createApp } from "../../src/server/app.ts";
import { createApiToken } from "../../src/server/api/tokens.ts";
import { setFourEyes } from "../../src/server/console/index.ts";
import { createMemoryConnectionDirectory } from "../../src/engine/sources/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import type { ConnectionRegistry } from "../../src/engine/connections/index.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";
import { runFulcrumMain } from "../support/fulcrum-cli.ts";

const OVERRIDE = {
  title: "Needs COBOL",
  criteria: [
    { id: "cobol", kind: "skill", label: "COBOL on the mainframe", must: true, weight: 3, skills: ["COBOL"] },
    { id: "any-years", kind: "years", label: "Two years of work", must: false, weight: 1, minYears: 2 },
  ],
};

for (const e of await testEngines()) {
  describe(`rubric overrides end to end on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let call: (method: string, path: string, token: string, body?: unknown) => Promise<{ status: number; json: Record<string, any> }>;
    let recruiter: string;
    let secondRecruiter: string;
    let auditor: string;
    let posting: { id: string; content: { lists: { text: string; content: string }[] } };

    before(async () => {
      h = await startHarness(e.kind);
      posting = [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
      const registry = { list: async () => [{ id: "default" }], client: async () => h.client } as unknown as ConnectionRegistry;
      const app = createApp({
        config: h.config,
        db: h.t.db,
        logger: silentLogger,
        queue: h.queue,
        inbox: h.inbox,
        connections: createMemoryConnectionDirectory({}),
        connectionRegistry: registry,
        engine: h.runtime.engine,
        workflows: h.runtime.workflows,
      });
      recruiter = (await createApiToken(h.t.db, "recruiter", "recruiter")).token;
      secondRecruiter = (await createApiToken(h.t.db, "second recruiter", "recruiter")).token;
      auditor = (await createApiToken(h.t.db, "auditor", "auditor")).token;
      call = async (method, path, token, body) => {
        const res = await app.request(`/api${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
        });
        return { status: res.status, json: (await res.json()) as Record<string, any> };
      };
    });
    after(async () => h?.close());

    async function screen(name: string): Promise<{ rubricSource: string; score: number; missingMustHaves: string[] }> {
      const { opportunityId } = h.sandbox.actions.applyToPosting(posting.id, {
        name,
        email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`,
        resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      });
      await h.deliver(["applicationCreated"]);
      await h.settle();
      const { rows } = await h.t.db.query<{ output: { rubricSource: string; score: number; missingMustHaves: string[] } }>(
        "select s.output from workflow_steps s join workflow_runs r on r.id = s.run_id where r.opportunity_id = $1 and r.workflow_id = 'application-screening' and s.step_id = 'screen'",
        [opportunityId],
      );
      return rows[0]!.output;
    }

    it("saves an override that scores nobody until approved, and refuses a bad one naming the field", async () => {
      assert.deepEqual((await call("GET", `/postings/${posting.id}/rubric`, recruiter)).json.versions, []);
      const saved = await call("PUT", `/postings/${posting.id}/rubric`, recruiter, OVERRIDE);
      assert.equal(saved.status, 201, JSON.stringify(saved.json));
      assert.equal(saved.json.version.version, 1);
      assert.equal(saved.json.version.approvedBy, null);
      assert.equal(saved.json.version.active, false);

      const bad = await call("PUT", `/postings/${posting.id}/rubric`, recruiter, { criteria: [{ ...OVERRIDE.criteria[0], weight: 99 }] });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.field, "criteria.0.weight");
      assert.match(bad.json.error.message, /criteria\.0\.weight/);
      assert.equal((await call("PUT", `/postings/${posting.id}/rubric`, recruiter, "{not json")).status, 400);
      assert.match(
        (await call("PUT", `/postings/${posting.id}/rubric`, recruiter, { ...OVERRIDE, postingId: "another" })).json.error.message,
        /names posting "another"/,
      );
      assert.equal((await call("PUT", `/postings/${posting.id}/rubric`, auditor, OVERRIDE)).status, 403);
      const listed = await call("GET", `/postings/${posting.id}/rubric`, auditor);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.json.versions.map((v: { version: number }) => v.version),
        [1],
        "nothing else was stored",
      );

      const first = await screen("Before Approval");
      assert.equal(first.rubricSource, "posting", "an unapproved override scores nobody");
    });

    it("once approved, screening scores new applications by it; approvals are recorded and not repeated", async () => {
      const versions = (await call("GET", `/postings/${posting.id}/rubric`, recruiter)).json.versions as { version: number; source: string }[];
      const fromPosting = versions.find((v) => v.source === "posting")!;
      assert.equal((await call("POST", `/postings/${posting.id}/rubric/${fromPosting.version}/approve`, recruiter)).status, 409);
      assert.equal((await call("POST", `/postings/${posting.id}/rubric/99/approve`, recruiter)).status, 404);
      assert.equal((await call("POST", `/postings/${posting.id}/rubric/1/approve`, auditor)).status, 403);
      // Four eyes: the recruiter who wrote the override may not approve it.
      const own = await call("POST", `/postings/${posting.id}/rubric/1/approve`, recruiter);
      assert.equal(own.status, 403);
      assert.match(own.json.error.message, /You wrote rubric version 1 .*, so someone else must approve it/);
      assert.equal(
        (await call("GET", `/postings/${posting.id}/rubric`, recruiter)).json.versions.find((v: { version: number }) => v.version === 1).approvedBy,
        null,
      );
      const approved = await call("POST", `/postings/${posting.id}/rubric/1/approve`, secondRecruiter);
      assert.equal(approved.status, 200, JSON.stringify(approved.json));
      assert.equal(approved.json.version.active, true);
      assert.match(approved.json.version.approvedBy, /^user:token:/);
      assert.notEqual(approved.json.version.approvedBy, approved.json.version.createdBy);
      assert.equal((await call("POST", `/postings/${posting.id}/rubric/1/approve`, secondRecruiter)).status, 409);

      const before = await screen("Before Approval Twin");
      const after = await screen("After Approval");
      assert.equal(after.rubricSource, "override");
      assert.deepEqual(after.missingMustHaves, ["COBOL on the mainframe"]);
      assert.equal(before.rubricSource, "override", "applications screened after the approval use it");
      const { rows } = await h.t.db.query<{ kind: string }>("select kind from audit_records where kind like 'rubric.%' order by seq");
      assert.deepEqual(
        rows.map((r) => r.kind),
        ["rubric.saved", "rubric.approved"],
      );
    });

    it("lets the author approve when an admin has turned four eyes off, and audits both", async () => {
      await setFourEyes(h.t.db, false, "user:admin-1");
      try {
        const saved = await call("PUT", `/postings/${posting.id}/rubric`, recruiter, { ...OVERRIDE, title: "Second try" });
        assert.equal(saved.status, 201);
        const version = saved.json.version.version as number;
        const own = await call("POST", `/postings/${posting.id}/rubric/${version}/approve`, recruiter);
        assert.equal(own.status, 200, JSON.stringify(own.json));
        assert.equal(own.json.version.approvedBy, own.json.version.createdBy);
        const { rows } = await h.t.db.query<{ kind: string; actor: string; data: unknown }>(
          "select kind, actor, data from audit_records where kind in ('settings.four_eyes', 'rubric.approved') order by seq",
        );
        // The stored record keeps the appended data under `data` (beside its subject).
        const data = (r: { data: unknown }) => ((typeof r.data === "string" ? JSON.parse(r.data) : r.data) as { data: Record<string, unknown> }).data;
        assert.deepEqual(
          rows.filter((r) => r.kind === "settings.four_eyes").map((r) => [r.actor, data(r).required]),
          [["user:admin-1", false]],
        );
        const last = rows.at(-1)!;
        assert.equal(last.kind, "rubric.approved");
        assert.equal(data(last).version, version);
        assert.equal(data(last).selfApproved, true);
      } finally {
        await setFourEyes(h.t.db, true, "user:admin-1");
      }
    });
  });
}

describe("fulcrum rubric", () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let drop: (() => Promise<void>) | undefined;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-rubric-"));
    // A server database when there is one: each command then opens in milliseconds, not the
    // seconds the embedded database takes to start (the commands are the same either way).
    const server = (await postgresAvailable()) ? await createPostgresDatabase() : undefined;
    drop = server?.drop;
    env = { ...process.env, FULCRUM_DATA_DIR: dataDir, DATABASE_URL: server?.url ?? "", FULCRUM_LOG_LEVEL: "silent" };
  });
  after(async () => {
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });
  // Run by the binary's main() in this process: a process per command costs seconds of start-up.
  const fulcrum = (...args: string[]) => runFulcrumMain(args, { env });

  // A second approval is refused (409) in the API test above; the CLI shares that code.
  it("sets an override from a YAML file, approves it, and shows it in force; a bad file is refused with the field", async () => {
    const good = join(dataDir, "rubric.yaml");
    writeFileSync(good, "title: Needs COBOL\ncriteria:\n  - { id: cobol, kind: skill, label: COBOL, must: true, weight: 3, skills: [COBOL] }\n");
    const bad = join(dataDir, "bad.yaml");
    writeFileSync(bad, "criteria:\n  - { id: x, kind: skill, label: X, must: true, weight: 3 }\n");
    const refused = await fulcrum("rubric", "set", bad, "--posting", "post-1", "--by", "Priya");
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /criteria\.0\.skills: a skill criterion needs at least one skill/);
    const set = await fulcrum("rubric", "set", good, "--posting", "post-1", "--by", "Priya");
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /saved version 1 .* scores nobody until approved/);
    const own = await fulcrum("rubric", "approve", "1", "--posting", "post-1", "--by", "Priya");
    assert.equal(own.code, 1);
    assert.match(own.stderr, /fulcrum rubric: You wrote rubric version 1 .*, so someone else must approve it/);
    const approve = await fulcrum("rubric", "approve", "1", "--posting", "post-1", "--by", "Dana");
    assert.equal(approve.code, 0, approve.stderr);
    const shown = JSON.parse((await fulcrum("rubric", "show", "--posting", "post-1")).stdout) as {
      versions: { version: number; active: boolean; approvedBy: string; createdBy: string }[];
    };
    assert.deepEqual(
      shown.versions.map((v) => [v.version, v.active, v.createdBy, v.approvedBy]),
      [[1, true, "cli:Priya", "cli:Dana"]],
    );
  });
});
