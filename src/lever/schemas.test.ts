import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  leverArchiveReasonSchema,
  leverAuditEventSchema,
  leverEeoResponseSchema,
  leverProfileFormSchema,
  leverReferralSchema,
  leverCreatedOpportunitySchema,
  leverListPageSchema,
  leverNoteSchema,
  leverOpportunitySchema,
  leverPanelSchema,
  leverStageSchema,
  leverFileSchema,
  leverResumeSchema,
  leverWebhookSubscriptionSchema,
  leverTimestampSchema,
  parseLeverWebhook,
  unwrapLeverData,
} from "./schemas.ts";

// Payloads from the reference, section 8 (invented values, real field names).
const stageChangeDelivery = {
  id: "4b7e1c9a-2f6d-4e0b-9a51-77c0d3e1f2aa",
  event: "candidateStageChange",
  triggeredAt: 1767268800123,
  token: "9f1c2e7a4b6d8e0f1a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e",
  signature: "3e6a0f1d9b2c4e8f7a5d1c3b9e0f2a4c6d8e1f3a5b7c9d0e2f4a6b8c1d3e5f70",
  data: {
    opportunityId: "0a5d2c8e-6b41-4f3a-9c77-1e2f3a4b5c6d",
    candidateId: "0a5d2c8e-6b41-4f3a-9c77-1e2f3a4b5c6d",
    contactId: "7c1e9b3a-5d2f-4a8e-b6c0-3f4e5d6c7b8a",
    fromStageId: "applicant-new",
    toStageId: "2d9a6f1b-8c3e-4d7a-a5b2-9e0f1c2d3e4f",
  },
};

const archiveDelivery = {
  event: "candidateArchiveChange",
  triggeredAt: 1767272400456,
  token: "b2d4f6a8c0e2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2a4c6e8",
  signature: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
  data: {
    opportunityId: "0a5d2c8e-6b41-4f3a-9c77-1e2f3a4b5c6d",
    candidateId: "0a5d2c8e-6b41-4f3a-9c77-1e2f3a4b5c6d",
    contactId: "7c1e9b3a-5d2f-4a8e-b6c0-3f4e5d6c7b8a",
    fromArchived: null,
    toArchived: { archivedAt: 1767272400400, reason: "e4c8a2f6-1b3d-4e5f-8a9b-0c1d2e3f4a5b" },
  },
};

const noteResponse = {
  data: {
    id: "5f0e3d2c-1b4a-4c6d-9e8f-7a6b5c4d3e2f",
    noteId: "5f0e3d2c-1b4a-4c6d-9e8f-7a6b5c4d3e2f",
    text: "Note",
    fields: [
      {
        type: "note",
        text: "Comment",
        value: "AI screening summary: strong distributed-systems background. @dana please review.",
        createdAt: 1767276000789,
        user: "c3a1e5f7-9b2d-4f6a-8c0e-1d3f5a7b9c2e",
        score: 3,
        stage: "2d9a6f1b-8c3e-4d7a-a5b2-9e0f1c2d3e4f",
      },
    ],
    user: "c3a1e5f7-9b2d-4f6a-8c0e-1d3f5a7b9c2e",
    secret: false,
    createdAt: 1767276000789,
    completedAt: 1767276000789,
    deletedAt: null,
  },
};

const webhookCreateResponse = {
  data: {
    id: "8a6c4e2f-0b1d-4f3a-9c5e-7d9f1b3d5f7a",
    event: "candidateStageChange",
    url: "https://ats-bridge.example.org/webhooks/lever/wh_01",
    configuration: {
      conditions: { origins: ["applied", "referred", "sourced"] },
      signatureToken: "d41f7a2c9e0b3d6f8a1c4e7b0d3f6a9c2e5b8d1f4a7c0e3b",
    },
    createdAt: 1767283200000,
    updatedAt: 1767283200000,
  },
};

const opportunityList = {
  data: [
    {
      id: "0a5d2c8e-6b41-4f3a-9c77-1e2f3a4b5c6d",
      name: "Mira Okafor",
      headline: "Acme Corp, Globex",
      contact: "7c1e9b3a-5d2f-4a8e-b6c0-3f4e5d6c7b8a",
      stage: "2d9a6f1b-8c3e-4d7a-a5b2-9e0f1c2d3e4f",
      confidentiality: "non-confidential",
      location: "Lisbon",
      emails: ["mira@example.net"],
      phones: [{ type: "mobile", value: "+351 900 000 000" }],
      links: [],
      archived: null,
      tags: ["Engineering", "Full-time"],
      sources: ["LinkedIn"],
      origin: "sourced",
      owner: "c3a1e5f7-9b2d-4f6a-8c0e-1d3f5a7b9c2e",
      followers: [],
      applications: ["6e1d4b2a-8c3f-4a5e-9b7d-1f2e3d4c5b6a"],
      createdAt: 1767000000000,
      updatedAt: 1767268800200,
      lastInteractionAt: 1767268800200,
      lastAdvancedAt: 1767268800123,
      snoozedUntil: null,
      stageChanges: [{ toStageId: "applicant-new", toStageIndex: 3, userId: "c3a1e5f7-9b2d-4f6a-8c0e-1d3f5a7b9c2e", updatedAt: 1767000000000 }],
      urls: { list: "https://hire.lever.co/candidates", show: "https://hire.lever.co/candidates/0a5d2c8e-6b41-4f3a-9c77-1e2f3a4b5c6d" },
      dataProtection: null,
      isAnonymized: false,
    },
  ],
  hasNext: true,
  next: "0.1767000000000.0a5d2c8e-6b41-4f3a-9c77-1e2f3a4b5c6d",
};

describe("Lever object schemas", () => {
  it("parses the reference's opportunity list page and keeps unknown fields", () => {
    const page = leverListPageSchema.parse({ ...opportunityList, extra: 1 });
    assert.equal(page.hasNext, true);
    const opp = leverOpportunitySchema.parse({ ...(page.data[0] as object), brandNewField: { x: 1 } });
    assert.equal(opp.stage, "2d9a6f1b-8c3e-4d7a-a5b2-9e0f1c2d3e4f");
    assert.deepEqual((opp as Record<string, unknown>).brandNewField, { x: 1 });
    assert.equal(opp.stageChanges?.[0]?.toStageId, "applicant-new");
  });

  it("accepts an expanded stage, contact and owner in place of their ids", () => {
    const opp = leverOpportunitySchema.parse({
      id: "o1",
      stage: { id: "lead-new", text: "New lead" },
      contact: { id: "c1", name: "A", location: { name: "Lisbon" } },
      owner: { id: "u1", name: "Dana" },
      applications: [{ id: "a1", type: "posting", posting: "p1" }],
    });
    assert.deepEqual(opp.stage, { id: "lead-new", text: "New lead" });
    assert.equal(typeof opp.contact === "object" && opp.contact?.name, "A");
  });

  it("accepts non-UUID stage ids", () => {
    for (const id of ["lead-new", "lead-reached-out", "applicant-new", "offer"]) {
      assert.equal(leverStageSchema.parse({ id, text: id }).id, id);
    }
  });

  it("accepts timestamps as numbers, numeric strings and ISO dates, and normalises them to ms", () => {
    assert.equal(leverTimestampSchema.parse(1468953420000), 1468953420000);
    assert.equal(leverTimestampSchema.parse("1468953420000"), 1468953420000);
    assert.equal(leverTimestampSchema.parse("2016-07-19T18:37:00.000Z"), 1468953420000);
    const file = leverFileSchema.parse({ id: "f", uploadedAt: "1468953420000", status: null });
    assert.equal(file.uploadedAt, 1468953420000);
    assert.throws(() => leverTimestampSchema.parse("yesterday"), /not a timestamp/);
  });

  it("accepts an archive reason whose type is null, and archived: null", () => {
    const reason = leverArchiveReasonSchema.parse({ id: "r1", text: "Underqualified", status: "active", type: null });
    assert.equal(reason.type, null);
    const opp = leverOpportunitySchema.parse({ id: "o1", archived: null, updatedAt: null });
    assert.equal(opp.archived, null);
  });

  it("reads a created note from the full real shape and from the documented noteId-only shape", () => {
    const full = leverNoteSchema.parse(unwrapLeverData(noteResponse));
    assert.equal(full.id, "5f0e3d2c-1b4a-4c6d-9e8f-7a6b5c4d3e2f");
    assert.equal(full.fields?.[0]?.score, 3);
    const bare = leverNoteSchema.parse(unwrapLeverData({ data: { noteId: "n-1" } }));
    assert.equal(bare.id, "n-1");
    assert.throws(() => leverNoteSchema.parse({ text: "Note" }), /id or a noteId/);
  });

  it("unwraps both data and the doubled data.data of some documented create responses", () => {
    const single = unwrapLeverData(webhookCreateResponse);
    const doubled = unwrapLeverData({ data: webhookCreateResponse });
    assert.deepEqual(single, doubled);
    const hook = leverWebhookSubscriptionSchema.parse(single);
    assert.equal(hook.configuration?.signatureToken, "d41f7a2c9e0b3d6f8a1c4e7b0d3f6a9c2e5b8d1f4a7c0e3b");
    // An object that itself has a field named data is not unwrapped twice.
    assert.deepEqual(unwrapLeverData({ data: { id: "x", data: [1] } }), { id: "x", data: [1] });
  });

  it("parses a created panel with nullable interview fields", () => {
    const panel = leverPanelSchema.parse({
      id: "p1",
      applications: ["a1"],
      canceledAt: null,
      timezone: "Europe/Berlin",
      externallyManaged: true,
      externalUrl: null,
      interviews: [{ id: "i1", date: 1767603600000, duration: 60, location: null, note: null, interviewers: [{ id: "u1", responseStatus: "needsAction" }] }],
    });
    assert.equal(panel.interviews?.[0]?.interviewers?.[0]?.responseStatus, "needsAction");
  });

  it("parses the create-opportunity response with its top-level deduped flag", () => {
    const created = leverCreatedOpportunitySchema.parse({ deduped: true, data: { id: "o9", emails: ["x@example.org"] } });
    assert.equal(created.deduped, true);
    assert.equal(created.data.id, "o9");
  });

  it("parses profile forms, referrals, EEO rows and audit events loosely", () => {
    assert.equal(
      leverProfileFormSchema.parse({ id: "f1", type: "form", fields: [{ type: "yes-no", value: "yes" }], createdAt: "1767000000000" }).createdAt,
      1767000000000,
    );
    assert.equal(leverReferralSchema.parse({ id: "r1", type: "referral", referrer: { id: "u1" } }).id, "r1");
    assert.equal(leverEeoResponseSchema.parse({ opportunityId: "o1", gender: null, hiredDate: null }).opportunityId, "o1");
    assert.equal(leverAuditEventSchema.parse({ id: "a1", type: "user.login", meta: { ip: "x" } }).type, "user.login");
  });

  it("reads a file's size in bytes whether Lever sends a number or a string", () => {
    const file = (size: unknown) => leverFileSchema.parse({ id: "f1", name: "cv.pdf", size }).size;
    assert.equal(file(48213), 48213);
    assert.equal(file("48213"), 48213);
    assert.equal(file("1.5 KB"), 1536);
    assert.equal(file("2MB"), 2 * 1024 * 1024);
    assert.equal(file("unknown"), null);
    assert.equal(file(null), null);
    assert.equal(leverResumeSchema.parse({ id: "r1", file: { name: "cv.pdf", size: "1024" } }).file?.size, 1024);
  });

  it("names the field path when an object is malformed", () => {
    const result = leverOpportunitySchema.safeParse({ id: "o1", tags: "not-a-list" });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ["tags"]);
  });
});

describe("Lever webhook deliveries", () => {
  it("parses the reference's stage-change delivery into typed data", () => {
    const parsed = parseLeverWebhook(stageChangeDelivery);
    assert.equal(parsed.kind, "event");
    if (parsed.kind === "event" && parsed.event === "candidateStageChange") {
      assert.equal(parsed.data.fromStageId, "applicant-new");
      assert.equal(parsed.envelope.id, "4b7e1c9a-2f6d-4e0b-9a51-77c0d3e1f2aa");
    } else assert.fail("expected a stage change");
  });

  it("parses an archive change without an envelope id, and an unarchive (toArchived null)", () => {
    const parsed = parseLeverWebhook(archiveDelivery);
    assert.ok(parsed.kind === "event" && parsed.event === "candidateArchiveChange");
    assert.equal(parsed.data.toArchived?.reason, "e4c8a2f6-1b3d-4e5f-8a9b-0c1d2e3f4a5b");
    const unarchive = parseLeverWebhook({
      ...archiveDelivery,
      data: { ...archiveDelivery.data, fromArchived: archiveDelivery.data.toArchived, toArchived: null },
    });
    assert.ok(unarchive.kind === "event" && unarchive.event === "candidateArchiveChange");
    assert.equal(unarchive.data.toArchived, null);
  });

  it("treats data: {} as a test ping, and an unknown event as unknown rather than an error", () => {
    assert.equal(parseLeverWebhook({ ...stageChangeDelivery, data: {} }).kind, "ping");
    assert.equal(parseLeverWebhook({ ...stageChangeDelivery, event: "offerSigned" }).kind, "unknown-event");
  });

  it("accepts triggeredAt as a string and a delivery without a signature", () => {
    const { signature: _s, ...unsigned } = stageChangeDelivery;
    const parsed = parseLeverWebhook({ ...unsigned, triggeredAt: "1767268800123" });
    assert.equal(parsed.envelope.triggeredAt, 1767268800123);
    assert.equal(parsed.envelope.signature, undefined);
  });

  it("rejects a stage change without toStageId, naming the field", () => {
    const { toStageId: _t, ...data } = stageChangeDelivery.data;
    assert.throws(() => parseLeverWebhook({ ...stageChangeDelivery, data }), /toStageId/);
  });

  it("rejects an envelope without a token", () => {
    const { token: _t, ...body } = stageChangeDelivery;
    assert.throws(() => parseLeverWebhook(body), /token/);
  });
});
