/** Screening metrics on the process registry. */
import { Counter, Histogram } from "prom-client";
import { registry } from "../observability/index.ts";

export const resumesParsed = new Counter({
  name: "fulcrum_resumes_parsed_total",
  help: "Resume files read, by format and status (parsed, partial, unsupported, image-only, encrypted, corrupt, too-large).",
  labelNames: ["format", "status"] as const,
  registers: [registry],
});

export const resumeFlags = new Counter({
  name: "fulcrum_resume_flags_total",
  help: "Resumes flagged, by flag (hidden-text, prompt-injection, ocr, ...). A rise in prompt-injection is worth a look.",
  labelNames: ["flag"] as const,
  registers: [registry],
});

export const resumeParseSeconds = new Histogram({
  name: "fulcrum_resume_parse_seconds",
  help: "Time to read and parse one resume file.",
  labelNames: ["format"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
