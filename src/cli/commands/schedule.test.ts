import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { solveLines, solveStream } from "./schedule.ts";
import { generateRequest } from "../../scheduling/solver/testing.ts";
import { runFulcrumMain } from "../../../test/support/fulcrum-cli.ts";

/** `fulcrum <args>` reading `stdin`, run by the binary's main() in this process (a process per command costs seconds). */
function fulcrum(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runFulcrumMain(args, { env: { ...process.env, FULCRUM_LOG_LEVEL: "silent" }, stdin: stdin ?? "" });
}

const REQUEST = {
  id: "r1",
  candidate: { timezone: "Europe/Berlin" },
  window: { start: "2026-05-11T00:00:00+02:00", end: "2026-05-12T00:00:00+02:00" },
  granularityMinutes: 15,
  maxGapMinutes: 30,
  bufferMinutes: 10,
  sessions: [
    { id: "hm", title: "Hiring manager", minutes: 45, need: 1, pool: ["ana"] },
    { id: "tech", title: "Technical", minutes: 60, need: 1, pool: ["bo"] },
  ],
  interviewers: [
    {
      id: "ana",
      email: "ana@example.com",
      timezone: "Europe/Berlin",
      workingHours: { mon: [["09:00", "17:00"]] },
      maxSessions: 1,
      busy: [{ start: "2026-05-11T09:00:00+02:00", end: "2026-05-11T10:00:00+02:00", status: "busy" }],
    },
    { id: "bo", email: "bo@example.com", timezone: "America/New_York", workingHours: { mon: [["08:00", "16:00"]] }, maxSessions: 1, busy: [] },
  ],
};

function lines(text: string): Record<string, unknown>[] {
  const out: string[] = [];
  solveLines(text, {}, (line) => out.push(line));
  return out.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("fulcrum schedule solve", () => {
  it("answers one pretty-printed JSON object with one line", () => {
    const [answer, ...rest] = lines(JSON.stringify(REQUEST, null, 2));
    assert.equal(rest.length, 0);
    assert.equal(answer!.id, "r1");
    assert.equal(answer!.status, "scheduled");
    // bo starts at 08:00 in New York, 12:00Z; ana's session ends at most 30 minutes before.
    assert.equal(answer!.firstStart, "2026-05-11T10:45:00Z");
    assert.deepEqual(Object.keys(answer!), ["id", "status", "sessions", "firstStart", "totalGapMinutes", "solveMs"]);
  });

  it("answers JSON Lines in order; a malformed line gets an error naming the line and field, the rest are solved", () => {
    const bad = { ...REQUEST, id: "r3", sessions: [{ ...REQUEST.sessions[0], need: 0 }] };
    const input = [
      JSON.stringify(REQUEST),
      "{not json",
      "",
      JSON.stringify(bad),
      JSON.stringify({ ...REQUEST, id: "r5", candidate: { timezone: "Nowhere/Else" } }),
      "[1,2]",
      JSON.stringify({ ...REQUEST, id: "r7" }),
    ].join("\n");
    const out = lines(input);
    assert.deepEqual(
      out.map((o) => [o.id, o.status]),
      [
        ["r1", "scheduled"],
        [null, "error"],
        ["r3", "error"],
        ["r5", "error"],
        [null, "error"],
        ["r7", "scheduled"],
      ],
    );
    assert.equal(out[1]!.line, 2);
    assert.match(String(out[1]!.message), /^line 2 is not JSON/);
    assert.equal(out[2]!.field, "sessions[0].need");
    assert.match(String(out[2]!.message), /^line 4: sessions\[0\]\.need/);
    assert.equal(out[3]!.field, "candidate.timezone");
    assert.match(String(out[4]!.message), /line 6: a request is a JSON object/);
  });

  it("runs as a command: stdin or a file, --alternatives, and --help that describes the contract", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fulcrum-schedule-"));
    try {
      const file = join(dir, "requests.jsonl");
      writeFileSync(file, `${JSON.stringify(REQUEST)}\n${JSON.stringify({ ...REQUEST, id: "r2" })}\n`);
      const fromFile = await fulcrum(["schedule", "solve", file, "--alternatives", "2"]);
      assert.equal(fromFile.code, 0, fromFile.stderr);
      const answers = fromFile.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: string; alternatives: { firstStart: string }[] });
      assert.deepEqual(
        answers.map((a) => a.id),
        ["r1", "r2"],
      );
      assert.deepEqual(
        answers[0]!.alternatives.map((a) => a.firstStart),
        ["2026-05-11T11:00:00Z", "2026-05-11T11:15:00Z"],
      );
      const fromStdin = await fulcrum(["schedule", "solve"], `${JSON.stringify(REQUEST)}\nnope\n`);
      assert.equal(fromStdin.code, 0, fromStdin.stderr);
      assert.deepEqual(
        fromStdin.stdout
          .trim()
          .split("\n")
          .map((l) => (JSON.parse(l) as { status: string }).status),
        ["scheduled", "error"],
      );
      const help = await fulcrum(["schedule", "solve", "--help"]);
      assert.equal(help.code, 0);
      for (const word of [
        "JSON Lines",
        "granularityMinutes",
        "maxGapMinutes",
        "bufferMinutes",
        "workingHours",
        "maxSessions",
        "totalGapMinutes",
        '"status": "error"',
        "--alternatives",
      ])
        assert.ok(help.stdout.includes(word), word);
      const missing = await fulcrum(["schedule", "solve", join(dir, "absent.json")]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot be read: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--time-limit-ms: a request whose optimum is not proven in time is an error line with the reason; the next is solved", async () => {
    const hard = generateRequest(90 * 7 + 100_000, {
      days: 10,
      interviewers: 40,
      sessions: 8,
      granularityMinutes: [5],
      sessionMinutes: [30, 45, 60],
      maxNeed: 2,
      poolSlack: 6,
      busyPerDay: 4,
    });
    // The hard request takes 250-400 ms in a fresh process; the small one a millisecond or two.
    const run = await fulcrum(["schedule", "solve", "--time-limit-ms", "40"], `${JSON.stringify(hard)}\n${JSON.stringify(REQUEST)}\n`);
    assert.equal(run.code, 0, run.stderr);
    const [first, second] = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(first!.id, hard.id);
    assert.equal(first!.status, "error");
    assert.equal(first!.line, 1);
    assert.equal(first!.reason, "time limit of 40 ms reached before the optimum was proven");
    assert.equal(first!.message, "line 1: time limit of 40 ms reached before the optimum was proven");
    assert.equal(first!.sessions, undefined);
    assert.equal(second!.status, "scheduled");
    const bad = await fulcrum(["schedule", "solve", "--time-limit-ms", "0"], JSON.stringify(REQUEST));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--time-limit-ms "0"/);
  });

  it("reads a stream line by line: each answer is written before the next line arrives", async () => {
    const written: string[] = [];
    const seenBefore: number[] = [];
    async function* source(): AsyncGenerator<Buffer> {
      for (const id of ["a", "b", "c"]) {
        seenBefore.push(written.length);
        yield Buffer.from(`${JSON.stringify({ ...REQUEST, id })}\n`);
      }
    }
    const counts = await solveStream(source(), {}, (line) => written.push(line));
    assert.deepEqual(counts, { solved: 3, errors: 0 });
    assert.deepEqual(seenBefore, [0, 1, 2]);
    assert.deepEqual(
      written.map((l) => (JSON.parse(l) as { id: string }).id),
      ["a", "b", "c"],
    );
  });

  it("streams: lines split across chunks and CRLF, a pretty-printed object, and a line over the cap answered as an error naming it", async () => {
    const run = async (chunks: string[], maxBytes?: number) => {
      const out: string[] = [];
      await solveStream(
        (async function* () {
          for (const c of chunks) yield Buffer.from(c);
        })(),
        {},
        (l) => out.push(l),
        maxBytes,
      );
      return out.map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const one = JSON.stringify(REQUEST);
    const split = await run([one.slice(0, 10), `${one.slice(10)}\r\n\r\n${one.slice(0, 50)}`, `${one.slice(50)}\r\nnope`]);
    assert.deepEqual(
      split.map((o) => [o.status, o.line ?? null]),
      [
        ["scheduled", null],
        ["scheduled", null],
        ["error", 4],
      ],
    );
    const pretty = await run([JSON.stringify(REQUEST, null, 2)]);
    assert.deepEqual(
      pretty.map((o) => o.status),
      ["scheduled"],
    );
    const long = JSON.stringify({ ...REQUEST, id: "long", padding: "x".repeat(5_000) });
    const capped = await run([`${one}\n${long.slice(0, 3000)}`, `${long.slice(3000)}\n${one}\n`], 4_000);
    assert.deepEqual(
      capped.map((o) => o.status),
      ["scheduled", "error", "scheduled"],
    );
    assert.equal(capped[1]!.line, 2);
    assert.equal(capped[1]!.message, `line 2 is ${Buffer.byteLength(long)} bytes long, more than the 4000 one request may take`);
  });
});
