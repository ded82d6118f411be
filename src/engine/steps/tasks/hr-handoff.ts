/**
 * `hr.payload`: the hired candidate's record for an HR system. The data is gathered from Lever
 * (opportunity, posting, signed or latest offer), validated, and mapped to a payload in one of two
 * example shapes — Workday-style (`worker` / `position` / `hire`) or BambooHR-style (flat
 * employee fields) — optionally re-mapped field by field (`with.mapping`: target path → record
 * field). Problems are listed for a person instead of sending a half-empty record.
 */
import type { LeverOffer } from "../../../lever/index.ts";
import type { TaskHandler } from "../../ports.ts";

/** The normalised hire record every mapping reads from. */
export interface HireRecord {
  firstName: string;
  lastName: string;
  fullName: string;
  email: string;
  phone: string;
  jobTitle: string;
  department: string;
  team: string;
  location: string;
  startDate: string;
  salary: string;
  currency: string;
  hiringManager: string;
  requisition: string;
  opportunityId: string;
  postingId: string;
}

const REQUIRED: (keyof HireRecord)[] = ["firstName", "lastName", "email", "jobTitle", "startDate"];

function offerField(offer: LeverOffer | undefined, id: string): string {
  const v = offer?.fields?.find((f) => f.identifier === id)?.value;
  if (v === undefined || v === null) return "";
  if (typeof v === "number" && id.includes("date")) return new Date(v).toISOString().slice(0, 10);
  return String(v);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur = target;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts.at(-1)!] = value;
}

/** The two example payload shapes. */
export function mapHire(record: HireRecord, format: "workday" | "bamboohr"): Record<string, unknown> {
  if (format === "bamboohr") {
    return {
      firstName: record.firstName,
      lastName: record.lastName,
      workEmail: record.email,
      mobilePhone: record.phone || undefined,
      jobTitle: record.jobTitle,
      department: record.department || undefined,
      division: record.team || undefined,
      location: record.location || undefined,
      hireDate: record.startDate,
      payRate: record.salary ? `${record.salary} ${record.currency}`.trim() : undefined,
      customLeverOpportunityId: record.opportunityId,
    };
  }
  return {
    worker: { legalName: { firstName: record.firstName, lastName: record.lastName }, email: record.email, phone: record.phone || null },
    position: {
      jobTitle: record.jobTitle,
      supervisoryOrganization: record.department || null,
      team: record.team || null,
      location: record.location || null,
      hiringManager: record.hiringManager || null,
      requisitionId: record.requisition || null,
    },
    hire: {
      hireDate: record.startDate,
      compensation: record.salary ? { amount: Number(record.salary) || record.salary, currency: record.currency || null } : null,
    },
    source: { system: "Lever", opportunityId: record.opportunityId, postingId: record.postingId },
  };
}

export const hrPayloadTask: TaskHandler = async ({ with: params, fetch }) => {
  const ctx = await fetch(["opportunity", "posting", "offers"]);
  const opp = ctx.opportunity;
  // The run's context holds what the gateway read from Lever, kept as JSON with the run.
  const offers = (ctx.offers ?? []) as LeverOffer[];
  const offer = offers.find((o) => o.status === "signed") ?? [...offers].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0];
  const name = (typeof opp?.name === "string" ? opp.name : "").trim();
  const [first, ...rest] = name.split(/\s+/);
  const cats = ctx.posting?.categories;
  const record: HireRecord = {
    firstName: first ?? "",
    lastName: rest.join(" "),
    fullName: name,
    email: Array.isArray(opp?.emails) ? String(opp.emails[0] ?? "") : "",
    phone: Array.isArray(opp?.phones) ? String(opp.phones[0]?.value ?? "") : "",
    jobTitle: offerField(offer, "job_title") || (ctx.posting?.text ?? ""),
    department: cats?.department ?? "",
    team: cats?.team ?? "",
    location: cats?.location ?? "",
    startDate: offerField(offer, "anticipated_start_date"),
    salary: offerField(offer, "salary_amount"),
    currency: offerField(offer, "compensation_currency"),
    hiringManager: offerField(offer, "hiring_manager"),
    requisition: offerField(offer, "requisition"),
    opportunityId: opp?.id ?? "",
    postingId: ctx.posting?.id ?? "",
  };
  const problems = REQUIRED.filter((k) => !record[k]).map((k) => `${k} is missing`);
  if (record.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(record.email)) problems.push("email is not an e-mail address");
  if (record.startDate && Number.isNaN(Date.parse(record.startDate))) problems.push(`startDate "${record.startDate}" is not a date`);
  const format = params.format === "bamboohr" ? "bamboohr" : "workday";
  const payload = mapHire(record, format);
  const mapping = (params.mapping ?? {}) as Record<string, unknown>;
  for (const [target, source] of Object.entries(mapping)) {
    if (typeof source === "string" && source in record) setPath(payload, target, record[source as keyof HireRecord]);
    else problems.push(`mapping for ${target} names no record field "${String(source)}"`);
  }
  return { format, record, payload, problems, ok: problems.length === 0, reasons: problems.length ? problems : ["all required fields present"] };
};
