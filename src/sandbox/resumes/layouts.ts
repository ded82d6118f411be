/**
 * How a resume is laid out: columns, section names, date style, header and footer. Real resumes
 * vary in all of these, and a parser that only knows one of them is not a parser.
 */
import type { ResumeProfile, YearMonth } from "./people.ts";

export type DateStyle = "month-name" | "iso-month" | "numeric" | "full-month";

export interface SectionNames {
  summary: string;
  experience: string;
  education: string;
  skills: string;
  languages: string;
  certifications: string;
  links: string;
}

export interface ResumeLayout {
  /** Preset name (for reports). */
  name: string;
  /** `single`: one column; `sidebar`: two columns with contact and skills at the side; `grid`: one column with a table-like skills grid and dated rows. */
  columns: "single" | "sidebar" | "grid";
  dateStyle: DateStyle;
  sections: SectionNames;
  /** A line printed at the top of every page (or null). `{name}` is replaced by the person's name. */
  header: string | null;
  /** A line printed at the bottom of every page (or null). `{page}` is replaced by the page number. */
  footer: string | null;
}

const monthShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const monthLong = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Formats one month in a style: `Jan 2020`, `2020-01`, `01/2020` or `January 2020`. */
export function formatMonthYear(date: YearMonth, style: DateStyle): string {
  const mm = String(date.month).padStart(2, "0");
  switch (style) {
    case "month-name":
      return `${monthShort[date.month - 1]} ${date.year}`;
    case "iso-month":
      return `${date.year}-${mm}`;
    case "numeric":
      return `${mm}/${date.year}`;
    case "full-month":
      return `${monthLong[date.month - 1]} ${date.year}`;
  }
}

/**
 * Formats a date range exactly as the renderers print it, e.g. `Jan 2020 – Present`,
 * `2019-03 to 2021-11`, `03/2018 - 12/2019`, `March 2019 – Current`.
 */
export function formatDateRange(start: YearMonth, end: YearMonth | null, style: DateStyle): string {
  const separator = style === "iso-month" ? " to " : style === "numeric" ? " - " : " \u2013 ";
  const present = style === "full-month" ? "Current" : "Present";
  return `${formatMonthYear(start, style)}${separator}${end ? formatMonthYear(end, style) : present}`;
}

/** Layout presets used by the demo organisation and the evaluation corpus. */
export const resumeLayouts: readonly ResumeLayout[] = [
  {
    name: "classic",
    columns: "single",
    dateStyle: "month-name",
    sections: {
      summary: "Summary",
      experience: "Experience",
      education: "Education",
      skills: "Skills",
      languages: "Languages",
      certifications: "Certifications",
      links: "Links",
    },
    header: null,
    footer: "Page {page}",
  },
  {
    name: "sidebar",
    columns: "sidebar",
    dateStyle: "iso-month",
    sections: {
      summary: "Profile",
      experience: "Work History",
      education: "Education",
      skills: "Core Skills",
      languages: "Languages",
      certifications: "Licenses & Certifications",
      links: "Online",
    },
    header: "{name} - Curriculum Vitae",
    footer: "References available on request",
  },
  {
    name: "grid",
    columns: "grid",
    dateStyle: "numeric",
    sections: {
      summary: "About Me",
      experience: "Professional Experience",
      education: "Academic Background",
      skills: "Technical Skills",
      languages: "Language Skills",
      certifications: "Certificates",
      links: "Profiles",
    },
    header: "RESUME",
    footer: "{name} | Page {page}",
  },
  {
    name: "executive",
    columns: "single",
    dateStyle: "full-month",
    sections: {
      summary: "Executive Summary",
      experience: "Career History",
      education: "Education & Training",
      skills: "Areas of Expertise",
      languages: "Languages",
      certifications: "Professional Certifications",
      links: "Contact Links",
    },
    header: null,
    footer: null,
  },
];

/** Replaces `{name}` and `{page}` in a header or footer template. */
export function fillTemplate(template: string, profile: ResumeProfile, page: number): string {
  return template.replaceAll("{name}", profile.name).replaceAll("{page}", String(page));
}

/** The location line, contact line and links as printed. */
export function contactLine(profile: ResumeProfile): string {
  return `${profile.email} | ${profile.phone} | ${profile.location.text}`;
}
