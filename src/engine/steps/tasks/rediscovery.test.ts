import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openTestDatabase, testEngines, type TestDatabase } from "../../../store/testing.ts";
import type { LeverGateway, TaskInput } from "../../ports.ts";
import { rediscoveryFindTask } from "./rediscovery.ts";

const posting = {
  id: "p-new",
  text: "Data Engineer",
  content: { description: "Pipelines.", lists: [{ text: "Requirements", content: "<li>Python</li><li>SQL</li>" }] },
};

for (const e of await testEngines()) {
  describe(`rediscovery.find looking for new postings on ${e.kind}`, { skip: e.skip }, () => {
    let t: TestDatabase;
    let published: { id: string; text: string }[] = [];
    const started: string[] = [];
    const input = (over: Partial<TaskInput> = {}): TaskInput =>
      ({
        with: {},
        context: {},
        fetch: async () => ({}),
        ai: undefined,
        lever: { listPostings: async () => published, getPosting: async () => posting } as unknown as LeverGateway,
        traceId: "t",
        event: {},
        connectionId: "c1",
        dryRun: false,
        db: t.db,
        startWorkflow: async (_w, child) => (started.push(child.key), 1),
        ...over,
      }) as TaskInput;

    before(async () => {
      t = await openTestDatabase(e.kind);
    });
    after(async () => t?.drop());

    it("counts an account's first postings as new even when its first look found none", async () => {
      const first = await rediscoveryFindTask(input());
      assert.equal(first.summary, "No new posting to rediscover for.");
      published = [posting];
      const second = await rediscoveryFindTask(input());
      assert.deepEqual(
        (second.postings as { postingId: string }[]).map((p) => p.postingId),
        ["p-new"],
      );
      const { rows } = await t.db.query<{ baseline: boolean; rediscovered: boolean }>(
        "select baseline, rediscovered_at is not null as rediscovered from rediscovery_postings where connection_id = 'c1' and posting_id = 'p-new'",
      );
      assert.deepEqual(rows, [{ baseline: false, rediscovered: true }]);
      const third = await rediscoveryFindTask(input());
      assert.equal(third.summary, "No new posting to rediscover for.", "a posting is looked at once");
    });

    it("refuses a posting id that is not one, and a dry run records nothing", async () => {
      await assert.rejects(rediscoveryFindTask(input({ with: { postingId: "../x" } })), /is not a Lever posting id/);
      published = [posting, { id: "p-dry", text: "Dry" }];
      const dry = await rediscoveryFindTask(input({ dryRun: true }));
      assert.deepEqual(
        (dry.postings as { postingId: string }[]).map((p) => p.postingId),
        ["p-dry"],
      );
      const { rows } = await t.db.query("select 1 from rediscovery_postings where posting_id = 'p-dry'");
      assert.equal(rows.length, 0);
    });
  });
}
