/**
 * The fetch step: loads Lever data into the run's context, each kind at most once per run (the
 * context is stored with the run, so a later step or a retried job finds it there).
 */
import { createHash } from "node:crypto";
import type { LeverGateway, ResumeReader, RunContext } from "../ports.ts";
import type { OpportunityLike } from "../workflows/index.ts";

/** Largest resume text kept with a run; longer text is cut (resumes are untrusted input). */
export const MAX_RESUME_TEXT = 200_000;

export function postingIdOf(opp: OpportunityLike | undefined): string | undefined {
  const app = opp?.applications?.[0];
  if (!app || typeof app === "string") return undefined;
  const p = app.posting;
  return typeof p === "string" ? p : (p?.id ?? undefined);
}

/**
 * Loads the missing `kinds` into `ctx` (mutating it) and returns the kinds it loaded. Opportunity
 * is loaded first when another kind needs it.
 */
export async function fetchContext(
  ctx: RunContext,
  kinds: readonly string[],
  opportunityId: string | undefined,
  lever: LeverGateway,
  readResume: ResumeReader | undefined,
): Promise<string[]> {
  const loaded: string[] = [];
  // A resume read in an earlier job is stored without the parser's full result; a domain step
  // that needs it (screening) reads the file again rather than guess.
  const need = (k: string) => kinds.includes(k) && (!(k in ctx) || (k === "resume" && !!ctx.resume && ctx.resume.parsed === undefined && !!readResume));
  const oppId = () => {
    if (!opportunityId) throw Object.assign(new Error("this event names no opportunity to fetch"), { retryable: false });
    return opportunityId;
  };
  if ((need("opportunity") || need("posting")) && !ctx.opportunity) {
    ctx.opportunity = await lever.getOpportunity(oppId());
    loaded.push("opportunity");
  }
  const jobs: Promise<void>[] = [];
  if (need("posting")) {
    const pid = postingIdOf(ctx.opportunity);
    jobs.push(
      (async () => {
        if (pid) ctx.posting = await lever.getPosting(pid);
        else ctx.posting = undefined;
        loaded.push("posting");
      })(),
    );
  }
  const lists: [string, (id: string) => Promise<unknown[]>][] = [
    ["notes", (id) => lever.listNotes(id)],
    ["feedback", (id) => lever.listFeedback(id)],
    ["interviews", (id) => lever.listInterviews(id)],
    ["panels", (id) => lever.listPanels(id)],
    ["files", (id) => lever.listFiles(id)],
    ["offers", (id) => lever.listOffers(id)],
  ];
  for (const [kind, load] of lists) {
    if (!need(kind)) continue;
    jobs.push(
      (async () => {
        ctx[kind] = await load(oppId());
        loaded.push(kind);
      })(),
    );
  }
  if (need("stages")) jobs.push((async () => void ((ctx.stages = await lever.listStages()), loaded.push("stages")))());
  if (need("archiveReasons")) jobs.push((async () => void ((ctx.archiveReasons = await lever.listArchiveReasons()), loaded.push("archiveReasons")))());
  if (need("resume")) {
    jobs.push(
      (async () => {
        const file = await lever.latestResume(oppId());
        if (!file) ctx.resume = null;
        // `parsed: null` marks it read: a later step does not ask Lever for the file again.
        else if ("unprocessable" in file)
          ctx.resume = { id: file.id, filename: file.filename, mime: file.mime, text: "", status: "unprocessable", hiddenText: [], flags: [], parsed: null };
        else if (!readResume) ctx.resume = { id: file.id, filename: file.filename, mime: file.mime, text: "", status: "unread", hiddenText: [], flags: [] };
        else {
          const parsed = await readResume(file.bytes, { filename: file.filename, mime: file.mime });
          const cut = parsed.text.length > MAX_RESUME_TEXT;
          ctx.resume = {
            id: file.id,
            filename: file.filename,
            mime: file.mime,
            text: cut ? parsed.text.slice(0, MAX_RESUME_TEXT) : parsed.text,
            status: parsed.status,
            hiddenText: parsed.hiddenText.slice(0, 50).map((t) => t.slice(0, 2000)),
            flags: cut ? [...parsed.flags, "resume-text-truncated"] : parsed.flags,
            profile: parsed.profile,
            parsed: parsed.parsed,
            // Lets domain steps tell an unchanged file from a new one (the screening index skips re-parsing).
            sha256: createHash("sha256").update(file.bytes).digest("hex"),
          };
        }
        loaded.push("resume");
      })(),
    );
  }
  await Promise.all(jobs);
  return loaded;
}
