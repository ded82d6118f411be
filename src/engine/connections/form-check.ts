/**
 * `doctor`'s check of the workflows' `lever.form` steps against the account's profile form
 * templates: the chosen template exists, every field the step names is one of its fields, and every
 * required field is filled. A step whose template is empty is reported as skipped (the admin has not
 * chosen one), never as a failure. The same mapping rules run when the form is written
 * (`profile-form.ts`), so what doctor passes, the step can write.
 */
import { render, type Workflow } from "../workflows/index.ts";
import { findFormTemplate, formFieldProblems, type FormTemplateLike } from "../steps/profile-form.ts";
import type { LeverAccountApi } from "./ports.ts";

/** One row of the check (the shape of doctor's rows). */
export interface FormCheckRow {
  check: string;
  status: "ok" | "warn" | "fail" | "skip";
  detail: string;
  fix?: string | undefined;
}

type FormStep = { id: string; type: "lever.form"; template: string; fields: Record<string, unknown> };

function formSteps(workflow: Workflow): FormStep[] {
  return workflow.steps.filter((s) => s.type === "lever.form") as unknown as FormStep[];
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
        rows.push({ check, status: "skip", detail: "no profile form template is chosen, so the step is skipped", fix: "Set the template (settings.formTemplate in the built-in screening) to write the result to a Lever profile form" });
        continue;
      }
      const template = findFormTemplate(templates, name);
      if (!template) {
        rows.push({ check, status: "fail", detail: `no profile form template "${name}" in this Lever account (its templates: ${templates.map((t) => t.text ?? t.id).join(", ") || "none"})`, fix: "Create the template in Lever (Settings → Profile forms), or name one that exists" });
        continue;
      }
      const problems = formFieldProblems(template, Object.keys(step.fields));
      rows.push(
        problems.length
          ? { check, status: "fail", detail: problems.map((p) => p.message).join("; "), fix: `Make the step's fields match the template's fields by their text, or change the template in Lever` }
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
    return [{ check: "profile form templates", status: "warn", detail: `GET /form_templates answered ${r.status}${r.message ? ` (${r.message})` : ""}, so the lever.form steps could not be checked`, fix: 'Give the key "Find all form templates" (OAuth scope form_templates:read:admin)' }];
  }
  const data = (r.body as { data?: unknown } | undefined)?.data;
  const templates = Array.isArray(data) ? (data as FormTemplateLike[]).filter((t) => t && typeof t.id === "string") : [];
  return checkFormSteps(workflows, templates);
}
