import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createLeverClient, type LeverClient, type LeverPosting } from "../lever/index.ts";
import { MockEmbeddingModelV3 } from "ai/test";
import { createEmbedder, DEFAULT_AI_CONFIG } from "../ai/index.ts";
import { startSandbox, type Sandbox } from "../sandbox/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { parseRubricOverride } from "./rubric.ts";
import { dataProtectionBlock, backfillProfiles, rediscover, updateIndexFromWebhook } from "./rediscovery.ts";
import { activeRubric, approveRubricVersion, forgetOpportunity, recordScore, saveRubricVersion, scoresForPosting } from "./store.ts";
import { extractRequirements } from "./requirements.ts";
import type { ScoreResult } from "./score.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

const asOf = { year: 2026, month: 10 };

describe("data protection", () => {
  it("blocks anonymised candidates and those who may not be stored or contacted", () => {
    assert.equal(dataProtectionBlock({ isAnonymized: true, dataProtection: null }), "anonymised");
    assert.equal(
      dataProtectionBlock({ isAnonymized: false, dataProtection: { store: { allowed: true, expiresAt: null }, contact: { allowed: false, expiresAt: null } } }),
      "contact not allowed",
    );
    assert.equal(dataProtectionBlock({ isAnonymized: false, dataProtection: { store: { allowed: true, expiresAt: 1000 } } }, 2000), "store permission expired");
    assert.equal(dataProtectionBlock({ isAnonymized: false, dataProtection: null }), undefined);
  });
});

for (const engine of ENGINES) {
  describe(`talent rediscovery on ${engine.kind}`, { skip: engine.skip }, () => {
    let sandbox: Sandbox;
    let lever: LeverClient;
    let t: TestDatabase;
    const connectionId = "c1";

    before(async () => {
      sandbox = await startSandbox({ seed: 7, rateLimit: false });
      lever = createLeverClient({
        baseUrl: sandbox.url,
        auth: { kind: "apiKey", apiKey: sandbox.apiKey },
        connectionId,
        maxRetries: 0,
        rateLimiter: { take: async () => {} },
      });
      t = await openTestDatabase(engine.kind);
    });
    after(async () => {
      await t?.drop();
      await sandbox?.close();
    });

    it("backfills the index from Lever, leaving out candidates whose data protection forbids it", async () => {
      const report = await backfillProfiles(t.db, lever, connectionId, { asOf });
      const all = [...sandbox.state.opportunities.values()].filter(
        (o) => !(o as { deletedAt?: unknown }).deletedAt && (o as { confidentiality?: string }).confidentiality !== "confidential",
      );
      const blocked = all.filter((o) => dataProtectionBlock(o as never));
      assert.equal(report.seen, all.length);
      assert.ok(report.indexed > 20, JSON.stringify(report));
      assert.equal(report.excluded, blocked.length);
      assert.deepEqual(report.failed, []);
      const rows = await t.db.query<{ opportunity_id: string; profile: unknown }>("select opportunity_id, profile from screening_profiles");
      const stored = new Set(rows.rows.map((r) => r.opportunity_id));
      for (const b of blocked) assert.ok(!stored.has(b.id), `blocked candidate ${b.id} was stored`);
      // The index keeps the scrubbed view only: no e-mail addresses or phone numbers.
      for (const r of rows.rows) assert.doesNotMatch(JSON.stringify(r.profile), /@example\.|\+\d{1,3} \d/);
    });

    it("skips unchanged resumes on the next run", async () => {
      const report = await backfillProfiles(t.db, lever, connectionId, { asOf });
      assert.equal(report.indexed, 0);
      assert.ok(report.unchanged > 20);
    });

    it("embeds the indexed profiles after a backfill when an embedder is given, and says why not otherwise", async () => {
      const plain = await backfillProfiles(t.db, lever, connectionId, { asOf, embedderUnavailable: "no AI provider is configured" });
      assert.deepEqual(plain.embeddings, { skipped: "no AI provider is configured" });
      const model = new MockEmbeddingModelV3({ doEmbed: async ({ values }) => ({ embeddings: values.map((v) => [v.length % 7, 1]), warnings: [] }) });
      const { embedder } = createEmbedder({
        config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", embeddingModel: "mock-embed" } },
        models: { openai: () => model },
      });
      const report = await backfillProfiles(t.db, lever, connectionId, { asOf, embedder });
      const profiles = Number((await t.db.query<{ n: string }>("select count(*) as n from screening_profiles where not excluded")).rows[0]!.n);
      assert.deepEqual(report.embeddings, { model: "mock-embed", embedded: profiles, unchanged: 0 });
      assert.doesNotMatch(model.doEmbedCalls.flatMap((c) => c.values).join("\n"), /@example\./);
    });

    it("re-embeds a profile from a webhook when its vector is missing, and a provider failure never fails the indexing", async () => {
      const id = (await t.db.query<{ opportunity_id: string }>("select opportunity_id from screening_profile_embeddings order by opportunity_id limit 1"))
        .rows[0]!.opportunity_id;
      await t.db.query("delete from screening_profile_embeddings where opportunity_id = $1", [id]);
      const down = new MockEmbeddingModelV3({
        doEmbed: async () => {
          throw new Error("embedding server is down");
        },
      });
      const broken = createEmbedder({
        config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", embeddingModel: "mock-embed" } },
        models: { openai: () => down },
      }).embedder;
      const failed = await updateIndexFromWebhook(
        t.db,
        lever,
        connectionId,
        { event: "candidateStageChange", data: { opportunityId: id } },
        { embedder: broken },
      );
      assert.equal(failed?.outcome, "unchanged");
      assert.match((failed as { detail?: string }).detail ?? "", /not embedded .*embedding server is down/);
      const up = new MockEmbeddingModelV3({ doEmbed: async ({ values }) => ({ embeddings: values.map(() => [1, 2]), warnings: [] }) });
      const embedder = createEmbedder({
        config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", embeddingModel: "mock-embed" } },
        models: { openai: () => up },
      }).embedder;
      const ok = await updateIndexFromWebhook(t.db, lever, connectionId, { event: "candidateStageChange", data: { opportunityId: id } }, { embedder });
      assert.equal(ok?.outcome, "unchanged");
      assert.equal(up.doEmbedCalls.length, 1);
      assert.equal((await t.db.query("select 1 from screening_profile_embeddings where opportunity_id = $1", [id])).rows.length, 1);
    });

    it("proposes past candidates for a new posting with reasons, best first, never the posting's own", async () => {
      const postings: LeverPosting[] = [];
      for await (const p of lever.listPostings({ include: ["text", "content", "categories", "workplaceType"] })) postings.push(p);
      let found = 0;
      for (const posting of postings) {
        const proposals = await rediscover(t.db, { connectionId, posting: posting as never, limit: 5, archivedOnly: false, asOf });
        for (const [i, p] of proposals.entries()) {
          assert.ok(p.reasons.length > 0);
          assert.ok(p.tier !== "weak");
          if (i > 0) assert.ok(proposals[i - 1]!.score >= p.score);
          const opp = sandbox.state.opportunities.get(p.opportunityId)!;
          assert.equal(dataProtectionBlock(opp as never), undefined);
          assert.equal(p.actions[0]!.type, "addTags");
        }
        found += proposals.length;
      }
      assert.ok(found > 0, "some posting finds someone");
    });

    it("keeps the index current from webhooks: re-indexes on archive change, forgets on deletion", async () => {
      const r = await t.db.query<{ opportunity_id: string }>("select opportunity_id from screening_profiles order by opportunity_id limit 1");
      const id = r.rows[0]!.opportunity_id;
      await t.db.query("update screening_profiles set archived = not archived where opportunity_id = $1", [id]);
      const again = await updateIndexFromWebhook(t.db, lever, connectionId, { event: "candidateArchiveChange", data: { opportunityId: id } });
      assert.equal(again?.outcome, "unchanged");
      const archived = Boolean(sandbox.state.opportunities.get(id)!.archived);
      assert.equal(
        (await t.db.query<{ archived: boolean }>("select archived from screening_profiles where opportunity_id = $1", [id])).rows[0]!.archived,
        archived,
      );
      assert.equal((await updateIndexFromWebhook(t.db, lever, connectionId, { event: "candidateDeleted", data: { opportunityId: id } }))?.outcome, "forgotten");
      assert.equal((await t.db.query("select 1 from screening_profiles where opportunity_id = $1", [id])).rows.length, 0);
      assert.equal(await updateIndexFromWebhook(t.db, lever, connectionId, { event: "interviewCreated", data: { opportunityId: id } }), undefined);
    });

    it("forgets a deleted candidate's profile and scores", async () => {
      const r = await t.db.query<{ opportunity_id: string }>("select opportunity_id from screening_profiles limit 1");
      const id = r.rows[0]!.opportunity_id;
      const result = {
        score: 70,
        tier: "possible",
        confidence: 0.9,
        engine: "local",
        rubricHash: "h",
        criteria: [],
        missingMustHaves: [],
        flags: [],
      } as unknown as ScoreResult;
      await recordScore(t.db, { connectionId, postingId: "p1", opportunityId: id, result });
      assert.equal((await scoresForPosting(t.db, connectionId, "p1")).length, 1);
      await forgetOpportunity(t.db, connectionId, id);
      assert.equal((await scoresForPosting(t.db, connectionId, "p1")).length, 0);
      assert.equal((await t.db.query("select 1 from screening_profiles where opportunity_id = $1", [id])).rows.length, 0);
    });

    it("uses a recruiter's override only once it is approved", async () => {
      const fromPosting = extractRequirements({ id: "p9", text: "Engineer", content: { lists: [{ text: "Requirements", content: "<li>Go</li>" }] } });
      await saveRubricVersion(t.db, connectionId, fromPosting);
      const override = parseRubricOverride({
        postingId: "p9",
        criteria: [{ id: "rust", kind: "skill", label: "Rust", must: true, weight: 3, skills: ["Rust"] }],
      });
      const version = await saveRubricVersion(t.db, connectionId, override, "recruiter-1");
      assert.equal((await activeRubric(t.db, connectionId, "p9"))!.source, "posting");
      assert.equal(await approveRubricVersion(t.db, connectionId, "p9", version, "lead-1"), true);
      const active = (await activeRubric(t.db, connectionId, "p9"))!;
      assert.equal(active.source, "override");
      assert.equal(active.approvedBy, "lead-1");
      assert.equal(await approveRubricVersion(t.db, connectionId, "p9", version, "someone-else"), false);
    });
  });
}
