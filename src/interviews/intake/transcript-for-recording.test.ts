import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InterviewMediaError } from "../errors.ts";
import { ffmpegSync, hasCommand } from "../testing-media.ts";
import type { TranscriptionEngine } from "../transcribe/engine.ts";
import type { MediaFetchPolicy } from "./fetch-media.ts";
import { transcriptForRecording } from "./transcript-for-recording.ts";

const haveFfmpeg = hasCommand("ffmpeg") && hasCommand("ffprobe");
const lookup = ((host: string, _o: unknown, cb: (e: Error | null, a: LookupAddress[]) => void) =>
  cb(null, [{ address: "127.0.0.1", family: 4 }])) as unknown as MediaFetchPolicy["lookup"];

let server: Server;
let port: number;
let dir: string;
let requests = 0;

/** Reports the length of what it is given, so the test sees the media really went through. */
const engine: TranscriptionEngine = {
  name: "measuring",
  maxChunkSeconds: 600,
  transcribeWav: async (_wav, o) => ({ language: "en", segments: [{ start: 0, end: o.durationSeconds, text: `heard ${o.durationSeconds.toFixed(1)} s` }] }),
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "recording-"));
  if (haveFfmpeg) ffmpegSync(["-f", "lavfi", "-i", "sine=frequency=300:duration=2", "-c:a", "libvorbis", join(dir, "answer.ogg")]);
  server = createServer((req, res) => {
    requests += 1;
    if (req.url === "/talk.json") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(JSON.stringify({ segments: [{ start: 0, end: 2.5, text: "Tell me about a project you led.", speaker: "Interviewer" }] }));
    } else if (req.url === "/expired.vtt") {
      res.writeHead(200, { "content-type": "text/vtt" });
      res.end("<html><body>This link has expired.</body></html>");
    } else if (req.url === "/answer.ogg") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(readFileSync(join(dir, "answer.ogg")));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

const fetchPolicy = (): MediaFetchPolicy => ({ allowedHosts: ["media.test"], insecureHosts: ["media.test"], lookup });

describe("the transcript for a recording", () => {
  it("uses the platform's transcript as it is, without fetching the media", async () => {
    requests = 0;
    const r = await transcriptForRecording(
      { mediaUrl: `http://media.test:${port}/answer.ogg`, transcript: "WEBVTT\n\n00:00.000 --> 00:01.500\n<v Ann>Hello</v>\n" },
      { fetchPolicy: fetchPolicy(), engine },
    );
    assert.equal(r.source, "platform-transcript");
    assert.deepEqual(r.transcript.segments, [{ start: 0, end: 1.5, text: "Hello", speaker: "Ann" }]);
    assert.equal(requests, 0);
  });

  it("transcribes the media when the platform's transcript is unreadable, says why, and deletes the download", {
    skip: haveFfmpeg ? false : "ffmpeg not installed (Debian package ffmpeg)",
  }, async () => {
    const work = mkdtempSync(join(tmpdir(), "recording-work-"));
    const r = await transcriptForRecording(
      { mediaUrl: `http://media.test:${port}/answer.ogg`, transcript: "WEBVTT\n\n00:00:09.000 --> 00:00:01.000\nbackwards\n" },
      { fetchPolicy: fetchPolicy(), engine, workDir: work },
    );
    assert.equal(r.source, "media");
    assert.match(r.transcriptProblem ?? "", /the cue ends/);
    assert.equal(r.transcript.segments[0]!.text, "heard 2.0 s");
    assert.deepEqual(readdirSync(work), [], "media and audio removed");
  });

  it("fetches the platform's transcript by URL and uses it without fetching the media", async () => {
    requests = 0;
    const r = await transcriptForRecording(
      { mediaUrl: `http://media.test:${port}/answer.ogg`, transcriptUrl: `http://media.test:${port}/talk.json` },
      { fetchPolicy: fetchPolicy(), engine },
    );
    assert.equal(r.source, "platform-transcript");
    assert.equal(r.transcriptFrom, `http://media.test:${port}/…`);
    assert.deepEqual(r.transcript.segments, [{ start: 0, end: 2.5, text: "Tell me about a project you led.", speaker: "Interviewer" }]);
    assert.equal(requests, 1, "only the transcript was requested");
  });

  it("refuses a transcript URL that serves no transcript when there is no recording, and one off the allow-list", async () => {
    await assert.rejects(
      transcriptForRecording({ transcriptUrl: `http://media.test:${port}/expired.vtt` }, { fetchPolicy: fetchPolicy(), engine }),
      (e: unknown) => e instanceof InterviewMediaError && e.status === "transcript-invalid" && /not WebVTT, SRT or JSON/.test(e.message),
    );
    await assert.rejects(
      transcriptForRecording({ transcriptUrl: "https://elsewhere.test/t.vtt" }, { fetchPolicy: fetchPolicy(), engine }),
      (e: unknown) => e instanceof InterviewMediaError && e.status === "blocked" && /transcript host elsewhere\.test/.test(e.message),
    );
  });

  it("falls back to the recording when the transcript URL serves no transcript, and says why", {
    skip: haveFfmpeg ? false : "ffmpeg not installed (Debian package ffmpeg)",
  }, async () => {
    const r = await transcriptForRecording(
      { mediaUrl: `http://media.test:${port}/answer.ogg`, transcriptUrl: `http://media.test:${port}/expired.vtt` },
      { fetchPolicy: fetchPolicy(), engine },
    );
    assert.equal(r.source, "media");
    assert.match(r.transcriptProblem ?? "", /transcript from media\.test.* is not WebVTT/);
  });

  it("refuses an event with neither media nor transcript, and media from hosts off the list", async () => {
    await assert.rejects(transcriptForRecording({}, { fetchPolicy: fetchPolicy(), engine }), /neither a media URL nor a transcript/);
    await assert.rejects(
      transcriptForRecording({ mediaUrl: `https://elsewhere.test/answer.ogg` }, { fetchPolicy: fetchPolicy(), engine }),
      (e: unknown) => e instanceof InterviewMediaError && e.status === "blocked",
    );
  });
});
