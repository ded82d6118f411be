import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createLeverClient } from "../lever/index.ts";
import { send, startTestServer, type TestServer } from "../lever/test-server.ts";
import { createDatabaseWriteLedger } from "./lever-write-ledger.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "./testing.ts";

for (const engine of await testEngines()) {
  describe(`Lever write ledger on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let server: TestServer;
    before(async () => {
      t = await openTestDatabase(engine.kind);
      server = await startTestServer();
    });
    after(async () => {
      await server?.close();
      await t?.drop();
    });

    it("records a key pending, then done with the Lever id and result", async () => {
      const ledger = createDatabaseWriteLedger(t.db);
      assert.equal(await ledger.get("c1", "k1"), undefined);
      await ledger.begin("c1", "k1", "POST /opportunities/:opportunity/notes");
      assert.equal((await ledger.get("c1", "k1"))?.status, "pending");
      await ledger.settle("c1", "k1", { status: "done", leverId: "n1", result: { id: "n1", fields: [{ value: "x" }] } });
      const record = await ledger.get("c1", "k1");
      assert.equal(record?.status, "done");
      assert.equal(record?.leverId, "n1");
      assert.deepEqual(record?.result, { id: "n1", fields: [{ value: "x" }] });
      assert.equal(record?.attempts, 1);
    });

    it("counts attempts and keeps the first operation", async () => {
      const ledger = createDatabaseWriteLedger(t.db);
      await ledger.begin("c1", "k2", "PUT /opportunities/:opportunity/stage");
      await ledger.settle("c1", "k2", { status: "unknown", error: "timeout" });
      await ledger.begin("c1", "k2", "something else");
      const record = await ledger.get("c1", "k2");
      assert.equal(record?.attempts, 2);
      assert.equal(record?.status, "pending");
      assert.equal(record?.operation, "PUT /opportunities/:opportunity/stage");
    });

    it("refuses to settle a key it never began", async () => {
      await assert.rejects(createDatabaseWriteLedger(t.db).settle("c1", "nope", { status: "failed", error: "x" }), /no record/);
    });

    it("a note whose answer timed out after Lever stored it is written once, across a second client (process)", async () => {
      const notes: { id: string; fields: { value: string }[] }[] = [];
      let hangPosts = true;
      server.handle((req, res) => {
        if (req.method === "GET") return send(res, 200, { data: notes });
        notes.push({ id: `n${notes.length + 1}`, fields: [{ value: (req.json() as { value: string }).value }] });
        if (hangPosts) return; // applied, answer lost
        send(res, 201, { data: notes.at(-1) });
      });
      const options = {
        baseUrl: server.url,
        auth: { kind: "apiKey", apiKey: "k" } as const,
        connectionId: "c-db",
        ledger: createDatabaseWriteLedger(t.db),
        timeoutMs: 100,
        maxRetries: 0,
        retryBaseMs: 1,
      };
      // First process: the only attempt times out; the ledger says unknown.
      await assert.rejects(createLeverClient(options).addNote("o1", { value: "Summary" }, { key: "run-9/step-1" }), /unknown/);
      assert.equal((await options.ledger.get("c-db", "run-9/step-1"))?.status, "unknown");
      // Second process (a job retry): checks Lever, finds the marker, writes nothing.
      hangPosts = false;
      const note = await createLeverClient({ ...options, ledger: createDatabaseWriteLedger(t.db) }).addNote(
        "o1",
        { value: "Summary" },
        { key: "run-9/step-1" },
      );
      assert.equal(note.id, "n1");
      assert.equal(notes.length, 1);
      // Third time: done in the ledger, Lever is not called at all.
      const before = server.requests.length;
      const again = await createLeverClient(options).addNote("o1", { value: "Summary" }, { key: "run-9/step-1" });
      assert.equal(again.id, "n1");
      assert.equal(server.requests.length, before);
    });

    it("prunes settled records older than the given age, never open ones", async () => {
      const ledger = createDatabaseWriteLedger(t.db);
      await ledger.begin("c2", "old-done", "op");
      await ledger.settle("c2", "old-done", { status: "done", leverId: null, result: null });
      await ledger.begin("c2", "old-open", "op");
      await t.db.query("update lever_write_ledger set updated_at = now() - interval '40 days' where connection_id = 'c2'");
      assert.equal(await ledger.prune(30), 1);
      assert.equal((await ledger.get("c2", "old-open"))?.status, "pending");
    });
  });
}
