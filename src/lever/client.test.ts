import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { leverCalls } from "../observability/metrics.ts";
import { createLeverClient, type LeverClientOptions } from "./client.ts";
import {
  LeverApiError,
  LeverNetworkError,
  LeverPerformAsRequiredError,
  LeverPermissionError,
  LeverRateLimitError,
  LeverWriteOutcomeUnknownError,
} from "./errors.ts";
import { createMemoryWriteLedger } from "./write-ledger.ts";
import { writeMarker } from "./write-marker.ts";
import { send, startTestServer, type TestServer } from "./test-server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function client(overrides: Partial<LeverClientOptions> = {}) {
  return createLeverClient({
    baseUrl: server.url,
    auth: { kind: "apiKey", apiKey: "key-123" },
    connectionId: "test",
    performAs: "user-1",
    retryBaseMs: 1,
    retryMaxMs: 5,
    timeoutMs: 2000,
    ...overrides,
  });
}

const opp = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `Person ${id}`, stage: "applicant-new", tags: [], ...extra });

describe("Lever client: authentication and base URL", () => {
  it("sends the API key as the Basic user name with an empty password", async () => {
    server.handle((_req, res) => send(res, 200, { data: opp("o1") }));
    await client().getOpportunity("o1");
    assert.equal(server.requests[0]!.headers.authorization, `Basic ${Buffer.from("key-123:").toString("base64")}`);
  });

  it("sends an OAuth bearer token, and fetches a fresh one once after a 401", async () => {
    let calls = 0;
    server.handle((req, res) => {
      if (req.headers.authorization === "Bearer fresh") return send(res, 200, { data: opp("o1") });
      send(res, 401, { code: "Unauthorized", message: "expired" });
    });
    const lever = client({
      auth: {
        kind: "oauth",
        async getAccessToken(o) {
          calls++;
          return o?.forceRefresh ? "fresh" : "stale";
        },
      },
    });
    const got = await lever.getOpportunity("o1");
    assert.equal(got.id, "o1");
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      ["Bearer stale", "Bearer fresh"],
    );
    assert.equal(calls, 2);
  });

  it("works under any base URL path and repeats multi-valued query parameters", async () => {
    const custom = await startTestServer("/eu/custom/v1");
    try {
      custom.handle((_req, res) => send(res, 200, { data: opp("o1") }));
      await client({ baseUrl: custom.url + "/" }).getOpportunity("o 1", { expand: ["stage", "owner"] });
      assert.equal(custom.requests[0]!.path, "/opportunities/o%201");
      assert.deepEqual(custom.requests[0]!.query.getAll("expand"), ["stage", "owner"]);
    } finally {
      await custom.close();
    }
  });
});

describe("Lever client: pagination", () => {
  it("follows next while hasNext is true", async () => {
    server.handle((req, res) => {
      const offset = req.query.get("offset");
      if (!offset) return send(res, 200, { data: [opp("a"), opp("b")], hasNext: true, next: "t1" });
      if (offset === "t1") return send(res, 200, { data: [opp("c")], hasNext: false, next: "t2" });
      send(res, 400, { code: "BadRequest", message: "unexpected" });
    });
    const ids = (await client().listOpportunities({ stage_id: "applicant-new" }).toArray()).map((o) => o.id);
    assert.deepEqual(ids, ["a", "b", "c"]);
    assert.equal(server.requests[0]!.query.get("stage_id"), "applicant-new");
    assert.equal(server.requests[0]!.query.get("limit"), "100");
  });

  it("reads a small list that omits next and hasNext as one page", async () => {
    server.handle((_req, res) =>
      send(res, 200, {
        data: [
          { id: "lead-new", text: "New lead" },
          { id: "offer", text: "Offer" },
        ],
      }),
    );
    assert.deepEqual(
      (await client().listStages().toArray()).map((s) => s.id),
      ["lead-new", "offer"],
    );
  });

  it("restarts without offset on 'Invalid offset token' and yields no item twice", async () => {
    let restarted = false;
    server.handle((req, res) => {
      const offset = req.query.get("offset");
      if (!offset)
        return send(res, 200, { data: restarted ? [opp("a"), opp("b"), opp("c")] : [opp("a"), opp("b")], hasNext: true, next: restarted ? "fresh" : "stale" });
      if (offset === "stale") {
        restarted = true;
        return send(res, 400, { code: "BadRequest", message: "Invalid offset token" });
      }
      return send(res, 200, { data: [opp("d")], hasNext: false });
    });
    const ids = (await client().listOpportunities().toArray()).map((o) => o.id);
    assert.deepEqual(ids, ["a", "b", "c", "d"]);
    assert.equal(server.requests.filter((r) => !r.query.get("offset")).length, 2);
  });

  it("gives up after repeated stale tokens rather than looping", async () => {
    server.handle((req, res) => {
      if (!req.query.get("offset")) return send(res, 200, { data: [opp("a")], hasNext: true, next: "stale" });
      send(res, 400, { code: "BadRequest", message: "Invalid offset token" });
    });
    await assert.rejects(client().listOpportunities().toArray(), /Invalid offset token/);
  });

  it("names the item and field when a listed object is malformed", async () => {
    server.handle((_req, res) => send(res, 200, { data: [opp("a"), { id: "b", tags: "oops" }] }));
    await assert.rejects(client().listOpportunities().toArray(), /data\[1\]\.tags/);
  });
});

describe("Lever client: retries and errors", () => {
  it("retries 429, 500 and 503, then succeeds, and counts every call", async () => {
    const statuses = [429, 500, 503];
    server.handle((_req, res) => {
      const status = statuses.shift();
      if (status) return send(res, status, { code: "Oops", message: `status ${status}` });
      send(res, 200, { data: opp("o1") });
    });
    const before = (await leverCalls.get()).values.find((v) => v.labels.method === "GET" && v.labels.status === "429")?.value ?? 0;
    assert.equal((await client().getOpportunity("o1")).id, "o1");
    assert.equal(server.requests.length, 4);
    const afterCount = (await leverCalls.get()).values.find((v) => v.labels.method === "GET" && v.labels.status === "429")?.value ?? 0;
    assert.equal(afterCount - before, 1);
  });

  it("honours Retry-After on a 429", async () => {
    let first = true;
    server.handle((_req, res) => {
      if (first) {
        first = false;
        return send(res, 429, { code: "TooManyRequests", message: "slow down" }, { "retry-after": "1" });
      }
      send(res, 200, { data: opp("o1") });
    });
    const started = performance.now();
    await client().getOpportunity("o1");
    // Backoff alone would wait at most 5 ms here; a gap of about a second shows Retry-After was used.
    assert.ok(performance.now() - started >= 950);
  });

  it("tells the shared rate limiter to back off when Lever answers 429", async () => {
    let first = true;
    server.handle((_req, res) => {
      if (first) {
        first = false;
        return send(res, 429, { code: "TooManyRequests", message: "slow down" }, { "retry-after": "0" });
      }
      send(res, 200, { data: opp("o1") });
    });
    const pauses: [string, number][] = [];
    const rateLimiter = { take: async () => {}, backOff: async (c: string, ms: number) => void pauses.push([c, ms]) };
    await client({ rateLimiter }).getOpportunity("o1");
    assert.deepEqual(pauses, [["test", 0]]);
  });

  it("does not retry a 4xx and carries Lever's code and message", async () => {
    server.handle((_req, res) => send(res, 404, { code: "ResourceNotFound", message: "opportunities o9 was not found" }));
    const error = await client()
      .getOpportunity("o9")
      .catch((e: unknown) => e);
    assert.ok(error instanceof LeverApiError);
    assert.equal(error.status, 404);
    assert.equal(error.code, "ResourceNotFound");
    assert.equal(error.leverMessage, "opportunities o9 was not found");
    assert.equal(error.retryable, false);
    assert.equal(server.requests.length, 1);
  });

  it("gives up on 429 after maxRetries with a LeverRateLimitError", async () => {
    server.handle((_req, res) => send(res, 429, { code: "TooManyRequests", message: "no" }, { "retry-after": "0" }));
    await assert.rejects(client({ maxRetries: 2 }).getOpportunity("o1"), LeverRateLimitError);
    assert.equal(server.requests.length, 3);
  });

  it("maps a 403 to the API-key permission to add, in Lever's wording", async () => {
    server.handle((_req, res) => send(res, 403, { code: "Forbidden", message: "no access" }));
    const error = await client()
      .addNote("o1", { value: "hi" }, { key: "k-403" })
      .catch((e: unknown) => e);
    assert.ok(error instanceof LeverPermissionError);
    assert.equal(error.permission, "Create an opportunity note");
    assert.equal(error.permissionConfirmed, true);
    assert.match(error.message, /Create an opportunity note/);
    const listError = await client()
      .listPanels("o1")
      .toArray()
      .catch((e: unknown) => e);
    assert.ok(listError instanceof LeverPermissionError);
    assert.equal(listError.permissionConfirmed, false);
  });

  it("times out a request that never answers and retries it", async () => {
    let n = 0;
    server.handle((_req, res) => {
      if (n++ === 0) return; // never answers
      send(res, 200, { data: opp("o1") });
    });
    assert.equal((await client({ timeoutMs: 150 }).getOpportunity("o1")).id, "o1");
    assert.equal(server.requests.length, 2);
    server.handle(() => {});
    const error = await client({ timeoutMs: 100, maxRetries: 0 })
      .getOpportunity("o1")
      .catch((e: unknown) => e);
    assert.ok(error instanceof LeverNetworkError);
    assert.equal(error.timedOut, true);
  });
});

describe("Lever client: network failures", () => {
  it("retries a read whose connection was dropped without an answer", async () => {
    let n = 0;
    server.handle((_req, res) => {
      if (n++ === 0) return void res.socket?.destroy();
      send(res, 200, { data: opp("o1") });
    });
    assert.equal((await client().getOpportunity("o1")).id, "o1");
    assert.equal(server.requests.length, 2);
  });

  it("reports a refused connection as never sent, so a write is marked failed, not unknown", async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const ledger = createMemoryWriteLedger();
    const error = await client({ baseUrl: url, ledger, maxRetries: 1 })
      .addTags("o1", ["x"], { key: "refused" })
      .catch((e: unknown) => e);
    assert.ok(error instanceof LeverNetworkError);
    assert.equal(error.maybeSent, false);
    assert.equal((await ledger.get("test", "refused"))?.status, "failed");
  });

  it("refuses to follow a redirect on a write (fetch would replay it as a GET)", async () => {
    server.handle((_req, res) => send(res, 301, undefined, { location: "/v1/elsewhere" }));
    const error = await client()
      .changeStage("o1", "s2", { key: "redirect" })
      .catch((e: unknown) => e);
    assert.ok(error instanceof LeverApiError);
    assert.equal(error.status, 301);
    assert.equal(server.requests.length, 1);
  });
});

describe("Lever client: perform_as", () => {
  it("fails fast, before any call, when a write that requires perform_as has no user", async () => {
    server.handle((_req, res) => send(res, 201, { data: { id: "p1" } }));
    const lever = client({ performAs: undefined });
    await assert.rejects(lever.createPanel("o1", { timezone: "Europe/Berlin", interviews: [] }, { key: "k-pa" }), LeverPerformAsRequiredError);
    assert.equal(server.requests.length, 0);
  });

  it("sends perform_as on writes, the per-call user winning over the client's", async () => {
    server.handle((_req, res) => send(res, 200, { data: opp("o1", { stage: "s2" }) }));
    await client().changeStage("o1", "s2", { key: "k-stage" });
    await client().addTags("o1", ["x"], { key: "k-tags", performAs: "user-2" });
    assert.equal(server.requests[0]!.query.get("perform_as"), "user-1");
    assert.deepEqual(server.requests[0]!.json(), { stage: "s2" });
    assert.equal(server.requests[1]!.query.get("perform_as"), "user-2");
  });

  it("leaves perform_as out of optional writes when no user is set", async () => {
    server.handle((_req, res) => send(res, 201, { data: { noteId: "n1" } }));
    const note = await client({ performAs: undefined }).addNote("o1", { value: "hello" }, { key: "k-nopa" });
    assert.equal(note.id, "n1");
    assert.equal(server.requests[0]!.query.has("perform_as"), false);
  });
});

describe("Lever client: writes", () => {
  it("posts a threaded note reply with note_id and the key's marker at the end of the text", async () => {
    server.handle((req, res) => send(res, 201, { data: { id: "n1", noteId: "n1", fields: [{ value: (req.json() as { value: string }).value }] } }));
    await client().addNote("o1", { value: "Looks strong", score: 3 }, { key: "step-7", noteId: "n0" });
    const req = server.requests[0]!;
    assert.equal(req.path, "/opportunities/o1/notes");
    assert.equal(req.query.get("note_id"), "n0");
    const body = req.json() as { value: string; score: number };
    assert.equal(body.value, `Looks strong\n\n${writeMarker("step-7")}`);
    assert.equal(body.score, 3);
  });

  it("archives with a reason and unarchives with reason null", async () => {
    server.handle((req, res) => {
      const { reason } = req.json() as { reason: string | null };
      send(res, 200, { data: opp("o1", { archived: reason ? { reason, archivedAt: 1 } : null }) });
    });
    const archived = await client().archive("o1", "r-1", { key: "a1", cleanInterviews: true });
    assert.equal(archived.archived?.reason, "r-1");
    const back = await client().unarchive("o1", { key: "a2" });
    assert.equal(back.archived, null);
    assert.deepEqual(
      server.requests.map((r) => r.json()),
      [{ reason: "r-1", cleanInterviews: true }, { reason: null }],
    );
  });

  it("adds and removes tags, links and sources on their endpoints", async () => {
    server.handle((_req, res) => send(res, 200, { data: opp("o1") }));
    const lever = client();
    await lever.addTags("o1", ["t"], { key: "1" });
    await lever.removeTags("o1", ["t"], { key: "2" });
    await lever.addLinks("o1", ["https://x.example"], { key: "3" });
    await lever.removeLinks("o1", ["https://x.example"], { key: "4" });
    await lever.addSources("o1", ["GitHub"], { key: "5" });
    await lever.removeSources("o1", ["GitHub"], { key: "6" });
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.json())}`),
      [
        'POST /opportunities/o1/addTags {"tags":["t"]}',
        'POST /opportunities/o1/removeTags {"tags":["t"]}',
        'POST /opportunities/o1/addLinks {"links":["https://x.example"]}',
        'POST /opportunities/o1/removeLinks {"links":["https://x.example"]}',
        'POST /opportunities/o1/addSources {"sources":["GitHub"]}',
        'POST /opportunities/o1/removeSources {"sources":["GitHub"]}',
      ],
    );
  });

  it("reads a panel create answered with the documented doubled data.data", async () => {
    server.handle((_req, res) => send(res, 201, { data: { data: { id: "p1", externallyManaged: true, interviews: [{ id: "i1", note: null }] } } }));
    const panel = await client().createPanel(
      "o1",
      { timezone: "Europe/Berlin", note: "Onsite", interviews: [{ interviewers: [{ id: "u1" }], date: 1767603600000, duration: 60 }] },
      { key: "panel-1" },
    );
    assert.equal(panel.id, "p1");
    assert.equal(server.requests[0]!.query.get("perform_as"), "user-1");
    assert.match((server.requests[0]!.json() as { note: string }).note, /^Onsite\n\n\[fulcrum:[0-9a-f]{16}\]$/);
  });

  it("creates, updates and deletes interviews and panels", async () => {
    server.handle((req, res) => {
      if (req.method === "DELETE") return send(res, 204);
      send(res, req.method === "POST" ? 201 : 200, { data: { id: req.path.includes("interviews") ? "i1" : "p1" } });
    });
    const lever = client();
    const interview = { panel: "p1", interviewers: [{ id: "u1" }], date: 1, duration: 30 };
    assert.equal((await lever.createInterview("o1", interview, { key: "ci" })).id, "i1");
    assert.equal((await lever.updateInterview("o1", "i1", interview, { key: "ui" })).id, "i1");
    await lever.deleteInterview("o1", "i1", { key: "di" });
    assert.equal((await lever.updatePanel("o1", "p1", { timezone: "UTC", interviews: [] }, { key: "up" })).id, "p1");
    await lever.deletePanel("o1", "p1", { key: "dp" });
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      [
        "POST /opportunities/o1/interviews",
        "PUT /opportunities/o1/interviews/i1",
        "DELETE /opportunities/o1/interviews/i1",
        "PUT /opportunities/o1/panels/p1",
        "DELETE /opportunities/o1/panels/p1",
      ],
    );
    assert.ok(server.requests.every((r) => r.query.get("perform_as") === "user-1"));
  });

  it("creates an opportunity with a resume as multipart form data", async () => {
    server.handle((_req, res) => send(res, 201, { deduped: true, data: opp("o7") }));
    const pdf = new TextEncoder().encode("%PDF-1.4 test");
    const created = await client().createOpportunity(
      {
        name: "Ada",
        emails: ["ada@example.org", "ada2@example.org"],
        postings: ["post-1"],
        phones: [{ value: "+1 555", type: "mobile" }],
        archived: { reason: "r1" },
      },
      { key: "co-1", resume: { bytes: pdf, filename: "ada.pdf", contentType: "application/pdf" }, parse: true },
    );
    assert.equal(created.deduped, true);
    assert.equal(created.opportunity.id, "o7");
    const req = server.requests[0]!;
    assert.equal(req.query.get("perform_as"), "user-1");
    assert.equal(req.query.get("parse"), "true");
    const form = await req.formData();
    assert.deepEqual(form.getAll("emails[]"), ["ada@example.org", "ada2@example.org"]);
    assert.equal(form.get("postings[]"), "post-1");
    assert.equal(form.get("phones[]"), "+1 555");
    assert.equal(form.get("archived[reason]"), "r1");
    const file = form.get("resumeFile") as File;
    assert.equal(file.name, "ada.pdf");
    assert.equal(file.type, "application/pdf");
    assert.equal(await file.text(), "%PDF-1.4 test");
  });

  it("refuses more than one posting when creating an opportunity", async () => {
    await assert.rejects(client().createOpportunity({ postings: ["a", "b"] }, { key: "k" }), /at most one posting/);
  });

  it("creates, lists, updates and deletes webhooks", async () => {
    server.handle((req, res) => {
      if (req.method === "POST") return send(res, 201, { data: { id: "w1", ...(req.json() as object), configuration: { signatureToken: "secret-token" } } });
      if (req.method === "GET") return send(res, 200, { data: [{ id: "w1", event: "candidateHired", url: "https://f.example/h", configuration: {} }] });
      if (req.method === "PUT") return send(res, 200, { data: [{ id: "w1", event: "candidateHired", url: "https://f.example/h2" }] });
      send(res, 204);
    });
    const lever = client({ performAs: undefined });
    const hook = await lever.createWebhook({ url: "https://f.example/h", event: "candidateHired" }, { key: "wh-1" });
    assert.equal(hook.configuration?.signatureToken, "secret-token");
    assert.equal((await lever.listWebhooks().toArray()).length, 1);
    const updated = await lever.updateWebhooks([{ id: "w1", url: "https://f.example/h2" }], { key: "wh-2" });
    assert.equal(updated[0]!.url, "https://f.example/h2");
    assert.deepEqual(server.requests[2]!.json(), { data: [{ id: "w1", url: "https://f.example/h2" }] });
    await lever.deleteWebhook("w1", { key: "wh-3" });
    assert.equal(server.requests[3]!.path, "/webhooks/w1");
  });

  it("downloads a resume's bytes with its content type and file name", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf", "content-disposition": 'attachment; filename="cv.pdf"' }).end(Buffer.from([1, 2, 3]));
    });
    const file = await client().downloadResume("o1", "r1");
    assert.deepEqual([...file.bytes], [1, 2, 3]);
    assert.equal(file.contentType, "application/pdf");
    assert.equal(file.filename, "cv.pdf");
    assert.equal(server.requests[0]!.path, "/opportunities/o1/resumes/r1/download");
  });
});

describe("Lever client: idempotent writes", () => {
  it("a note applied by Lever whose answer timed out is found by its marker and never written twice", async () => {
    const notes: { id: string; fields: { value: string }[] }[] = [];
    server.handle((req, res) => {
      if (req.method === "POST") {
        notes.push({ id: `n${notes.length + 1}`, fields: [{ value: (req.json() as { value: string }).value }] });
        return; // applied, but the answer never comes: the client times out
      }
      send(res, 200, { data: notes });
    });
    const ledger = createMemoryWriteLedger();
    const lever = client({ ledger, timeoutMs: 150 });
    const note = await lever.addNote("o1", { value: "Summary" }, { key: "run-1/step-2" });
    assert.equal(notes.length, 1);
    assert.equal(note.id, "n1");
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ["POST", "GET"],
    );
    const record = await ledger.get("test", "run-1/step-2");
    assert.equal(record?.status, "done");
    assert.equal(record?.leverId, "n1");
  });

  it("returns the recorded result for a key already done, without calling Lever", async () => {
    server.handle((_req, res) => send(res, 201, { data: { id: "n1", noteId: "n1" } }));
    const ledger = createMemoryWriteLedger();
    const first = await client({ ledger }).addNote("o1", { value: "x" }, { key: "same" });
    const again = await client({ ledger }).addNote("o1", { value: "x" }, { key: "same" });
    assert.deepEqual(again, first);
    assert.equal(server.requests.length, 1);
  });

  it("checks Lever first when a crash left the key pending, and writes when Lever has nothing", async () => {
    const notes: { id: string; fields: { value: string }[] }[] = [];
    server.handle((req, res) => {
      if (req.method === "GET") return send(res, 200, { data: notes });
      notes.push({ id: "n1", fields: [{ value: (req.json() as { value: string }).value }] });
      send(res, 201, { data: notes[0] });
    });
    const ledger = createMemoryWriteLedger();
    await ledger.begin("test", "crashed", "POST /opportunities/:opportunity/notes");
    await client({ ledger }).addNote("o1", { value: "x" }, { key: "crashed" });
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ["GET", "POST"],
    );
    assert.equal(notes.length, 1);
  });

  it("checks the opportunity's stage after a 500 and does not move it again", async () => {
    let stage = "s1";
    server.handle((req, res) => {
      if (req.method === "PUT") {
        stage = (req.json() as { stage: string }).stage;
        return send(res, 500, { code: "InternalError", message: "boom" });
      }
      send(res, 200, { data: opp("o1", { stage }) });
    });
    const moved = await client().changeStage("o1", "s2", { key: "move" });
    assert.equal(moved.stage, "s2");
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ["PUT", "GET"],
    );
  });

  it("treats a 404 on a repeated delete as the earlier attempt's success", async () => {
    let deleted = false;
    server.handle((_req, res) => {
      if (deleted) return send(res, 404, { code: "ResourceNotFound", message: "panel not found" });
      deleted = true;
      send(res, 502, { code: "BadGateway", message: "lost" });
    });
    await client().deletePanel("o1", "p1", { key: "del" });
    assert.equal(server.requests.length, 2);
  });

  it("replaces a webhook whose create outcome was lost, since its signature token cannot be read again", async () => {
    const hooks: { id: string; url: string; event: string }[] = [];
    let n = 0;
    server.handle((req, res) => {
      if (req.method === "GET") return send(res, 200, { data: hooks });
      if (req.method === "DELETE") {
        hooks.splice(
          hooks.findIndex((h) => req.path.endsWith(h.id)),
          1,
        );
        return send(res, 204);
      }
      const hook = { id: `w${++n}`, ...(req.json() as { url: string; event: string }) };
      hooks.push(hook);
      if (n === 1) return send(res, 503, { code: "Unavailable", message: "maintenance" });
      send(res, 201, { data: { ...hook, configuration: { signatureToken: "tok-2" } } });
    });
    const ledger = createMemoryWriteLedger();
    const hook = await client({ ledger }).createWebhook({ url: "https://f.example/h", event: "candidateHired" }, { key: "wh" });
    assert.equal(hook.configuration?.signatureToken, "tok-2");
    assert.deepEqual(
      hooks.map((h) => h.id),
      ["w2"],
    );
    const record = await ledger.get("test", "wh");
    assert.equal(JSON.stringify(record?.result).includes("tok-2"), false, "the ledger never keeps the signature token");
  });

  it("reports an opportunity create without e-mail whose outcome is unknown, rather than creating it twice", async () => {
    server.handle((_req, res) => send(res, 500, { code: "InternalError", message: "boom" }));
    const ledger = createMemoryWriteLedger();
    await assert.rejects(client({ ledger }).createOpportunity({ name: "No Mail" }, { key: "co" }), LeverWriteOutcomeUnknownError);
    assert.equal(server.requests.length, 1);
    assert.equal((await ledger.get("test", "co"))?.status, "unknown");
    await assert.rejects(client({ ledger }).createOpportunity({ name: "No Mail" }, { key: "co" }), LeverWriteOutcomeUnknownError);
    assert.equal(server.requests.length, 1);
  });

  it("finds an opportunity created by an attempt whose answer was lost, by e-mail and posting", async () => {
    let created = false;
    server.handle((req, res) => {
      if (req.method === "POST") {
        created = true;
        return send(res, 500, { code: "InternalError", message: "boom" });
      }
      assert.equal(req.query.get("email"), "ada@example.org");
      assert.equal(req.query.get("posting_id"), "post-1");
      send(res, 200, { data: created ? [opp("o5")] : [] });
    });
    const result = await client().createOpportunity({ name: "Ada", emails: ["ada@example.org"], postings: ["post-1"] }, { key: "co2" });
    assert.equal(result.opportunity.id, "o5");
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ["POST", "GET"],
    );
  });

  it("marks a refused write failed so a later attempt writes again", async () => {
    server.handle((_req, res) => send(res, 400, { code: "BadRequest", message: "value is required" }));
    const ledger = createMemoryWriteLedger();
    await assert.rejects(client({ ledger }).addNote("o1", { value: "" }, { key: "bad" }), /value is required/);
    assert.equal((await ledger.get("test", "bad"))?.status, "failed");
  });

  it("refuses to reuse a key for another operation", async () => {
    server.handle((_req, res) => send(res, 200, { data: opp("o1") }));
    const ledger = createMemoryWriteLedger();
    await client({ ledger }).addTags("o1", ["a"], { key: "k" });
    await assert.rejects(client({ ledger }).removeTags("o1", ["a"], { key: "k" }), /cannot be reused/);
  });
});
