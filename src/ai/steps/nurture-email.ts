/**
 * Talent-pool nurture: a personal, future-focused e-mail draft for a candidate archived for a
 * non-hiring reason, plus skill and future-role tags. Always a draft for a person to approve.
 */
import { z } from "zod";
import { defineStep } from "./step-definition.ts";

export const nurtureEmailInput = z.object({
  candidate: z.object({ firstName: z.string().min(1), name: z.string().optional() }),
  posting: z.object({ title: z.string().min(1), team: z.string().optional() }),
  company: z.string().min(1),
  recruiter: z.object({ name: z.string().min(1) }),
  skills: z.array(z.string()).max(50).default([]),
  archiveReason: z.string().optional(),
  futureRoles: z.array(z.string()).default([]),
});
export type NurtureEmailInput = z.infer<typeof nurtureEmailInput>;

export const nurtureEmailOutput = z.object({
  subject: z.string().min(1).max(150),
  body: z.string().min(1).max(3000),
  tags: z.array(z.string().max(60)).max(15),
});
export type NurtureEmailOutput = z.infer<typeof nurtureEmailOutput>;

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-|-$/g, "");

function tagsFor(input: NurtureEmailInput): string[] {
  const future = input.futureRoles.length ? input.futureRoles : [input.posting.title];
  return [...new Set([...input.skills.slice(0, 8).map((s) => `skill:${slug(s)}`), ...future.map((r) => `future:${slug(r)}`), "talent-pool"])];
}

export const nurtureEmailStep = defineStep<NurtureEmailInput, NurtureEmailOutput>({
  type: "nurture-email",
  description: "Future-focused e-mail draft and talent-pool tags for an archived candidate (never sent automatically).",
  input: nurtureEmailInput,
  output: nurtureEmailOutput,
  // Every part of this input comes from Lever fields the company controls, but skills come from
  // the resume: they are data, not instructions.
  untrusted: (input) => (input.skills.length ? [{ label: "skills from the resume", text: input.skills.join(", ") }] : []),
  trusted: (input) => ({
    candidateFirstName: input.candidate.firstName,
    role: input.posting.title,
    team: input.posting.team,
    company: input.company,
    recruiter: input.recruiter.name,
    archiveReason: input.archiveReason,
    futureRoles: input.futureRoles,
    tags: tagsFor(input),
  }),
  names: (input) => [input.candidate.firstName, ...(input.candidate.name ? [input.candidate.name] : []), input.recruiter.name],
  local(input) {
    const skills = input.skills.slice(0, 3);
    const future = input.futureRoles.length ? input.futureRoles.join(" or ") : `roles like ${input.posting.title}`;
    const body = [
      `Hi ${input.candidate.firstName},`,
      "",
      `Thank you again for the time you gave us during the ${input.posting.title} process at ${input.company}. We were not able to move forward this time, but we would like to stay in touch.`,
      skills.length
        ? `Your experience with ${skills.join(", ")} stood out, and we expect to open ${future} where it would matter.`
        : `We expect to open ${future} and would be glad to think of you for them.`,
      "",
      "If it suits you, we will keep your profile in our talent pool and reach out when something fits. You can ask us to remove your details at any time by replying to this e-mail.",
      "",
      "Best wishes,",
      input.recruiter.name,
      input.company,
    ].join("\n");
    return { subject: `Staying in touch about future roles at ${input.company}`, body, tags: tagsFor(input) };
  },
  finish(output, input) {
    // Tags are decided by code from the candidate's skills, never by the model.
    return { ...output, tags: tagsFor(input) };
  },
});
