/**
 * The demo organisation stays alive: a steady trickle of what a recruiting team's day looks like —
 * new applications with real resumes, candidates moving through the pipeline (some into interview
 * stages, where scheduling starts), phone screens booked and their feedback written. Every change
 * goes through the same sandbox operations the API runs, so the same signed webhooks fire as for
 * any other change.
 *
 * @example
 * const activity = createDemoActivity(state, ops, { seed: 1 });
 * await activity.burst();        // one round now
 * activity.start(20);            // and one every 20 s until stop()
 */
import { generatePeople, renderResumePdf, resumeLayouts, type ResumeProfile } from "./resumes/index.ts";
import { createPrng, hashSeed } from "./resumes/prng.ts";
import { demoPostings } from "./demo-postings.ts";
import type { OpportunityRecord, PostingRecord } from "./model.ts";
import type { Operations } from "./operations.ts";
import type { SandboxState } from "./state.ts";

/** What one burst did, by kind (ids only: names and contact details stay in the sandbox). */
export interface ActivityBurst {
  applications: { opportunityId: string; postingId: string }[];
  stageMoves: { opportunityId: string; fromStageId: string; toStageId: string }[];
  interviews: { opportunityId: string; panelId: string }[];
  feedback: { opportunityId: string; feedbackId: string }[];
}

export interface DemoActivity {
  /** One round of activity now: an application, a stage move, and a phone screen with its feedback when one fits. */
  burst(): Promise<ActivityBurst>;
  /**
   * A burst every `everySeconds` (the first one at once) until `stop()`; `onError` hears of a
   * timed burst that failed (a burst asked for by hand rejects instead).
   */
  start(everySeconds: number, onError?: (error: unknown) => void): void;
  stop(): void;
  /** Seconds between bursts while running, else null. */
  readonly everySeconds: number | null;
  /** Bursts done so far. */
  readonly bursts: number;
}

/** Stages a scheduling workflow books interviews for; a move into one is what a coordinator acts on. */
const interviewStages = ["Technical Assessment", "On-site Interview"];
/** The pipeline a candidate walks in the demo, in order (stage names; the fixed ones by id). */
const pipeline = ["applicant-new", "Recruiter Screen", "Phone Screen", "Technical Assessment", "On-site Interview", "Reference Check"];
const hour = 3_600_000;

export interface DemoActivityOptions {
  seed: number;
}

export function createDemoActivity(state: SandboxState, ops: Operations, options: DemoActivityOptions): DemoActivity {
  const rng = createPrng(hashSeed(`activity:${options.seed}`));
  // New people, not the seeded ones: a corpus of their own, taken in order and generated in batches.
  let pool: ResumeProfile[] = [];
  let poolBatch = 0;
  let timer: NodeJS.Timeout | undefined;
  let everySeconds: number | null = null;
  let bursts = 0;
  let chain: Promise<unknown> = Promise.resolve();

  const stageId = (nameOrId: string): string | undefined => state.stages.find((s) => s.id === nameOrId || s.text === nameOrId)?.id;
  const userByName = (name: string): string | undefined => [...state.users.values()].find((u) => u.name === name && u.deactivatedAt === null)?.id;
  const anyRecruiter = (): string =>
    [...state.users.values()].find(
      (u) => u.deactivatedAt === null && (u.accessRole === "team member" || u.accessRole === "admin" || u.accessRole === "super admin"),
    )!.id;

  function nextPerson(): ResumeProfile {
    if (pool.length === 0) {
      pool = generatePeople(hashSeed(`activity-people:${options.seed}:${poolBatch++}`), 24);
    }
    return pool.shift()!;
  }

  /** Open, public postings the person fits (their discipline), else any open one. */
  function postingFor(person: ResumeProfile): PostingRecord | undefined {
    const open = [...state.postings.values()].filter((p) => p.state === "published" && p.confidentiality === "non-confidential");
    const keys = new Set(demoPostings.filter((p) => p.discipline === person.discipline).map((p) => p.text));
    const fitting = open.filter((p) => keys.has(p.text));
    const list = fitting.length ? fitting : open;
    return list.length ? list[rng.int(0, list.length - 1)] : undefined;
  }

  async function newApplication(out: ActivityBurst): Promise<void> {
    const person = nextPerson();
    const posting = postingFor(person);
    if (!posting) return;
    const layout = resumeLayouts[rng.int(0, resumeLayouts.length - 1)]!;
    const bytes = await renderResumePdf(person, layout);
    const fileName = `${person.firstName}_${person.lastName}_Resume.pdf`.replace(/[^A-Za-z0-9_.]/g, "");
    const { opportunityId } = ops.applyToPosting(posting.id, {
      name: person.name,
      email: person.email,
      phone: person.phone,
      location: person.location.text,
      links: person.links.map((l) => l.url),
      resume: { name: fileName, contentType: "application/pdf", bytes },
    });
    out.applications.push({ opportunityId, postingId: posting.id });
  }

  const active = (o: OpportunityRecord) => o.deletedAt === null && o.archived === null && o.applications.length > 0 && o.confidentiality === "non-confidential";

  /** Moves one candidate a step along the pipeline; every other burst, into an interview stage. */
  function stageMove(out: ActivityBurst, intoInterview: boolean): void {
    const ids = pipeline.map(stageId);
    const candidates: { opp: OpportunityRecord; to: string }[] = [];
    for (const opp of state.opportunities.values()) {
      if (!active(opp)) continue;
      const at = ids.indexOf(opp.stage);
      const to = at >= 0 ? ids[at + 1] : undefined;
      if (!to) continue;
      const toName = state.stages.find((s) => s.id === to)?.text ?? "";
      if (intoInterview === interviewStages.includes(toName)) candidates.push({ opp, to });
    }
    if (candidates.length === 0) return;
    const { opp, to } = candidates[rng.int(0, candidates.length - 1)]!;
    const from = opp.stage;
    ops.changeStage(opp.id, to, opp.owner);
    out.stageMoves.push({ opportunityId: opp.id, fromStageId: from, toStageId: to });
  }

  /** A phone screen with the candidate's recruiter an hour ago, and the recruiter's feedback on it. */
  function phoneScreen(out: ActivityBurst): void {
    const phone = stageId("Phone Screen");
    const template = [...state.feedbackTemplates.values()].find((t) => t.text === "Phone Screen");
    if (!phone || !template) return;
    const screened = new Set([...state.panels.values()].map((p) => p.opportunityId));
    const waiting = [...state.opportunities.values()].filter((o) => active(o) && o.stage === phone && !screened.has(o.id));
    if (waiting.length === 0) return;
    const opp = waiting[rng.int(0, waiting.length - 1)]!;
    const interviewer = opp.owner ?? userByName("Priya Raman") ?? anyRecruiter();
    const date = state.now() - hour;
    const panel = ops.createPanel(
      opp.id,
      {
        timezone: "Europe/Lisbon",
        interviews: [
          {
            subject: "Phone Screen",
            date,
            duration: 30,
            interviewers: [{ id: interviewer, feedbackTemplate: template.id }],
            feedbackTemplate: template.id,
            location: "Phone",
          },
        ],
      },
      interviewer,
    );
    out.interviews.push({ opportunityId: opp.id, panelId: panel.id });
    const interview = panel.interviews[0]!;
    const values = template.fields.map((f) => ({
      id: f.id,
      value:
        f.type === "score-system"
          ? rng.pick(["4 - Strong Hire", "3 - Hire", "3 - Hire", "2 - No Hire"])
          : f.type === "yes-no"
            ? "yes"
            : f.type === "textarea"
              ? "Clear on motivation; walked through recent work in concrete terms."
              : f.type === "text"
                ? "Within the posted range"
                : null,
    }));
    const feedback = ops.createFeedback(
      opp.id,
      { baseTemplateId: template.id, panel: panel.id, interview: interview.id, fieldValues: values, completedAt: state.now() },
      interviewer,
    );
    out.feedback.push({ opportunityId: opp.id, feedbackId: feedback.id });
  }

  async function once(): Promise<ActivityBurst> {
    const out: ActivityBurst = { applications: [], stageMoves: [], interviews: [], feedback: [] };
    await newApplication(out);
    // The first burst, and every other one after, moves someone into an interview stage, so a
    // scheduling proposal is waiting for a person within the first minute of a demo.
    stageMove(out, bursts % 2 === 0);
    if (bursts % 2 === 1) stageMove(out, false);
    phoneScreen(out);
    bursts++;
    return out;
  }

  const burst = (): Promise<ActivityBurst> => {
    // One burst at a time: a timer's and a person's click never interleave.
    const next = chain.then(once, once);
    chain = next.catch(() => {});
    return next;
  };

  return {
    burst,
    start(seconds, onError) {
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`sandbox activity: everySeconds must be a positive number (got ${seconds})`);
      this.stop();
      everySeconds = seconds;
      const tick = () => void burst().catch((error: unknown) => onError?.(error));
      tick();
      timer = setInterval(tick, seconds * 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      everySeconds = null;
    },
    get everySeconds() {
      return everySeconds;
    },
    get bursts() {
      return bursts;
    },
  };
}
