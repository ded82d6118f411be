/**
 * Profile forms and their templates, as Lever's v1 API has them (reference §3.14 and the endpoint
 * catalogue): `GET /form_templates[/:id]`, `GET /opportunities/:id/forms[/:form]` and
 * `POST /opportunities/:id/forms`. A posted form must carry every field of its template (`null`
 * for an optional one left empty), each with a value of the field's type; anything else is a 400
 * naming the field, as Lever answers a malformed parameter.
 *
 * The store hangs off the sandbox state (one per sandbox) so the rest of the sandbox needs no
 * change to carry it.
 */
import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import { badRequest, notFound } from "./errors.ts";
import type { FormField, OpportunityRecord } from "./model.ts";
import type { SandboxState } from "./state.ts";

/**
 * The field types a profile form can have (reference §3.14), kept whole as the reference lists them.
 * @public
 */
export const profileFormFieldTypes = ["currency", "date", "dropdown", "multiple-choice", "multiple-select", "text", "textarea", "yes-no"] as const;

export interface FormTemplateRecord {
  id: string;
  text: string;
  instructions: string;
  group: { id: string; name: string } | null;
  secretByDefault: boolean;
  createdAt: number;
  updatedAt: number;
  fields: FormField[];
}

export interface ProfileFormRecord {
  id: string;
  opportunityId: string;
  text: string;
  instructions: string;
  baseTemplateId: string;
  fields: FormField[];
  user: string | null;
  stage: string;
  secret: boolean;
  createdAt: number;
  completedAt: number;
  deletedAt: number | null;
}

export interface FormStore {
  templates: Map<string, FormTemplateRecord>;
  forms: Map<string, ProfileFormRecord>;
}

const stores = new WeakMap<SandboxState, FormStore>();

/** The profile form templates and filled forms of one sandbox. */
export function formStore(state: SandboxState): FormStore {
  let store = stores.get(state);
  if (!store) stores.set(state, (store = { templates: new Map(), forms: new Map() }));
  return store;
}

/** A UUID-shaped id from a name, so seeding templates draws nothing from the sandbox's seeded ids. */
function stableId(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Name of the demo org's screening template. */
export const SCREENING_TEMPLATE_NAME = "Fulcrum screening";

/**
 * Adds the demo organisation's "Fulcrum screening" profile form template: Score (text: profile
 * forms have no number type), Tier and Recommendation (dropdowns, required), Prompt version (text).
 */
export function seedFormTemplates(state: SandboxState, at: number): FormTemplateRecord {
  const field = (text: string, type: string, description: string, options?: string[]): FormField => ({
    id: stableId(`form-field:${text}`),
    type,
    text,
    description,
    // Score stays optional: an application the screening could not score has none.
    required: text === "Tier" || text === "Recommendation",
    ...(options ? { options: options.map((o) => ({ text: o })) } : {}),
  });
  const template: FormTemplateRecord = {
    id: stableId(`form-template:${SCREENING_TEMPLATE_NAME}`),
    text: SCREENING_TEMPLATE_NAME,
    instructions: "Filled in by Fulcrum's screening; the note beside it carries the evidence.",
    group: null,
    secretByDefault: true,
    createdAt: at,
    updatedAt: at,
    fields: [
      field("Score", "text", "0–100, computed by Fulcrum's code"),
      field("Tier", "dropdown", "", ["Strong", "Possible", "Weak", "Unscored"]),
      field("Recommendation", "dropdown", "", ["Advance", "Hold", "Reject", "Review"]),
      field("Prompt version", "text", "The prompt that gathered the evidence"),
    ],
  };
  formStore(state).templates.set(template.id, template);
  return template;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** Why `value` does not fit `field`, or undefined when it does. */
function typeProblem(field: FormField, value: unknown): string | undefined {
  const options = (field.options ?? []).map((o) => o.text);
  switch (field.type) {
    case "text":
    case "textarea":
      return typeof value === "string" ? undefined : "must be a string";
    case "dropdown":
    case "multiple-choice":
      return typeof value === "string" && options.includes(value) ? undefined : `must be one of the field's options (${options.join(", ")})`;
    case "multiple-select":
      return Array.isArray(value) && value.every((v) => typeof v === "string" && options.includes(v))
        ? undefined
        : `must be a list of the field's options (${options.join(", ")})`;
    case "yes-no":
      return value === "yes" || value === "no" ? undefined : 'must be "yes" or "no"';
    case "currency":
    case "date":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
    default:
      return undefined;
  }
}

/**
 * Checks a posted profile form against its template and returns the template's fields with the
 * posted values. Fields are matched by `id` (by `text` when a field carries no id).
 */
export function validateProfileForm(template: FormTemplateRecord, fields: unknown): FormField[] {
  if (!Array.isArray(fields)) throw badRequest("fields must be an array with every field of the form template");
  const posted = new Map<string, unknown>();
  for (const [i, raw] of fields.entries()) {
    if (!raw || typeof raw !== "object") throw badRequest(`fields[${i}] must be an object with the template field's id and a value`);
    const f = raw as { id?: unknown; text?: unknown; value?: unknown };
    const match = template.fields.find((t) => (typeof f.id === "string" ? t.id === f.id : t.text === f.text));
    if (!match) throw badRequest(`fields[${i}] (${JSON.stringify(f.id ?? f.text ?? null)}) is not a field of form template ${template.id}`);
    if (posted.has(match.id)) throw badRequest(`fields[${i}]: field "${match.text}" is given twice`);
    if (!("value" in f)) throw badRequest(`fields[${i}]: field "${match.text}" has no value (send null for an optional field left empty)`);
    posted.set(match.id, f.value);
  }
  return template.fields.map((t) => {
    if (!posted.has(t.id))
      throw badRequest(`field "${t.text}" (${t.id}) of form template ${template.id} is missing: send every field of the template, null for optional ones`);
    const value = posted.get(t.id);
    if (isEmpty(value)) {
      if (t.required) throw badRequest(`field "${t.text}" (${t.id}) is required`);
      return { ...t, value: null };
    }
    const problem = typeProblem(t, value);
    if (problem) throw badRequest(`field "${t.text}" (${t.id}, ${t.type}) ${problem}`);
    return { ...t, value };
  });
}

function formJson(f: ProfileFormRecord): Record<string, unknown> {
  return {
    id: f.id,
    type: "form",
    text: f.text,
    instructions: f.instructions,
    baseTemplateId: f.baseTemplateId,
    fields: f.fields,
    user: f.user,
    stage: f.stage,
    secret: f.secret,
    createdAt: f.createdAt,
    completedAt: f.completedAt,
    deletedAt: f.deletedAt,
  };
}

/** What the form routes borrow from the API's own checks. */
export interface FormRouteDeps<C extends Context> {
  state: SandboxState;
  allow(c: C, permission: "Find all form templates" | "Find all opportunity forms" | "Create an opportunity form"): void;
  performAs(c: C, required: boolean): string | null;
  visibleOpportunity(c: C, id: string): OpportunityRecord;
  page<T extends { id: string }>(c: C, items: readonly T[], toJson: (item: T) => unknown): Response;
  jsonBody(c: C): Promise<Record<string, unknown>>;
}

/** Adds the profile form and form template routes to the sandbox API. */
export function mountFormRoutes<E extends { Variables: object }>(app: Hono<E>, deps: FormRouteDeps<Context<E>>): void {
  const { state, allow, performAs, visibleOpportunity, page, jsonBody } = deps;
  const store = formStore(state);
  const formsOf = (opp: OpportunityRecord) => [...store.forms.values()].filter((f) => f.opportunityId === opp.id && f.deletedAt === null);

  app.get("/v1/form_templates", (c) => {
    allow(c, "Find all form templates");
    return page(c, [...store.templates.values()], (t) => ({ ...t }));
  });
  app.get("/v1/form_templates/:id", (c) => {
    allow(c, "Find all form templates");
    const t = store.templates.get(c.req.param("id"));
    if (!t) throw notFound("form_templates", c.req.param("id"));
    return c.json({ data: { ...t } });
  });
  app.get("/v1/opportunities/:id/forms", (c) => {
    allow(c, "Find all opportunity forms");
    return page(c, formsOf(visibleOpportunity(c, c.req.param("id"))), formJson);
  });
  app.get("/v1/opportunities/:id/forms/:formId", (c) => {
    allow(c, "Find all opportunity forms");
    const form = formsOf(visibleOpportunity(c, c.req.param("id"))).find((f) => f.id === c.req.param("formId"));
    if (!form) throw notFound("forms", c.req.param("formId"));
    return c.json({ data: formJson(form) });
  });
  app.post("/v1/opportunities/:id/forms", async (c) => {
    allow(c, "Create an opportunity form");
    const opp = visibleOpportunity(c, c.req.param("id"));
    const user = performAs(c, false);
    const body = await jsonBody(c);
    if (typeof body.baseTemplateId !== "string" || body.baseTemplateId === "") throw badRequest("baseTemplateId is required");
    const template = store.templates.get(body.baseTemplateId);
    if (!template) throw badRequest(`Form template ${body.baseTemplateId} was not found`);
    if (body.secret !== undefined && typeof body.secret !== "boolean") throw badRequest("secret must be true or false");
    const fields = validateProfileForm(template, body.fields);
    const now = state.now();
    const form: ProfileFormRecord = {
      id: state.rng.uuid(),
      opportunityId: opp.id,
      text: template.text,
      instructions: template.instructions,
      baseTemplateId: template.id,
      fields,
      user,
      stage: opp.stage,
      secret: typeof body.secret === "boolean" ? body.secret : template.secretByDefault,
      createdAt: now,
      completedAt: now,
      deletedAt: null,
    };
    store.forms.set(form.id, form);
    return c.json({ data: formJson(form) }, 201);
  });
}
