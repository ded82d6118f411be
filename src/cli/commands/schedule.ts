/**
 * `fulcrum schedule solve [file]`: the exact panel solver over JSON. Reads one request as a JSON
 * object, or many as JSON Lines, from the file or stdin, and prints one JSON line per request in
 * order. A line that is not JSON or not a valid request prints a line with status "error" naming the
 * line and the field, and the lines after it are still solved.
 */
import { createReadStream } from "node:fs";
import type { Command } from "commander";
import { DEFAULT_TIME_LIMIT_MS, PanelRequestError, solvePanel, type SolveOptions } from "../../scheduling/index.ts";
import { requestReschedule } from "../../engine/index.ts";
import { withEngine } from "../engine-session.ts";
import { registerNoShow } from "./schedule-no-show.ts";

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

/** The longest input line (or single pretty-printed request) read, in bytes; a longer line is answered with an error and skipped unread. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** One line of the input: its text, or how long it was when it exceeded the limit (its text then dropped). */
interface InputLine {
  line: number;
  text?: string;
  tooLong?: number;
}

/** One request as read: parsed, or why it could not be. */
interface Item {
  line: number;
  parsed?: unknown;
  error?: string;
}

/** Splits a byte stream into lines as they arrive, keeping at most `maxBytes` of one line. */
async function* linesOf(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let line = 1;
  const take = (): InputLine => {
    const out: InputLine = length > maxBytes ? { line, tooLong: length } : { line, text: Buffer.concat(parts).toString("utf8").replace(/\r$/, "") };
    parts = [];
    length = 0;
    line++;
    return out;
  };
  for await (const raw of source) {
    const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      length += nl - from;
      if (length <= maxBytes) parts.push(chunk.subarray(from, nl));
      yield take();
      from = nl + 1;
    }
    length += chunk.length - from;
    if (length <= maxBytes) parts.push(chunk.subarray(from));
    else parts = [];
  }
  if (length > 0) yield take();
}

function itemOf(input: InputLine, maxBytes: number): Item | undefined {
  if (input.tooLong !== undefined)
    return { line: input.line, error: `line ${input.line} is ${input.tooLong} bytes long, more than the ${maxBytes} one request may take` };
  const raw = input.text!;
  if (!raw.trim()) return undefined;
  try {
    return { line: input.line, parsed: JSON.parse(raw) };
  } catch (error) {
    return { line: input.line, error: `line ${input.line} is not JSON: ${(error as Error).message}` };
  }
}

/**
 * The requests of a stream as they arrive: one per non-blank line (JSON Lines), or, when the first
 * non-blank line is not JSON by itself, the whole input as one (pretty-printed) JSON value if it
 * parses as one and fits in `maxBytes`. Only that first value is ever held whole.
 */
async function* requestsOfStream(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<Item> {
  let held: InputLine[] | undefined;
  let heldBytes = 0;
  let started = false;
  for await (const input of linesOf(source, maxBytes)) {
    if (held) {
      held.push(input);
      heldBytes += (input.text?.length ?? maxBytes) + 1;
      if (heldBytes > maxBytes) {
        for (const h of held) {
          const item = itemOf(h, maxBytes);
          if (item) yield item;
        }
        held = undefined;
      }
      continue;
    }
    const item = itemOf(input, maxBytes);
    if (!item) continue;
    if (!started && item.error !== undefined && input.text !== undefined) {
      held = [input];
      heldBytes = input.text.length + 1;
      started = true;
      continue;
    }
    started = true;
    yield item;
  }
  if (held) {
    try {
      yield { line: 1, parsed: JSON.parse(held.map((h) => h.text ?? "").join("\n")) };
      return;
    } catch {
      // not one JSON value: JSON Lines
    }
    for (const h of held) {
      const item = itemOf(h, maxBytes);
      if (item) yield item;
    }
  }
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
  const counts = { solved: 0, errors: 0 };
  for (const item of requestsOf(text)) answerItem(item, options, write, counts);
  return counts;
}

/**
 * Answers every request of a byte stream, one JSON line each, in order, as the lines arrive: the
 * requests do not accumulate in memory, and a line longer than `maxBytes` is answered with an error
 * naming it (and its length) without being held.
 */
export async function solveStream(
  source: AsyncIterable<Buffer | string>,
  options: SolveOptions,
  write: (line: string) => void,
  maxBytes = MAX_LINE_BYTES,
): Promise<{ solved: number; errors: number }> {
  const counts = { solved: 0, errors: 0 };
  for await (const item of requestsOfStream(source, maxBytes)) answerItem(item, options, write, counts);
  return counts;
}

function answerItem(item: Item, options: SolveOptions, write: (line: string) => void, counts: { solved: number; errors: number }): void {
  {
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
            ? ({
                id: answer.id,
                status: "error",
                line: item.line,
                message: `line ${item.line}: ${answer.reason ?? "not solved"}`,
                reason: answer.reason,
                solveMs: answer.solveMs,
              } satisfies ErrorLine)
            : answer;
      } catch (error) {
        if (!(error instanceof PanelRequestError)) throw error;
        const field = error.field;
        out = {
          id: idOf(item.parsed),
          status: "error",
          line: item.line,
          ...(field ? { field } : {}),
          message: `line ${item.line}: ${error.message}`,
        } satisfies ErrorLine;
      }
    }
    if ((out as { status: string }).status === "error") counts.errors++;
    else counts.solved++;
    write(`${JSON.stringify(out)}\n`);
  }
}

export function register(program: Command): void {
  const schedule = program
    .command("schedule")
    .description("Interview scheduling: the exact panel solver, asking to move a booked panel, and marking a no-show.");
  registerNoShow(schedule);
  schedule
    .command("reschedule <opportunity>")
    .description(
      "The candidate asked to cancel or move: re-plan every booked panel of the opportunity (the interview-rescheduling workflow proposes new times).",
    )
    .option("--connection <id>", "the Lever connection of the opportunity", "default")
    .option("--reason <text>", "what the candidate said, shown with the proposal")
    .addHelpText(
      "after",
      `
Stores one candidate.reschedule event (source calendar) per booked panel of the opportunity; asking
again before the panel is re-booked stores nothing new. With the embedded database, run it while
fulcrum serve is stopped, or use the API of a running server.

Example:
  fulcrum schedule reschedule 4f1c… --reason "the candidate is travelling that week"
`,
    )
    .action(async (opportunity: string, o: { connection: string; reason?: string }, cmd: Command) => {
      if (o.reason !== undefined && o.reason.length > 500) cmd.error("--reason is longer than 500 characters", { exitCode: 2 });
      const panels = await withEngine(({ db, inbox }) => requestReschedule({ db, inbox }, o.connection, opportunity, o.reason));
      if (panels.length === 0)
        cmd.error(`opportunity ${opportunity} has no booked panel on connection "${o.connection}": nothing to reschedule`, { exitCode: 1 });
      process.stdout.write(`${panels.map((p) => `reschedule requested for panel ${p}`).join("\n")}\n`);
    });
  schedule
    .command("solve [file]")
    .description("Solve panel requests: one JSON object or JSON Lines from the file or stdin; one JSON answer line per request, in order.")
    .option("--alternatives <k>", "also return up to k next-best schedules (other start times) in an `alternatives` field", "0")
    .option("--alternatives-on <start|day>", "alternatives at other start times, or at most one per day", "start")
    .option(
      "--time-limit-ms <ms>",
      'the most time one request\'s search may take; past it the request is answered status "error" with a reason',
      String(DEFAULT_TIME_LIMIT_MS),
    )
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
      if (o.alternativesOn !== "start" && o.alternativesOn !== "day")
        cmd.error(`--alternatives-on "${o.alternativesOn}" is neither start nor day`, { exitCode: 2 });
      const timeLimitMs = Number(o.timeLimitMs);
      if (!Number.isInteger(timeLimitMs) || timeLimitMs < 1 || timeLimitMs > 3_600_000)
        cmd.error(`--time-limit-ms "${o.timeLimitMs}" is not a whole number of milliseconds from 1 to 3600000`, { exitCode: 2 });
      const options: SolveOptions = { timeLimitMs, ...(k > 0 ? { alternatives: k, alternativesOn: o.alternativesOn as "start" | "day" } : {}) };
      const out: string[] = [];
      const source: AsyncIterable<Buffer> = file && file !== "-" ? createReadStream(file) : process.stdin;
      try {
        // Written in blocks so a long batch does not make one write per line.
        await solveStream(source, options, (line) => {
          out.push(line);
          if (out.length >= 64) process.stdout.write(out.splice(0).join(""));
        });
      } catch (error) {
        if (out.length) process.stdout.write(out.splice(0).join(""));
        const code = (error as NodeJS.ErrnoException).code;
        if (!code) throw error;
        return cmd.error(`requests ${file && file !== "-" ? `file "${file}"` : "on stdin"} cannot be read: ${code}`, { exitCode: 2 });
      }
      if (out.length) process.stdout.write(out.join(""));
    });
}
