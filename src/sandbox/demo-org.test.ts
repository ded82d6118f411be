import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { seedDemoOrg } from "./demo-org.ts";
import { createState } from "./state.ts";

async function org(seed: number) {
  const state = createState(seed);
  const summary = await seedDemoOrg(state, seed);
  return { state, summary };
}

describe("demo organisation", () => {
  it("is the same for the same seed", async () => {
    const [a, b] = [await org(21), await org(21)];
    const strip = (s: Awaited<ReturnType<typeof org>>["state"]) =>
      JSON.stringify({
        o: [...s.opportunities.values()],
        p: [...s.postings.values()],
        u: [...s.users.values()],
        n: [...s.notes.values()],
        f: [...s.feedback.values()],
        st: s.stages,
      });
    assert.equal(strip(a.state), strip(b.state));
    assert.notEqual(strip(a.state), strip((await org(22)).state));
  });

  it("has users in every role, the fixed stages in place and custom UUID stages between them", async () => {
    const { state } = await org(1);
    const roles = new Set([...state.users.values()].map((u) => u.accessRole));
    assert.deepEqual([...roles].sort(), ["admin", "interviewer", "limited team member", "super admin", "team member"]);
    const ids = state.stages.map((s) => s.id);
    assert.deepEqual(ids.slice(0, 4), ["lead-new", "lead-reached-out", "lead-responded", "applicant-new"]);
    assert.equal(ids.at(-1), "offer");
    const custom = state.stages.slice(4, -1);
    assert.ok(custom.length >= 3);
    for (const s of custom) assert.match(s.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(
      custom.some((s) => s.text === "Phone Screen") && custom.some((s) => s.text === "On-site Interview") && custom.some((s) => s.text === "Reference Check"),
    );
  });

  it("has 8+ postings across departments with full descriptions and <li> requirement lists", async () => {
    const { state } = await org(1);
    const postings = [...state.postings.values()];
    assert.ok(postings.length >= 8);
    const departments = new Set(postings.map((p) => p.categories.department));
    for (const d of ["Engineering", "Data", "Design", "Product", "Sales", "Marketing", "Finance", "People"]) assert.ok(departments.has(d), d);
    for (const p of postings) {
      assert.ok(p.content.lists.length >= 1);
      for (const l of p.content.lists) assert.match(l.content, /^(<li>[^<]+<\/li>)+$/);
    }
    assert.ok(postings.some((p) => p.confidentiality === "confidential"));
  });

  it("has 60+ candidates with resumes (PDF and DOCX), notes, feedback, panels, confidential, archived and data-protection records", async () => {
    const { state, summary } = await org(1);
    const opps = [...state.opportunities.values()];
    assert.ok(opps.length >= 60);
    const resumes = [...state.resumes.values()];
    assert.ok(
      opps.every((o) => resumes.some((r) => r.opportunityId === o.id)),
      "every candidate has a resume",
    );
    const exts = new Set(resumes.map((r) => r.ext));
    assert.ok(exts.has("pdf") && exts.has("docx"));
    const pdf = resumes.find((r) => r.ext === "pdf")!;
    const docx = resumes.find((r) => r.ext === "docx")!;
    assert.equal(Buffer.from((await pdf.bytes()).subarray(0, 4)).toString("latin1"), "%PDF");
    assert.equal(Buffer.from((await docx.bytes()).subarray(0, 2)).toString("latin1"), "PK");
    assert.equal(pdf.size, (await pdf.bytes()).length);
    assert.equal(summary.profiles.size, opps.length);
    assert.ok(state.notes.size >= 20);
    assert.ok(state.feedback.size >= 5);
    assert.ok([...state.panels.values()].some((p) => p.externallyManaged) && [...state.panels.values()].some((p) => !p.externallyManaged));
    assert.ok(opps.filter((o) => o.confidentiality === "confidential").length >= 2);
    const archived = opps.filter((o) => o.archived !== null);
    assert.ok(archived.length >= 4);
    const hired = state.archiveReasons.find((r) => r.type === "hired")!.id;
    assert.ok(archived.some((o) => o.archived!.reason === hired) && archived.some((o) => o.archived!.reason !== hired));
    assert.ok(opps.some((o) => o.dataProtection !== null));
    assert.ok(state.offers.size >= 1);
    for (const t of state.feedbackTemplates.values()) assert.equal(t.fields.filter((f) => f.type === "score-system").length, 1);
  });

  it("keeps every reference inside the organisation", async () => {
    const { state } = await org(2);
    for (const o of state.opportunities.values()) {
      assert.ok(state.contacts.has(o.contact));
      assert.ok(state.stages.some((s) => s.id === o.stage));
      for (const a of o.applications) assert.ok(state.postings.has(state.applications.get(a)!.posting!));
      if (o.archived) assert.ok(state.archiveReasons.some((r) => r.id === o.archived!.reason));
      for (const f of [o.owner!, ...o.followers]) assert.ok(state.users.has(f));
    }
    for (const p of state.panels.values()) for (const i of p.interviews) for (const x of i.interviewers) assert.ok(state.users.has(x.id));
    for (const f of state.feedback.values()) assert.ok(state.feedbackTemplates.has(f.baseTemplateId));
  });
});
