import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { createPostgresDatabase, testEngines } from "./testing.ts";
import { openDatabase, type Database } from "./database.ts";
import { hashLinkToken } from "./booking-links.ts";
import { listMigrations, migrate } from "./migrate.ts";

// Awaited before any test is registered: under --test-force-exit a file exits once the tests it
// knows have run, so tests registered after a later top-level await would be dropped unreported.
const ENGINES = await testEngines();

/** The migration that scrubs booking links kept in clear by runs made before links were sealed. */
const SCRUB = listMigrations().find((m) => m.name === "scrub-clear-booking-links")!;

const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde";
const OTHER_TOKEN = "ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210-_edcba";
const URL_ = `https://fulcrum.example/hr/book/${TOKEN}`;
/** A link made before links were sealed: only its hash is kept, so it cannot be filled in again. */
const UNSEALED_TOKEN = "QqQqQqQqQqQqQqQqQqQqQqQqQqQqQqQqQqQqQqQqQqQ";
const UNSEALED_URL = `https://fulcrum.example/book/${UNSEALED_TOKEN}`;
const OTHER_URL = `http://127.0.0.1:8080/book/${OTHER_TOKEN}`;

/** A scheduling.propose output as runs made it before links were sealed. */
const oldOutput = {
  feasible: true,
  message: `3 options for Ana (Onsite); the first is proposed for booking, the others are in the evidence. Or send the candidate this self-scheduling link for the candidate (books once, works until 2026-12-01T00:00:00.000Z): ${URL_}`,
  selfSchedule: { mode: "link", url: URL_, expiresAt: "2026-12-01T00:00:00.000Z" },
  candidateEmail: { due: true, to: "ana@mail.example", subject: "Pick your interview time", message: `Hello Ana,\n\nPick a time: ${URL_}\n\nThanks` },
  reasons: [`self-scheduling link for the candidate (books once, works until 2026-12-01T00:00:00.000Z): ${URL_}`, "panel: the posting's hiring manager"],
  notes: ["Größe ≥ 2 — kept as it was", "a page /book/dry-run is no link"],
};

/** The same output with every link replaced by the placeholder the new code writes. */
function scrubbed(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).split(URL_).join("[booking link]").split(OTHER_URL).join("[booking link]"));
}

async function rows(db: Database, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.query<Record<string, unknown>>(sql)).rows;
}

for (const engine of ENGINES) {
  describe(`scrubbing clear booking links on ${engine.kind}`, { skip: engine.skip }, () => {
    let db: Database;
    let drop: () => Promise<void>;
    let before_: { steps: Record<string, unknown>[]; proposals: Record<string, unknown>[] };

    before(async () => {
      if (engine.kind === "pglite") {
        db = await openDatabase({ dataDir: "memory://" });
        drop = () => db.close();
      } else {
        const created = await createPostgresDatabase();
        db = await openDatabase({ url: created.url, poolSize: 2 });
        drop = async () => {
          await db.close();
          await created.drop();
        };
      }
      // Given a database as it stood before the scrub, holding runs made before links were sealed…
      await migrate(
        db,
        listMigrations().filter((m) => m.version < SCRUB.version),
      );
      await db.exec(`
        insert into booking_links (token_hash, token_sealed, connection_id, opportunity_id, request_key, request, expires_at)
          values ('${hashLinkToken(TOKEN)}', 'sealed-token', 'c1', 'opp-1', 'panel:opp-1:stage-1', '{}', now() + interval '7 days'),
                 ('${hashLinkToken(UNSEALED_TOKEN)}', null, 'c1', 'opp-2', 'panel:opp-2:stage-1', '{}', now() + interval '7 days');
        insert into workflow_runs (id, run_key, workflow_id, workflow_hash, workflow, connection_id, event, trace_id, deadline_at)
          values (1, 'r1', 'interview-scheduling', 'h', '{}', 'c1', '{}', 't1', now() + interval '1 day'),
                 (2, 'r2', 'interview-scheduling', 'h', '{}', 'c1', '{}', 't2', now() + interval '1 day');`);
      const action = {
        type: "notify",
        opportunityId: "opp-1",
        channel: "email",
        to: "ana@mail.example",
        subject: "Pick your interview time",
        message: oldOutput.candidateEmail.message,
      };
      const insertStep =
        "insert into workflow_steps (run_id, step_id, position, type, generation, status, input, output) values ($1, $2, $3, $4, 1, 'succeeded', $5, $6)";
      await db.query(insertStep, [1, "propose", 0, "task", JSON.stringify({ selfSchedule: "email" }), JSON.stringify(oldOutput)]);
      await db.query(insertStep, [1, "email", 1, "notify", JSON.stringify(action), null]);
      // A run of the same shape without any link, to be left alone.
      const clean = { ...oldOutput, message: "No link here", selfSchedule: { mode: "off" }, candidateEmail: { due: false }, reasons: ["panel: x"] };
      await db.query(insertStep, [2, "propose", 0, "task", JSON.stringify({ selfSchedule: "off" }), JSON.stringify(clean)]);
      const insertProposal = `insert into proposals (run_id, step_id, generation, workflow_id, connection_id, kind, action, summary, reasons, evidence, mode, status, trace_id, edits, result)
        values ($1, $2, 1, 'interview-scheduling', 'c1', $3, $4, $5, $6, $7, 'assist', $8, 't', $9, $10) returning id`;
      const pending = await db.query<{ id: number }>(insertProposal, [
        1,
        "email",
        "notify",
        JSON.stringify(action),
        'Send an e-mail "Pick your interview time"',
        JSON.stringify(oldOutput.reasons),
        "[]",
        "pending",
        null,
        null,
      ]);
      await db.query(insertProposal, [
        1,
        "email-sent",
        "notify",
        JSON.stringify({ ...action, message: `Other: ${OTHER_URL}` }),
        "Send an e-mail",
        "[]",
        "[]",
        "applied",
        JSON.stringify({ message: `edited ${OTHER_URL}` }),
        JSON.stringify({ sent: true }),
      ]);
      await db.query(insertProposal, [
        1,
        "book",
        "scheduling.book",
        JSON.stringify({ type: "scheduling.book", booking: { panelKey: "p" } }),
        "Book the panel",
        JSON.stringify(oldOutput.reasons),
        JSON.stringify([{ kind: "alternative", label: "Tue" }]),
        "pending",
        null,
        null,
      ]);
      await db.query(insertProposal, [
        2,
        "book",
        "scheduling.book",
        JSON.stringify({ type: "scheduling.book" }),
        "Book the panel",
        '["panel: x"]',
        "[]",
        "pending",
        null,
        null,
      ]);
      // An e-mail still waiting whose link was made before links were sealed.
      await db.query(insertProposal, [
        1,
        "email-unsealed",
        "notify",
        JSON.stringify({ ...action, opportunityId: "opp-2", message: `Pick a time: ${UNSEALED_URL}` }),
        "Send an e-mail",
        "[]",
        "[]",
        "approved",
        JSON.stringify({ message: `Pick a time, Bo: ${UNSEALED_URL}` }),
        null,
      ]);
      await db.query("insert into proposal_decisions (proposal_id, actor, decision, edits) values ($1, 'ana', 'approve', $2)", [
        pending.rows[0]!.id,
        JSON.stringify({ message: `Hi, ${URL_}` }),
      ]);
      await db.query(
        "insert into lever_write_ledger (connection_id, key, operation, status, result) values ('c1', 'k1', 'note', 'done', $1), ('c1', 'k2', 'note', 'done', $2)",
        [JSON.stringify({ text: `Send this: ${URL_}` }), JSON.stringify({ text: "no link" })],
      );
      // Records are appended by the application; a row put in directly stands for an old one here.
      await db.query(
        "insert into audit_records (seq, prev_hash, hash, kind, actor, data, created_at) values (1, 'genesis', 'h1', 'proposal.decided', 'ana', $1, now())",
        [JSON.stringify({ message: `Hello ${URL_}` })],
      );
      before_ = {
        steps: await rows(db, "select id, input::text as input, output::text as output from workflow_steps order by id"),
        proposals: await rows(db, "select id, action::text as action, reasons::text as reasons, updated_at from proposals order by id"),
      };
      // …when the scrub runs.
      assert.deepEqual(await migrate(db), [
        SCRUB.version,
        ...listMigrations()
          .filter((m) => m.version > SCRUB.version)
          .map((m) => m.version),
      ]);
    });
    after(async () => drop?.());

    it("replaces the booking links in a run's step output and input with the placeholder, keeping the rest", async () => {
      const steps = await rows(db, "select step_id, run_id, input, output from workflow_steps order by id");
      const expected = scrubbed(oldOutput) as typeof oldOutput;
      assert.deepEqual(steps[0]!.output, {
        ...expected,
        selfSchedule: { ...expected.selfSchedule, link: { connectionId: "c1", requestKey: "panel:opp-1:stage-1" } },
      });
      assert.equal((steps[0]!.output as typeof oldOutput).candidateEmail.message, "Hello Ana,\n\nPick a time: [booking link]\n\nThanks");
      assert.equal((steps[1]!.input as { message: string }).message, "Hello Ana,\n\nPick a time: [booking link]\n\nThanks");
      assert.deepEqual((steps[0]!.output as typeof oldOutput).notes, oldOutput.notes, "text that is no link stays");
    });

    it("leaves a run without a link untouched", async () => {
      const now = await rows(db, "select id, input::text as input, output::text as output from workflow_steps order by id");
      assert.deepEqual(now[2], before_.steps[2]);
      const proposals = await rows(db, "select id, action::text as action, reasons::text as reasons, updated_at from proposals order by id");
      assert.deepEqual(proposals[3], before_.proposals[3]);
      const ledger = await rows(db, "select key, result from lever_write_ledger order by key");
      assert.deepEqual(ledger[1]!.result, { text: "no link" });
    });

    it("scrubs proposals' actions, reasons, edits and decisions, and the Lever write ledger", async () => {
      const proposals = await rows(db, "select step_id, action, reasons, evidence, edits, result from proposals order by id");
      assert.equal((proposals[0]!.action as { message: string }).message, "Hello Ana,\n\nPick a time: [booking link]\n\nThanks");
      assert.deepEqual(proposals[0]!.reasons, scrubbed(oldOutput.reasons));
      assert.equal((proposals[1]!.action as { message: string }).message, "Other: [booking link]");
      assert.deepEqual(proposals[1]!.edits, { message: "edited [booking link]" });
      assert.deepEqual(proposals[1]!.result, { sent: true });
      assert.deepEqual(proposals[2]!.reasons, scrubbed(oldOutput.reasons));
      assert.deepEqual(proposals[2]!.evidence, [{ kind: "alternative", label: "Tue" }]);
      const decisions = await rows(db, "select edits from proposal_decisions");
      assert.deepEqual(decisions[0]!.edits, { message: "Hi, [booking link]" });
      const ledger = await rows(db, "select key, result from lever_write_ledger order by key");
      assert.deepEqual(ledger[0]!.result, { text: "Send this: [booking link]" });
      const dump = await rows(db, "select string_agg(t::text, ' ') as text from (select * from workflow_steps) t");
      assert.ok(!String(dump[0]!.text).includes(TOKEN));
    });

    it("names the link's row on an e-mail still waiting to be sent, so the notifier fills the placeholder in", async () => {
      const proposals = await rows(db, "select step_id, action from proposals order by id");
      assert.deepEqual((proposals[0]!.action as { bookingLink?: unknown }).bookingLink, { connectionId: "c1", requestKey: "panel:opp-1:stage-1" });
      // The e-mail already sent keeps its action as it was, but for the link.
      assert.equal((proposals[1]!.action as { bookingLink?: unknown }).bookingLink, undefined);
    });

    it("leaves the hash-chained audit trail alone: a record rewritten would break the chain", async () => {
      const audit = await rows(db, "select data from audit_records where seq = 1");
      assert.deepEqual(audit[0]!.data, { message: `Hello ${URL_}` });
    });

    it("keeps the link in clear on a waiting e-mail whose link was never sealed, so it is sent with a link that works", async () => {
      const [row] = await rows(db, "select action, edits from proposals where step_id = 'email-unsealed'");
      assert.equal((row!.action as { message: string }).message, `Pick a time: ${UNSEALED_URL}`);
      assert.equal((row!.action as { bookingLink?: unknown }).bookingLink, undefined);
      assert.deepEqual(row!.edits, { message: `Pick a time, Bo: ${UNSEALED_URL}` });
    });

    it("gives the propose step's output the reference to its sealed link, as the new code writes it", async () => {
      const [step] = await rows(db, "select output from workflow_steps where run_id = 1 and step_id = 'propose'");
      const self = (step!.output as { selfSchedule: { url?: string; link?: unknown } }).selfSchedule;
      assert.deepEqual(self.link, { connectionId: "c1", requestKey: "panel:opp-1:stage-1" });
      assert.equal(self.url, "[booking link]");
    });
  });
}
