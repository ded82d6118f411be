/**
 * Writes the labelled interview corpus from `source/*.txt`: each source is a hand-written
 * interview in a small markup, turned into the transcript file a platform would supply (WebVTT with
 * voices or "Name:" prefixes, SRT without speakers, JSON segments with or without speakers), its
 * question file, and the labels in `labels.json`.
 *
 * Markup, after a header of `key: value` lines and `---`:
 *   `I: …`      the interviewer (small talk, acknowledgements, off-script questions)
 *   `I2: …`     a second interviewer
 *   `I q-id: …` / `I2 q-id: …` the interviewer asking question q-id of the set (paraphrased)
 *   `I+: …`     a follow-up: the answer to the last set question goes on after it
 *   `C: …`      the candidate
 * The label of an asked question is the start time of its line; its answer span runs from the
 * candidate's first line after it to the candidate's last line before the next interviewer line
 * that is not a follow-up — a bare back-channel ("I: mhm", "I: okay") with the candidate going
 * straight on does not end it, as the writers meant (round eleven's writers were not told to
 * mark those `I+`). Times are made at 2.6 words a second with 0.6 s between lines. A header
 * line `heldout: yes` marks an interview written after the local engine was tuned and never used
 * to tune it (`heldOut` in the labels), so the benchmark can report both figures; `round: n` says
 * which batch of held-out interviews it came in (each batch written before the matcher changes that
 * followed it), so the benchmark can report the newest batch, never yet tuned against, on its own.
 * Each interview's `roles` string says who speaks each cue (I or C), for `bench:speaker-roles`.
 *
 * Run: node bench/corpus/interviews/generate.ts
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

interface Line {
  who: "I" | "I2" | "C";
  asks?: string;
  followUp: boolean;
  text: string;
}

interface Cue {
  start: number;
  end: number;
  text: string;
  speaker: string;
}

function parseSource(text: string) {
  const [head, body] = text.split(/\n---\n/);
  const meta = new Map<string, string>();
  const questions: { id: string; text: string }[] = [];
  for (const line of head!.split("\n")) {
    const m = /^([\w-]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1]!.startsWith("q-")) questions.push({ id: m[1]!, text: m[2]! });
    else meta.set(m[1]!, m[2]!);
  }
  const lines: Line[] = body!
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^(I2|I|C)(\+)?(?: (q-[\w-]+))?:\s*(.*)$/.exec(l);
      if (!m) throw new Error(`cannot read line: ${l}`);
      return { who: m[1] as Line["who"], followUp: m[2] === "+", ...(m[3] ? { asks: m[3] } : {}), text: m[4]! };
    });
  return { meta, questions, lines };
}

/** A back-channel: an interviewer line of at most three words that only acknowledges. */
function isBackChannel(line: Line): boolean {
  if (line.who === "C" || line.asks) return false;
  const words = line.text
    .toLowerCase()
    .replace(/[^a-z\s-]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  return (
    words.length > 0 && words.length <= 3 && words.every((w) => /^(?:m+-?h+m+|mhm+|mm+|uh-?huh|okay|ok|yeah|yep|yes|right|sure|i|see|got|it|go|on|ah)$/.test(w))
  );
}

/** Long candidate lines become several cues, cut at sentence ends, as captioning tools do. */
function cueTexts(line: Line): string[] {
  const words = line.text.split(/\s+/).length;
  if (line.who !== "C" || words <= 35) return [line.text];
  const sentences = line.text.match(/[^.!?]+[.!?]+/g) ?? [line.text];
  const out: string[] = [];
  let cur = "";
  for (const s of sentences) {
    if (cur && (cur + s).split(/\s+/).length > 30) {
      out.push(cur.trim());
      cur = "";
    }
    cur += s;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function stamp(seconds: number, sep: "." | ","): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`;
}

const labels: unknown[] = [];
for (const file of readdirSync(join(here, "source"))
  .filter((f) => f.endsWith(".txt"))
  .sort()) {
  const name = file.replace(/\.txt$/, "");
  const { meta, questions, lines } = parseSource(readFileSync(join(here, "source", file), "utf8"));
  const speakerOf = (who: Line["who"]) => (who === "C" ? meta.get("candidate")! : who === "I2" ? meta.get("interviewer2")! : meta.get("interviewer")!);
  const cues: Cue[] = [];
  const lineCues: Cue[][] = [];
  let t = 0.5;
  for (const line of lines) {
    const own: Cue[] = [];
    for (const text of cueTexts(line)) {
      const duration = Math.round((text.split(/\s+/).length / 2.6) * 10) / 10 + 0.4;
      own.push({ start: t, end: Math.round((t + duration) * 1000) / 1000, text, speaker: speakerOf(line.who) });
      t = Math.round((t + duration + 0.6) * 1000) / 1000;
    }
    cues.push(...own);
    lineCues.push(own);
  }
  const found: Record<string, { asked: number | null; answer: [number, number] | null }> = {};
  for (const q of questions) found[q.id] = { asked: null, answer: null };
  for (const [i, line] of lines.entries()) {
    if (!line.asks) continue;
    let first: Cue | undefined;
    let last: Cue | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!;
      // A bare back-channel ("mhm", "okay") in the middle of an answer, the candidate going straight on, is not the interviewer moving on.
      if (next.who !== "C" && !next.followUp && !(isBackChannel(next) && lines[j + 1]?.who === "C")) break;
      if (next.who === "C") {
        first ??= lineCues[j]![0];
        last = lineCues[j]!.at(-1);
      }
    }
    found[line.asks] = { asked: lineCues[i]![0]!.start, answer: first && last ? [first.start, last.end] : null };
  }
  const format = meta.get("format")!;
  let transcriptFile: string;
  if (format.startsWith("vtt")) {
    transcriptFile = `${name}.vtt`;
    const body = cues
      .map((c) => `${stamp(c.start, ".")} --> ${stamp(c.end, ".")}\n${format === "vtt-voices" ? `<v ${c.speaker}>${c.text}</v>` : `${c.speaker}: ${c.text}`}`)
      .join("\n\n");
    writeFileSync(join(here, transcriptFile), `WEBVTT\n\n${body}\n`);
  } else if (format === "srt") {
    transcriptFile = `${name}.srt`;
    writeFileSync(join(here, transcriptFile), `${cues.map((c, i) => `${i + 1}\n${stamp(c.start, ",")} --> ${stamp(c.end, ",")}\n${c.text}`).join("\n\n")}\n`);
  } else {
    transcriptFile = `${name}.json`;
    const segments = cues.map((c) => ({ start: c.start, end: c.end, text: c.text, ...(format === "json" ? { speaker: c.speaker } : {}) }));
    writeFileSync(join(here, transcriptFile), `${JSON.stringify({ segments }, null, 1)}\n`);
  }
  const questionsFile = `${name}.questions.${meta.get("questions-format") ?? "json"}`;
  writeFileSync(
    join(here, questionsFile),
    questionsFile.endsWith(".yaml")
      ? questions.map((q) => `- id: ${q.id}\n  text: ${JSON.stringify(q.text)}\n`).join("")
      : `${JSON.stringify(questions, null, 2)}\n`,
  );
  labels.push({
    name,
    ...(meta.get("heldout") === "yes" ? { heldOut: true } : {}),
    ...(meta.has("round") ? { round: Number(meta.get("round")) } : {}),
    transcript: transcriptFile,
    questions: questionsFile,
    // Who says each cue, in order: I (an interviewer) or C (the candidate), to measure speaker labelling.
    roles: lineCues.map((own, i) => (lines[i]!.who === "C" ? "C" : "I").repeat(own.length)).join(""),
    labels: found,
  });
}
writeFileSync(
  join(here, "labels.json"),
  `${JSON.stringify({ note: "Written by hand in source/; regenerate with node bench/corpus/interviews/generate.ts", interviews: labels }, null, 2)}\n`,
);
console.log(`wrote ${labels.length} interviews`);
