/**
 * The console's decision cards (one per candidate and run, with the recommendation, the score
 * against its bar and why a person is needed) and the transcript view of an interview-analysis
 * proposal: who may see them (a hiring manager: their postings' only), what they hold, and how a
 * long transcript is paged.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { seedInterviewRun, seedScreeningRun } from "./inbox-testing.ts";
import { createConsole, createUser } from "./index.ts";
import { TRANSCRIPT_PAGE_SEGMENTS, type InterviewTranscriptView } from "./interview-transcript.ts";
import { needsPersonInWords, type ProposalCard } from "./proposal-cards.ts";
import { apiErrorSchema, proposalCardListSchema, transcriptReplySchema } from "../../contract/console-api.ts";

const ENGINES = await testEngines();
const COST = { N: 1024, r: 8, p: 1 };
const ORIGIN = "http://console.test";

describe("why a proposal needs a person, in words", () => {
  it("names the confidence threshold, each flag and the mode only when nothing else applies", () => {
    const words = needsPersonInWords({
      policy: ["mode workflow auto", "confidence 0.55 is below 0.70", "policy flags: unverified-quotes", "auto fell back to assist"],
      flags: ["unverified-quotes"],
      confidence: 0.55,
      minConfidence: 0.7,
      recommendation: "hold",
      recommendationReason: null,
    });
    assert.deepEqual(words, [
      "Below the confidence threshold: 55 %, where the workflow needs 70 % to act alone.",
      "Unverified quotes: some quoted words could not be found in the resume or transcript.",
    ]);
    assert.deepEqual(
      needsPersonInWords({
        policy: ["mode workflow assist", "assist: waits for a person"],
        flags: [],
        confidence: 0.9,
        minConfidence: 0.7,
        recommendation: "advance",
        recommendationReason: null,
      }),
      ["The workflow runs in assist mode: each action waits for a person."],
    );
    assert.deepEqual(
      needsPersonInWords({ policy: [], flags: ["odd_new-flag"], confidence: null, minConfidence: null, recommendation: null, recommendationReason: null }),
      ["Flagged for review: odd new flag."],
    );
  });
});

for (const engine of ENGINES) {
  describe(`decision cards and interview transcripts in the console on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let app: Hono;
    const ids: Record<string, string> = {};

    before(async () => {
      t = await openTestDatabase(engine.kind);
      const parts = createConsole({ db: t.db, logger: silentLogger, scryptCost: COST });
      app = new Hono();
      app.route("/", parts.routes);
      for (const [email, role, postingIds] of [
        ["rec@example.com", "recruiter", undefined],
        ["hm@example.com", "hiring_manager", ["p-mine"]],
      ] as const) {
        await createUser(t.db, { email, role, password: "a long password 1", ...(postingIds ? { postingIds: [...postingIds] } : {}) }, COST);
      }
      const mine = { id: "p-mine", text: "Staff Accountant" };
      const other = { id: "p-other", text: "Backend Engineer" };
      const ada = await seedScreeningRun(t.db, {
        candidateName: "Ada Advance",
        opportunityId: "opp-ada",
        posting: other,
        score: 86,
        recommendation: "advance",
        confidence: 0.9,
        advanceAt: "80",
      });
      ids.adaRun = ada.runId;
      ids.adaNote = ada.proposalIds[0]!;
      await seedScreeningRun(t.db, {
        candidateName: "Hal Hold",
        opportunityId: "opp-hal",
        posting: mine,
        score: 61,
        recommendation: "hold",
        confidence: 0.5,
        flags: ["unverified-quotes"],
      });
      // Hal's run waits below the threshold the workflow (application-screening: 0.7) needs to act alone.
      await t.db.query("update proposals set policy = $1 where opportunity_id = 'opp-hal'", [
        JSON.stringify(["mode workflow auto", "confidence 0.50 is below 0.70", "policy flags: unverified-quotes", "auto fell back to assist"]),
      ]);
      const raj = await seedInterviewRun(t.db, {
        candidateName: "Raj Interview",
        opportunityId: "opp-raj",
        posting: mine,
        playerUrl: "https://player.willo.example/v/123",
      });
      ids.raj = raj.proposalId;
      ids.rajAnswers = String(raj.analysis.questions.filter((q) => q.answer).length);
      ids.rajSegments = String(raj.transcript.segments.length);
      ids.long = (
        await seedInterviewRun(t.db, {
          candidateName: "Lou Long",
          opportunityId: "opp-lou",
          posting: other,
          repeat: Math.ceil((TRANSCRIPT_PAGE_SEGMENTS * 1.5) / raj.transcript.segments.length),
        })
      ).proposalId;
      ids.gone = (await seedInterviewRun(t.db, { candidateName: "Gus Gone", opportunityId: "opp-gus", posting: other, forgotten: true })).proposalId;
    });
    after(async () => t?.drop());

    async function send(cookie: string | undefined, path: string) {
      const headers: Record<string, string> = { origin: ORIGIN };
      if (cookie) headers.cookie = cookie;
      return app.request(`${ORIGIN}${path}`, { method: "GET", headers }, { incoming: { socket: { remoteAddress: "10.0.0.7" } } });
    }
    async function signIn(email: string): Promise<string> {
      const res = await app.request(
        `${ORIGIN}/console/api/login`,
        { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ email, password: "a long password 1" }) },
        { incoming: { socket: { remoteAddress: "10.0.0.7" } } },
      );
      assert.equal(res.status, 200);
      return res.headers
        .getSetCookie()
        .map((l) => l.split(";")[0]!)
        .join("; ");
    }
    const cards = async (cookie: string, query = "?status=pending") => {
      const res = await send(cookie, `/console/api/proposal-cards${query}`);
      assert.equal(res.status, 200);
      return ((await res.json()) as { cards: ProposalCard[] }).cards;
    };
    const transcript = async (cookie: string, id: string, query = "") => {
      const res = await send(cookie, `/console/api/proposals/${id}/transcript${query}`);
      // Every answer is in the console's contract: the transcript, or the one error shape.
      (res.status === 200 ? transcriptReplySchema : apiErrorSchema).parse(await res.clone().json());
      return { status: res.status, body: (await res.json()) as { transcript?: InterviewTranscriptView; error?: { code: string; message: string } } };
    };

    it("groups a run's note, tags and stage move into one card with the recommendation, the score against the workflow's bar and why a person is needed", async () => {
      const list = await cards(await signIn("rec@example.com"));
      assert.deepEqual(
        list.map((c) => c.candidateName),
        ["Gus Gone", "Lou Long", "Raj Interview", "Hal Hold", "Ada Advance"],
      );
      const ada = list.find((c) => c.candidateName === "Ada Advance")!;
      assert.equal(ada.runId, ids.adaRun);
      assert.deepEqual(
        ada.proposals.map((p) => p.kind),
        ["lever.note", "lever.tags", "lever.stage"],
      );
      assert.equal(ada.proposals[0]!.id, ids.adaNote);
      assert.equal(ada.postingTitle, "Backend Engineer");
      assert.equal(ada.recommendation, "advance");
      assert.equal(ada.score, 86);
      assert.deepEqual(ada.bar, { at: 80, below: 40, source: "the workflow's advance bar" });
      assert.deepEqual(ada.needsPerson, ["The workflow runs in assist mode: each action waits for a person."]);
      const hal = list.find((c) => c.candidateName === "Hal Hold")!;
      assert.equal(hal.proposals.length, 2);
      assert.deepEqual(hal.bar, { at: 75, below: 40, source: "the workflow's advance bar" });
      assert.deepEqual(hal.needsPerson, [
        "Below the confidence threshold: 50 %, where the workflow needs 70 % to act alone.",
        "Unverified quotes: some quoted words could not be found in the resume or transcript.",
      ]);
      const raj = list.find((c) => c.candidateName === "Raj Interview")!;
      assert.equal(raj.score, null);
      assert.equal(raj.bar, null);
      assert.ok(
        raj.needsPerson.some((w) => /should not be asked/.test(w)),
        raj.needsPerson.join(" | "),
      );
    });

    it("shows a hiring manager only their postings' cards, and refuses a status it does not know", async () => {
      const hm = await signIn("hm@example.com");
      assert.deepEqual(
        (await cards(hm)).map((c) => c.candidateName),
        ["Raj Interview", "Hal Hold"],
      );
      const bad = await send(hm, "/console/api/proposal-cards?status=waiting'--");
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /^status: use all, shadow, pending/);
      assert.equal((await send(undefined, "/console/api/proposal-cards")).status, 401);
    });

    it("a decided proposal leaves the waiting card and shows under all", async () => {
      const rec = await signIn("rec@example.com");
      await t.db.query("update proposals set status = 'approved' where id = $1", [ids.adaNote]);
      try {
        const ada = (await cards(rec)).find((c) => c.runId === ids.adaRun)!;
        assert.deepEqual(
          ada.proposals.map((p) => p.kind),
          ["lever.tags", "lever.stage"],
        );
        const all = (await cards(rec, "?status=all")).find((c) => c.runId === ids.adaRun)!;
        assert.deepEqual(
          all.proposals.map((p) => p.status),
          ["approved", "pending", "pending"],
        );
      } finally {
        await t.db.query("update proposals set status = 'pending' where id = $1", [ids.adaNote]);
      }
    });

    it("pages the cards newest run first, each card whole, with the totals and the filter choices on the first page", async () => {
      const rec = await signIn("rec@example.com");
      // A late proposal of the oldest run (Ada's), made after every other run's: still on Ada's card, not a page of its own.
      const late = await t.db.query<{ id: string }>(
        `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, summary, mode, policy, status, trace_id)
         select run_id, 'late', generation, workflow_id, connection_id, opportunity_id, posting_id, kind, action, 'A late note', mode, policy, status, trace_id
         from proposals where id = $1 returning id`,
        [ids.adaNote],
      );
      try {
        const whole = await cards(rec);
        type Page = {
          cards: ProposalCard[];
          next: string | null;
          total?: { proposals: number; cards: number };
          facets?: { workflows: string[]; stages: string[] };
        };
        const page = async (query: string): Promise<Page> => {
          const res = await send(rec, `/console/api/proposal-cards?status=pending${query}`);
          assert.equal(res.status, 200);
          return proposalCardListSchema.parse(await res.json());
        };
        const first = await page("&limit=2");
        assert.deepEqual(
          first.cards.map((c) => c.candidateName),
          ["Gus Gone", "Lou Long"],
        );
        assert.equal(first.next, first.cards[1]!.runId);
        assert.deepEqual(first.total, { proposals: whole.reduce((n, c) => n + c.proposals.length, 0), cards: 5 });
        assert.deepEqual(first.facets?.workflows, ["application-screening", "interview-analysis"]);
        const seen: ProposalCard[] = [...first.cards];
        let next: string | null = first.next;
        for (let pages = 1; next !== null; pages++) {
          assert.ok(pages < 10, "the pages end");
          const more = await page(`&limit=2&before=${next}`);
          assert.equal(more.total, undefined, "totals come with the first page only");
          seen.push(...more.cards);
          next = more.next;
        }
        assert.deepEqual(seen, whole, "the pages together are the unpaged list, each card once and whole");
        const ada = seen.find((c) => c.runId === ids.adaRun)!;
        assert.deepEqual(ada.proposals.map((p) => p.summary).at(-1), "A late note");
        assert.deepEqual((await page(`&limit=1&before=${ids.adaRun}`)).cards, [], "nothing is older than the oldest run");
        const interviews = await page("&workflow=interview-analysis");
        assert.deepEqual(
          interviews.cards.map((c) => c.candidateName),
          ["Gus Gone", "Lou Long", "Raj Interview"],
        );
        assert.deepEqual(interviews.total?.cards, 3);
        const accountant = await page("&posting=Staff%20Accountant&confidence=low");
        assert.deepEqual(
          accountant.cards.map((c) => c.candidateName),
          [],
          "Hal's confidence is 0.5, not low",
        );
        assert.deepEqual(
          (await page("&posting=p-mine&confidence=mid")).cards.map((c) => c.candidateName),
          ["Hal Hold"],
        );
        for (const bad of ["limit=0", "limit=10001", "before=abc", "before=-1", "age=ancient", "confidence=huge"]) {
          const res = await send(rec, `/console/api/proposal-cards?${bad}`);
          assert.equal(res.status, 400, bad);
        }
      } finally {
        await t.db.query("delete from proposals where id = $1", [late.rows[0]!.id]);
      }
    });

    it("gives an interview proposal's transcript with times, the question list with answers and times, the player URL and the interviewer check", async () => {
      const { status, body } = await transcript(await signIn("rec@example.com"), ids.raj!);
      assert.equal(status, 200);
      const v = body.transcript!;
      assert.equal(v.total, Number(ids.rajSegments));
      assert.equal(v.segments.length, v.total);
      assert.equal(v.next, null);
      assert.equal(v.note, null);
      assert.ok(v.segments.every((s, i) => s.index === i && s.end >= s.start && typeof s.text === "string"));
      assert.ok(
        v.segments.some((s) => s.speaker),
        "voices are kept",
      );
      assert.equal(v.playerUrl, "https://player.willo.example/v/123");
      assert.equal(v.questions.filter((q) => q.answer).length, Number(ids.rajAnswers));
      const notAsked = v.questions.filter((q) => !q.asked);
      assert.ok(notAsked.length > 0, "a question that was never asked is listed as such");
      const answered = v.questions.find((q) => q.answer)!;
      assert.ok(answered.answer!.start >= answered.asked!.start && answered.answer!.quote.length > 0);
      assert.equal(v.interviewerCheck[0]?.category, "marital-status");
    });

    it("pages a long transcript and says so", async () => {
      const rec = await signIn("rec@example.com");
      const first = (await transcript(rec, ids.long!)).body.transcript!;
      assert.equal(first.segments.length, TRANSCRIPT_PAGE_SEGMENTS);
      assert.ok(first.total > TRANSCRIPT_PAGE_SEGMENTS);
      assert.equal(first.next, TRANSCRIPT_PAGE_SEGMENTS);
      assert.match(first.note!, new RegExp(`^Showing segments 1–${TRANSCRIPT_PAGE_SEGMENTS} of ${first.total}`));
      const second = (await transcript(rec, ids.long!, `?from=${first.next}`)).body.transcript!;
      assert.equal(second.segments[0]!.index, TRANSCRIPT_PAGE_SEGMENTS);
      assert.equal(second.next, null);
      assert.equal(second.segments.length, first.total - TRANSCRIPT_PAGE_SEGMENTS);
      const bad = await transcript(rec, ids.long!, "?from=-1");
      assert.equal(bad.status, 400);
      assert.match(bad.body.error!.message, /^from: give a segment number/);
    });

    it("refuses another posting's transcript to a hiring manager, and says when a transcript is gone or there is none", async () => {
      const hm = await signIn("hm@example.com");
      assert.equal((await transcript(hm, ids.raj!)).status, 200);
      const refused = await transcript(hm, ids.long!);
      assert.equal(refused.status, 404);
      assert.equal(refused.body.error?.message, `No proposal ${ids.long} that you may see.`);
      const rec = await signIn("rec@example.com");
      const gone = await transcript(rec, ids.gone!);
      assert.equal(gone.status, 404);
      assert.match(gone.body.error!.message, /no longer kept/);
      const screening = await transcript(rec, ids.adaNote!);
      assert.equal(screening.status, 404);
      assert.match(screening.body.error!.message, /has no interview transcript/);
      assert.equal((await send(undefined, `/console/api/proposals/${ids.raj}/transcript`)).status, 401);
    });
  });
}
