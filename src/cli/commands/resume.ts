/**
 * `fulcrum resume parse <file>` and `fulcrum resume score <file> --posting <id|file>`: the
 * screening core on one file, for recruiters checking a result and engineers checking the parser.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import {
  answersFromCustomQuestions,
  extractRequirements,
  parseResume,
  parseRubricOverride,
  RubricError,
  scoreResume,
  type PostingInput,
  type Rubric,
} from "../../screening/index.ts";
import { pickConnection, withConnections } from "./connections.ts";

function write(cmd: Command, text: string): void {
  const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
  out(text);
}

function readFileOrExit(cmd: Command, path: string, what: string): Buffer {
  if (!existsSync(path)) cmd.error(`${what} "${path}" does not exist`, { exitCode: 2 });
  return readFileSync(path);
}

function readStructured(cmd: Command, path: string, what: string): unknown {
  const text = readFileOrExit(cmd, path, what).toString("utf8");
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    cmd.error(`${what} "${path}" is not valid ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"}: ${(error as Error).message}`, { exitCode: 2 });
  }
}

/** A posting from a file in Lever's shape (bare, or wrapped in `{ data }`) or by id through Lever. */
async function loadPosting(cmd: Command, ref: string, connection: string | undefined): Promise<PostingInput> {
  if (existsSync(ref) || /\.(json|ya?ml)$/i.test(ref)) {
    const raw = readStructured(cmd, ref, "posting file") as { data?: unknown } | null;
    const posting = (raw && typeof raw === "object" && "data" in raw ? raw.data : raw) as PostingInput | null;
    if (!posting || typeof posting !== "object" || typeof posting.id !== "string") {
      cmd.error(`posting file "${ref}" is not a Lever posting: it needs at least "id" (and "content.lists" for requirements)`, { exitCode: 2 });
    }
    return posting;
  }
  return withConnections(async (opened) => {
    const id = await pickConnection(cmd, opened, connection);
    const lever = await opened.registry.client(id);
    return (await lever.getPosting(ref)) as PostingInput;
  });
}

export function register(program: Command): void {
  const resume = program.command("resume").description("Parse and score resume files with the screening engine (local, deterministic).");

  resume
    .command("parse <file>")
    .description("Read a resume (PDF, DOCX, RTF, HTML or text) and print its status and structured profile as JSON.")
    .option("--as-of <yyyy-mm>", "the month open-ended positions run to (default: this month)")
    .addHelpText(
      "after",
      `
The JSON has: status (parsed, partial, unsupported, image-only, encrypted, corrupt, too-large), message,
flags (hidden-text, prompt-injection, two-column, ocr, latin1-decoded, ...), hiddenText, injections,
and profile (positions, education, skills, certifications, languages, links, totalYears, ...).

Examples:
  fulcrum resume parse cv.pdf
  fulcrum resume parse cv.docx | jq '.profile.skills[].name'
`,
    )
    .action(async (file: string, options: { asOf?: string }, cmd: Command) => {
      const bytes = new Uint8Array(readFileOrExit(cmd, file, "resume file"));
      const asOf = parseAsOf(cmd, options.asOf);
      const parsed = await parseResume(bytes, { filename: basename(file), ...(asOf ? { asOf } : {}) });
      write(
        cmd,
        `${JSON.stringify(
          {
            file: basename(file),
            status: parsed.status,
            format: parsed.format,
            ...(parsed.message ? { message: parsed.message } : {}),
            flags: parsed.flags,
            hiddenText: parsed.hiddenText,
            injections: parsed.injections,
            skills: parsed.profile.skills.map((s) => s.name),
            profile: parsed.profile,
          },
          null,
          2,
        )}\n`,
      );
      if (parsed.status !== "parsed" && parsed.status !== "partial") process.exitCode = 3;
    });

  resume
    .command("score <file>")
    .description("Score a resume against a posting: JSON with a numeric score (0-100), each criterion's evidence, and missing must-haves.")
    .requiredOption("--posting <id|file>", "a Lever posting id (read through the connection) or a JSON/YAML file in Lever's posting shape")
    .option("--rubric <file>", "a recruiter's rubric override (JSON or YAML) instead of the requirements extracted from the posting")
    .option("--approved-by <name>", "who approved the --rubric override (an override scores nobody until approved)")
    .option("--answers <file>", "the application's customQuestions (Lever's shape, JSON) for knock-out criteria")
    .option("--connection <id>", "the Lever connection to read the posting through")
    .option("--as-of <yyyy-mm>", "the month open-ended positions run to (default: this month)")
    .addHelpText(
      "after",
      `
The score is computed by code from per-criterion evidence (met, partly, missing) with quotes that
exist in the resume's visible text; hidden text and instructions aimed at AI reviewers never count.

Examples:
  fulcrum resume score cv.pdf --posting posting.json
  fulcrum resume score cv.pdf --posting 5f2c9a1e-... --connection acme
  fulcrum resume score cv.pdf --posting posting.json --rubric rubric.yaml --approved-by "Dana (TA lead)"
`,
    )
    .action(
      async (
        file: string,
        options: { posting: string; rubric?: string; approvedBy?: string; answers?: string; connection?: string; asOf?: string },
        cmd: Command,
      ) => {
        const bytes = new Uint8Array(readFileOrExit(cmd, file, "resume file"));
        const asOf = parseAsOf(cmd, options.asOf);
        const posting = await loadPosting(cmd, options.posting, options.connection);
        let rubric: Rubric;
        if (options.rubric) {
          if (!options.approvedBy) cmd.error("a rubric override scores nobody until it is approved: add --approved-by <name>", { exitCode: 2 });
          try {
            rubric = {
              ...parseRubricOverride(readStructured(cmd, options.rubric, "rubric file")),
              approvedBy: options.approvedBy,
              approvedAt: new Date().toISOString(),
            };
          } catch (error) {
            if (error instanceof RubricError) cmd.error(`rubric file "${options.rubric}": ${error.message}`, { exitCode: 2 });
            throw error;
          }
        } else rubric = extractRequirements(posting);
        const answers = options.answers ? answersFromCustomQuestions(readStructured(cmd, options.answers, "answers file")) : undefined;
        const parsed = await parseResume(bytes, { filename: basename(file), ...(asOf ? { asOf } : {}) });
        if (parsed.status !== "parsed" && parsed.status !== "partial") {
          process.stderr.write(`fulcrum: ${basename(file)} could not be scored: ${parsed.status}${parsed.message ? ` (${parsed.message})` : ""}\n`);
          process.exitCode = 3;
          return;
        }
        const result = scoreResume(parsed, rubric, { ...(asOf ? { asOf } : {}), ...(answers ? { answers } : {}) });
        write(
          cmd,
          `${JSON.stringify(
            {
              score: result.score,
              tier: result.tier,
              confidence: result.confidence,
              confidenceReasons: result.confidenceReasons,
              missingMustHaves: result.missingMustHaves,
              flags: result.flags,
              engine: result.engine,
              criteria: result.criteria.map((c) => ({
                id: c.criterionId,
                label: c.label,
                kind: c.kind,
                must: c.must,
                weight: c.weight,
                status: c.status,
                reason: c.reason,
                evidence: c.quotes,
              })),
              posting: { id: posting.id, title: posting.text ?? "" },
              rubric: { source: rubric.source, hash: result.rubricHash, ...(rubric.approvedBy ? { approvedBy: rubric.approvedBy } : {}) },
              parse: { status: parsed.status, hiddenText: parsed.hiddenText.length, injections: parsed.injections },
            },
            null,
            2,
          )}\n`,
        );
      },
    );
}

/** `--as-of 2026-10` → { year, month }. */
export function parseAsOf(cmd: Command, raw: string | undefined): { year: number; month: number } | undefined {
  if (!raw) return undefined;
  const m = /^(\d{4})-(\d{1,2})$/.exec(raw);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) cmd.error(`--as-of "${raw}" is not a month like 2026-10`, { exitCode: 2 });
  return { year: Number(m[1]), month: Number(m[2]) };
}
