import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { detectTranscriptFormat, parseJsonTranscript, parseSrt, parseTimestamp, parseTranscriptFile, parseWebVtt } from "./transcript-files.ts";

const vttVoices = `WEBVTT
Kind: captions
Language: en

NOTE exported by a one-way video platform

1
00:00:01.000 --> 00:00:04.500 align:start
<v Maya Okonkwo>Tell me about a time you led a migration.</v>

2
00:00:05.000 --> 00:00:09.250
<v.candidate Sam Lee>We moved forty services &amp; their data
over three months.</v>

00:01:10.000 --> 00:01:12.000
<v Maya Okonkwo>Thanks.</v>
<v Sam Lee>You're <i>welcome</i>.</v>
`;

describe("WebVTT transcripts", () => {
  it("takes speakers from <v> voices, joins wrapped lines and splits a cue with two voices", () => {
    const t = parseWebVtt(vttVoices, "call.vtt");
    assert.equal(t.language, "en");
    assert.deepEqual(
      t.segments.map((s) => [s.start, s.end, s.speaker, s.text]),
      [
        [1, 4.5, "Maya Okonkwo", "Tell me about a time you led a migration."],
        [5, 9.25, "Sam Lee", "We moved forty services & their data over three months."],
        [70, 72, "Maya Okonkwo", "Thanks."],
        [70, 72, "Sam Lee", "You're welcome."],
      ],
    );
    assert.equal(t.durationSeconds, 72);
    assert.equal(t.engine, "transcript");
    assert.match(t.text, /^Tell me about a time .* You're welcome\.$/);
  });

  it("takes speakers from Name: prefixes when there are no voices, and leaves plain text speakerless", () => {
    const t = parseWebVtt(`WEBVTT

00:00.500 --> 00:02.000
Interviewer: Walk me through your last project.

00:02.000 --> 00:06.000
Ana María Gómez: Sure, it was a billing system.

00:06.000 --> 00:07.000
it took a year, roughly: twelve months
`);
    assert.deepEqual(
      t.segments.map((s) => [s.start, s.speaker, s.text]),
      [
        [0.5, "Interviewer", "Walk me through your last project."],
        [2, "Ana María Gómez", "Sure, it was a billing system."],
        [6, undefined, "it took a year, roughly: twelve months"],
      ],
    );
  });

  it("refuses a cue whose end is before its start, naming the line", () => {
    assert.throws(
      () => parseWebVtt("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nhello\n", "bad.vtt"),
      (e: unknown) => e instanceof InterviewMediaError && e.status === "transcript-invalid" && /bad\.vtt", line 3: the cue ends/.test(e.message),
    );
  });

  it("refuses unreadable times", () => {
    assert.throws(() => parseWebVtt("WEBVTT\n\n00:00:xx --> 00:00:01.000\nhello\n"), /cannot read the times/);
  });
});

describe("SRT transcripts", () => {
  it("reads numbered cues with comma milliseconds, drops tags, and has no speakers", () => {
    const t = parseSrt(`1
00:00:01,000 --> 00:00:03,200
<i>Hello</i> and welcome.

2
00:00:03,500 --> 00:00:06,000
{\\an8}Interviewer: thanks for
joining us today.
`);
    assert.deepEqual(
      t.segments.map((s) => [s.start, s.end, s.text, s.speaker]),
      [
        [1, 3.2, "Hello and welcome.", undefined],
        [3.5, 6, "Interviewer: thanks for joining us today.", undefined],
      ],
    );
  });
});

describe("JSON segment transcripts", () => {
  it("reads a bare array with speakers and string times", () => {
    const t = parseJsonTranscript(
      JSON.stringify([
        { start: "00:00:02.000", end: "00:00:03.000", text: " second ", speaker: 2 },
        { start: 0, end: 1.5, text: "first", speaker_label: "A" },
      ]),
    );
    assert.deepEqual(t.segments, [
      { start: 0, end: 1.5, text: "first", speaker: "A" },
      { start: 2, end: 3, text: "second", speaker: "2" },
    ]);
  });

  it("reads an OpenAI verbose_json answer, language name to code", () => {
    const t = parseJsonTranscript(
      JSON.stringify({ task: "transcribe", language: "english", duration: 3, text: "hi there", segments: [{ id: 0, start: 0, end: 3, text: " hi there" }] }),
    );
    assert.equal(t.language, "en");
    assert.equal(t.segments[0]!.text, "hi there");
  });

  it("names the field that is wrong", () => {
    assert.throws(
      () =>
        parseJsonTranscript(
          JSON.stringify({
            segments: [
              { start: 0, end: 1, text: "ok" },
              { start: 4, end: 2, text: "bad" },
            ],
          }),
          "t.json",
        ),
      (e: unknown) => e instanceof InterviewMediaError && /t\.json", at segments\.1: ends \(2\) before it starts \(4\)/.test(e.message),
    );
    assert.throws(() => parseJsonTranscript("{nope", "t.json"), /is not valid JSON/);
  });
});

describe("format detection", () => {
  it("recognises each format by content and refuses anything else", () => {
    assert.equal(detectTranscriptFormat("\uFEFFWEBVTT\n\n"), "vtt");
    assert.equal(detectTranscriptFormat("1\n00:00:01,000 --> 00:00:02,000\nx\n"), "srt");
    assert.equal(detectTranscriptFormat(' {"segments": []}'), "json");
    assert.equal(detectTranscriptFormat("just some notes"), null);
    assert.throws(() => parseTranscriptFile("just some notes", "notes.txt"), /is not WebVTT/);
  });

  it("reads timestamps in every accepted form", () => {
    assert.equal(parseTimestamp("01:02:03.5"), 3723.5);
    assert.equal(parseTimestamp("02:03,250"), 123.25);
    assert.equal(parseTimestamp("2:3"), null);
  });
});
