/**
 * The seeded demo organisation "Northwind Demo Co.": users in every role, Lever's fixed stages
 * plus custom ones, archive reasons, postings, feedback templates and 60+ candidates with real
 * PDF and DOCX resumes, notes, feedback and interviews. Same seed, same organisation.
 */
import { generatePeople, renderResumeDocx, renderResumePdf, resumeLayouts, type ResumeProfile } from "./resumes/index.ts";
import { createPrng, hashSeed, type Prng } from "./resumes/prng.ts";
import { demoPostings, postingContent } from "./demo-postings.ts";
import { seedFormTemplates } from "./forms.ts";
import type {
  AccessRole,
  ApplicationRecord,
  FeedbackTemplateRecord,
  FormField,
  OpportunityRecord,
  Origin,
  PanelRecord,
  PostingRecord,
  StoredFile,
  UserRecord,
} from "./model.ts";
import type { SandboxState } from "./state.ts";

/** Demo records are dated before this instant so the organisation does not change with the clock. */
export const demoAnchor = Date.UTC(2026, 9, 1, 9, 0, 0);
const day = 86_400_000;
const emailDomain = "northwind-demo.example";

export const fixedStages = [
  { id: "lead-new", text: "New lead" },
  { id: "lead-reached-out", text: "Reached out" },
  { id: "lead-responded", text: "Responded" },
  { id: "applicant-new", text: "New applicant" },
] as const;

const customStageNames = ["Recruiter Screen", "Phone Screen", "Technical Assessment", "On-site Interview", "Reference Check"] as const;

const users: { name: string; role: AccessRole; title: string }[] = [
  { name: "Dana Whitfield", role: "super admin", title: "Head of Talent" },
  { name: "Marcus Lee", role: "admin", title: "Recruiting Operations Lead" },
  { name: "Priya Raman", role: "team member", title: "Senior Recruiter" },
  { name: "Tom Becker", role: "team member", title: "Technical Recruiter" },
  { name: "Sofia Almeida", role: "team member", title: "Engineering Manager" },
  { name: "Kenji Watanabe", role: "team member", title: "Head of Data" },
  { name: "Lena Vogel", role: "limited team member", title: "Design Lead" },
  { name: "Owen Clarke", role: "limited team member", title: "Director of Product" },
  { name: "Grace Mwangi", role: "limited team member", title: "Sales Director" },
  { name: "Rafael Ortiz", role: "interviewer", title: "Staff Engineer" },
  { name: "Hannah Kowalski", role: "interviewer", title: "Senior Data Scientist" },
  { name: "Ibrahim Diallo", role: "interviewer", title: "Senior Product Designer" },
  { name: "Chloe Martin", role: "interviewer", title: "Finance Manager" },
  { name: "Yusuf Demir", role: "interviewer", title: "Backend Engineer" },
];

/** A deactivated user, for `includeDeactivated` and perform_as checks. */
const formerUser = { name: "Alex Former", role: "team member" as AccessRole, title: "Recruiter" };

const hiringManagerByDepartment: Record<string, string> = {
  Engineering: "Sofia Almeida",
  Data: "Kenji Watanabe",
  Design: "Lena Vogel",
  Product: "Owen Clarke",
  Sales: "Grace Mwangi",
  Marketing: "Owen Clarke",
  Finance: "Chloe Martin",
  Operations: "Marcus Lee",
  People: "Dana Whitfield",
};

const interviewersByDepartment: Record<string, string[]> = {
  Engineering: ["Rafael Ortiz", "Yusuf Demir", "Sofia Almeida"],
  Data: ["Hannah Kowalski", "Kenji Watanabe"],
  Design: ["Ibrahim Diallo", "Lena Vogel"],
  Product: ["Owen Clarke", "Ibrahim Diallo"],
  Sales: ["Grace Mwangi", "Priya Raman"],
  Marketing: ["Owen Clarke", "Priya Raman"],
  Finance: ["Chloe Martin", "Marcus Lee"],
  Operations: ["Marcus Lee", "Chloe Martin"],
  People: ["Dana Whitfield", "Priya Raman"],
};

const scoreSystem = (rng: Prng): FormField => ({
  id: rng.uuid(),
  type: "score-system",
  text: "Rating",
  description: "Overall recommendation",
  required: true,
  options: [{ text: "4 - Strong Hire" }, { text: "3 - Hire" }, { text: "2 - No Hire" }, { text: "1 - Strong No Hire" }],
});

function templates(rng: Prng): FeedbackTemplateRecord[] {
  const t = demoAnchor - 400 * day;
  const make = (id: string, text: string, instructions: string, extra: FormField[]): FeedbackTemplateRecord => ({
    id,
    text,
    instructions,
    group: null,
    createdAt: t,
    updatedAt: t,
    fields: [scoreSystem(rng), ...extra],
  });
  const field = (type: string, text: string, description = "", required = false): FormField => ({ id: rng.uuid(), type, text, description, required });
  return [
    make("no-feedback", "No feedback", "", []),
    make(rng.uuid(), "Phone Screen", "Assess motivation, communication and fit with the role's basics. Ask the same core questions of every candidate.", [
      field("textarea", "Summary", "What did you learn about the candidate?", true),
      field("yes-no", "Meets the role's must-have requirements?", "", true),
      field("text", "Salary expectations"),
    ]),
    make(rng.uuid(), "Technical Interview", "Score each area on the evidence you saw, not on impressions. Note concrete examples.", [
      field("score", "Problem solving", "1 = weak, 4 = excellent"),
      field("score", "Code quality"),
      field("score", "System design"),
      field("textarea", "Evidence and notes", "", true),
    ]),
    make(rng.uuid(), "Hiring Manager Interview", "Focus on past work, ownership and how the candidate works with others.", [
      field("score", "Ownership"),
      field("score", "Collaboration"),
      field("textarea", "Strengths"),
      field("textarea", "Concerns"),
    ]),
    make(rng.uuid(), "Portfolio Review", "Ask the candidate to walk through one project from problem to outcome.", [
      field("score", "Problem framing"),
      field("score", "Craft"),
      field("textarea", "Notes", "", true),
    ]),
  ];
}

/** Rendered resumes are kept per process, so a second sandbox with the same seed starts quickly. */
const renderCache = new Map<string, Promise<Uint8Array>>();

function renderedResume(seed: number, index: number, profile: ResumeProfile, format: "pdf" | "docx"): Promise<Uint8Array> {
  const layout = resumeLayouts[index % resumeLayouts.length]!;
  const key = `${seed}:${index}:${format}:${layout.name}`;
  let cached = renderCache.get(key);
  if (!cached) {
    cached = format === "pdf" ? renderResumePdf(profile, layout) : renderResumeDocx(profile, layout);
    renderCache.set(key, cached);
  }
  return cached;
}

export interface DemoOrgSummary {
  /** Profile (ground truth) behind each demo opportunity's resume, by opportunity id. */
  profiles: Map<string, ResumeProfile>;
  /** Users by role, for tests and for `perform_as`. */
  userIdsByName: Map<string, string>;
}

/** Fills `state` with the demo organisation. Resumes are rendered when first read. */
export async function seedDemoOrg(state: SandboxState, seed: number, candidateCount = 66): Promise<DemoOrgSummary> {
  const rng = createPrng(hashSeed(`demo-org:${seed}`));
  const userIdsByName = new Map<string, string>();

  for (const [i, u] of [...users, formerUser].entries()) {
    const id = rng.uuid();
    const [first, last] = u.name.toLowerCase().split(" ");
    const record: UserRecord = {
      id,
      name: u.name,
      username: `${first}.${last}`,
      email: `${first}.${last}@${emailDomain}`,
      createdAt: demoAnchor - (900 - i * 20) * day,
      deactivatedAt: u === formerUser ? demoAnchor - 30 * day : null,
      externalDirectoryId: `emp-${1000 + i}`,
      accessRole: u.role,
      photo: null,
      linkedContactIds: null,
      jobTitle: u.title,
      managerId: null,
    };
    state.users.set(id, record);
    userIdsByName.set(u.name, id);
  }
  const userId = (name: string): string => userIdsByName.get(name)!;
  const recruiters = [userId("Priya Raman"), userId("Tom Becker")];

  state.stages = [...fixedStages.map((s) => ({ ...s })), ...customStageNames.map((text) => ({ id: rng.uuid(), text })), { id: "offer", text: "Offer" }];
  const stageByName = new Map(state.stages.map((s) => [s.text, s.id]));

  state.archiveReasons = [
    { id: rng.uuid(), text: "Hired", status: "active", type: "hired" },
    ...["Underqualified", "Withdrew", "Position filled", "Didn't respond", "Location or time zone", "Compensation mismatch", "Offer declined"].map((text) => ({
      id: rng.uuid(),
      text,
      status: "active" as const,
      type: null,
    })),
    { id: rng.uuid(), text: "Duplicate", status: "inactive", type: null },
  ];
  const hiredReason = state.archiveReasons[0]!.id;
  const rejectReasons = state.archiveReasons.slice(1, 8).map((r) => r.id);

  const postingIdByKey = new Map<string, string>();
  for (const [i, p] of demoPostings.entries()) {
    const id = rng.uuid();
    postingIdByKey.set(p.key, id);
    const hiringManager = userId(hiringManagerByDepartment[p.department] ?? "Dana Whitfield");
    const owner = recruiters[i % 2]!;
    const record: PostingRecord = {
      id,
      text: p.text,
      createdAt: demoAnchor - (120 - i * 5) * day,
      updatedAt: demoAnchor - (20 - i) * day,
      user: owner,
      owner,
      hiringManager,
      confidentiality: p.confidential ? "confidential" : "non-confidential",
      categories: { team: p.team, department: p.department, location: p.location, allLocations: [p.location], commitment: p.commitment, level: null },
      content: postingContent(p),
      country: p.country,
      followers: [owner, hiringManager],
      tags: [p.department, p.commitment],
      state: p.state,
      distributionChannels: [...p.distributionChannels],
      reqCode: `REQ-${100 + i}`,
      requisitionCodes: [`REQ-${100 + i}`],
      workplaceType: p.workplaceType,
      salaryDescription: p.salary ? `${p.salary.currency} ${p.salary.min.toLocaleString("en-US")} - ${p.salary.max.toLocaleString("en-US")} per year` : "",
      salaryDescriptionHtml: p.salary
        ? `<div>${p.salary.currency} ${p.salary.min.toLocaleString("en-US")} - ${p.salary.max.toLocaleString("en-US")} per year</div>`
        : "",
      salaryRange: p.salary,
    };
    state.postings.set(id, record);
    const reqId = rng.uuid();
    state.requisitions.set(reqId, {
      id: reqId,
      requisitionCode: `REQ-${100 + i}`,
      name: p.text,
      backfill: false,
      confidentiality: record.confidentiality,
      createdAt: record.createdAt - 7 * day,
      updatedAt: record.updatedAt,
      creator: hiringManager,
      owner,
      hiringManager,
      headcountHired: 0,
      headcountTotal: p.key === "backend" ? 2 : 1,
      employmentStatus: "full-time",
      location: p.location,
      department: p.department,
      team: p.team,
      status: p.state === "closed" ? "closed" : "open",
      postings: [id],
      compensationBand: p.salary ? { currency: p.salary.currency, interval: p.salary.interval, min: p.salary.min, max: p.salary.max } : null,
      internalNotes: "",
      customFields: {},
      offerIds: [],
      closedAt: p.state === "closed" ? record.updatedAt : null,
    });
  }

  for (const t of templates(rng)) state.feedbackTemplates.set(t.id, t);
  seedFormTemplates(state, demoAnchor - 400 * day);
  const templateByName = new Map([...state.feedbackTemplates.values()].map((t) => [t.text, t]));

  const people = generatePeople(seed, candidateCount);
  const profiles = new Map<string, ResumeProfile>();
  const stagePlan = [
    "applicant-new",
    "applicant-new",
    "Recruiter Screen",
    "Phone Screen",
    "Technical Assessment",
    "On-site Interview",
    "Reference Check",
    "offer",
    "lead-new",
    "lead-reached-out",
    "lead-responded",
  ];

  for (const [index, person] of people.entries()) {
    const r = rng.fork(`candidate-${index}`);
    const openPostings = demoPostings.filter((p) => p.discipline === person.discipline && p.state !== "closed" && !p.confidential);
    // A few engineering candidates go to the confidential VP search and one to the closed posting.
    let posting = openPostings[0] ?? demoPostings[0]!;
    if (person.discipline === "engineering" && (person.seniority === "executive" || person.seniority === "lead") && index % 3 === 0)
      posting = demoPostings.find((p) => p.key === "vp-engineering")!;
    if (index === 9) posting = demoPostings.find((p) => p.key === "frontend-closed")!;
    const postingId = postingIdByKey.get(posting.key)!;
    const postingRecord = state.postings.get(postingId)!;
    const planned = stagePlan[index % stagePlan.length]!;
    const isLead = planned.startsWith("lead-");
    const stageId = stageByName.get(planned) ?? planned;
    const origin: Origin = isLead ? "sourced" : r.pick(["applied", "applied", "applied", "referred", "agency", "sourced"] as const);
    const source = {
      applied: "Posting",
      referred: "Referral",
      agency: "Agency",
      sourced: r.pick(["LinkedIn", "GitHub", "AngelList"]),
      internal: "Internal",
      university: "University",
    }[origin];
    const createdAt = demoAnchor - r.int(3, 90) * day - r.int(0, 86_000) * 1000;
    const contactId = r.uuid();
    const oppId = r.uuid();
    const withDataProtection = index % 3 === 0;
    state.contacts.set(contactId, {
      id: contactId,
      name: person.name,
      headline: person.positions
        .slice(0, 2)
        .map((p) => p.org)
        .join(", "),
      location: person.location.text,
      emails: [person.email],
      phones: [{ type: "mobile", value: person.phone }],
      links: person.links.map((l) => l.url),
      isAnonymized: false,
      dataProtection: withDataProtection ? { interviewIntelligence: { allowed: true, expiresAt: null } } : null,
      createdAt,
    });
    // Walk the pipeline up to the planned stage, a few days per step.
    const pipelineIndex = state.stages.findIndex((s) => s.id === stageId);
    const startIndex = isLead ? 0 : 3;
    const stageChanges: OpportunityRecord["stageChanges"] = [];
    let t = createdAt;
    const owner = postingRecord.owner;
    for (let s = startIndex; s <= pipelineIndex; s++) {
      if (isLead && s > pipelineIndex) break;
      stageChanges.push({ toStageId: state.stages[s]!.id, toStageIndex: s, userId: s === startIndex && origin === "applied" ? null : owner, updatedAt: t });
      t += r.int(1, 4) * day;
    }
    const lastAdvancedAt = stageChanges[stageChanges.length - 1]?.updatedAt ?? createdAt;
    let archived: OpportunityRecord["archived"] = null;
    if (index % 11 === 4 || index % 13 === 7) archived = { reason: r.pick(rejectReasons), archivedAt: lastAdvancedAt + day };
    if (planned === "offer" && index % 2 === 1) archived = { reason: hiredReason, archivedAt: lastAdvancedAt + 2 * day };
    const applications: string[] = [];
    const opp: OpportunityRecord = {
      id: oppId,
      contact: contactId,
      stage: stageId,
      stageChanges,
      confidentiality: postingRecord.confidentiality,
      archived,
      tags: isLead ? [person.discipline === "engineering" ? "Engineering" : "Talent pool"] : [posting.department, posting.commitment],
      sources: [source],
      sourcedBy: origin === "sourced" ? owner : null,
      origin,
      owner,
      followers: [owner, postingRecord.hiringManager!],
      applications,
      createdAt,
      updatedAt: Math.max(lastAdvancedAt, archived?.archivedAt ?? 0),
      lastInteractionAt: Math.max(lastAdvancedAt, archived?.archivedAt ?? 0),
      lastAdvancedAt,
      snoozedUntil: null,
      dataProtection: withDataProtection
        ? { store: { allowed: true, expiresAt: demoAnchor + 365 * day }, contact: { allowed: index % 2 === 0, expiresAt: null } }
        : null,
      isAnonymized: false,
      opportunityLocation: isLead ? "unspecified" : posting.location,
      deletedAt: null,
      deletedBy: null,
    };
    state.opportunities.set(oppId, opp);
    if (!isLead) {
      const application: ApplicationRecord = {
        id: r.uuid(),
        opportunityId: oppId,
        createdAt,
        type: origin === "referred" ? "referral" : origin === "applied" ? "posting" : "user",
        posting: postingId,
        user: origin === "referred" ? r.pick(recruiters) : origin === "applied" ? null : owner,
        name: person.name,
        email: person.email,
        phone: { type: "mobile", value: person.phone },
        company: person.positions[0]?.end === null ? person.positions[0]!.org : null,
        links: person.links.map((l) => l.url),
        comments: origin === "applied" ? "I would love to bring my experience to this team." : null,
        customQuestions: [],
        archived,
      };
      state.applications.set(application.id, application);
      applications.push(application.id);
    }

    // Resume: PDF or DOCX in a rotating layout; one candidate's upload is an unreadable scan.
    const format = index % 2 === 1 ? "docx" : "pdf";
    profiles.set(oppId, person);
    const fileBase = `${person.firstName}_${person.lastName}_Resume`.replace(/[^A-Za-z0-9_]/g, "");
    if (index === 5) {
      const scan = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(64)]);
      const file = storedFile(r, oppId, `${fileBase}.png`, "image/png", createdAt, "unsupported", async () => scan, scan.length, null);
      state.resumes.set(file.id, file);
    } else {
      // Rendered on first use (then cached), so the organisation is ready in well under a second.
      const file: StoredFile = storedFile(
        r,
        oppId,
        `${fileBase}.${format}`,
        format === "pdf" ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        createdAt,
        "processed",
        async () => {
          const bytes = await renderedResume(seed, index, person, format);
          file.size = bytes.length;
          return bytes;
        },
        null,
        {
          positions: person.positions.map((p) => ({
            org: p.org,
            title: p.title,
            summary: p.highlights.join(" "),
            location: p.location,
            start: { year: p.start.year, month: p.start.month },
            end: p.end ? { year: p.end.year, month: p.end.month } : null,
          })),
          schools: person.education.map((e) => ({
            org: e.school,
            degree: e.degree,
            field: e.field,
            summary: "",
            start: { year: e.startYear },
            end: { year: e.endYear },
          })),
        },
      );
      state.resumes.set(file.id, file);
    }
    if (index % 7 === 2) {
      const letter = new TextEncoder().encode(
        `Dear hiring team,\n\nI am applying for the ${posting.text} role. ${person.summary}\n\nKind regards,\n${person.name}\n`,
      );
      const f = storedFile(r, oppId, "cover-letter.txt", "text/plain", createdAt, "processed", async () => letter, letter.length, null);
      state.files.set(f.id, f);
    }

    // Notes written in Lever's UI (the API cannot edit these).
    if (pipelineIndex >= 4 || isLead) {
      const author = r.pick(recruiters);
      const noteId = r.uuid();
      const at = stageChanges[Math.min(1, stageChanges.length - 1)]?.updatedAt ?? createdAt;
      const fields = [
        {
          type: "note" as const,
          text: "Comment" as const,
          value: isLead
            ? `Reached out on ${source}; strong ${person.skills[0]} background.`
            : `Screened by phone. ${person.yearsOfExperience} years of experience; currently ${person.headline}. Moving forward.`,
          createdAt: at,
          user: author,
          score: isLead ? null : r.pick([3, 4]),
          stage: stageChanges[Math.min(1, stageChanges.length - 1)]?.toStageId ?? stageId,
        },
      ];
      if (index % 4 === 0)
        fields.push({
          type: "note",
          text: "Comment",
          value: "Agreed, let's schedule the next round.",
          createdAt: at + 3_600_000,
          user: postingRecord.hiringManager ?? author,
          score: null,
          stage: fields[0]!.stage,
        });
      state.notes.set(noteId, {
        id: noteId,
        opportunityId: oppId,
        text: "Note",
        fields,
        user: author,
        secret: index % 10 === 0,
        createdAt: at,
        completedAt: fields[fields.length - 1]!.createdAt,
        deletedAt: null,
        createdViaApi: false,
      });
    }

    if (planned === "offer" && !isLead) {
      const offerId = r.uuid();
      const hired = archived?.reason === hiredReason;
      const sentAt = lastAdvancedAt + 3_600_000;
      const salary = posting.salary ?? { min: 60000, max: 80000, currency: "EUR", interval: "per-year-salary" };
      state.offers.set(offerId, {
        id: offerId,
        opportunityId: oppId,
        posting: postingId,
        createdAt: lastAdvancedAt,
        creator: owner,
        status: hired ? "signed" : "sent",
        approvedAt: lastAdvancedAt + 1_800_000,
        sentAt,
        fields: [
          { text: "Job posting", identifier: "job_posting", value: posting.text },
          { text: "Candidate name", identifier: "candidate_name", value: person.name },
          { text: "Salary", identifier: "salary_amount", value: Math.round((salary.min + salary.max) / 2) },
          { text: "Currency", identifier: "compensation_currency", value: salary.currency },
          { text: "Salary interval", identifier: "salary_interval", value: salary.interval },
          { text: "Anticipated start date", identifier: "anticipated_start_date", value: lastAdvancedAt + 45 * day },
        ],
      });
      for (const req of state.requisitions.values()) if (req.postings.includes(postingId)) req.offerIds.push(offerId);
    }

    // Interviews and completed feedback for candidates past the phone screen.
    if (!isLead && pipelineIndex >= state.stages.findIndex((s) => s.text === "Technical Assessment")) {
      const interviewers = (interviewersByDepartment[posting.department] ?? ["Dana Whitfield"]).map(userId);
      const template = templateByName.get(
        posting.department === "Engineering" ? "Technical Interview" : posting.department === "Design" ? "Portfolio Review" : "Hiring Manager Interview",
      )!;
      const panelId = r.uuid();
      const date = lastAdvancedAt + 2 * day;
      const panel: PanelRecord = {
        id: panelId,
        opportunityId: oppId,
        applications: [...applications],
        canceledAt: null,
        createdAt: lastAdvancedAt,
        timezone: "Europe/Lisbon",
        feedbackReminder: "daily",
        user: owner,
        stage: stageId,
        note: "",
        // Most panels were scheduled in Lever; a few came from an integration and are API-editable.
        externallyManaged: index % 5 === 0,
        externalUrl: index % 5 === 0 ? `https://scheduler.example.org/panels/${panelId.slice(0, 8)}` : null,
        interviews: interviewers.slice(0, 2).map((interviewer, k) => ({
          id: r.uuid(),
          subject: `${k === 0 ? template.text : "Culture conversation"} - ${person.name} - ${posting.text}`,
          note: "",
          interviewers: [{ id: interviewer, feedbackTemplate: template.id, responseStatus: "accepted" }],
          createdAt: lastAdvancedAt,
          date: date + k * 3_600_000,
          duration: 45,
          location: k === 0 ? "https://meet.example.org/abc-defg-hij" : "Room Tagus",
          feedbackTemplate: template.id,
          feedbackReminder: "frequently",
          canceledAt: null,
        })),
      };
      state.panels.set(panelId, panel);
      const firstInterview = panel.interviews[0]!;
      if (firstInterview.date < demoAnchor) {
        const ratings = ["4 - Strong Hire", "3 - Hire", "3 - Hire", "2 - No Hire"];
        const feedbackId = r.uuid();
        state.feedback.set(feedbackId, {
          id: feedbackId,
          opportunityId: oppId,
          type: "interview",
          text: template.text,
          instructions: template.instructions,
          baseTemplateId: template.id,
          fields: template.fields.map((f) => ({
            ...f,
            value:
              f.type === "score-system"
                ? r.pick(ratings)
                : f.type === "score"
                  ? r.int(2, 4)
                  : f.type === "textarea"
                    ? `Solid evidence of ${r.pick(person.skills)}; explained trade-offs clearly.`
                    : f.type === "yes-no"
                      ? "yes"
                      : null,
          })),
          user: firstInterview.interviewers[0]!.id,
          panel: panelId,
          interview: firstInterview.id,
          createdAt: firstInterview.date + 2 * 3_600_000,
          updatedAt: firstInterview.date + 2 * 3_600_000,
          completedAt: firstInterview.date + 2 * 3_600_000,
          deletedAt: null,
        });
      }
    }
  }
  return { profiles, userIdsByName };
}

function storedFile(
  r: Prng,
  opportunityId: string,
  name: string,
  contentType: string,
  uploadedAt: number,
  status: StoredFile["status"],
  bytes: () => Promise<Uint8Array>,
  size: number | null,
  parsedData: StoredFile["parsedData"],
): StoredFile {
  return { id: r.uuid(), opportunityId, name, ext: name.slice(name.lastIndexOf(".") + 1), uploadedAt, status, contentType, bytes, size, parsedData };
}
