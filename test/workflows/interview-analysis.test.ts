import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hono } from "hono";
import { silentLogger } from "../../src/observability/index.ts";
import { testEngines } from "../../src/store/testing.ts";
import { createMemoryConnectionDirectory } from "../../src/engine/sources/index.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { interviewTranscript } from "../../src/server/console/interview-transcript.ts";
import type { Caller } from "../../src/server/console/roles.ts";
import { createApp } from "../../src/server/app.ts";
import { LABELLED_CORPUS_DIR, OTHER_CANDIDATE } from "../../src/interviews/index.ts";
import { forgetCandidateTranscripts } from "../../src/interviews/retention.ts";
import { ffmpegSync, hasCommand, LIBRIVOX_DIR } from "../../src/interviews/testing-media.ts";
import { notesOf, SANDBOX_TRIAL_MODES, startHarness, type Harness } from "./harness.ts";

const SECRET = "video-interviews-secret-0123456789";
const TOOL = "video-interviews";
const SPEECH_WAV = join(LIBRIVOX_DIR, "sense_and_sensibility_01_austen_64kb-0930.wav");
const haveSpeechTools = hasCommand("ffmpeg") && hasCommand("pocketsphinx_continuous", ["-h"]) && readdirSafe(LIBRIVOX_DIR).length > 0;
const SKIP_MEDIA = haveSpeechTools ? false : "ffmpeg, pocketsphinx, pocketsphinx-en-us or pocketsphinx-testdata not installed (Debian packages)";

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function sign(body: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac("sha256", SECRET).update(`${t}.${body}`).digest("hex")}`;
}

/** A platform's media host on loopback: recordings, a truncated one, silence, and a redirect to the cloud metadata address. */
async function startMediaServer(dir: string): Promise<{ url: string; server: Server; hits: string[] }> {
  const files: Record<string, string> = {};
  if (haveSpeechTools) {
    files["/answer.wav"] = SPEECH_WAV;
    ffmpegSync(["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono:d=4", "-c:a", "pcm_s16le", join(dir, "silence.wav")]);
    files["/silence.wav"] = join(dir, "silence.wav");
    ffmpegSync([
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:duration=3",
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=64x64:rate=5:duration=3",
      "-shortest",
      join(dir, "full.mp4"),
    ]);
    // The first 2 KiB: an mp4 that sniffs as one but has lost its index and most of its data.
    writeFileSync(join(dir, "truncated.mp4"), readFileSync(join(dir, "full.mp4")).subarray(0, 2048));
    files["/truncated.mp4"] = join(dir, "truncated.mp4");
  }
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/to-internal") {
      res.writeHead(302, { location: "https://169.254.169.254/latest/meta-data/" });
      return res.end();
    }
    if (req.url === "/call.srt") {
      // The platform's transcript, labelled as anything: its bytes decide.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(readFileSync(join(LABELLED_CORPUS_DIR, "engineer.srt")));
    }
    if (req.url === "/expired.vtt") {
      res.writeHead(200, { "content-type": "text/vtt" });
      return res.end("<!DOCTYPE html><html><body>This link has expired.</body></html>");
    }
    const file = files[req.url ?? ""];
    if (!file) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

for (const e of await testEngines()) {
  describe(`recorded interview analysis end to end on ${e.kind}`, { skip: e.skip }, () => {
    let h: Harness;
    let app: Hono;
    let dir: string;
    let mediaDir: string;
    let media: Awaited<ReturnType<typeof startMediaServer>>;
    let posting: { id: string; text: string };
    let otherPosting: { id: string; text: string };
    /** A posting with the same question set and interviews of its own, for comparing candidates. */
    let comparedPosting: { id: string; text: string };
    let n = 0;

    before(async () => {
      process.env.FULCRUM_TOOL_SECRET_VIDEO_INTERVIEWS = SECRET;
      dir = mkdtempSync(join(tmpdir(), "fulcrum-interview-analysis-"));
      mediaDir = join(dir, "media");
      mkdirSync(mediaDir);
      media = await startMediaServer(dir);
      // The sandbox's postings are seeded the same way every time; read them from a first start.
      h = await startHarness(e.kind, { allowHosts: ["127.0.0.1"], workflowModes: { ...SANDBOX_TRIAL_MODES, "interview-analysis": "auto" } });
      const published = [...h.sandbox.state.postings.values()].filter((p) => p.state === "published");
      posting = { id: published[0]!.id, text: published[0]!.text };
      otherPosting = { id: published[1]!.id, text: published[1]!.text };
      comparedPosting = { id: published[2]!.id, text: published[2]!.text };
      await h.close();
      const questions = readFileSync(join(LABELLED_CORPUS_DIR, "engineer.questions.json"), "utf8");
      const config = [
        "tools:",
        `  ${TOOL}:`,
        "    name: Willo",
        "    mediaHosts: ['127.0.0.1', '169.254.169.254']",
        "interviews:",
        `  workDir: ${JSON.stringify(mediaDir)}`,
        "  postings:",
        `    - posting: ${JSON.stringify(posting.text)}`,
        `      questions: ${questions.replace(/\n/g, " ")}`,
        "      rubric: { score: true, competencies: [{ id: debugging, label: Debugs production issues, keywords: [memory leak, heap snapshots], questions: [q-debug] }] }",
        "      triage: { strongAt: 50, weakBelow: 20 }",
        `    - posting: ${JSON.stringify(comparedPosting.text)}`,
        `      questions: ${questions.replace(/\n/g, " ")}`,
      ].join("\n");
      writeFileSync(join(dir, "fulcrum.config.yaml"), config);
      h = await startHarness(e.kind, {
        env: { FULCRUM_CONFIG: join(dir, "fulcrum.config.yaml") },
        allowHosts: ["127.0.0.1"],
        workflowModes: { ...SANDBOX_TRIAL_MODES, "interview-analysis": "auto" },
      });
      // Ids are new on every start: find the postings again by title.
      const byTitle = (text: string) => [...h.sandbox.state.postings.values()].find((p) => p.text === text)!;
      posting = { id: byTitle(posting.text).id, text: posting.text };
      otherPosting = { id: byTitle(otherPosting.text).id, text: otherPosting.text };
      comparedPosting = { id: byTitle(comparedPosting.text).id, text: comparedPosting.text };
      app = createApp({
        config: h.config,
        db: h.t.db,
        logger: silentLogger,
        queue: h.queue,
        inbox: h.inbox,
        connections: createMemoryConnectionDirectory({ default: {} }),
      });
    });
    after(async () => {
      delete process.env.FULCRUM_TOOL_SECRET_VIDEO_INTERVIEWS;
      await h?.close();
      media?.server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function post(body: Record<string, unknown>): Promise<string> {
      const id = `iv-${++n}`;
      const raw = JSON.stringify({ event: "interview.completed", id, ...body });
      const res = await app.request(`/webhooks/tools/${TOOL}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-fulcrum-signature": sign(raw) },
        body: raw,
      });
      assert.equal(res.status, 200, await res.clone().text());
      return id;
    }

    async function runOf(eventId: string) {
      const { rows } = await h.t.db.query<{ status: string; error: string | null }>(
        "select status, error from workflow_runs where workflow_id = 'interview-analysis' and run_key = $1",
        [`interview-analysis:default:tool:${TOOL}:${eventId}`],
      );
      return rows[0];
    }

    function applicant(onPosting: { id: string }, name: string): string {
      return h.sandbox.actions.applyToPosting(onPosting.id, { name, email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.net` }).opportunityId;
    }

    const transcript = () => readFileSync(join(LABELLED_CORPUS_DIR, "engineer.srt"), "utf8");

    it("starts in assist: a person approves the note unless someone chose auto", () => {
      const wf = h.runtime.workflows.list().find((w) => w.workflow.id === "interview-analysis");
      assert.equal(wf?.workflow.mode, "assist");
    });

    it("turns a platform transcript into a secret note with each answer's time and a link to that moment, the rubric evidence and a triage tag", async () => {
      const opp = applicant(posting, "Riley Transcript");
      // An expired transcript from long ago goes when the next interview comes in.
      await h.t.db.query(
        `insert into interview_transcripts (connection_id, opportunity_id, tool, trace_id, source, engine, language, duration_seconds, transcript, expires_at)
         values ('default', 'opp-old', $1, 'old-trace', 'platform-transcript', 'transcript', 'en', 1, '{}'::jsonb, now() - interval '1 day')`,
        [TOOL],
      );
      const id = await post({
        candidate: { id: "willo-77", email: "riley.transcript@example.net" },
        interview: { transcript: transcript(), transcriptFilename: "call.srt", playerUrl: "https://player.willo.example/v/abc?lang=en" },
      });
      await h.settle(60_000);
      assert.deepEqual(await runOf(id), { status: "succeeded", error: null });

      const notes = notesOf(h, opp) as unknown as { secret: boolean; fields: { value: string }[] }[];
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.secret, true);
      const text = notes[0]!.fields[0]!.value;
      assert.match(text, /^Interview analysis from Willo \(advisory/);
      assert.match(text, /Answer at 0:14 \(https:\/\/player\.willo\.example\/v\/abc\?lang=en&t=14\)–0:58: "The worst one was a memory leak/);
      assert.match(text, /How would you design a URL shortening service\?\n {3}Not asked\./);
      assert.match(text, /Rubric evidence:\n- Debugs production issues: met/);
      assert.match(text, /Advisory score: 100\/100/);
      assert.match(text, /No emotion, face or voice analysis/);
      const tags = h.sandbox.state.opportunities.get(opp)!.tags;
      assert.ok(tags.includes("interview-strong"), JSON.stringify(tags));

      const { rows } = await h.t.db.query<{ opportunity_id: string; source: string; days: number; analyzed: boolean; tool_candidate_id: string }>(
        "select opportunity_id, source, tool_candidate_id, round(extract(epoch from expires_at - created_at) / 86400)::int as days, analysis is not null as analyzed from interview_transcripts order by id",
      );
      assert.deepEqual(rows, [{ opportunity_id: opp, source: "platform-transcript", tool_candidate_id: "willo-77", days: 180, analyzed: true }]);
    });

    it("fetches the platform's transcript by URL from an allow-listed host, and the run takes the opportunity found by e-mail", async () => {
      const opp = applicant(posting, "Ari Byurl");
      const id = await post({ candidate: { email: "ari.byurl@example.net" }, interview: { transcriptUrl: `${media.url}/call.srt` } });
      await h.settle(60_000);
      assert.deepEqual(await runOf(id), { status: "succeeded", error: null });
      const { rows: runs } = await h.t.db.query<{ opportunity_id: string | null }>("select opportunity_id from workflow_runs where run_key = $1", [
        `interview-analysis:default:tool:${TOOL}:${id}`,
      ]);
      assert.equal(runs[0]?.opportunity_id, opp, "the run shows the opportunity the intake found");
      const { rows } = await h.t.db.query<{ source: string }>("select source from interview_transcripts where opportunity_id = $1", [opp]);
      assert.deepEqual(rows, [{ source: "platform-transcript" }]);
      const text = (notesOf(h, opp) as unknown as { fields: { value: string }[] }[])[0]!.fields[0]!.value;
      assert.match(text, /Answer at 0:14–0:58: "The worst one was a memory leak/);
      const intake = await h.t.db.query<{ output: { reasons: string[] } }>(
        "select s.output from workflow_steps s join workflow_runs r on r.id = s.run_id where r.run_key = $1 and s.step_id = 'transcribe'",
        [`interview-analysis:default:tool:${TOOL}:${id}`],
      );
      assert.match(intake.rows[0]!.output.reasons.join(" "), /fetched from http:\/\/127\.0\.0\.1:\d+\/… and used as it is/);
      assert.ok(!JSON.stringify(intake.rows[0]!.output).includes("call.srt"), "the transcript URL's path stays out of the step's output");
    });

    it("fetches a recording from an allow-listed host, transcribes it with pocketsphinx, and deletes the media", { skip: SKIP_MEDIA }, async () => {
      const opp = applicant(posting, "Sam Recording");
      const id = await post({ opportunityId: opp, interview: { mediaUrl: `${media.url}/answer.wav` } });
      await h.settle(120_000);
      // The recording is a reading from a novel, which answers none of the engineer's questions.
      assert.deepEqual(await runOf(id), {
        status: "failed",
        error: "step analyze: nothing-matched: none of the 6 questions of the set was found in the transcript: check the recording and the question set",
      });
      const { rows } = await h.t.db.query<{ source: string; engine: string; text: string }>(
        "select source, engine, transcript->>'segments' as text from interview_transcripts where opportunity_id = $1",
        [opp],
      );
      assert.equal(rows[0]?.source, "media");
      assert.equal(rows[0]?.engine, "pocketsphinx");
      assert.match(rows[0]!.text, /made/);
      assert.equal(notesOf(h, opp).length, 0);
      assert.deepEqual(readdirSync(mediaDir), [], "the downloaded recording and its audio are deleted");
    });

    it("ends each bad interview with its status and message, and the others still run", async () => {
      const opp = applicant(posting, "Kim Badinput");
      const noSet = applicant(otherPosting, "Lee Noquestions");
      const runs: Record<string, string> = {};
      if (haveSpeechTools) {
        runs.corrupt = await post({ opportunityId: opp, interview: { mediaUrl: `${media.url}/truncated.mp4` } });
        runs.silence = await post({ opportunityId: opp, interview: { mediaUrl: `${media.url}/silence.wav` } });
      }
      runs.redirect = await post({ opportunityId: opp, interview: { mediaUrl: `${media.url}/to-internal` } });
      runs.notListed = await post({ opportunityId: opp, interview: { mediaUrl: "https://cdn.elsewhere.example/x.mp4" } });
      runs.transcriptNotListed = await post({ opportunityId: opp, interview: { transcriptUrl: "https://cdn.elsewhere.example/x.vtt" } });
      runs.notATranscript = await post({ opportunityId: opp, interview: { transcriptUrl: `${media.url}/expired.vtt` } });
      runs.noQuestions = await post({ opportunityId: noSet, interview: { transcript: transcript(), transcriptFilename: "call.srt" } });
      runs.nothing = await post({ opportunityId: opp, interview: { playerUrl: "https://player.willo.example/v/1" } });
      runs.unknown = await post({ candidate: { email: "nobody.at.all@example.net" }, interview: { transcript: transcript() } });
      const good = await post({ opportunityId: opp, interview: { transcript: transcript(), transcriptFilename: "call.srt" } });
      await h.settle(120_000);

      const expect: Record<string, RegExp> = {
        corrupt: /^step transcribe: corrupt: /,
        silence: /^step transcribe: no-speech: no speech was recognised/,
        redirect: /^step transcribe: blocked: media URL https:\/\/169\.254\.169\.254\/… points at a private, loopback or link-local address/,
        notListed: /^step intake: blocked: media host cdn\.elsewhere\.example is not on this tool's allow-list/,
        transcriptNotListed: /^step intake: blocked: transcript host cdn\.elsewhere\.example is not on this tool's allow-list/,
        notATranscript: /^step transcribe: transcript-invalid: transcript from 127\.0\.0\.1:\d+ is not WebVTT, SRT or JSON segments/,
        noQuestions: new RegExp(
          `^step intake: questions-empty: no question set is configured for posting "${otherPosting.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`,
        ),
        nothing: /^step intake: transcript-invalid: the event carries neither a media URL nor a transcript/,
        unknown: /^step intake: no opportunity in Lever for this interview/,
      };
      for (const [what, eventId] of Object.entries(runs)) {
        const run = await runOf(eventId);
        assert.equal(run?.status, "failed", `${what}: ${JSON.stringify(run)}`);
        assert.match(run!.error ?? "", expect[what]!, what);
      }
      // The signed media URL's path never reaches a run's error.
      assert.ok(!(await runOf(runs.redirect!))!.error!.includes("to-internal"));
      assert.deepEqual(await runOf(good), { status: "succeeded", error: null });
      assert.equal(notesOf(h, opp).length, 1, "only the good interview wrote a note");
      assert.equal(notesOf(h, noSet).length, 0);
      assert.deepEqual(readdirSync(mediaDir), []);
    });

    it("ends an interview in which none of the set's questions was found with nothing-matched, writing nothing to Lever even in auto mode, while an ordinary one still gets its note", async () => {
      await h.t.db.query("update workflow_settings set mode = 'auto' where workflow_id = 'interview-analysis'");
      const lost = applicant(posting, "Mo Unmatched");
      const ordinary = applicant(posting, "Pat Ordinary");
      // What an offline recogniser makes of reversed or foreign speech: English words, no question of the set.
      const madeUp = [
        "and the moon if in a hold of the old man were ten but she",
        "so it was the dog on a hill in the rain for the horse and it",
        "when a lamp of the boat is on the floor he had the one in the sea",
        "a bell of the yard was all in the bread then the man with a coat",
        "her oven is by the door and the key for a shoe was in it too",
      ]
        .map((text, i) => `${i + 1}\n00:00:${String(i * 8).padStart(2, "0")},500 --> 00:00:${String(i * 8 + 7).padStart(2, "0")},900\n${text}\n`)
        .join("\n");
      const unmatched = await post({ opportunityId: lost, interview: { transcript: madeUp, transcriptFilename: "call.srt" } });
      const good = await post({ opportunityId: ordinary, interview: { transcript: transcript(), transcriptFilename: "call.srt" } });
      await h.settle(60_000);

      const run = await runOf(unmatched);
      assert.equal(run?.status, "failed", JSON.stringify(run));
      assert.equal(
        run!.error,
        "step analyze: nothing-matched: none of the 6 questions of the set was found in the transcript: check the recording and the question set",
      );
      assert.equal(notesOf(h, lost).length, 0, "no note claims every question went unasked");
      assert.deepEqual(
        h.sandbox.state.opportunities.get(lost)!.tags.filter((t) => t.startsWith("interview-")),
        [],
        "and no triage tag",
      );
      const proposals = (await listProposals(h.t.db, { workflowId: "interview-analysis", limit: 100 })).filter((p) => p.opportunityId === lost);
      assert.deepEqual(proposals, [], "nothing is proposed for Lever either");
      const { rows } = await h.t.db.query<{ analyzed: boolean }>(
        "select analysis is not null as analyzed from interview_transcripts where opportunity_id = $1",
        [lost],
      );
      assert.deepEqual(rows, [{ analyzed: false }], "the transcript is kept for a person to check, with no analysis that other interviews are compared with");

      assert.deepEqual(await runOf(good), { status: "succeeded", error: null });
      assert.equal(notesOf(h, ordinary).length, 1);
    });

    it("keeps the note for a person in assist mode, with the answers as evidence and the interviewer check for the recruiter only", async () => {
      await h.t.db.query("update workflow_settings set mode = 'assist' where workflow_id = 'interview-analysis'");
      const opp = applicant(posting, "Noor Assist");
      const improper = `1\n00:00:00,500 --> 00:00:04,000\nBefore we start, how old are you and do you have kids?\n\n2\n00:00:04,500 --> 00:00:08,000\nI would rather keep that private.\n\n${transcript().replace(/^(\d+)$/gm, (m) => String(Number(m) + 2))}`;
      const id = await post({ opportunityId: opp, interview: { transcript: improper, transcriptFilename: "call.srt" } });
      await h.settle(60_000);
      assert.equal((await runOf(id))?.status, "waiting");
      assert.equal(notesOf(h, opp).length, 0, "nothing is written before a person approves");
      const proposals = (await listProposals(h.t.db, { workflowId: "interview-analysis", limit: 50 })).filter((p) => p.opportunityId === opp);
      const note = proposals.find((p) => p.kind === "lever.note")!;
      assert.equal(note.status, "pending");
      assert.ok((note.evidence as { question: string }[]).some((ev) => ev.question === "q-debug"));
      const body = JSON.stringify(note.action);
      assert.doesNotMatch(body, /how old are you/i, "the interviewer check is not part of the note");
      assert.ok(
        note.reasons.some((r) => /should not have asked: shown here for the recruiter/.test(String(r))),
        JSON.stringify(note.reasons),
      );
    });

    /** Every row of every table in the public schema, as text, for looking for what must be gone. */
    async function everyRow(): Promise<{ table: string; text: string }[]> {
      const { rows: tables } = await h.t.db.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
      );
      const out: { table: string; text: string }[] = [];
      for (const { table_name } of tables) {
        const { rows } = await h.t.db.query<{ j: string }>(`select t::text as j from "${table_name}" t`);
        for (const r of rows) out.push({ table: table_name, text: r.j });
      }
      return out;
    }

    it("forgetting a candidate leaves no quote and no e-mail of the interview anywhere in the database, keeps the proposal's id and status, and the run cannot be re-run", async () => {
      await h.t.db.query("update workflow_settings set mode = 'assist' where workflow_id = 'interview-analysis'");
      const opp = applicant(posting, "Quinn Forgotten");
      const email = "quinn.forgotten.iv@example.net";
      // Other tests of this file store the same interview: this candidate's answer carries a word of its own.
      const quote = "quokkaleak";
      const own = transcript().replace("a memory leak in a Node service", `a memory leak (${quote}) in a Node service`);
      assert.ok(own.includes(quote));
      const id = await post({ opportunityId: opp, candidate: { id: "willo-forget", email }, interview: { transcript: own, transcriptFilename: "call.srt" } });
      await h.settle(60_000);
      assert.equal((await runOf(id))?.status, "waiting");
      const holding = (rows: { table: string; text: string }[]) =>
        [...new Set(rows.filter((r) => r.text.toLowerCase().includes(quote) || r.text.toLowerCase().includes(email)).map((r) => r.table))].sort();
      assert.ok(holding(await everyRow()).length > 0, "the interview is stored before it is forgotten");
      const before = (await listProposals(h.t.db, { workflowId: "interview-analysis", limit: 100 })).filter((p) => p.opportunityId === opp);

      const forgotten = await forgetCandidateTranscripts(h.t.db, opp);
      assert.equal(forgotten.length, 1);
      assert.deepEqual(holding(await everyRow()), [], "no table holds the quote or the e-mail");
      const after = (await listProposals(h.t.db, { workflowId: "interview-analysis", limit: 100 })).filter((p) => p.opportunityId === opp);
      assert.deepEqual(
        after.map((p) => [p.id, p.status]),
        before.map((p) => [p.id, p.status]),
        "proposals keep their ids and status for the audit",
      );
      assert.ok(after.every((p) => Array.isArray(p.evidence) && p.evidence.length === 0));

      const { rows } = await h.t.db.query<{ id: string }>("select id from workflow_runs where run_key = $1", [`interview-analysis:default:tool:${TOOL}:${id}`]);
      await assert.rejects(h.runtime.engine.rerunFrom(Number(rows[0]!.id), "transcribe"), /forgotten/);
    });

    it("deletes a candidate's transcripts and analyses when Lever deletes the candidate, and keeps everyone else's", async () => {
      const gone = applicant(posting, "Dana Deleted");
      const kept = applicant(posting, "Kai Kept");
      const ids = [
        await post({ opportunityId: gone, interview: { transcript: transcript(), transcriptFilename: "call.srt" } }),
        await post({ opportunityId: kept, interview: { transcript: transcript(), transcriptFilename: "call.srt" } }),
      ];
      await h.settle(60_000);
      for (const id of ids) assert.notEqual((await runOf(id))?.status, "failed");
      const count = async (opp: string) =>
        Number(
          (await h.t.db.query<{ n: string }>("select count(*) as n from interview_transcripts where opportunity_id = $1 and analysis is not null", [opp]))
            .rows[0]!.n,
        );
      assert.equal(await count(gone), 1);
      const others = Number(
        (await h.t.db.query<{ n: string }>("select count(*) as n from interview_transcripts where opportunity_id <> $1", [gone])).rows[0]!.n,
      );

      h.sandbox.actions.deleteOpportunity(gone, null);
      await h.deliver(["candidateDeleted"]);
      await h.settle(60_000);
      assert.equal(await count(gone), 0, "the deleted candidate's transcript and analysis are gone");
      assert.equal(await count(kept), 1);
      assert.equal(
        Number((await h.t.db.query<{ n: string }>("select count(*) as n from interview_transcripts where opportunity_id <> $1", [gone])).rows[0]!.n),
        others,
        "nobody else's transcript went",
      );
    });

    it("flags to the recruiter a question of the set asked to one candidate of a posting and not to another, and keeps it out of the Lever note", async () => {
      await h.t.db.query("update workflow_settings set mode = 'assist' where workflow_id = 'interview-analysis'");
      const first = applicant(comparedPosting, "Ada Asked");
      const second = applicant(comparedPosting, "Bo Notasked");
      // The second interview leaves out the testing question and its follow-up (segments 14 to 18).
      const full = transcript();
      const withoutTesting = full.slice(0, full.indexOf("14\n00:01:37")) + full.slice(full.indexOf("19\n00:02:13"));
      assert.ok(!withoutTesting.includes("test the code you write"));
      const a = await post({ opportunityId: first, interview: { transcript: full, transcriptFilename: "call.srt" } });
      await h.settle(60_000);
      const b = await post({ opportunityId: second, interview: { transcript: withoutTesting, transcriptFilename: "call.srt" } });
      await h.settle(60_000);
      assert.equal((await runOf(a))?.status, "waiting");
      assert.equal((await runOf(b))?.status, "waiting");

      const noteOf = async (opp: string) =>
        (await listProposals(h.t.db, { workflowId: "interview-analysis", limit: 100 })).find((p) => p.opportunityId === opp && p.kind === "lever.note")!;
      const flagged = (reasons: unknown[]) => reasons.filter((r) => /asked to some candidates of this posting and not others/.test(String(r)));
      assert.deepEqual(flagged((await noteOf(first)).reasons), [], "the first interview of the posting has nobody to differ from");
      const note = await noteOf(second);
      assert.deepEqual(
        flagged(note.reasons),
        [
          '1 question of the set asked to some candidates of this posting and not others: "How do you approach testing your code?" (not asked here; asked to 1 other candidate); shown here for the recruiter, not written to Lever',
        ],
        JSON.stringify(note.reasons),
      );
      assert.doesNotMatch(JSON.stringify(note.action), /other candidates|some candidates/, "the interviewer check is not part of the note");

      const { rows } = await h.t.db.query<{ analysis: { flags: { kind: string; id?: string; askedTo?: string[]; notAskedTo?: string[] }[] } }>(
        "select analysis from interview_transcripts where opportunity_id = $1",
        [second],
      );
      const inconsistent = rows[0]!.analysis.flags.filter((f) => f.kind === "inconsistent-question");
      assert.deepEqual(
        inconsistent.map((f) => [f.id, f.notAskedTo]),
        [["q-testing", [second]]],
      );
      const view = await interviewTranscript(h.t.db, { role: "admin" } as Caller, String(note.id));
      assert.ok("interviewerCheck" in view, JSON.stringify(view));
      assert.deepEqual(
        view.interviewerCheck.filter((f) => f.category === "inconsistent-question"),
        [
          {
            quote: "How do you approach testing your code?",
            start: null,
            category: "inconsistent-question",
            why: "asked to 1 other candidate of this posting, not in this interview",
          },
        ],
      );
      // Other candidates are counted, never named, in this interview's stored analysis: forgetting
      // one of them leaves no trace of them here.
      assert.deepEqual(inconsistent[0]!.askedTo, [OTHER_CANDIDATE]);
      assert.ok(!JSON.stringify(rows[0]!.analysis).includes(first), "the other candidate's id is not stored in this analysis");

      // The first interview, analysed when there was nobody to differ from, shows what the second revealed.
      const firstView = async () => {
        const v = await interviewTranscript(h.t.db, { role: "admin" } as Caller, String((await noteOf(first)).id));
        assert.ok("interviewerCheck" in v, JSON.stringify(v));
        return v.interviewerCheck.filter((f) => f.category === "inconsistent-question");
      };
      assert.deepEqual(await firstView(), [
        {
          quote: "How do you approach testing your code?",
          start: null,
          category: "inconsistent-question",
          why: "not asked to 1 other candidate of this posting, asked in this interview",
        },
      ]);
      // A hiring manager sees the comparison only within a posting they may see: when the interviews
      // were compared within another posting (an event may name one apart from the proposal's), not at all.
      const manager = { role: "hiring_manager", postingIds: [comparedPosting.id] } as unknown as Caller;
      const managerView = async () => {
        const v = await interviewTranscript(h.t.db, manager, String((await noteOf(first)).id));
        assert.ok("interviewerCheck" in v, JSON.stringify(v));
        return v.interviewerCheck.filter((f) => f.category === "inconsistent-question").length;
      };
      assert.equal(await managerView(), 1);
      await h.t.db.query("update interview_transcripts set posting_id = 'posting-elsewhere' where opportunity_id in ($1, $2)", [first, second]);
      assert.equal(await managerView(), 0);
      assert.equal((await firstView()).length, 1, "an admin still sees it");
      await h.t.db.query("update interview_transcripts set posting_id = $3 where opportunity_id in ($1, $2)", [first, second, comparedPosting.id]);
      // Once the second candidate is forgotten, nothing of them is left in the first one's view.
      await forgetCandidateTranscripts(h.t.db, second);
      assert.deepEqual(await firstView(), []);
    });
  });
}
