/**
 * `fulcrum schedule solve [file]`: the exact panel solver over JSON. Reads one request as a JSON
 * object, or many as JSON Lines, from the file or stdin, and prints one JSON line per request in
 * order. A line that is not JSON or not a valid request prints a line with status "error" naming the
 * line and the field, and the lines after it are still solved.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { DEFAULT_TIME_LIMIT_MS, PanelRequestError, solvePanel, type SolveOptions } from "../../scheduling/index.ts";

/** One answer line for a request that could not be solved as written. */
interface ErrorLine {
  id: string | number | null;
  status: "error";
  line: number;
  field?: string;
  message: string;
  /** Only when the time limit ran out before the optimum was proven. */
  reason?: string;
  solveMs?: number;
}

/** Splits the input into requests: the whole text when it is one JSON value, otherwise one per non-blank line. */
function requestsOf(text: string): { line: number; parsed?: unknown; error?: string }[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  try {
    return [{ line: 1, parsed: JSON.parse(trimmed) }];
  } catch {
    // not one JSON value: JSON Lines
  }
  const out: { line: number; parsed?: unknown; error?: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      out.push({ line: i + 1, parsed: JSON.parse(raw) });
    } catch (error) {
      out.push({ line: i + 1, error: `line ${i + 1} is not JSON: ${(error as Error).message}` });
    }
  });
  return out;
}

function idOf(value: unknown): string | number | null {
  const id = value && typeof value === "object" ? (value as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/** Answers every request of `text`, one JSON line each, in order. */
export function solveLines(text: string, options: SolveOptions, write: (line: string) => void): { solved: number; errors: number } {
  let solved = 0;
  let errors = 0;
  for (const item of requestsOf(text)) {
    let out: unknown;
    if (item.error !== undefined) {
      out = { id: null, status: "error", line: item.line, message: item.error } satisfies ErrorLine;
    } else if (!item.parsed || typeof item.parsed !== "object" || Array.isArray(item.parsed)) {
      out = { id: null, status: "error", line: item.line, message: `line ${item.line}: a request is a JSON object` } satisfies ErrorLine;
    } else {
      try {
        const answer = solvePanel(item.parsed, options);
        out =
          answer.status === "error"
            ? ({ id: answer.id, status: "error", line: item.line, message: `line ${item.line}: ${answer.reason ?? "not solved"}`, reason: answer.reason, solveMs: answer.solveMs } satisfies ErrorLine)
            : answer;
      } catch (error) {
        if (!(error instanceof PanelRequestError)) throw error;
        const field = error.field;
        out = { id: idOf(item.parsed), status: "error", line: item.line, ...(field ? { field } : {}), message: `line ${item.line}: ${error.message}` } satisfies ErrorLine;
      }
    }
    if ((out as { status: string }).status === "error") errors++;
    else solved++;
    write(`${JSON.stringify(out)}\n`);
  }
  return { solved, errors };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function register(program: Command): void {
  const schedule = program.command("schedule").description("Interview scheduling: the exact panel solver.");
  schedule
    .command("solve [file]")
    .description("Solve panel requests: one JSON object or JSON Lines from the file or stdin; one JSON answer line per request, in order.")
    .option("--alternatives <k>", "also return up to k next-best schedules (other start times) in an `alternatives` field", "0")
    .option("--alternatives-on <start|day>", "alternatives at other start times, or at most one per day", "start")
    .option("--time-limit-ms <ms>", "the most time one request's search may take; past it the request is answered status \"error\" with a reason", String(DEFAULT_TIME_LIMIT_MS))
    .addHelpText(
      "after",
      `
A request (times ISO 8601; all-day events' start and end are dates, end exclusive, in the owner's zone):
  { "id": "r1", "candidate": { "timezone": "Europe/Berlin" },
    "window": { "start": "2026-03-09T00:00:00+01:00", "end": "2026-03-14T00:00:00+01:00" },
    "granularityMinutes": 15, "maxGapMinutes": 30, "bufferMinutes": 10,
    "sessions": [{ "id": "hm", "title": "Hiring manager", "minutes": 45, "need": 1, "pool": ["ana"] }],
    "interviewers": [{ "id": "ana", "email": "ana@example.com", "timezone": "Europe/Berlin",
      "workingHours": { "mon": [["09:00", "17:00"]] }, "maxSessions": 1,
      "busy": [{ "start": "2026-03-09T09:00:00+01:00", "end": "2026-03-09T10:00:00+01:00", "status": "busy" }] }] }

An answer (times ISO 8601 UTC):
  { "id": "r1", "status": "scheduled" | "infeasible", "sessions": [{ "id", "start", "end", "interviewers" }],
    "firstStart", "totalGapMinutes", "solveMs", "reason"? }
A line that is not JSON or not a valid request is answered
  { "id", "status": "error", "line", "field"?, "message" } and the following lines are still solved;
a request whose optimum is not proven within --time-limit-ms is answered
  { "id", "status": "error", "line", "message", "reason": "time limit of N ms reached before the optimum was proven", "solveMs" }.
Exit status 0 once every request is answered (errors included), 2 when the input cannot be read.

Examples:
  fulcrum schedule solve request.json
  cat requests.jsonl | fulcrum schedule solve --alternatives 2
`,
    )
    .action(async (file: string | undefined, o: { alternatives: string; alternativesOn: string; timeLimitMs: string }, cmd: Command) => {
      const k = Number(o.alternatives);
      if (!Number.isInteger(k) || k < 0 || k > 50) cmd.error(`--alternatives "${o.alternatives}" is not a whole number from 0 to 50`, { exitCode: 2 });
      if (o.alternativesOn !== "start" && o.alternativesOn !== "day") cmd.error(`--alternatives-on "${o.alternativesOn}" is neither start nor day`, { exitCode: 2 });
      const timeLimitMs = Number(o.timeLimitMs);
      if (!Number.isInteger(timeLimitMs) || timeLimitMs < 1 || timeLimitMs > 3_600_000) cmd.error(`--time-limit-ms "${o.timeLimitMs}" is not a whole number of milliseconds from 1 to 3600000`, { exitCode: 2 });
      let text: string;
      try {
        text = file && file !== "-" ? readFileSync(file, "utf8") : await readStdin();
      } catch (error) {
        return cmd.error(`requests file "${file}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { exitCode: 2 });
      }
      const options: SolveOptions = { timeLimitMs, ...(k > 0 ? { alternatives: k, alternativesOn: o.alternativesOn as "start" | "day" } : {}) };
      const out: string[] = [];
      // Written in blocks so a long batch does not make one write per line.
      solveLines(text, options, (line) => {
        out.push(line);
        if (out.length >= 64) process.stdout.write(out.splice(0).join(""));
      });
      if (out.length) process.stdout.write(out.join(""));
    });
}
