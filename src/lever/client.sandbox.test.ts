/**
 * The Lever client against the Lever sandbox (Fulcrum's stand-in for Lever): every endpoint the
 * client uses, Lever's errors, pagination-token invalidation, the rate limit, and idempotent writes
 * under the sandbox's "applied, then answered 500" fault. Drifted response shapes the sandbox does
 * not produce (data.data, noteId-only notes, string timestamps) are covered in client.test.ts and
 * schemas.test.ts against a local server.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, type Sandbox } from "../sandbox/index.ts";
import { createLeverClient, type LeverClientOptions } from "./client.ts";
import { LeverApiError, LeverPerformAsRequiredError, LeverPermissionError } from "./errors.ts";
import { writeMarker } from "./write-marker.ts";
import { createMemoryWriteLedger } from "./write-ledger.ts";

let sandbox: Sandbox;
let adminId: string;
let oppId: string;
const statuses: number[] = [];

const countingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  statuses.push(response.status);
  return response;
};

function lever(overrides: Partial<LeverClientOptions> = {}) {
  return createLeverClient({
    baseUrl: sandbox.url,
    auth: { kind: "apiKey", apiKey: sandbox.apiKey },
    connectionId: `sandbox-${overrides.connectionId ?? "main"}`,
    performAs: adminId,
    fetch: countingFetch,
    retryBaseMs: 5,
    retryMaxMs: 50,
    ...overrides,
  });
}

before(async () => {
  sandbox = await startSandbox({ seed: 7, rateLimit: false });
  const admin = [...sandbox.state.users.values()].find((u) => u.accessRole === "super admin" && u.deactivatedAt === null);
  assert.ok(admin, "the demo org has an active super admin");
  adminId = admin.id;
  const withResume = [...sandbox.state.resumes.values()][0] as unknown as { opportunityId: string };
  oppId = withResume.opportunityId;
});
after(() => sandbox?.close());

describe("Lever client against the sandbox: reads", () => {
  it("lists opportunities across pages and gets one with its stage expanded", async () => {
    const all = await lever().listOpportunities({ limit: 10 }).toArray();
    assert.ok(all.length >= 60, `${all.length} opportunities`);
    assert.equal(new Set(all.map((o) => o.id)).size, all.length);
    const one = await lever().getOpportunity(oppId, { expand: ["stage"] });
    assert.equal(one.id, oppId);
    assert.equal(typeof one.stage, "object");
  });

  it("restarts a listing whose page token went stale, without duplicates", async () => {
    const client = lever();
    const seen: string[] = [];
    let invalidated = false;
    for await (const opp of client.listOpportunities({ limit: 10 })) {
      seen.push(opp.id);
      if (seen.length === 15 && !invalidated) {
        invalidated = true;
        sandbox.invalidatePageTokens();
      }
    }
    assert.ok(invalidated);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(seen.length, (await client.listOpportunities().toArray()).length);
  });

  it("reads the contact, postings, apply form, stages, archive reasons, users and templates", async () => {
    const client = lever();
    const opp = await client.getOpportunity(oppId);
    const contactId = typeof opp.contact === "string" ? opp.contact : opp.contact?.id;
    assert.ok(contactId);
    assert.equal((await client.getContact(contactId)).id, contactId);
    const postings = await client.listPostings().toArray();
    assert.ok(postings.length >= 8);
    const posting = await client.getPosting(postings[0]!.id);
    assert.equal(posting.id, postings[0]!.id);
    const form = await client.getPostingApplyForm(postings[0]!.id);
    assert.ok(form);
    const stages = await client.listStages().toArray();
    assert.ok(stages.some((s) => s.id === "applicant-new"));
    const reasons = await client.listArchiveReasons().toArray();
    assert.ok(reasons.some((r) => r.type === "hired"));
    const hired = await client.listArchiveReasons({ type: "hired" }).toArray();
    assert.ok(hired.length >= 1 && hired.every((r) => r.type === "hired"));
    const users = await client.listUsers().toArray();
    const admin = users.find((u) => u.id === adminId);
    assert.ok(admin?.email);
    assert.equal((await client.findUserByEmail(admin.email))?.id, adminId);
    assert.equal(await client.findUserByEmail("nobody@nowhere.example"), undefined);
    assert.ok((await client.listFeedbackTemplates().toArray()).length >= 1);
    assert.ok(Array.isArray(await client.listTags().toArray()));
    assert.ok(Array.isArray(await client.listSources().toArray()));
  });

  it("reads an opportunity's notes, feedback, interviews, panels, offers, resumes and files, and downloads a resume", async () => {
    const client = lever();
    await client.listNotes(oppId).toArray();
    await client.listFeedback(oppId).toArray();
    await client.listInterviews(oppId).toArray();
    await client.listPanels(oppId).toArray();
    await client.listOffers(oppId).toArray();
    const resumes = await client.listResumes(oppId).toArray();
    assert.ok(resumes.length >= 1);
    const file = await client.downloadResume(oppId, resumes[0]!.id);
    const head = Buffer.from(file.bytes.slice(0, 4)).toString("latin1");
    assert.ok(head === "%PDF" || head === "PK\u0003\u0004", `a PDF or DOCX, got ${JSON.stringify(head)}`);
    const withFile = [...sandbox.state.files.values()][0] as unknown as { id: string; opportunityId: string } | undefined;
    if (withFile) {
      const files = await client.listFiles(withFile.opportunityId).toArray();
      assert.ok(files.some((f) => f.id === withFile.id));
      const download = await client.downloadFile(withFile.opportunityId, withFile.id);
      assert.ok(download.bytes.length > 0);
    }
  });
});

describe("Lever client against the sandbox: writes", () => {
  it("adds a note and a threaded reply, each carrying its key's marker", async () => {
    const client = lever();
    const note = await client.addNote(oppId, { value: "Screening summary", score: 3 }, { key: "sbx-note-1" });
    const reply = await client.addNote(oppId, { value: "Agreed" }, { key: "sbx-note-2", noteId: note.id });
    assert.equal(reply.id, note.id);
    const stored = (await client.listNotes(oppId).toArray()).find((n) => n.id === note.id);
    const values = stored?.fields?.map((f) => f.value) ?? [];
    assert.equal(values.length, 2);
    assert.ok(String(values[0]).endsWith(writeMarker("sbx-note-1")));
    assert.ok(String(values[1]).endsWith(writeMarker("sbx-note-2")));
  });

  it("adds and removes tags, links and sources", async () => {
    const client = lever();
    assert.ok((await client.addTags(oppId, ["fulcrum-test"], { key: "sbx-t1" })).tags?.includes("fulcrum-test"));
    assert.ok(!(await client.removeTags(oppId, ["fulcrum-test"], { key: "sbx-t2" })).tags?.includes("fulcrum-test"));
    assert.ok((await client.addLinks(oppId, ["https://portfolio.example/x"], { key: "sbx-l1" })).links?.includes("https://portfolio.example/x"));
    assert.ok(!(await client.removeLinks(oppId, ["https://portfolio.example/x"], { key: "sbx-l2" })).links?.includes("https://portfolio.example/x"));
    assert.ok((await client.addSources(oppId, ["Fulcrum"], { key: "sbx-s1" })).sources?.includes("Fulcrum"));
    assert.ok(!(await client.removeSources(oppId, ["Fulcrum"], { key: "sbx-s2" })).sources?.includes("Fulcrum"));
  });

  it("changes the stage, archives with a non-hired reason and unarchives", async () => {
    const client = lever();
    const stages = await client.listStages().toArray();
    const target = stages.find((s) => s.id !== "offer" && s.id !== "lead-new")!;
    assert.equal((await client.changeStage(oppId, target.id, { key: "sbx-stage" })).stage, target.id);
    const reason = (await client.listArchiveReasons().toArray()).find((r) => r.type !== "hired")!;
    assert.equal((await client.archive(oppId, reason.id, { key: "sbx-archive" })).archived?.reason, reason.id);
    assert.equal((await client.unarchive(oppId, { key: "sbx-unarchive" })).archived ?? null, null);
  });

  it("creates, updates and deletes a panel and its interviews", async () => {
    const client = lever();
    const interviewer = [...sandbox.state.users.values()].find((u) => u.deactivatedAt === null && u.id !== adminId)!;
    const date = Date.now() + 7 * 24 * 3600_000;
    const panel = await client.createPanel(
      oppId,
      { timezone: "Europe/Berlin", note: "Onsite", interviews: [{ subject: "Technical", interviewers: [{ id: interviewer.id }], date, duration: 60 }] },
      { key: "sbx-panel" },
    );
    assert.equal(panel.externallyManaged, true);
    assert.ok(panel.note?.includes(writeMarker("sbx-panel")));
    const interview = await client.createInterview(
      oppId,
      { panel: panel.id, subject: "Culture", interviewers: [{ id: interviewer.id }], date: date + 3600_000, duration: 30 },
      { key: "sbx-int" },
    );
    const updated = await client.updateInterview(
      oppId,
      interview.id,
      { panel: panel.id, subject: "Culture and values", interviewers: [{ id: interviewer.id }], date: date + 3600_000, duration: 45 },
      { key: "sbx-int-upd" },
    );
    assert.equal(updated.duration, 45);
    const interviews = (await client.listInterviews(oppId).toArray()).filter((i) => i.panel === panel.id);
    assert.equal(interviews.length, 2);
    await client.deleteInterview(oppId, interview.id, { key: "sbx-int-del" });
    const replaced = await client.updatePanel(
      oppId,
      panel.id,
      {
        timezone: "Europe/Lisbon",
        note: "Moved",
        interviews: [{ id: panel.interviews?.[0]?.id, subject: "Technical", interviewers: [{ id: interviewer.id }], date, duration: 90 }],
      },
      { key: "sbx-panel-upd" },
    );
    assert.equal(replaced.timezone, "Europe/Lisbon");
    await client.deletePanel(oppId, panel.id, { key: "sbx-panel-del" });
    assert.ok(!(await client.listPanels(oppId).toArray()).some((p) => p.id === panel.id));
  });

  it("edits a panel by sending all of it: what the edit leaves alone stays, interviews keep their ids", async () => {
    const client = lever();
    const [first, second] = [...sandbox.state.users.values()].filter((u) => u.deactivatedAt === null && u.id !== adminId);
    const date = Date.now() + 9 * 24 * 3600_000;
    const panel = await client.createPanel(
      oppId,
      {
        timezone: "Europe/Berlin",
        note: "Onsite",
        externalUrl: "https://scheduler.example.org/p/7",
        feedbackReminder: "once",
        interviews: [
          { subject: "Technical", interviewers: [{ id: first!.id }], date, duration: 60, location: "Room 1" },
          { subject: "Values", interviewers: [{ id: second!.id }], date: date + 2 * 3600_000, duration: 45, location: "Room 2" },
        ],
      },
      { key: "sbx-panel-edit" },
    );
    const edited = await client.editPanel(
      oppId,
      panel.id,
      (body) => ({ ...body, interviews: body.interviews.map((i, n) => (n === 0 ? { ...i, duration: 90 } : i)) }),
      { key: "sbx-panel-edit-1" },
    );
    assert.equal(edited.note, panel.note, "the note and its write marker stay");
    assert.ok(edited.note?.includes(writeMarker("sbx-panel-edit")));
    assert.equal(edited.externalUrl, "https://scheduler.example.org/p/7");
    assert.equal(edited.feedbackReminder, "once");
    assert.deepEqual(edited.applications, panel.applications);
    assert.deepEqual(
      edited.interviews?.map((i) => [i.id, i.subject, i.duration, i.location]),
      [
        [panel.interviews![0]!.id, "Technical", 90, "Room 1"],
        [panel.interviews![1]!.id, "Values", 45, "Room 2"],
      ],
    );
    await client.deletePanel(oppId, panel.id, { key: "sbx-panel-edit-del" });
  });

  it("finds published postings on the internal job site too by asking each distribution channel", async () => {
    const owner = adminId;
    const internalOnly = sandbox.actions.createPosting({ text: "Internal-only Analyst", state: "published", distributionChannels: ["internal"] }, owner);
    const both = sandbox.actions.createPosting({ text: "Everywhere Engineer", state: "published", distributionChannels: ["public", "internal"] }, owner);
    const client = lever();
    const plain = (await client.listPostings({ state: "published" }).toArray()).map((p) => p.id);
    assert.ok(!plain.includes(internalOnly.id), "Lever leaves internal-only postings out of a published list without a channel");
    const every = (await client.listPostingsOnEveryChannel({ state: "published" }).toArray()).map((p) => p.id);
    assert.ok(every.includes(internalOnly.id));
    assert.equal(every.filter((id) => id === both.id).length, 1, "a posting on both channels comes once");
    const published = [...sandbox.state.postings.values()].filter((p) => p.state === "published" && p.confidentiality === "non-confidential");
    assert.deepEqual(new Set(every), new Set(published.map((p) => p.id)));
  });

  it("creates an opportunity as JSON and one with a resume upload", async () => {
    const client = lever();
    const posting = (await client.listPostings().toArray())[0]!;
    const plain = await client.createOpportunity({ name: "Json Person", emails: ["json.person@example.org"], postings: [posting.id] }, { key: "sbx-opp-json" });
    assert.equal(plain.deduped, false);
    const pdf = new TextEncoder().encode("%PDF-1.4\n% minimal\n");
    const withResume = await client.createOpportunity(
      { name: "Upload Person", emails: ["upload.person@example.org"], phones: [{ value: "+44 20 7946 0000" }], tags: ["fulcrum"], postings: [posting.id] },
      { key: "sbx-opp-file", resume: { bytes: pdf, filename: "upload-person.pdf", contentType: "application/pdf" } },
    );
    assert.equal(withResume.opportunity.name, "Upload Person");
    const resumes = await client.listResumes(withResume.opportunity.id).toArray();
    assert.equal(resumes[0]?.file?.name, "upload-person.pdf");
    const again = await client.createOpportunity(
      { name: "Json Person", emails: ["json.person@example.org"], postings: [posting.id] },
      { key: "sbx-opp-json-2" },
    );
    assert.equal(again.deduped, true);
  });

  it("creates, lists, updates and deletes API webhooks", async () => {
    const client = lever({ performAs: undefined });
    const hook = await client.createWebhook(
      { url: "https://fulcrum.example/webhooks/lever/sbx", event: "candidateStageChange", configuration: { conditions: { origins: ["applied"] } } },
      { key: "sbx-wh" },
    );
    assert.ok(hook.configuration?.signatureToken);
    assert.ok((await client.listWebhooks().toArray()).some((w) => w.id === hook.id));
    const [updated] = await client.updateWebhooks([{ id: hook.id, url: "https://fulcrum.example/webhooks/lever/sbx2" }], { key: "sbx-wh-upd" });
    assert.equal(updated?.url, "https://fulcrum.example/webhooks/lever/sbx2");
    await client.deleteWebhook(hook.id, { key: "sbx-wh-del" });
    assert.ok(!(await client.listWebhooks().toArray()).some((w) => w.id === hook.id));
  });
});

describe("Lever client against the sandbox: errors, limits and idempotency", () => {
  it("maps the sandbox's 403 to the missing permission, and a 404 to Lever's code", async () => {
    const restricted = sandbox.createApiKey({ permissions: ["Find all opportunities"] });
    const client = lever({ auth: { kind: "apiKey", apiKey: restricted } });
    const error = await client.addNote(oppId, { value: "x" }, { key: "sbx-403" }).catch((e: unknown) => e);
    assert.ok(error instanceof LeverPermissionError);
    assert.equal(error.permission, "Create an opportunity note");
    const missing = await lever()
      .getOpportunity("00000000-0000-0000-0000-000000000000")
      .catch((e: unknown) => e);
    assert.ok(missing instanceof LeverApiError);
    assert.equal(missing.status, 404);
    assert.equal(missing.code, "ResourceNotFound");
  });

  it("refuses a panel without a perform-as user before calling the sandbox", async () => {
    await assert.rejects(
      lever({ performAs: undefined }).createPanel(oppId, { timezone: "UTC", interviews: [] }, { key: "sbx-nopa" }),
      LeverPerformAsRequiredError,
    );
  });

  it("stays under the sandbox's real rate limit: 40 calls, no 429", async () => {
    sandbox.setRateLimit(true);
    try {
      statuses.length = 0;
      const client = lever({ connectionId: "rate" });
      await Promise.all(Array.from({ length: 40 }, () => client.listStages().toArray()));
      assert.equal(statuses.length, 40);
      assert.equal(statuses.filter((s) => s === 429).length, 0);
    } finally {
      sandbox.setRateLimit(false);
    }
  });

  it("reads every opportunity while the sandbox drops connections and answers 503s", async () => {
    const expected = (await lever().listOpportunities().toArray()).map((o) => o.id).sort();
    sandbox.faults.dropRate = 0.15;
    sandbox.faults.errorRate = 0.15;
    sandbox.faults.errorStatus = 503;
    sandbox.faults.match = /^GET \/v1\/opportunities/;
    try {
      const before = sandbox.faultCounts.drop + sandbox.faultCounts.error;
      const ids = (await lever({ maxRetries: 8 }).listOpportunities({ limit: 10 }).toArray()).map((o) => o.id);
      assert.deepEqual([...ids].sort(), expected);
      assert.ok(sandbox.faultCounts.drop + sandbox.faultCounts.error > before, "faults were injected");
    } finally {
      sandbox.faults.dropRate = 0;
      sandbox.faults.errorRate = 0;
      delete sandbox.faults.match;
    }
  });

  it("writes a note once when the sandbox applies it and answers 500", async () => {
    sandbox.faults.errorAfterWriteRate = 1;
    sandbox.faults.match = /^POST \/v1\/opportunities\/[^/]+\/notes$/;
    try {
      const ledger = createMemoryWriteLedger();
      const client = lever({ ledger });
      const note = await client.addNote(oppId, { value: "Exactly once" }, { key: "sbx-once" });
      const marker = writeMarker("sbx-once");
      const carrying = [...sandbox.state.notes.values()].filter((n) => n.fields.some((f) => String(f.value).includes(marker)));
      assert.equal(carrying.length, 1);
      assert.equal(carrying[0]!.id, note.id);
      assert.equal(sandbox.faultCounts.errorAfterWrite, 1);
      assert.equal((await ledger.get("sandbox-main", "sbx-once"))?.status, "done");
    } finally {
      sandbox.faults.errorAfterWriteRate = 0;
      delete sandbox.faults.match;
    }
  });

  it("does not move a stage or add a tag twice when the sandbox answers 500 after applying them", async () => {
    sandbox.faults.errorAfterWriteRate = 1;
    sandbox.faults.match = /^(PUT|POST) \/v1\/opportunities\/[^/]+\/(stage|addTags)$/;
    try {
      const client = lever();
      const before = sandbox.events.filter((e) => e.event === "candidateStageChange").length;
      const moved = await client.changeStage(oppId, "applicant-new", { key: "sbx-stage-once" });
      assert.equal(moved.stage, "applicant-new");
      assert.ok(sandbox.events.filter((e) => e.event === "candidateStageChange").length - before <= 1);
      const tagged = await client.addTags(oppId, ["once"], { key: "sbx-tag-once" });
      assert.ok(tagged.tags?.includes("once"));
    } finally {
      sandbox.faults.errorAfterWriteRate = 0;
      delete sandbox.faults.match;
    }
  });
});
