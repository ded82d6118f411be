import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MockEmbeddingModelV3 } from "ai/test";
import { createEmbedder, DEFAULT_AI_CONFIG, type Embedder } from "../ai/index.ts";
import { vector as pgvector } from "@electric-sql/pglite-pgvector";
import { openDatabase, migrate } from "../store/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../store/testing.ts";
import { hasPgvector, refreshProfileEmbeddings, similarProfiles } from "./embeddings.ts";
import { parsedFromLines } from "./parse-resume.ts";
import type { TextLine } from "./read/types.ts";
import { rediscover, rediscoverWithStatus } from "./rediscovery.ts";
import type { PostingInput } from "./requirements.ts";
import { forgetOpportunity, upsertProfile } from "./store.ts";

const asOf = { year: 2026, month: 10 };
const line = (text: string, extra: Partial<TextLine> = {}): TextLine => ({ text, page: 1, fontSize: 10, bold: false, heading: false, ...extra });
const heading = (text: string) => line(text, { fontSize: 12, bold: true, heading: true });

/** A resume of a Go engineer whose background is in `domain` (the only difference between them). */
function goEngineer(name: string, domain: string) {
  const lines = [
    line(name, { fontSize: 22, bold: true, heading: true }),
    line(`${name.split(" ")[0]!.toLowerCase()}@example.com | +1 555 010 0101`),
    heading("Experience"),
    line("Senior Software Engineer"),
    line("Northwind, Berlin   Jan 2019 – Present"),
    line(`• Built ${domain} services in Go on Kubernetes`),
    line(`• Worked on ${domain} for six years`),
    heading("Skills"),
    line("Go, Kubernetes, PostgreSQL"),
  ];
  return parsedFromLines({ status: "parsed", format: "pdf", lines, hiddenText: [], flags: [] }, { asOf });
}

/** Deterministic "semantic" vectors: how much a text is about payments, games, or design. */
const TOPICS = [/payment|ledger|fintech|banking|card/gi, /game|graphics|shader|level design/gi, /figma|typography|brand/gi];
function topicVector(text: string): number[] {
  return [...TOPICS.map((re) => (text.match(re) ?? []).length), 0.5];
}

function mockEmbedder(calls: string[][] = [], fail = false): Embedder {
  const model = new MockEmbeddingModelV3({
    doEmbed: async ({ values }) => {
      calls.push(values);
      if (fail) throw new Error("embedding server is down");
      return { embeddings: values.map(topicVector), warnings: [] };
    },
  });
  const choice = createEmbedder({
    config: { ai: { ...DEFAULT_AI_CONFIG, provider: "openai", embeddingModel: "topic-embed" } },
    models: { openai: () => model },
  });
  assert.ok(choice.embedder, choice.reason ?? "");
  return choice.embedder;
}

const posting: PostingInput = {
  id: "post-pay",
  text: "Backend Engineer, Payments",
  content: {
    description: "Join our payments team: card processing, ledgers and banking integrations.",
    lists: [{ text: "Requirements", content: "<li>Go</li><li>Kubernetes</li>" }],
  },
};

/** PGlite with the pgvector extension loaded: the path a PostgreSQL server with pgvector takes. */
async function openWithPgvector(): Promise<TestDatabase> {
  const db = await openDatabase({ dataDir: "memory://", pgliteExtensions: { vector: pgvector } });
  await migrate(db);
  return { db, url: undefined, drop: () => db.close() };
}

const variants = [
  ...(await testEngines()).map((e) => ({ name: e.kind, skip: e.skip, open: () => openTestDatabase(e.kind), pgvector: undefined as boolean | undefined })),
  { name: "pglite with pgvector", skip: false as const, open: openWithPgvector, pgvector: true },
];

for (const engine of variants) {
  describe(`semantic rediscovery on ${engine.name}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    const connectionId = "c-sem";

    before(async () => {
      t = await engine.open();
      // "a-games" sorts before "b-payments": with equal scores, the plain order puts games first.
      await upsertProfile(t.db, {
        connectionId,
        opportunityId: "a-games",
        archived: true,
        postingIds: [],
        parsed: goEngineer("Alex Games", "game engine and graphics"),
      });
      await upsertProfile(t.db, {
        connectionId,
        opportunityId: "b-payments",
        archived: true,
        postingIds: [],
        parsed: goEngineer("Bo Payments", "payment and ledger"),
      });
      await upsertProfile(t.db, {
        connectionId,
        opportunityId: "c-applied",
        archived: true,
        postingIds: ["post-pay"],
        parsed: goEngineer("Cy Applied", "payment and card"),
      });
      await upsertProfile(t.db, {
        connectionId,
        opportunityId: "d-active",
        archived: false,
        postingIds: [],
        parsed: goEngineer("Di Active", "payment and banking"),
      });
    });
    after(async () => {
      await t?.drop();
    });

    it("without an embedder ranks as before and says semantic matching is off", async () => {
      const { proposals, semantic } = await rediscoverWithStatus(t.db, {
        connectionId,
        posting,
        asOf,
        embedderUnavailable: "no AI provider is configured (FULCRUM_AI_PROVIDER=none)",
      });
      assert.deepEqual(semantic, { used: false, reason: "no AI provider is configured (FULCRUM_AI_PROVIDER=none)" });
      assert.deepEqual(
        proposals.map((p) => p.opportunityId),
        ["a-games", "b-payments"],
      );
      assert.equal(proposals[0]!.score, proposals[1]!.score, "the two engineers score the same on the rubric");
      assert.ok(proposals.every((p) => p.semanticMatch === undefined && !p.reasons.some((r) => /semantic/.test(r))));
      assert.deepEqual(proposals, await rediscover(t.db, { connectionId, posting, asOf }));
    });

    it("embeds every indexed profile once, without contact details, and again only when it changes", async () => {
      const calls: string[][] = [];
      const embedder = mockEmbedder(calls);
      assert.deepEqual(await refreshProfileEmbeddings(t.db, embedder, connectionId), { model: "topic-embed", embedded: 4, unchanged: 0 });
      assert.doesNotMatch(calls.flat().join("\n"), /@example\.com|555 010|Alex|Bo Payments/);
      const rows = await t.db.query<{ opportunity_id: string; dimensions: number; embedding: number[] }>(
        "select opportunity_id, dimensions, embedding from screening_profile_embeddings order by opportunity_id",
      );
      assert.deepEqual(
        rows.rows.map((r) => [r.opportunity_id, r.dimensions, r.embedding.length]),
        [
          ["a-games", 4, 4],
          ["b-payments", 4, 4],
          ["c-applied", 4, 4],
          ["d-active", 4, 4],
        ],
      );
      assert.deepEqual(await refreshProfileEmbeddings(t.db, embedder, connectionId), { model: "topic-embed", embedded: 0, unchanged: 4 });
      await upsertProfile(t.db, {
        connectionId,
        opportunityId: "a-games",
        archived: true,
        postingIds: [],
        parsed: goEngineer("Alex Games", "game engine, graphics and shader"),
      });
      assert.deepEqual(await refreshProfileEmbeddings(t.db, embedder, connectionId), { model: "topic-embed", embedded: 1, unchanged: 3 });
    });

    if (engine.pgvector) {
      it("enables pgvector where the server offers it, and its similarity equals the portable SQL's", async () => {
        assert.equal(await hasPgvector(t.db), true, "migration 0091 created the extension");
        const query = { connectionId, model: "topic-embed", vector: [0.9, 0.1, 0.3, 0], limit: 10 };
        const fast = await similarProfiles(t.db, query, { pgvector: true });
        const portable = await similarProfiles(t.db, query, { pgvector: false });
        assert.deepEqual(
          fast.map((c) => c.opportunityId),
          portable.map((c) => c.opportunityId),
        );
        fast.forEach((c, i) => assert.ok(Math.abs(c.similarity - portable[i]!.similarity) < 1e-5, `${c.similarity} vs ${portable[i]!.similarity}`));
        assert.equal(fast.length, 4);
      });
    } else {
      it("uses the portable SQL where pgvector is not installed", async () => {
        const installed = (await t.db.query<{ n: number }>("select count(*)::int as n from pg_extension where extname = 'vector'")).rows[0]!.n;
        assert.equal(await hasPgvector(t.db), installed === 1);
      });
    }

    it("computes cosine similarity in SQL, honouring the posting and archive exclusions", async () => {
      const close = await similarProfiles(t.db, {
        connectionId,
        model: "topic-embed",
        vector: [1, 0, 0, 0],
        excludePostingId: "post-pay",
        archivedOnly: true,
        limit: 10,
      });
      assert.deepEqual(
        close.map((c) => c.opportunityId),
        ["b-payments", "a-games"],
      );
      assert.ok(close[0]!.similarity > 0.9 && close[1]!.similarity < 0.2, JSON.stringify(close));
      assert.deepEqual(await similarProfiles(t.db, { connectionId, model: "other-model", vector: [1, 0, 0, 0], limit: 10 }), []);
    });

    it("ranks the semantically close profile first when embeddings are on, with the similarity as a reason", async () => {
      const { proposals, semantic } = await rediscoverWithStatus(t.db, { connectionId, posting, asOf, embedder: mockEmbedder() });
      assert.deepEqual(semantic, { used: true, model: "topic-embed" });
      assert.deepEqual(
        proposals.map((p) => p.opportunityId),
        ["b-payments", "a-games"],
        "the applied and the active candidate stay out",
      );
      const [pay, games] = proposals;
      assert.equal(pay!.score, games!.score, "similarity changes the order, never the rubric score");
      assert.ok(pay!.semanticMatch! > 0.8 && games!.semanticMatch! < 0.5);
      assert.ok(
        pay!.reasons.some((r) => /^Similar background \(semantic match [01]\.\d\d\)$/.test(r)),
        pay!.reasons.join(" | "),
      );
      assert.ok(!games!.reasons.some((r) => /semantic/.test(r)));
      assert.match((pay!.actions[1] as { value: string }).value, /Similar background/);
    });

    it("falls back to the plain ranking when the provider fails, saying why", async () => {
      const { proposals, semantic } = await rediscoverWithStatus(t.db, { connectionId, posting, asOf, embedder: mockEmbedder([], true) });
      assert.equal(semantic.used, false);
      assert.match(semantic.reason ?? "", /could not be embedded: .*embedding server is down/);
      assert.deepEqual(
        proposals.map((p) => p.opportunityId),
        ["a-games", "b-payments"],
      );
    });

    it("never proposes a forgotten or excluded candidate, and forgetting removes the vector", async () => {
      await t.db.query("update screening_profiles set excluded = true, excluded_reason = 'contact not allowed' where opportunity_id = 'a-games'");
      await forgetOpportunity(t.db, connectionId, "b-payments");
      assert.equal((await t.db.query("select 1 from screening_profile_embeddings where opportunity_id = 'b-payments'")).rows.length, 0);
      const { proposals, semantic } = await rediscoverWithStatus(t.db, { connectionId, posting, asOf, embedder: mockEmbedder() });
      assert.deepEqual(proposals, []);
      assert.match(semantic.reason ?? "", /no indexed profile has an embedding/);
    });
  });
}
