/**
 * The built-in interview-scheduling workflow end to end: the Lever sandbox, the real engine and
 * database, and interviewers' calendars on a real Radicale server (Debian package `radicale`,
 * started here on loopback with htpasswd authentication and stopped by its process id). Skipped,
 * saying so, when radicale is not installed.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DateTime } from "luxon";
import { CaldavCalendarProvider, sealCalendarSecret } from "../../src/calendars/index.ts";
import { createSecretBox } from "../../src/engine/connections/index.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { businessDays } from "../../src/scheduling/index.ts";
import { testEngines } from "../../src/store/testing.ts";
import { resumeFor, startHarness, type Harness } from "./harness.ts";
import { freePort } from "../../test/support/free-port.ts";

const SECRET_KEY = "7".repeat(64);

const hasRadicale = spawnSync("sh", ["-c", "command -v radicale"]).status === 0;
const skipAll = hasRadicale ? false : "radicale is not installed (Debian package `radicale`): interview scheduling against real calendars is skipped";

const DOMAIN = "northwind-demo.example";
const PEOPLE = {
  rafael: { email: `rafael.ortiz@${DOMAIN}`, zone: "Europe/Lisbon" },
  yusuf: { email: `yusuf.demir@${DOMAIN}`, zone: "Europe/Berlin" },
  sofia: { email: `sofia.almeida@${DOMAIN}`, zone: "America/New_York" },
} as const;
const BUFFER = 10;

const VCAL = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${body}END:VCALENDAR\r\n`;
const utc = (t: DateTime) => t.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
const date = (t: DateTime) => t.toFormat("yyyyMMdd");

for (const e of await testEngines()) {
  describe(`interview scheduling end to end on ${e.kind}`, { skip: skipAll || e.skip }, () => {
    let h: Harness;
    let proc: ChildProcess | undefined;
    let dir: string;
    let base: string;
    let owner: { slug: string; email: string };
    const auth = `Basic ${Buffer.from("fulcrum:calendars").toString("base64")}`;
    const dav = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method, body, headers: { authorization: auth, ...headers } });
    // The window is computed the way the task does: business days from tomorrow in the candidate's zone (the posting is in Lisbon).
    const days = businessDays(Date.now(), "Europe/Lisbon", 5);
    const at = (day: number, hhmm: string, zone: string) => DateTime.fromISO(`${days[day]!.toISODate()}T${hhmm}`, { zone });

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "fulcrum-sched-wf-"));
      const port = await freePort();
      writeFileSync(join(dir, "users"), "fulcrum:calendars\n");
      writeFileSync(
        join(dir, "radicale.conf"),
        [
          "[server]",
          `hosts = 127.0.0.1:${port}`,
          "[auth]",
          "type = htpasswd",
          `htpasswd_filename = ${join(dir, "users")}`,
          "htpasswd_encryption = plain",
          "delay = 0",
          "[storage]",
          `filesystem_folder = ${join(dir, "collections")}`,
          "[rights]",
          "type = owner_only",
          "[logging]",
          "level = warning",
          "",
        ].join("\n"),
      );
      proc = spawn("radicale", ["--config", join(dir, "radicale.conf")], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      proc.stderr!.on("data", (d) => (stderr += d));
      base = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        try {
          await (await fetch(`${base}/`, { method: "OPTIONS" })).body?.cancel();
          break;
        } catch {
          if (i > 100 || proc.exitCode !== null) throw new Error(`radicale did not start: ${stderr}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await (await dav("PROPFIND", "/fulcrum/", undefined, { depth: "0" })).body?.cancel();

      // The posting's owner (a follower, with the hiring manager) is needed for the Technical Assessment's default panel.
      const { startSandbox } = await import("../../src/sandbox/index.ts");
      const probe = await startSandbox({ port: 0, seed: 3, rateLimit: false, candidates: 12 });
      const backend = [...probe.state.postings.values()].find((p) => p.text === "Senior Backend Engineer, Payments")!;
      const ownerEmail = probe.state.users.get(backend.owner!)!.email!;
      await probe.close();
      owner = { slug: ownerEmail.split("@")[0]!.replace(/\W/g, "-"), email: ownerEmail };

      const calendars = [...Object.keys(PEOPLE), owner.slug];
      for (const slug of calendars) {
        const mk = await dav(
          "MKCALENDAR",
          `/fulcrum/${slug}/`,
          `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${slug}</D:displayname></D:prop></D:set></C:mkcalendar>`,
        );
        assert.equal(mk.status, 201);
      }
      const put = async (slug: string, uid: string, body: string) => {
        const r = await dav("PUT", `/fulcrum/${slug}/${uid}.ics`, VCAL(`BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n${body}END:VEVENT\r\n`), {
          "content-type": "text/calendar; charset=utf-8",
        });
        assert.equal(r.status, 201, `PUT ${uid}`);
      };
      const weekBefore = days[0]!.minus({ weeks: 1 });
      // Rafael: a daily stand-up (a series that began a week earlier) and a long review on the first day.
      await put(
        "rafael",
        "standup",
        `SUMMARY:Stand-up\r\nDTSTART;TZID=Europe/Lisbon:${date(weekBefore)}T093000\r\nDTEND;TZID=Europe/Lisbon:${date(weekBefore)}T094500\r\nRRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR\r\n`,
      );
      await put(
        "rafael",
        "review",
        `SUMMARY:Architecture review\r\nDTSTART:${utc(at(0, "10:00", PEOPLE.rafael.zone))}\r\nDTEND:${utc(at(0, "13:00", PEOPLE.rafael.zone))}\r\n`,
      );
      // Yusuf: another candidate's interview on day one, a focus block marked free, out of office all of day two.
      await put(
        "yusuf",
        "other-interview",
        `SUMMARY:Interview: another candidate\r\nDTSTART:${utc(at(0, "15:00", PEOPLE.yusuf.zone))}\r\nDTEND:${utc(at(0, "16:00", PEOPLE.yusuf.zone))}\r\n`,
      );
      await put(
        "yusuf",
        "focus",
        `SUMMARY:Focus\r\nTRANSP:TRANSPARENT\r\nDTSTART:${utc(at(0, "09:00", PEOPLE.yusuf.zone))}\r\nDTEND:${utc(at(0, "17:00", PEOPLE.yusuf.zone))}\r\n`,
      );
      await put("yusuf", "away", `SUMMARY:Out of office\r\nDTSTART;VALUE=DATE:${date(days[1]!)}\r\nDTEND;VALUE=DATE:${date(days[2]!)}\r\n`);
      // Sofia (New York): a tentative hold on day one's morning.
      await put(
        "sofia",
        "hold",
        `SUMMARY:Hold\r\nSTATUS:TENTATIVE\r\nDTSTART:${utc(at(0, "09:00", PEOPLE.sofia.zone))}\r\nDTEND:${utc(at(0, "11:00", PEOPLE.sofia.zone))}\r\n`,
      );
      // The posting's owner is on leave for the whole window.
      await put(
        owner.slug,
        "leave",
        `SUMMARY:Parental leave\r\nDTSTART;VALUE=DATE:${date(days[0]!.minus({ days: 7 }))}\r\nDTEND;VALUE=DATE:${date(days.at(-1)!.plus({ days: 7 }))}\r\n`,
      );

      const hours = "{ mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] }";
      const identity = (email: string, slug: string, zone: string) =>
        `    - { lever: ${email}, calendarUrl: /fulcrum/${slug}/, timezone: ${zone}, workingHours: ${hours} }`;
      const configFile = join(dir, "fulcrum.config.yaml");
      writeFileSync(
        configFile,
        [
          "calendars:",
          "  connections:",
          // The CalDAV password is sealed with the service's key, as `fulcrum calendars seal` writes it:
          // the engine's propose task and booking open it with the key the runtime is given.
          `    - { id: dav, provider: caldav, serverUrl: '${base}/', username: fulcrum, password: '${sealCalendarSecret("calendars", { provider: "caldav", connectionId: "dav", field: "password", box: createSecretBox(Buffer.from(SECRET_KEY, "hex")) })}', domains: [${DOMAIN}] }`,
          "  identities:",
          identity(PEOPLE.rafael.email, "rafael", PEOPLE.rafael.zone),
          identity(PEOPLE.yusuf.email, "yusuf", PEOPLE.yusuf.zone),
          identity(PEOPLE.sofia.email, "sofia", PEOPLE.sofia.zone),
          identity(owner.email, owner.slug, "Europe/Lisbon"),
          "scheduling:",
          `  defaults: { bufferMinutes: ${BUFFER}, loadCaps: { perDay: 2, perWeek: 8 } }`,
          "  panels:",
          "    - posting: Senior Backend Engineer, Payments",
          "      stage: On-site Interview",
          "      order: hiringManagerFirst",
          "      maxGapMinutes: 30",
          "      sessions:",
          `        - { title: System design, minutes: 60, need: 2, pool: [${PEOPLE.rafael.email}, ${PEOPLE.yusuf.email}] }`,
          "        - { title: Hiring manager, minutes: 45, pool: [hiringManager] }",
          "",
        ].join("\n"),
      );
      h = await startHarness(e.kind, { env: { FULCRUM_CONFIG: configFile, FULCRUM_DATA_DIR: dir, FULCRUM_SECRET_KEY: SECRET_KEY } });
    });

    after(async () => {
      await h?.close();
      if (proc?.pid && proc.exitCode === null) process.kill(proc.pid, "SIGTERM");
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function enter(name: string, stageName: string) {
      const posting = [...h.sandbox.state.postings.values()].find((p) => p.text === "Senior Backend Engineer, Payments")!;
      const { opportunityId } = h.sandbox.actions.applyToPosting(posting.id, {
        name,
        email: `${name.toLowerCase().replace(/\W+/g, ".")}@mail.example`,
        resume: { name: "cv.txt", contentType: "text/plain", bytes: resumeFor(posting.content) },
      });
      await h.deliver(["applicationCreated"]);
      await h.settle();
      h.sandbox.actions.moveStage(opportunityId, h.sandbox.state.stages.find((s) => s.text === stageName)!.id);
      await h.deliver(["candidateStageChange"]);
      await h.settle(60_000);
      const proposals = (await listProposals(h.t.db, { workflowId: "interview-scheduling", limit: 100 })).filter((p) => p.opportunityId === opportunityId);
      const step = await h.t.db.query<{ output: Record<string, unknown> }>(
        "select s.output from workflow_steps s join workflow_runs r on r.id = s.run_id where r.workflow_id = 'interview-scheduling' and r.opportunity_id = $1 and s.step_id = 'propose'",
        [opportunityId],
      );
      return { opportunityId, proposals, output: step.rows[0]?.output };
    }

    it("proposes 2–3 options for a candidate entering the on-site stage, every seat truly free in the interviewers' calendars", async () => {
      const { opportunityId, proposals, output } = await enter("Olga Onsite", "On-site Interview");
      assert.equal(output?.candidateTimezone, "Europe/Lisbon", "the posting's location gives the candidate's zone");
      const book = proposals.find((p) => p.stepId === "book");
      assert.ok(book, `a booking proposal waits for a person (${JSON.stringify(proposals.map((p) => p.stepId))})`);
      assert.equal(book.status, "pending");
      const options = [book.action.booking, ...(book.evidence as { booking: unknown }[]).map((x) => x.booking)] as {
        opportunityId: string;
        sessions: { title: string; start: string; end: string; interviewers: { leverUserId: string; email: string }[] }[];
      }[];
      assert.ok(options.length >= 2 && options.length <= 3, `2–3 options, got ${options.length}`);
      assert.ok(options.every((o) => o.opportunityId === opportunityId));
      assert.deepEqual(
        options[0]!.sessions.map((s) => s.title),
        ["Hiring manager", "System design"],
        "the hiring manager goes first",
      );

      const provider = new CaldavCalendarProvider({
        id: "dav",
        provider: "caldav",
        serverUrl: `${base}/`,
        username: "fulcrum",
        password: "calendars",
        domains: [],
      });
      const zoneOf = (email: string) => Object.values(PEOPLE).find((p) => p.email === email)!.zone;
      for (const option of options) {
        for (const s of option.sessions) {
          const start = DateTime.fromISO(s.start);
          const end = DateTime.fromISO(s.end);
          for (const who of s.interviewers) {
            const zone = zoneOf(who.email);
            const slug = Object.entries(PEOPLE).find(([, p]) => p.email === who.email)![0];
            const local = [start.setZone(zone), end.setZone(zone)];
            assert.ok(
              local[0]!.weekday <= 5 && local[0]!.toFormat("HH:mm") >= "09:00" && local[1]!.toFormat("HH:mm") <= "17:00" && local[1]!.hasSame(local[0]!, "day"),
              `${who.email} works during ${s.title} ${s.start}`,
            );
            const events = await provider.events(
              { id: who.leverUserId, email: who.email, connectionId: "dav", calendarUrl: `/fulcrum/${slug}/`, timezone: zone },
              { start: start.minus({ days: 1 }).toISO()!, end: end.plus({ days: 1 }).toISO()! },
            );
            for (const ev of events) {
              if (ev.status === "free" || ev.cancelled) continue;
              const evStart = ev.allDay ? DateTime.fromISO(ev.start, { zone }) : DateTime.fromISO(ev.start);
              const evEnd = ev.allDay ? DateTime.fromISO(ev.end!, { zone }) : DateTime.fromISO(ev.end!);
              const clear = evEnd.plus({ minutes: BUFFER }) <= start || evStart.minus({ minutes: BUFFER }) >= end;
              assert.ok(clear, `${who.email}'s "${ev.title}" (${ev.start}–${ev.end}) keeps ${BUFFER} minutes from ${s.title} ${s.start}–${s.end}`);
            }
          }
        }
      }
      // Day two has Yusuf out of office, so no option falls on it; the options name their reasons.
      const onDay = (o: (typeof options)[number]) => DateTime.fromISO(o.sessions[0]!.start).setZone("Europe/Lisbon").toISODate();
      assert.ok(!options.some((o) => onDay(o) === days[1]!.toISODate()));
      assert.match((book.reasons as string[]).join("\n"), /earliest possible/);
      assert.match((book.reasons as string[]).join("\n"), /System design .*Rafael Ortiz/);
      // What the solver saw is kept for the console's day timeline: blocking events with status and title, free ones left out.
      const seen = output?.calendars as { name: string; timezone?: string; working: unknown[]; busy: { status: string; title?: string; allDay?: boolean }[] }[];
      const rafael = seen.find((c) => c.name === "Rafael Ortiz")!;
      assert.equal(rafael.timezone, PEOPLE.rafael.zone);
      assert.ok(rafael.working.length >= 5, "working time on each day of the window");
      assert.ok(rafael.busy.some((b) => b.title === "Architecture review" && b.status === "busy"));
      assert.ok(
        seen.some((c) => c.busy.some((b) => b.allDay && b.title === "Out of office")),
        "Yusuf's all-day event",
      );
      assert.ok(
        seen.some((c) => c.busy.some((b) => b.status === "tentative" && b.title === "Hold")),
        "Sofia's tentative hold",
      );
      assert.ok(!seen.some((c) => c.busy.some((b) => b.title === "Focus")), "a free (transparent) event does not block");
    });

    it("routes a panel that cannot be met to a person, naming what blocks, with no booking proposed; without a template the hiring manager and followers make the panel", async () => {
      const { proposals, output } = await enter("Theo Technical", "Technical Assessment");
      assert.equal(output?.panelSource, "hiring team");
      assert.equal(output?.feasible, false);
      assert.equal(
        proposals.find((p) => p.stepId === "book"),
        undefined,
        "nothing to book",
      );
      const gate = proposals.find((p) => p.stepId === "unschedulable");
      assert.ok(gate, "a person is asked");
      assert.match(String(gate.action.message), /No interview panel could be proposed for Theo Technical \(Technical Assessment\)/);
      assert.match(String(gate.action.message), /session "s1" needs 2/);
      assert.match(String(gate.action.message), /busy, tentative or out of office/);
    });
  });
}
