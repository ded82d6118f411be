/**
 * The console's fairness API on a server started like `npm start` with the built-in Lever sandbox
 * and no test-only wiring: candidates apply in the sandbox with EEO survey answers, the screening
 * workflow runs, and `/console/api/fairness` reads Lever's EEO responses and stage order through the
 * connection's Lever client — answering with aggregated rates and a flag per posting and stage, and
 * nothing about any one person.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../../src/cli/commands/serve.ts";
import { loadConfig } from "../../src/config/index.ts";
import { listProposals } from "../../src/engine/proposals/index.ts";
import { silentLogger } from "../../src/observability/index.ts";
import { createUser } from "../../src/server/console/index.ts";
import type { EeoAnswers } from "../../src/sandbox/eeo.ts";
import { resumeFor } from "../workflows/harness.ts";

const PASSWORD = "a long test password";

describe("the console's fairness API on fulcrum serve with the built-in sandbox", () => {
  let running: RunningServer;
  let dataDir: string;
  const applicants: { opportunityId: string; name: string; email: string }[] = [];
  let postingId: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "fulcrum-fairness-"));
    running = await startServer({
      config: loadConfig({ FULCRUM_DATA_DIR: dataDir, PORT: "0", FULCRUM_SANDBOX_PORT: "0", FULCRUM_LOG_LEVEL: "silent" }),
      logger: silentLogger,
    });
    await createUser(running.ctx.db, { email: "auditor@example.com", role: "auditor", password: PASSWORD, postingIds: [] }, { N: 1024, r: 8, p: 1 });
    const sandbox = running.sandbox!;
    // A posting of its own (the demo postings have applicants of their own, who count too), with
    // the requirements of a demo posting so the strong resumes below meet them.
    const template = [...sandbox.state.postings.values()].find((p) => p.state === "published" && p.content.lists.length > 0)!;
    const posting = sandbox.actions.createPosting(
      {
        text: "Fairness test role",
        state: "published",
        categories: template.categories,
        content: { descriptionHtml: template.content.descriptionHtml, lists: template.content.lists },
      },
      sandbox.demo!.userIdsByName.get("Dana Whitfield")!,
    );
    postingId = posting.id;
    const eeo = (gender: string, race: string): EeoAnswers => ({
      gender,
      race,
      veteran: "I don't wish to answer",
      disability: "I don't wish to answer",
      disabilitySignatureDate: null,
      respondedAt: Date.now(),
    });
    const people: [string, boolean, EeoAnswers | null][] = [
      ["Mark One", true, eeo("Male", "White (Not Hispanic or Latino)")],
      ["Mark Two", true, eeo("Male", "Asian (Not Hispanic or Latino)")],
      ["Mark Three", true, eeo("Male", "Hispanic or Latino")],
      ["Mark Four", true, eeo("Male", "White (Not Hispanic or Latino)")],
      ["Fran One", true, eeo("Female", "White (Not Hispanic or Latino)")],
      ["Fran Two", false, eeo("Female", "Asian (Not Hispanic or Latino)")],
      ["Fran Three", false, eeo("Female", "Hispanic or Latino")],
      ["Fran Four", false, eeo("Female", "Black or African American (Not Hispanic or Latino)")],
      ["Quinn Declined", true, eeo("Decline to self-identify", "Decline to self-identify")],
      ["Sam Skipped", false, null],
    ];
    for (const [i, [name, strong, answers]] of people.entries()) {
      const email = `fair${i}@example.net`;
      const bytes = strong
        ? resumeFor(posting.content)
        : new TextEncoder().encode(["Pat Example", "Barista", "", "Experience", "Barista, Corner Cafe, 2019 - present"].join("\n"));
      const { opportunityId } = sandbox.actions.applyToPosting(posting.id, {
        name,
        email,
        resume: { name: "resume.txt", contentType: "text/plain", bytes },
        eeo: answers,
      });
      applicants.push({ opportunityId, name, email });
    }
    const deadline = Date.now() + 90_000;
    for (;;) {
      const all = await listProposals(running.ctx.db, { limit: 1000 });
      if (applicants.every((a) => all.some((p) => p.opportunityId === a.opportunityId && p.stepId === "note"))) break;
      if (Date.now() > deadline) throw new Error("screening did not finish for every applicant");
      await new Promise((r) => setTimeout(r, 150));
    }
  });

  after(async () => {
    await running?.stop({ timeoutMs: 2000 });
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signedInGet(path: string): Promise<Response> {
    const login = await fetch(`${running.url}/console/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "auditor@example.com", password: PASSWORD }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .join("; ");
    return fetch(`${running.url}${path}`, { headers: { cookie } });
  }

  it("reports selection rates by sex from Lever's EEO responses and flags the group below 0.8", async () => {
    const res = await signedInGet("/console/api/fairness");
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const report = JSON.parse(text) as {
      available: boolean;
      note?: string;
      tables: {
        postingId: string;
        dimension: string;
        total: number;
        unknown: number;
        rows: { group: string; n: number; ai: { rate: number; impactRatio: number | null; flagged: boolean } | null }[];
      }[];
    };
    assert.equal(report.available, true, report.note ?? "");
    const bySex = report.tables.find((t) => t.postingId === postingId && t.dimension === "sex");
    assert.ok(bySex, `no table by sex for the posting: ${text.slice(0, 500)}`);
    assert.equal(bySex.total, applicants.length);
    // "Decline to self-identify" and the skipped survey are counted as unknown, not as a group.
    assert.equal(bySex.unknown, 2);
    const female = bySex.rows.find((r) => r.group === "Female")!;
    const male = bySex.rows.find((r) => r.group === "Male")!;
    assert.equal(female.n, 4);
    assert.equal(male.n, 4);
    assert.ok(female.ai && male.ai);
    assert.ok(female.ai.rate < male.ai.rate, `female ${female.ai.rate}, male ${male.ai.rate}`);
    assert.ok(female.ai.impactRatio !== null && female.ai.impactRatio < 0.8);
    assert.equal(female.ai.flagged, true);
    assert.ok(
      report.tables.some((t) => t.postingId === postingId && t.dimension === "race"),
      "race is reported too",
    );
  });

  it("reports a later stage from the account's stage order, leaving out whoever is still at it", async () => {
    const sandbox = running.sandbox!;
    const id = (name: string) => applicants.find((a) => a.name === name)!.opportunityId;
    const stage = (text: string) => sandbox.state.stages.find((s) => s.text === text)!.id;
    const notHired = sandbox.state.archiveReasons.find((r) => r.type !== "hired")!.id;
    sandbox.actions.moveStage(id("Mark One"), stage("Recruiter Screen"));
    sandbox.actions.moveStage(id("Mark One"), stage("Phone Screen")); // passed Recruiter Screen
    sandbox.actions.moveStage(id("Mark Two"), stage("Recruiter Screen"));
    sandbox.actions.archive(id("Mark Two"), notHired, null); // stopped there
    sandbox.actions.moveStage(id("Fran One"), stage("Recruiter Screen")); // still there: undecided

    const res = await signedInGet("/console/api/fairness");
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const report = JSON.parse(text) as {
      stages: { id: string; label: string; firstDecision: boolean }[];
      tables: {
        postingId: string;
        stageId: string;
        stage: string;
        dimension: string;
        total: number;
        undecided: number | null;
        measures: string[];
        rows: { group: string; human: { n: number; selected: number } | null; ai: unknown }[];
      }[];
    };
    assert.equal(report.stages[0]?.firstDecision, true, "the first decision comes first in the stage list");
    assert.ok(report.stages.some((s) => s.id === stage("Recruiter Screen") && s.label === "moving past Recruiter Screen"));
    const screen = report.tables.find((t) => t.postingId === postingId && t.stageId === stage("Recruiter Screen") && t.dimension === "sex");
    assert.ok(screen, `no table at Recruiter Screen for the posting: ${text.slice(0, 500)}`);
    assert.deepEqual([screen.total, screen.undecided, screen.measures], [3, 1, ["human"]]);
    const male = screen.rows.find((r) => r.group === "Male")!;
    assert.deepEqual([male.human?.n, male.human?.selected, male.ai], [2, 1, null]);
    assert.equal(screen.rows.find((r) => r.group === "Female")!.human, null, "Fran, still at Recruiter Screen, is not counted as rejected");

    const csv = await (await signedInGet("/console/api/fairness.csv")).text();
    assert.ok(
      csv.includes(`"Fairness test role","${postingId}","moving past Recruiter Screen","sex","Male","selection rate, human decision",2,1,0.5,`),
      csv.slice(0, 300),
    );
  });

  it("contains no individual's answers: no opportunity id, name or e-mail of an applicant", async () => {
    for (const path of ["/console/api/fairness", "/console/api/fairness.csv"]) {
      const res = await signedInGet(path);
      assert.equal(res.status, 200);
      const text = await res.text();
      for (const a of applicants) {
        assert.equal(text.includes(a.opportunityId), false, `${path} names opportunity ${a.opportunityId}`);
        assert.equal(text.includes(a.name), false, `${path} names ${a.name}`);
        assert.equal(text.includes(a.email), false, `${path} shows ${a.email}`);
      }
      assert.doesNotMatch(text, /veteran|disability|eeoSurveyRespondedAt/i);
    }
  });
});
