import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseResume } from "../parse-resume.ts";

const asOf = { year: 2026, month: 10 };
const TEXT = `Jane Q. Doe
Seattle, WA | jane@example.com | (206) 555-0100

WORK EXPERIENCE
Google — Senior Software Engineer
June 2019 - Present
- Built Kubernetes operators in Go
Senior Software Engineer at Amazon, 2016–2019
- Led a team of 5 on DynamoDB tooling
Acme Corp | Product Manager | 01/2014 – 03/2016
* Owned the roadmap
Freelance Consultant, Self-employed   2015-06 to 2016-12
- Advised two startups on their cloud bills

EDUCATION
University of Washington, B.S. Computer Science, 2010 - 2014

SKILLS
Go; Python; k8s; Postgres; JS

CERTIFICATIONS
Certified Kubernetes Administrator (CKA) - CNCF (2021)

LANGUAGES
English (native), Spanish (conversational)

LINKS
https://github.com/janeqdoe
`;

describe("building a profile from resume text", () => {
  it("reads work history in different one-line and two-line forms", async () => {
    const p = (await parseResume(new TextEncoder().encode(TEXT), { filename: "cv.txt", asOf })).profile;
    assert.deepEqual(
      p.positions.map((x) => [x.title, x.org, x.start, x.end, x.current]),
      [
        ["Senior Software Engineer", "Google", { year: 2019, month: 6 }, null, true],
        ["Senior Software Engineer", "Amazon", { year: 2016, month: 1 }, { year: 2019, month: 12 }, false],
        ["Product Manager", "Acme Corp", { year: 2014, month: 1 }, { year: 2016, month: 3 }, false],
        ["Freelance Consultant", "Self-employed", { year: 2015, month: 6 }, { year: 2016, month: 12 }, false],
      ],
    );
    assert.deepEqual(p.positions[0]!.details, ["Built Kubernetes operators in Go"]);
  });

  it("counts years with overlapping jobs merged", async () => {
    const p = (await parseResume(new TextEncoder().encode(TEXT), { filename: "cv.txt", asOf })).profile;
    // Jan 2014 – Oct 2026 without a break: the freelance work overlaps two jobs and adds nothing.
    assert.equal(p.totalMonths, 154);
    assert.equal(p.gapMonths, 0);
  });

  it("reads education, skills, certifications, languages, links, name and location", async () => {
    const p = (await parseResume(new TextEncoder().encode(TEXT), { filename: "cv.txt", asOf })).profile;
    assert.deepEqual(p.education, [{ school: "University of Washington", degree: "B.S.", field: "Computer Science", degreeText: "B.S. Computer Science", startYear: 2010, endYear: 2014 }]);
    for (const s of ["Go", "Python", "Kubernetes", "PostgreSQL", "JavaScript"]) assert.ok(p.skills.some((x) => x.name === s && x.source === "skills-section"), s);
    assert.deepEqual(p.certifications, ["Certified Kubernetes Administrator (CKA)"]);
    assert.deepEqual(p.languages, [{ language: "English", proficiency: "native" }, { language: "Spanish", proficiency: "conversational" }]);
    assert.deepEqual(p.links, ["https://github.com/janeqdoe"]);
    assert.equal(p.name, "Jane Q. Doe");
    assert.equal(p.location, "Seattle, WA");
  });
});
