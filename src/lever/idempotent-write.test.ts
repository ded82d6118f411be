import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, type Sandbox } from "../sandbox/index.ts";
import { createLeverClient } from "./client.ts";
import { createMemoryWriteLedger } from "./write-ledger.ts";
import { hasWriteMarker } from "./write-marker.ts";

describe("idempotent writes under concurrency", () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ seed: 11, rateLimit: false, faults: { latencyMs: 80 } });
  });
  after(() => sandbox?.close());

  it("writes one note when the same key is written twice at once in one process (a job handed out again while running)", async () => {
    // Given two clients sharing one ledger, as two runs of the same job in one worker do
    const ledger = createMemoryWriteLedger();
    const admin = [...sandbox.state.users.values()].find((u) => u.accessRole === "super admin")!;
    const opportunityId = [...sandbox.state.opportunities.keys()][0]!;
    const client = () =>
      createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey: sandbox.apiKey }, connectionId: "c1", performAs: admin.id, ledger });
    const key = "test/concurrent-note";

    // When both write the same note with the same key at the same moment
    const [a, b] = await Promise.all([
      client().addNote(opportunityId, { value: "screening summary" }, { key }),
      client().addNote(opportunityId, { value: "screening summary" }, { key }),
    ]);

    // Then Lever holds exactly one such note and both callers get its id
    const notes = [...sandbox.state.notes.values()].filter((n) => n.fields.some((f) => hasWriteMarker(String(f.value), key)));
    assert.equal(notes.length, 1);
    assert.equal(a.id, b.id);
  });
});
