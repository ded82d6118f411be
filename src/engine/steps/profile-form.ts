/**
 * Filling a Lever profile form from a workflow: the step names values by the template field's
 * text (`fields: { Score: "{{ steps.screen.output.score }}" }`), and this file turns them into the
 * body Lever wants — every field of the template in its order, each with a value of the field's
 * type, `null` for an optional field the workflow leaves empty. Pure, so the same check runs when
 * the form is written and when `doctor` compares a workflow with the account's templates.
 */

import type { FormFieldLike, FormTemplateLike } from "../ports.ts";

export type { FormFieldLike, FormTemplateLike };

/** Why a workflow's fields do not fit a template; `field` names the field at fault. */
export class FormMappingError extends Error {
  override readonly name = "FormMappingError";
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

const same = (a: string | null | undefined, b: string) => (a ?? "").trim().toLowerCase() === b.trim().toLowerCase();
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);

function templateName(t: FormTemplateLike): string {
  return `"${t.text ?? t.id}"`;
}

/**
 * The problems of a workflow's field names against a template, without values: names the
 * template does not have, and required fields the workflow does not fill. Empty when they fit.
 * @example formFieldProblems({ id: "t1", text: "Screening", fields: [{ text: "Score", required: true }] }, ["Tier"])
 * // → ['the profile form template "Screening" has no field "Tier" (its fields: Score)', 'the profile form template "Screening" requires the field "Score", which the workflow does not fill']
 */
export function formFieldProblems(template: FormTemplateLike, names: readonly string[]): FormMappingError[] {
  const fields = template.fields ?? [];
  const problems: FormMappingError[] = [];
  for (const name of names) {
    if (!fields.some((f) => same(f.text, name))) {
      problems.push(
        new FormMappingError(
          name,
          `the profile form template ${templateName(template)} has no field "${name}" (its fields: ${fields.map((f) => f.text ?? f.id).join(", ") || "none"})`,
        ),
      );
    }
  }
  for (const f of fields) {
    if (f.required && !names.some((n) => same(f.text, n))) {
      problems.push(
        new FormMappingError(
          f.text ?? String(f.id),
          `the profile form template ${templateName(template)} requires the field "${f.text ?? f.id}", which the workflow does not fill`,
        ),
      );
    }
  }
  return problems;
}

/** The value of `value` in the shape a field of `field.type` takes, or throws naming the field. */
function coerce(template: FormTemplateLike, field: FormFieldLike, value: unknown): unknown {
  const name = field.text ?? String(field.id);
  const options = (field.options ?? []).map((o) => o.text ?? "");
  const option = (v: unknown): string => {
    const hit = options.find((o) => same(o, String(v)));
    if (hit === undefined)
      throw new FormMappingError(
        name,
        `the value ${JSON.stringify(v)} for field "${name}" of the profile form template ${templateName(template)} is not one of its options (${options.join(", ")})`,
      );
    return hit;
  };
  switch (field.type) {
    case "dropdown":
    case "multiple-choice":
      return option(value);
    case "multiple-select":
      return (Array.isArray(value) ? value : String(value).split(",")).map((v) => option(String(v).trim()));
    case "yes-no": {
      if (value === true || same(String(value), "yes")) return "yes";
      if (value === false || same(String(value), "no")) return "no";
      throw new FormMappingError(name, `field "${name}" of the profile form template ${templateName(template)} takes yes or no, not ${JSON.stringify(value)}`);
    }
    case "currency":
    case "date": {
      const n = typeof value === "number" ? value : field.type === "date" && Number.isNaN(Number(value)) ? Date.parse(String(value)) : Number(value);
      if (!Number.isFinite(n))
        throw new FormMappingError(
          name,
          `field "${name}" of the profile form template ${templateName(template)} takes a ${field.type === "date" ? "date" : "number"}, not ${JSON.stringify(value)}`,
        );
      return n;
    }
    default:
      return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

/**
 * Every field of `template`, in its order, with the value the workflow gives it (by the field's
 * text, case-insensitive), or null. Throws a FormMappingError naming the field when a name is not
 * in the template, a required field is left empty, or a value does not fit the field's type.
 * @example profileFormFields(template, { Score: 82, Recommendation: "hold" })
 * // → [{ id: "f1", type: "text", text: "Score", value: "82" }, { id: "f2", type: "dropdown", text: "Recommendation", value: "Hold" }, …]
 */
export function profileFormFields(template: FormTemplateLike, values: Readonly<Record<string, unknown>>): (FormFieldLike & { value: unknown })[] {
  const [unknown] = formFieldProblems(template, Object.keys(values)).filter((p) => !(template.fields ?? []).some((f) => same(f.text, p.field)));
  if (unknown) throw unknown;
  return (template.fields ?? []).map((f) => {
    const key = Object.keys(values).find((k) => same(f.text, k));
    const value = key === undefined ? undefined : values[key];
    if (isEmpty(value)) {
      if (f.required)
        throw new FormMappingError(
          f.text ?? String(f.id),
          `the profile form template ${templateName(template)} requires the field "${f.text ?? f.id}", and the workflow gives it no value${key === undefined ? " (add it under fields:)" : ""}`,
        );
      return { ...f, value: null };
    }
    return { ...f, value: coerce(template, f, value) };
  });
}

/** The template named by id, else by name (case-insensitive), from a list of templates. */
export function findFormTemplate<T extends FormTemplateLike>(templates: readonly T[], idOrName: string): T | undefined {
  return templates.find((t) => t.id === idOrName) ?? templates.find((t) => same(t.text, idOrName));
}
