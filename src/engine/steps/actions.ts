/**
 * Action steps: rendering what would be done (the proposal's `action`) and doing it. Rendering is
 * pure; applying talks to Lever (with the step's idempotency key), the notifier or the signed
 * HTTP call.
 */
import { render, renderText, type ActionStep } from "../workflows/index.ts";
import type { LeverGateway, Notifier, RunContext } from "../ports.ts";
import { StepFailure } from "../errors.ts";
import { signedCall } from "./signed-http.ts";
import { findFormTemplate, FormMappingError, profileFormFields } from "./profile-form.ts";
import { sendAssessment, sendToolStatus } from "./tool-calls.ts";
import type { ToolConfig } from "../../config/index.ts";
import {
  BOOKING_LINK_PLACEHOLDER,
  bookingLinkRefSchema,
  BookingParamsError,
  parseBookingParams,
  type BookingLinkRef,
  type BookingParams,
} from "../../scheduling/index.ts";

/** What an action will do, with every template resolved. */
export interface Action {
  type: ActionStep["type"];
  opportunityId?: string | undefined;
  [param: string]: unknown;
}

/** Longest note Fulcrum writes; longer text is cut with a marker (Lever notes are for people). */
export const MAX_NOTE_CHARS = 20_000;

function asList(v: unknown): string[] {
  if (v === undefined || v === null || v === "") return [];
  const items = Array.isArray(v) ? v.flat() : String(v).split(",");
  return [...new Set(items.map((x) => String(x).trim()).filter((x) => x !== "" && x.length <= 200))];
}

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Renders an action step against the run's scope. */
export function renderAction(
  step: ActionStep,
  scope: Record<string, unknown>,
  eventOpportunityId: string | undefined,
): { action: Action; summary: string; skip?: string | undefined } {
  const opportunityId = step.opportunity ? renderText(step.opportunity, scope).trim() || undefined : eventOpportunityId;
  switch (step.type) {
    case "lever.note": {
      let body = renderText(step.body, scope);
      if (body.length > MAX_NOTE_CHARS) body = `${body.slice(0, MAX_NOTE_CHARS)}\n[cut at ${MAX_NOTE_CHARS} characters]`;
      const score = step.score === undefined ? undefined : Number(render(step.score, scope));
      return {
        action: { type: step.type, opportunityId, body, secret: step.secret, ...(score && score >= 1 && score <= 4 ? { score } : {}) },
        summary: `Add a ${step.secret ? "secret " : ""}note (${body.length} characters)`,
      };
    }
    case "lever.tags":
    case "lever.links": {
      const add = asList(render(step.add, scope));
      const remove = asList(render(step.remove, scope));
      const what = step.type === "lever.tags" ? "tags" : "links";
      return {
        action: { type: step.type, opportunityId, add, remove },
        summary:
          [add.length ? `add ${what} ${add.join(", ")}` : "", remove.length ? `remove ${what} ${remove.join(", ")}` : ""].filter(Boolean).join("; ") ||
          `no ${what} to change`,
      };
    }
    case "lever.stage": {
      const stage = renderText(step.stage, scope).trim();
      return { action: { type: step.type, opportunityId, stage }, summary: `Move to stage ${stage}` };
    }
    case "lever.archive": {
      const reason = renderText(step.reason, scope).trim();
      return { action: { type: step.type, opportunityId, reason }, summary: `Archive with reason ${reason}` };
    }
    case "lever.panel": {
      const panel = render(step.panel, scope) as Record<string, unknown>;
      return { action: { type: step.type, opportunityId, panel }, summary: "Create an interview panel" };
    }
    case "lever.createOpportunity": {
      const candidate = render(step.candidate, scope) as Record<string, unknown>;
      return {
        action: { type: step.type, candidate, findExisting: step.findExisting },
        summary: `Find or create the candidate ${typeof candidate.name === "string" ? candidate.name : ""}`.trim(),
      };
    }
    case "lever.form": {
      const template = renderText(step.template, scope).trim();
      const fields = Object.fromEntries(Object.entries(step.fields).map(([name, v]) => [name, render(v, scope)]));
      const action: Action = { type: step.type, opportunityId, template, fields, ...(step.secret === undefined ? {} : { secret: step.secret }) };
      // No template chosen is the admin's choice not to write forms: skipped with the reason, not failed.
      if (template === "")
        return {
          action,
          summary: "Fill a profile form",
          skip: "no profile form template is chosen: set the step's template (settings.formTemplate in the built-in screening) to a template's name or id to write the form",
        };
      return { action, summary: `Fill the profile form "${template}" (${Object.keys(fields).join(", ")})` };
    }
    case "notify": {
      const to = renderText(step.to, scope);
      const message = renderText(step.message, scope);
      const subject = step.subject ? renderText(step.subject, scope) : undefined;
      const bookingLink = message.includes(BOOKING_LINK_PLACEHOLDER) ? bookingLinkOf(scope, step.because) : undefined;
      return {
        action: { type: step.type, opportunityId, channel: step.channel, to, subject, message, ...(bookingLink ? { bookingLink } : {}) },
        summary:
          step.channel === "email" ? `Send an e-mail${subject ? ` "${subject}"` : ""}` : `Post to ${step.channel === "slack" ? "Slack" : "Microsoft Teams"}`,
      };
    }
    case "assessment.send": {
      const assessment = renderText(step.with.assessment, scope).trim();
      return { action: { type: step.type, opportunityId, tool: step.with.tool, assessment }, summary: `Send assessment ${assessment} from ${step.with.tool}` };
    }
    case "tool.status": {
      const callbacks = render(step.callbacks, scope);
      const tools = Array.isArray(callbacks) ? callbacks.map((c) => String((c as { tool?: unknown })?.tool ?? "")).filter(Boolean) : [];
      return { action: { type: step.type, opportunityId, callbacks }, summary: `Tell ${tools.join(", ") || "no tool"} about the candidate's status` };
    }
    case "scheduling.book": {
      const raw = render(step.with, scope);
      const rendered = typeof raw === "string" ? parseJsonObject(raw) : raw;
      let booking;
      try {
        booking = parseBookingParams(
          step.eventsPer && rendered && typeof rendered === "object" ? { ...(rendered as Record<string, unknown>), eventsPer: step.eventsPer } : rendered,
        );
      } catch (error) {
        if (error instanceof BookingParamsError) throw new StepFailure(error.message);
        throw error;
      }
      const people = [...new Set(booking.sessions.flatMap((s) => s.interviewers.map((i) => i.name ?? i.leverUserId)))];
      return {
        action: { type: step.type, opportunityId: booking.opportunityId, booking },
        summary: `Book ${booking.sessions.length} interview session${booking.sessions.length === 1 ? "" : "s"} from ${booking.sessions[0]!.start} with ${people.join(", ")}`,
      };
    }
    case "scheduling.rebook": {
      const raw = render(step.with, scope);
      const rendered = (typeof raw === "string" ? parseJsonObject(raw) : raw) as { booking?: unknown; revision?: unknown } | null;
      const { booking, revision } = rebookingOf(rendered);
      const people = [...new Set(booking.sessions.flatMap((s) => s.interviewers.map((i) => i.name ?? i.leverUserId)))];
      return {
        action: { type: step.type, opportunityId: booking.opportunityId, booking, revision },
        summary: `Change the booked panel (revision ${revision}): ${booking.sessions.length} session${booking.sessions.length === 1 ? "" : "s"} from ${booking.sessions[0]!.start} with ${people.join(", ")}`,
      };
    }
    case "http": {
      const url = renderText(step.url, scope);
      return {
        action: { type: step.type, url, method: step.method, secret: step.secret, body: render(step.body, scope) },
        summary: `${step.method} to another system`,
      };
    }
  }
}

/**
 * The self-scheduling link a notify step's `[booking link]` stands for: the one its `because` step
 * made (`scheduling.propose`'s `selfSchedule.link`). The action keeps this reference, never the
 * link; the notifier is given it with the message and puts the link in at send time.
 */
function bookingLinkOf(scope: Record<string, unknown>, because: string | undefined): BookingLinkRef | undefined {
  if (!because) return undefined;
  const output = (scope.steps as Record<string, { output?: { selfSchedule?: { link?: unknown } } }> | undefined)?.[because]?.output;
  const parsed = bookingLinkRefSchema.safeParse(output?.selfSchedule?.link);
  return parsed.success ? parsed.data : undefined;
}

/** A re-booking's booking and revision, checked; a bad one fails the step naming the field. */
function rebookingOf(value: { booking?: unknown; revision?: unknown } | null | undefined): { booking: BookingParams; revision: number } {
  const revision = Number(value?.revision);
  if (!Number.isInteger(revision) || revision < 1)
    throw new StepFailure("scheduling.rebook needs revision: the panel's next revision (a whole number from 1), as scheduling.replan gives it");
  try {
    return { booking: parseBookingParams(value?.booking), revision };
  } catch (error) {
    if (error instanceof BookingParamsError) throw new StepFailure(error.message);
    throw error;
  }
}

/** The fields a person may change before approving, per action type. */
export const EDITABLE: Record<ActionStep["type"], string[]> = {
  "lever.note": ["body", "secret", "score"],
  "lever.tags": ["add", "remove"],
  "lever.links": ["add", "remove"],
  "lever.stage": ["stage"],
  "lever.archive": ["reason"],
  "lever.panel": ["panel"],
  "lever.createOpportunity": ["candidate"],
  "lever.form": ["fields", "secret"],
  notify: ["to", "subject", "message"],
  http: ["body"],
  "assessment.send": ["assessment"],
  "tool.status": [],
  "scheduling.book": ["booking"],
  "scheduling.rebook": ["booking"],
};

function resolveNamed(value: string, list: { id: string; text: string }[] | undefined, what: string): string {
  const byId = list?.find((s) => s.id === value);
  if (byId) return byId.id;
  const byName = list?.find((s) => s.text.toLowerCase() === value.toLowerCase());
  if (byName) return byName.id;
  if (!list) return value;
  throw new StepFailure(`no ${what} "${value}" in this Lever account`);
}

function resolveEnv(value: string, env: NodeJS.ProcessEnv): string {
  const m = /^env:([A-Z][A-Z0-9_]*)$/.exec(value.trim());
  if (!m) return value;
  const v = env[m[1]!];
  if (!v) throw new StepFailure(`environment variable ${m[1]} is not set`);
  return v;
}

export interface ApplyDeps {
  lever: LeverGateway;
  context: RunContext;
  /** Loads stages / archive reasons into the context when a name must be resolved. */
  ensure(kinds: string[]): Promise<RunContext>;
  notify?: Notifier | undefined;
  env: NodeJS.ProcessEnv;
  allowHosts?: readonly string[] | undefined;
  /** Other hiring tools by id (the config file's `tools:`), for `assessment.send` and `tool.status`. */
  tools?: Readonly<Record<string, ToolConfig>> | undefined;
  /** Books a panel into calendars and Lever (`scheduling.book`); absent when no calendars are configured. */
  book?: ((booking: BookingParams, lever: LeverGateway) => Promise<Record<string, unknown>>) | undefined;
  /** Re-books a booked panel to its next revision (`scheduling.rebook`); absent when no calendars are configured. */
  rebook?: ((booking: BookingParams, revision: number, lever: LeverGateway) => Promise<Record<string, unknown>>) | undefined;
}

/** Does what the action says. `key` is the idempotency key of the write. */
export async function applyAction(action: Action, key: string, deps: ApplyDeps): Promise<Record<string, unknown>> {
  const opp = () => {
    if (!action.opportunityId) throw new StepFailure("this action needs an opportunity and the run has none");
    return action.opportunityId;
  };
  const { lever } = deps;
  switch (action.type) {
    case "lever.note": {
      const r = await lever.addNote(opp(), { value: String(action.body), secret: action.secret === true, score: action.score as number | undefined }, { key });
      return { noteId: r.id ?? null };
    }
    case "lever.tags":
    case "lever.links": {
      const add = asList(action.add);
      const remove = asList(action.remove);
      const tags = action.type === "lever.tags";
      if (add.length) await (tags ? lever.addTags(opp(), add, { key: `${key}:add` }) : lever.addLinks(opp(), add, { key: `${key}:add` }));
      if (remove.length) await (tags ? lever.removeTags(opp(), remove, { key: `${key}:remove` }) : lever.removeLinks(opp(), remove, { key: `${key}:remove` }));
      return { added: add, removed: remove };
    }
    case "lever.stage": {
      const ctx = await deps.ensure(["stages"]);
      const stageId = resolveNamed(String(action.stage), ctx.stages, "stage");
      await lever.changeStage(opp(), stageId, { key });
      return { stageId };
    }
    case "lever.archive": {
      const ctx = await deps.ensure(["archiveReasons"]);
      const reasonId = resolveNamed(String(action.reason), ctx.archiveReasons, "archive reason");
      await lever.archive(opp(), reasonId, { key });
      return { reasonId };
    }
    case "lever.panel": {
      const r = await lever.createPanel(opp(), action.panel as Record<string, unknown>, { key });
      return { panelId: r.id ?? null };
    }
    case "lever.createOpportunity": {
      const candidate = action.candidate as Record<string, unknown>;
      const emails = asList(candidate.emails ?? candidate.email);
      if (action.findExisting !== false) {
        for (const email of emails) {
          const found = await lever.findOpportunityByEmail(email);
          if (found) return { opportunityId: found.id, created: false };
        }
      }
      const { email: _single, ...rest } = candidate;
      // No `emails` at all when there are none (a pseudonym): nothing for Lever to match a contact on.
      const r = await lever.createOpportunity({ ...rest, ...(emails.length ? { emails } : {}) }, { key });
      return { opportunityId: r.id, created: true };
    }
    case "lever.form": {
      if (!lever.listFormTemplates || !lever.createProfileForm) throw new StepFailure("this Lever connection cannot write profile forms");
      const templates = await lever.listFormTemplates();
      const template = findFormTemplate(templates, String(action.template));
      if (!template)
        throw new StepFailure(
          `no profile form template "${String(action.template)}" in this Lever account (its templates: ${templates.map((t) => t.text ?? t.id).join(", ") || "none"})`,
        );
      let fields: ReturnType<typeof profileFormFields>;
      try {
        fields = profileFormFields(template, (action.fields ?? {}) as Record<string, unknown>);
      } catch (error) {
        if (error instanceof FormMappingError) throw new StepFailure(error.message);
        throw error;
      }
      const r = await lever.createProfileForm(
        opp(),
        { baseTemplateId: template.id, fields, ...(typeof action.secret === "boolean" ? { secret: action.secret } : {}) },
        { key },
      );
      return { formId: r.id ?? null, templateId: template.id };
    }
    case "notify": {
      if (!deps.notify) throw new StepFailure("no notifier is configured");
      const bookingLink = bookingLinkRefSchema.safeParse(action.bookingLink);
      await deps.notify(action.channel as "slack" | "teams" | "email", resolveEnv(String(action.to), deps.env), {
        title: String(action.subject ?? "Fulcrum"),
        text: String(action.message),
        // The notifier puts the link where the text says [booking link] (the proposal kept only this reference).
        ...(bookingLink.success ? { bookingLink: bookingLink.data } : {}),
      });
      return { sent: true };
    }
    case "assessment.send":
      return sendAssessment({ opportunityId: opp(), tool: String(action.tool), assessment: String(action.assessment ?? "") }, key, deps);
    case "tool.status":
      return sendToolStatus(action.callbacks, key, deps);
    case "scheduling.book": {
      if (!deps.book) throw new StepFailure("scheduling.book needs calendars: add a calendars block to the config file");
      let booking: BookingParams;
      try {
        // A person may have edited the booking before approving: checked again as it is applied.
        booking = parseBookingParams(action.booking);
      } catch (error) {
        if (error instanceof BookingParamsError) throw new StepFailure(error.message);
        throw error;
      }
      // Idempotent by the booking's panelKey (events, invite, Lever writes), not by this step's key.
      return deps.book(booking, lever);
    }
    case "scheduling.rebook": {
      if (!deps.rebook) throw new StepFailure("scheduling.rebook needs calendars: add a calendars block to the config file");
      // A person may have edited the booking before approving: checked again as it is applied.
      const { booking, revision } = rebookingOf(action as { booking?: unknown; revision?: unknown });
      // Idempotent by the panel key and revision (events, invite, Lever writes), not by this step's key.
      return deps.rebook(booking, revision, lever);
    }
    case "http": {
      const secret = typeof action.secret === "string" ? resolveEnv(action.secret, deps.env) : undefined;
      const r = await signedCall(resolveEnv(String(action.url), deps.env), action.body, {
        method: action.method as "POST" | "PUT" | "PATCH",
        secret,
        allowHosts: deps.allowHosts,
      });
      return { status: r.status, reply: r.body.slice(0, 2000) };
    }
  }
}
