/**
 * `doctor`'s check of the workflows' `lever.form` steps against the account's profile form
 * templates: the chosen template exists, every field the step names is one of its fields, every
 * required field is filled, and a choice field (dropdown, multiple choice or select) fed a screening
 * step's tier or recommendation has an option for every value the screening can give
 * (strong/possible/weak/unscored; advance/hold/reject/review). A step whose template is empty is
 * reported as skipped (the admin has not chosen one), never as a failure. Values a step only knows
 * at run time (a score, text) are not checked here: a value a field refuses still fails the step
 * when the form is written (`profile-form.ts` maps both).
 */
import { render, type Step, type Workflow } from "../workflows/index.ts";
import { findFormTemplate, formFieldProblems, type FormFieldLike, type FormTemplateLike } from "../steps/index.ts";
import { RECOMMENDATIONS, SCREENING_TIERS } from "../../screening/index.ts";
import type { LeverAccountApi } from "./ports.ts";

/** One row of the check (the shape of doctor's rows). */
export interface FormCheckRow {
  check: string;
  status: "ok" | "warn" | "fail" | "skip";
  detail: string;
  fix?: string | undefined;
}

type FormStep = Extract<Step, { type: "lever.form" }>;

function formSteps(workflow: Workflow): FormStep[] {
  return workflow.steps.filter((s): s is FormStep => s.type === "lever.form");
}

const CHOICE_TYPES = new Set(["dropdown", "multiple-choice", "multiple-select"]);

/** Every value a screening output can take, by output name. */
const SCREENING_VALUES: Readonly<Record<string, readonly string[]>> = { tier: SCREENING_TIERS, recommendation: RECOMMENDATIONS };

/**
 * The values a field's template can give when it is exactly `{{ steps.<id>.output.tier }}` or
 * `.recommendation` of a `screening.screen` step of the workflow; undefined otherwise.
 */
function screeningValues(workflow: Workflow, value: unknown): readonly string[] | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\{\{\s*steps\.([\w-]+)\.output\.(\w+)\s*\}\}$/.exec(value.trim());
  if (!m) return undefined;
  const source = workflow.steps.find((s) => s.id === m[1]) as { type?: string; task?: string } | undefined;
  if (source?.type !== "task" || source.task !== "screening.screen") return undefined;
  return SCREENING_VALUES[m[2]!];
}

/** The choice fields fed a screening tier or recommendation that lack an option for some value it can give. */
function missingOptions(workflow: Workflow, step: FormStep, template: FormTemplateLike): string[] {
  const problems: string[] = [];
  const same = (a: string | null | undefined, b: string) => (a ?? "").trim().toLowerCase() === b.trim().toLowerCase();
  for (const [name, value] of Object.entries(step.fields)) {
    const values = screeningValues(workflow, value);
    const field: FormFieldLike | undefined = (template.fields ?? []).find((f) => same(f.text, name));
    if (!values || !field || !CHOICE_TYPES.has(String(field.type))) continue;
    const options = (field.options ?? []).map((o) => o.text ?? "");
    const missing = values.filter((v) => !options.some((o) => same(o, v)));
    if (missing.length) {
      problems.push(
        `field "${name}" of the profile form template "${template.text ?? template.id}" has no option ${missing.map((v) => `"${v}"`).join(", ")} (its options: ${options.join(", ") || "none"}), which the screening can give`,
      );
    }
  }
  return problems;
}

/**
 * The template a step names, as far as it can be known before a run: a literal, or
 * `{{ settings.x }}` from the workflow's settings. Undefined when it depends on the run.
 */
export function chosenTemplate(workflow: Workflow, step: { template: string }): string | undefined {
  const value = render(step.template, { settings: workflow.settings });
  if (typeof value !== "string") return value === undefined || value === null ? "" : String(value);
  return /\{\{/.test(value) ? undefined : value.trim();
}

/**
 * Checks every `lever.form` step of `workflows` against `templates` (already read from Lever).
 * @example checkFormSteps([workflow], [{ id: "t1", text: "Fulcrum screening", fields: [...] }])
 * // → [{ check: "workflow application-screening, step form: profile form", status: "ok", detail: "…" }]
 */
export function checkFormSteps(workflows: readonly Workflow[], templates: readonly FormTemplateLike[]): FormCheckRow[] {
  const rows: FormCheckRow[] = [];
  for (const workflow of workflows) {
    for (const step of formSteps(workflow)) {
      const check = `workflow ${workflow.id}, step ${step.id}: profile form`;
      const name = chosenTemplate(workflow, step);
      if (name === undefined) {
        rows.push({ check, status: "skip", detail: `the template (${step.template}) is only known when the workflow runs` });
        continue;
      }
      if (name === "") {
        rows.push({
          check,
          status: "skip",
          detail: "no profile form template is chosen, so the step is skipped",
          fix: "Set the template (settings.formTemplate in the built-in screening) to write the result to a Lever profile form",
        });
        continue;
      }
      const template = findFormTemplate(templates, name);
      if (!template) {
        rows.push({
          check,
          status: "fail",
          detail: `no profile form template "${name}" in this Lever account (its templates: ${templates.map((t) => t.text ?? t.id).join(", ") || "none"})`,
          fix: "Create the template in Lever (Settings → Profile forms), or name one that exists",
        });
        continue;
      }
      const problems = formFieldProblems(template, Object.keys(step.fields)).map((p) => p.message);
      const options = missingOptions(workflow, step, template);
      rows.push(
        problems.length || options.length
          ? {
              check,
              status: "fail",
              detail: [...problems, ...options].join("; "),
              fix: problems.length
                ? `Make the step's fields match the template's fields by their text, or change the template in Lever`
                : "Add the missing options to the template's field in Lever (Settings → Profile forms)",
            }
          : { check, status: "ok", detail: `template "${template.text ?? template.id}": ${Object.keys(step.fields).join(", ")} match its fields` },
      );
    }
  }
  return rows;
}

/** Reads the account's profile form templates and checks the workflows' `lever.form` steps against them. */
export async function checkProfileForms(api: Pick<LeverAccountApi, "probe">, workflows: readonly Workflow[]): Promise<FormCheckRow[]> {
  if (!workflows.some((w) => formSteps(w).length > 0)) return [];
  const r = await api.probe("GET", "/form_templates?limit=100");
  if (r.status !== 200) {
    return [
      {
        check: "profile form templates",
        status: "warn",
        detail: `GET /form_templates answered ${r.status}${r.message ? ` (${r.message})` : ""}, so the lever.form steps could not be checked`,
        fix: 'Give the key "Find all form templates" (OAuth scope form_templates:read:admin)',
      },
    ];
  }
  const data = (r.body as { data?: unknown } | undefined)?.data;
  const templates = Array.isArray(data) ? (data as FormTemplateLike[]).filter((t) => t && typeof t.id === "string") : [];
  return checkFormSteps(workflows, templates);
}
