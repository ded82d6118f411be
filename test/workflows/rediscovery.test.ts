/**
 * Talent rediscovery end to end against the sandbox: new applications are screened and indexed,
 * archiving them updates the index from the webhook, a scheduled run notices a newly published
 * posting (Lever has no webhook for that) and starts one outreach run per past candidate who fits,
 * whose tag and note wait for a person; approving writes them to Lever. A candidate whose data
 * protection changed since indexing is checked again and never proposed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { randomUUID } from "node:crypto";
import { testEngines } from "../../src/store/testing.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";
import { createApp } from "../../src/server/app.ts";
import { createApiToken } from "../../src/server/api/tokens.ts";
import { createMemoryConnectionDirectory } from "../../src/engine/sources/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import type { ConnectionRegistry } from "../../src/engine/connections/index.ts";

function postingWithLists(h: Harness) {
  return [...h.sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
}

/** Publishes a second role with the same requirements through Lever's API, as a recruiter would. */
async function publishCopy(h: Harness, posting: ReturnType<typeof postingWithLists>, title: string): Promise<string> {
  const res = await fetch(`${h.sandbox.url}/postings?perform_as=${h.adminUserId}`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${h.sandbox.apiKey}:`).toString("base64")}`, "content-type": "application/json" },
    body: JSON.stringify({
      text: title,
      state: "published",
      categories: posting.categories,
      content: { descriptionHtml: posting.content.descriptionHtml, lists: posting.content.lists },
    }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

async function tick(h: Harness): Promise<void> {
  await h.runtime.engine.handleEvent({
    key: `schedule:test:${randomUUID()}`,
    connectionId: "default",
    source: "schedule",
    name: "schedule",
    triggeredAt: Date.now(),
    data: {},
    traceId: randomUUID().replaceAll("-", ""),
    workflowId: "talent-rediscovery",
  });
  await h.settle();
}

async function outreachRuns(h: Harness): Promise<{ opportunity_id: string; event: { data: { postingId?: string } } }[]> {
  const { rows } = await h.t.db.query<{ opportunity_id: string; event: { data: { postingId?: string } } }>(
    "select opportunity_id, event from workflow_runs where workflow_id = 'rediscovery-outreach' order by id",
  );
  return rows;
}

for (const e of await testEngines()) {
  describe(`talent rediscovery end to end on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let first: ReturnType<typeof postingWithLists>;
    const past: string[] = [];
    let blocked: string;
    let reasonId: string;

    before(async () => {
      h = await startHarness(e.kind);
      first = postingWithLists(h);
      reasonId = h.sandbox.state.archiveReasons.find((r) => r.text === "Underqualified")!.id;
    });
    after(async () => h?.close());

    it("indexes screened applications and follows their archiving from the webhook", async () => {
      for (const name of ["Past Strong", "Past Also Strong", "Past Private"]) {
        const { opportunityId } = h.sandbox.actions.applyToPosting(first.id, {
          name,
          email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net`,
          resume: { name: "resume.txt", contentType: "text/plain", bytes: resumeFor(first.content) },
        });
        past.push(opportunityId);
      }
      blocked = past.pop()!;
      await h.deliver(["applicationCreated"]);
      await h.settle();
      for (const id of [...past, blocked]) h.sandbox.actions.archive(id, reasonId, h.adminUserId);
      await h.deliver(["candidateArchiveChange"]);
      await h.settle();
      const { rows } = await h.t.db.query<{ opportunity_id: string; archived: boolean }>(
        "select opportunity_id, archived from screening_profiles where opportunity_id = any($1::text[]) order by opportunity_id",
        [[...past, blocked]],
      );
      assert.equal(rows.length, 3, "the screening step indexed every application it read");
      assert.ok(
        rows.every((r) => r.archived),
        "the archive webhook marked them archived",
      );
    });

    it("remembers existing postings on its first look and proposes nobody for them", async () => {
      await tick(h);
      assert.equal((await outreachRuns(h)).length, 0);
      const { rows } = await h.t.db.query<{ n: number }>("select count(*)::int as n from rediscovery_postings where baseline");
      assert.ok(rows[0]!.n > 0);
    });

    it("on a newly published posting, starts one outreach run per fitting past candidate, waiting for a person", async () => {
      // Data protection changed in Lever after the candidate was indexed: checked again before proposing.
      const opp = h.sandbox.state.opportunities.get(blocked)!;
      opp.dataProtection = { store: { allowed: true, expiresAt: null }, contact: { allowed: false, expiresAt: null } };
      const second = await publishCopy(h, first, "Second opening");
      await tick(h);
      const runs = await outreachRuns(h);
      assert.deepEqual(new Set(runs.map((r) => r.opportunity_id)), new Set([...past, blocked]));
      assert.ok(runs.every((r) => r.event.data.postingId === second));
      const proposals = await listProposals(h.t.db, { workflowId: "rediscovery-outreach", limit: 100 });
      for (const id of past) {
        const mine = proposals.filter((p) => p.opportunityId === id);
        // One decision per candidate: the tag and the note follow the approval.
        assert.deepEqual(
          mine.map((p) => `${p.stepId}:${p.status}`),
          ["approve:pending"],
        );
        const ask = mine[0]!;
        assert.ok(
          ask.reasons.some((r) => /^Meets /.test(String(r))),
          ask.reasons.join(" | "),
        );
        assert.match(String(ask.action.message), /Put this past candidate forward for "Second opening"\? Score \d+\/100/);
      }
      assert.equal(proposals.filter((p) => p.opportunityId === blocked).length, 0, "no proposal for a candidate who may not be contacted");
      const steps = await h.t.db.query<{ output: { reasons: string[] } }>(
        "select s.output from workflow_steps s join workflow_runs r on r.id = s.run_id where r.opportunity_id = $1 and r.workflow_id = 'rediscovery-outreach' and s.step_id = 'explain'",
        [blocked],
      );
      assert.match(steps.rows[0]!.output.reasons[0]!, /contact not allowed/);
    });

    it("on approval the tag and the note are written to Lever, and the next look proposes nobody twice", async () => {
      const proposals = await listProposals(h.t.db, { workflowId: "rediscovery-outreach", limit: 100 });
      const ask = proposals.find((p) => p.opportunityId === past[0] && p.stepId === "approve")!;
      await h.runtime.engine.decideProposal(ask.id, { actor: "user:recruiter", decision: "approve" });
      await h.settle();
      assert.ok(h.sandbox.state.opportunities.get(past[0]!)!.tags.includes("rediscovered: Second opening"));
      const notes = [...h.sandbox.state.notes.values()]
        .filter((n) => (n as { opportunityId?: string }).opportunityId === past[0])
        .map((n) => JSON.stringify(n));
      assert.ok(
        notes.some((n) => n.includes("Possible fit for Second opening")),
        notes.join("\n"),
      );
      // The other candidate's question still waits; rejecting it writes nothing.
      const other = proposals.find((p) => p.opportunityId === past[1] && p.stepId === "approve")!;
      await h.runtime.engine.decideProposal(other.id, { actor: "user:recruiter", decision: "reject", reason: "already hired elsewhere" });
      await h.settle();
      assert.ok(!h.sandbox.state.opportunities.get(past[1]!)!.tags.includes("rediscovered: Second opening"));
      const before = (await outreachRuns(h)).length;
      await tick(h);
      assert.equal((await outreachRuns(h)).length, before);
    });

    it("a manual run for one posting proposes only candidates not already proposed for it", async () => {
      const before = (await outreachRuns(h)).length;
      const runId = await h.runtime.engine.startManual("talent-rediscovery", {
        connectionId: "default",
        actor: "user:recruiter",
        traceId: randomUUID().replaceAll("-", ""),
        data: { postingId: [...h.sandbox.state.postings.values()].find((p) => p.text === "Second opening")!.id },
      });
      assert.ok(runId);
      await h.settle();
      const { rows } = await h.t.db.query<{ status: string; output: { candidates: number } }>(
        "select r.status, s.output from workflow_runs r join workflow_steps s on s.run_id = r.id where r.id = $1",
        [runId],
      );
      assert.equal(rows[0]!.status, "succeeded");
      assert.equal(rows[0]!.output.candidates, 3, "it finds them again");
      assert.equal((await outreachRuns(h)).length, before, "but starts no second outreach run for the same posting and candidate");
    });

    it("over the REST API: previews the fit with reasons for a recruiter, starts the workflow, and refuses bad input and other roles", async () => {
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
      const recruiter = (await createApiToken(h.t.db, "recruiter", "recruiter")).token;
      const auditor = (await createApiToken(h.t.db, "auditor", "auditor")).token;
      const call = async (method: string, path: string, token: string, body?: unknown) => {
        const res = await app.request(`/api${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, json: (await res.json()) as Record<string, any> };
      };
      const second = [...h.sandbox.state.postings.values()].find((p) => p.text === "Second opening")!.id;
      const preview = await call("GET", `/rediscovery?posting=${second}`, recruiter);
      assert.equal(preview.status, 200, JSON.stringify(preview.json));
      assert.equal(preview.json.posting.title, "Second opening");
      // The preview ranks from the index; the candidate who may no longer be contacted is still
      // indexed (no webhook has told us yet) and is only held back by the outreach run's check.
      const ids = (preview.json.proposals as { opportunityId: string; score: number; reasons: string[] }[]).map((p) => p.opportunityId);
      for (const id of past) assert.ok(ids.includes(id), `${id} in ${ids.join()}`);
      assert.ok(preview.json.proposals.every((p: { score: number; reasons: string[] }) => typeof p.score === "number" && p.reasons.length > 0));
      assert.equal(preview.json.semantic.used, false);

      assert.equal((await call("GET", "/rediscovery", recruiter)).status, 400);
      assert.match((await call("GET", "/rediscovery?posting=../../etc", recruiter)).json.error.message, /posting must be a Lever posting id/);
      assert.match((await call("GET", `/rediscovery?posting=${second}&limit=0`, recruiter)).json.error.message, /limit must be a whole number from 1 to 100/);
      assert.equal((await call("GET", `/rediscovery?posting=${second}`, auditor)).status, 403);
      assert.equal((await call("GET", `/rediscovery?posting=${second}&connection=elsewhere`, recruiter)).status, 404);
      assert.equal((await call("GET", `/rediscovery?posting=${randomUUID()}`, recruiter)).status, 404);

      const bad = await call("POST", "/rediscovery", recruiter, { postingId: second, extra: 1 });
      assert.equal(bad.status, 400);
      assert.equal((await call("POST", "/rediscovery", auditor, { postingId: second })).status, 403);
      const runsBefore = (await h.t.db.query<{ n: number }>("select count(*)::int as n from workflow_runs")).rows[0]!.n;
      const started = await call("POST", "/rediscovery", recruiter, { postingId: second });
      assert.equal(started.status, 202, JSON.stringify(started.json));
      await h.settle();
      const run = await h.t.db.query<{ status: string; workflow_id: string }>("select status, workflow_id from workflow_runs where id = $1", [
        started.json.runId,
      ]);
      assert.deepEqual(run.rows[0], { status: "succeeded", workflow_id: "talent-rediscovery" });
      assert.equal((await h.t.db.query<{ n: number }>("select count(*)::int as n from workflow_runs")).rows[0]!.n, runsBefore + 1, "no outreach run twice");

      // Backfilling the index in the serve process (the CLI cannot while serve holds the embedded database).
      const admin = (await createApiToken(h.t.db, "admin", "admin")).token;
      assert.equal((await call("POST", "/rediscovery/backfill", recruiter, {})).status, 403);
      const badSince = await call("POST", "/rediscovery/backfill", admin, { since: "2025-13-45" });
      assert.equal(badSince.status, 400);
      assert.match(badSince.json.error.message, /since/);
      const profilesBefore = (await h.t.db.query<{ n: number }>("select count(*)::int as n from screening_profiles")).rows[0]!.n;
      const queued = await call("POST", "/rediscovery/backfill", admin, {});
      assert.equal(queued.status, 202, JSON.stringify(queued.json));
      let backfill = queued.json.backfill;
      for (let i = 0; i < 600 && !["done", "failed"].includes(backfill.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
        backfill = (await call("GET", `/rediscovery/backfill/${backfill.id}`, admin)).json.backfill;
      }
      assert.equal(backfill.status, "done", JSON.stringify(backfill));
      assert.ok(backfill.report.seen > 10 && backfill.report.indexed > 0, JSON.stringify(backfill.report));
      assert.deepEqual(backfill.report.failed, []);
      assert.ok((await h.t.db.query<{ n: number }>("select count(*)::int as n from screening_profiles")).rows[0]!.n > profilesBefore);
      assert.equal((await call("GET", "/rediscovery/backfill/999999", admin)).status, 404);
    });
  });
}
