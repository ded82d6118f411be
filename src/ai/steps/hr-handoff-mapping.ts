/**
 * Hand-off to HR systems: maps a hired candidate's data to the payload an HRIS expects, with
 * built-in Workday-style and BambooHR-style mappings or a configured one, and lists what is
 * missing so a person can fix it before anything is sent.
 */
import { z } from "zod";
import { defineStep } from "./step-definition.ts";

/** Target field (dotted path in the payload) → source path in the hire record. */
export const HR_MAPPINGS: Record<"workday" | "bamboohr", Record<string, string>> = {
  workday: {
    "worker.legalName.firstName": "candidate.firstName",
    "worker.legalName.lastName": "candidate.lastName",
    "worker.contact.email": "candidate.email",
    "worker.contact.phone": "candidate.phone",
    "position.jobTitle": "posting.title",
    "position.supervisoryOrganization": "posting.department",
    "position.location": "posting.location",
    "position.hireDate": "offer.startDate",
    "compensation.amount": "offer.salary",
    "compensation.currency": "offer.currency",
    "source.system": "source.system",
    "source.opportunityId": "source.opportunityId",
  },
  bamboohr: {
    firstName: "candidate.firstName",
    lastName: "candidate.lastName",
    homeEmail: "candidate.email",
    mobilePhone: "candidate.phone",
    jobTitle: "posting.title",
    department: "posting.department",
    location: "posting.location",
    hireDate: "offer.startDate",
    payRate: "offer.salary",
    payRateCurrency: "offer.currency",
    externalId: "source.opportunityId",
  },
};

const DEFAULT_REQUIRED: Record<"workday" | "bamboohr", string[]> = {
  workday: ["worker.legalName.firstName", "worker.legalName.lastName", "position.jobTitle", "position.hireDate"],
  bamboohr: ["firstName", "lastName", "jobTitle", "hireDate"],
};

export const hrHandoffInput = z.object({
  target: z.enum(["workday", "bamboohr", "custom"]),
  /** For `custom` (or to override built-in fields): target path → source path. */
  mapping: z.record(z.string(), z.string()).default({}),
  required: z.array(z.string()).optional(),
  /** The hire record: candidate, posting, offer, source … as gathered from Lever. */
  data: z.record(z.string(), z.unknown()),
});
export type HrHandoffInput = z.infer<typeof hrHandoffInput>;

export const hrHandoffOutput = z.object({
  payload: z.record(z.string(), z.unknown()),
  missing: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type HrHandoffOutput = z.infer<typeof hrHandoffOutput>;

function get(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function set(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    if (typeof cur[key] !== "object" || cur[key] === null) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys.at(-1)!] = value;
}

function leaves(value: unknown, prefix = ""): [string, unknown][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}

function mappingFor(input: HrHandoffInput): Record<string, string> {
  return { ...(input.target === "custom" ? {} : HR_MAPPINGS[input.target]), ...input.mapping };
}

function requiredFor(input: HrHandoffInput): string[] {
  return input.required ?? (input.target === "custom" ? Object.keys(input.mapping) : DEFAULT_REQUIRED[input.target]);
}

/** The deterministic mapping, as a pure function. */
export function mapHrPayload(input: HrHandoffInput): HrHandoffOutput {
  const payload: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [target, source] of Object.entries(mappingFor(input))) {
    const value = get(input.data, source);
    if (value === undefined || value === null || value === "") continue;
    if (typeof value === "object") {
      warnings.push(`${target}: source ${source} is not a single value; left out.`);
      continue;
    }
    set(payload, target, value);
  }
  const missing = requiredFor(input).filter((path) => get(payload, path) === undefined);
  const hire = get(input.data, "offer.startDate");
  if (typeof hire === "string" && Number.isNaN(Date.parse(hire))) warnings.push(`offer.startDate "${hire}" is not a date.`);
  return { payload, missing, warnings };
}

export const hrHandoffStep = defineStep<HrHandoffInput, HrHandoffOutput>({
  type: "hr-handoff-mapping",
  description: "Maps a hire to an HRIS payload (Workday- or BambooHR-style, or configured) and lists missing fields.",
  input: hrHandoffInput,
  output: hrHandoffOutput,
  untrusted: () => [],
  trusted: (input) => ({ target: input.target, mapping: mappingFor(input), required: requiredFor(input), data: input.data }),
  names: () => [],
  local: mapHrPayload,
  finish(output, input) {
    // A payload value must come from the hire record: the model may place values, never invent them.
    const known = new Set(leaves(input.data).map(([, v]) => JSON.stringify(v)));
    const payload: Record<string, unknown> = {};
    const warnings = [...output.warnings];
    for (const [path, value] of leaves(output.payload)) {
      if (known.has(JSON.stringify(value))) set(payload, path, value);
      else warnings.push(`${path}: value not found in the hire record; left out.`);
    }
    const missing = requiredFor(input).filter((path) => get(payload, path) === undefined);
    return { payload, missing, warnings };
  },
});
