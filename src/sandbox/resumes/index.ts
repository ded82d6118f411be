/**
 * Fictional candidates and their resumes: `generatePeople(seed, n)` gives profiles with ground
 * truth; `renderResumePdf` / `renderResumeDocx` turn a profile into a real file in one of the
 * `resumeLayouts`. Used by the sandbox's demo organisation and by the screening evaluation corpus.
 */
export { generatePeople, referenceMonth } from "./people.ts";
export type {
  Certification,
  Discipline,
  Education,
  Position,
  ProfileLink,
  ResumeProfile,
  Seniority,
  SpokenLanguage,
  YearMonth,
} from "./people.ts";
export { formatDateRange, formatMonthYear, resumeLayouts, fillTemplate, contactLine } from "./layouts.ts";
export type { DateStyle, ResumeLayout, SectionNames } from "./layouts.ts";
export { renderResumePdf } from "./render-pdf.ts";
export { renderResumeDocx } from "./render-docx.ts";
export { createPrng, hashSeed } from "./prng.ts";
export type { Prng } from "./prng.ts";
