import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseResume } from "./parse-resume.ts";

const asOf = { year: 2026, month: 10 };

function has(...tools: string[]): boolean {
  try {
    for (const t of tools) execFileSync("sh", ["-c", `command -v ${t}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs a real producer in a scratch folder and returns the PDF it wrote. */
function produce(source: string, name: string, commands: (dir: string) => [string, string[]][]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-producer-"));
  try {
    writeFileSync(join(dir, name), source, "latin1");
    for (const [cmd, args] of commands(dir)) execFileSync(cmd, args, { cwd: dir, stdio: "ignore", timeout: 60_000 });
    return new Uint8Array(readFileSync(join(dir, "out.pdf")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// An "ATS-friendly" resume as a text editor prints it: every heading in the body's font.
const TEXT = `Maria Gonzalez
Austin, TX | maria.gonzalez@example.com | 512-555-0143

Summary
Backend engineer with eight years building payment systems.

Work History

Senior Software Engineer, Stripe
March 2019 - Present
- Designed idempotent payment APIs in Java and Kotlin
- Moved batch jobs to Apache Kafka and PostgreSQL

Northwind Traders
Software Engineer
06/2015 - 02/2019
- Built merchant reporting with Python and Redis

Education
University of Texas at Austin, B.S. Computer Science, 2011 - 2015

Core Competencies
Java, Kotlin, Python, PostgreSQL, Redis, Terraform, Docker
`;

const expectProfile = async (pdf: Uint8Array) => {
  const parsed = await parseResume(pdf, { filename: "cv.pdf", asOf, ocr: false });
  assert.equal(parsed.status, "parsed", parsed.message ?? "");
  assert.deepEqual(parsed.profile.sections, ["header", "summary", "experience", "education", "skills"]);
  assert.deepEqual(
    parsed.profile.positions.map((p) => [p.title, p.org, p.start, p.end]),
    [
      ["Senior Software Engineer", "Stripe", { year: 2019, month: 3 }, null],
      ["Software Engineer", "Northwind Traders", { year: 2015, month: 6 }, { year: 2019, month: 2 }],
    ],
  );
  for (const s of ["Java", "Kotlin", "Python", "PostgreSQL", "Redis", "Terraform", "Docker", "Apache Kafka"])
    assert.ok(
      parsed.profile.skills.some((x) => x.name === s),
      s,
    );
  assert.ok(!parsed.profile.skills.some((x) => x.name === "Stripe"), "an employer is not a skill");
  assert.deepEqual(
    parsed.profile.education.map((e) => [e.school, e.degree]),
    [["University of Texas at Austin", "B.S."]],
  );
};

describe("resumes printed by tools Fulcrum did not write", () => {
  it("reads a plain-text resume printed by enscript and Ghostscript, headings in the body's font", {
    skip: has("enscript", "ps2pdf") ? false : "enscript or ps2pdf (Ghostscript) is not installed",
  }, async () => {
    await expectProfile(
      produce(TEXT, "cv.txt", () => [
        ["enscript", ["-B", "-q", "-p", "cv.ps", "cv.txt"]],
        ["ps2pdf", ["cv.ps", "out.pdf"]],
      ]),
    );
  });

  it("reads the same resume typeset by groff (ligatures, word gaps as character spacing) through Ghostscript", {
    skip: has("groff", "ps2pdf") ? false : "groff or ps2pdf (Ghostscript) is not installed",
  }, async () => {
    // Filled, justified text: groff sets "ffi" ligatures and Ghostscript writes some spaces as spacing.
    const roff = TEXT.split("\n")
      .map((l) => (l === "" ? ".sp" : l.startsWith("- ") ? `.br\n\\(bu ${l.slice(2)}` : `.br\n${l}`))
      .join("\n");
    const pdf = produce(`.nh\n${roff}\n.br\nStaffing office efficiency for difficult affiliates.\n`, "cv.roff", () => [
      ["sh", ["-c", "groff -Tps cv.roff > cv.ps"]],
      ["ps2pdf", ["cv.ps", "out.pdf"]],
    ]);
    await expectProfile(pdf);
    const parsed = await parseResume(pdf, { filename: "cv.pdf", asOf, ocr: false });
    assert.match(parsed.text, /Staffing office efficiency for difficult affiliates\./);
  });
});
