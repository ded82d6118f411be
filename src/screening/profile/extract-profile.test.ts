import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseResume, parsedFromLines } from "../parse-resume.ts";
import type { TextLine } from "../read/types.ts";
import { extractProfile } from "./extract-profile.ts";

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
    assert.deepEqual(p.education, [
      { school: "University of Washington", degree: "B.S.", field: "Computer Science", degreeText: "B.S. Computer Science", startYear: 2010, endYear: 2014 },
    ]);
    for (const s of ["Go", "Python", "Kubernetes", "PostgreSQL", "JavaScript"])
      assert.ok(
        p.skills.some((x) => x.name === s && x.source === "skills-section"),
        s,
      );
    assert.deepEqual(p.certifications, ["Certified Kubernetes Administrator (CKA)"]);
    assert.deepEqual(p.languages, [
      { language: "English", proficiency: "native" },
      { language: "Spanish", proficiency: "conversational" },
    ]);
    assert.deepEqual(p.links, ["https://github.com/janeqdoe"]);
    assert.equal(p.name, "Jane Q. Doe");
    assert.equal(p.location, "Seattle, WA");
  });
});

/** Lines in the body's style with no heading Fulcrum knows: nothing marks where the work history is. */
function plainLines(text: string): TextLine[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((t) => ({ text: t, page: 1, fontSize: 10, bold: false, heading: false }));
}

describe("a profile from a resume whose sections were not found", () => {
  it("takes positions from date lines and title/company patterns anywhere in the text", () => {
    const p = extractProfile(
      plainLines(`Sam Rivera
Staff Engineer, Northwind Traders
Jan 2021 - Present
- Runs the billing platform
Globex — Software Engineer   2017-03 to 2020-12
Senior Analyst at Initech
2014 - 2016
Umbrella Corp
Data Analyst
03/2012 - 12/2013
Kattegat Institute of Technology, B.S. Physics, 2008 - 2012`),
      { asOf },
    );
    assert.deepEqual(
      p.positions.map((x) => [x.title, x.org, x.start, x.end]),
      [
        ["Staff Engineer", "Northwind Traders", { year: 2021, month: 1 }, null],
        ["Software Engineer", "Globex", { year: 2017, month: 3 }, { year: 2020, month: 12 }],
        ["Senior Analyst", "Initech", { year: 2014, month: 1 }, { year: 2016, month: 12 }],
        ["Data Analyst", "Umbrella Corp", { year: 2012, month: 3 }, { year: 2013, month: 12 }],
      ],
    );
    // The school's dates are not a job; the school is read as education.
    assert.deepEqual(
      p.education.map((e) => [e.school, e.degree]),
      [["Kattegat Institute of Technology", "B.S."]],
    );
  });

  it("does not take a header block across a gap: the sentence ending the last job is not the next employer", () => {
    const lines: TextLine[] = [
      { text: "Experience", page: 1, fontSize: 10, bold: false, heading: false, gapBefore: true },
      { text: "Northwestern Mutual", page: 1, fontSize: 10, bold: false, heading: false, gapBefore: true },
      { text: "Marketing Manager", page: 1, fontSize: 10, bold: false, heading: false },
      { text: "Apr 2018 - Present", page: 1, fontSize: 10, bold: false, heading: false },
      { text: "Managed email programs in HubSpot and Salesforce.", page: 1, fontSize: 10, bold: false, heading: false },
      { text: "Groupon", page: 1, fontSize: 10, bold: false, heading: false, gapBefore: true },
      { text: "Marketing Coordinator", page: 1, fontSize: 10, bold: false, heading: false },
      { text: "Sep 2014 - Mar 2018", page: 1, fontSize: 10, bold: false, heading: false },
      { text: "Digital Marketing Specialist at Rhône Outdoor Co.", page: 1, fontSize: 10, bold: false, heading: false },
      { text: "Sep 2012 - Aug 2014", page: 1, fontSize: 10, bold: false, heading: false },
    ];
    const p = extractProfile(lines, { asOf });
    assert.deepEqual(
      p.positions.map((x) => [x.title, x.org]),
      [
        ["Marketing Manager", "Northwestern Mutual"],
        ["Marketing Coordinator", "Groupon"],
        ["Digital Marketing Specialist", "Rhône Outdoor Co."],
      ],
    );
  });

  it("finds skills anywhere: a list line with no Skills heading counts, ordinary words in prose need their name's spelling", () => {
    const p = extractProfile(
      plainLines(`Sam Rivera
Go, Python, Kubernetes, Terraform, PostgreSQL
I like to go hiking and I write in plain english.
Moved our services to Docker last year.`),
      { asOf },
    );
    assert.deepEqual(
      p.skills.map((s) => [s.name, s.source]),
      [
        ["Go", "skills-section"],
        ["Python", "skills-section"],
        ["Kubernetes", "skills-section"],
        ["Terraform", "skills-section"],
        ["PostgreSQL", "skills-section"],
        ["Docker", "text"],
      ],
    );
  });

  it("does not count an employer named in a position's header as a skill", () => {
    const p = extractProfile(
      plainLines(`Experience
Senior Software Engineer, Stripe
March 2019 - Present
- Built payment APIs in Kotlin`),
      { asOf },
    );
    assert.deepEqual(
      p.skills.map((s) => s.name),
      ["Kotlin"],
    );
  });

  it("reads a Languages section of programming languages as skills, and one of spoken languages as languages", () => {
    const code = extractProfile(plainLines("Jane Doe\nLanguages\nPython, TypeScript, Go"), { asOf });
    assert.deepEqual(
      code.skills.map((s) => s.name),
      ["Python", "TypeScript", "Go"],
    );
    assert.deepEqual(code.languages, []);
    const spoken = extractProfile(plainLines("Jane Doe\nLanguages\nEnglish, Swahili"), { asOf });
    assert.deepEqual(
      spoken.languages.map((l) => l.language),
      ["English", "Swahili"],
    );
    assert.deepEqual(spoken.skills, []);
  });
});

describe("details other producers write differently", () => {
  it("does not take a skills group's label for a skill, and reads a degree written with 'in'", () => {
    const p = extractProfile(
      plainLines("Jane Doe\nSkills\nSkills, Leadership, Python, SAP\nEducation\nUniversidad del Turia, B.Eng. in Industrial Engineering, 2016"),
      { asOf },
    );
    assert.deepEqual(
      p.skills.map((s) => s.name),
      ["Leadership", "Python", "SAP"],
    );
    assert.deepEqual(
      p.education.map((e) => [e.degree, e.field]),
      [["B.Eng.", "Industrial Engineering"]],
    );
  });
});

describe("positions in a JSON Resume theme's layout", () => {
  it("reads a title set as a heading above its employer, across the theme's spacing, and not a prose line above it", () => {
    const l = (text: string, extra: Partial<TextLine> = {}): TextLine => ({ text, page: 1, fontSize: 10.5, bold: false, heading: false, ...extra });
    const big = { fontSize: 16.4, bold: true, heading: true };
    const p = extractProfile(
      [
        l("Work", { fontSize: 20.5, bold: true, heading: true }),
        l("Data Analyst (Contract)", big),
        l("Freelance · Independent analytics consulting"),
        l("Aug 2024 – Apr 2025", { gapBefore: true }),
        l("Austin, TX"),
        l("Automated weekly reporting that saved owners roughly 5 hours per week"),
        l("General Manager", { ...big, gapBefore: true }),
        l("Salt & Cedar Restaurant Group · Regional restaurant group, four locations"),
        l("Mar 2018 – Jul 2024", { gapBefore: true }),
        l("Austin, TX"),
        l("Hired, trained, and retained a team of 35 across front and back of house"),
        l("Shift Supervisor", big),
        l("Café Lumen · Independent neighborhood cafe"),
        l("Jan 2016 – Feb 2018", { gapBefore: true }),
        l("Austin, TX"),
        l("Skills", { fontSize: 20.5, bold: true, heading: true }),
        l("SQL, dbt, Excel"),
      ],
      { asOf },
    );
    assert.deepEqual(p.sections, ["header", "experience", "skills"]);
    assert.deepEqual(
      p.positions.map((x) => [x.title, x.org]),
      [
        ["Data Analyst (Contract)", "Freelance"],
        ["General Manager", "Salt & Cedar Restaurant Group"],
        ["Shift Supervisor", "Café Lumen"],
      ],
    );
  });
});

describe("a bullet's wrapped last words", () => {
  it("are not the next position's employer", () => {
    const p = extractProfile(
      plainLines(`Experience
Huron Drive Systems, Detroit, MI
Mechanical Design Engineer
2021-08 to present
• Ran tolerance stack-ups and thermal models in
MATLAB.
Great Lakes Stamping, Toledo, OH
Manufacturing Engineer
2018-06 to 2021-07`),
      { asOf },
    );
    assert.deepEqual(
      p.positions.map((x) => [x.title, x.org]),
      [
        ["Mechanical Design Engineer", "Huron Drive Systems"],
        ["Manufacturing Engineer", "Great Lakes Stamping"],
      ],
    );
    assert.ok(p.skills.some((x) => x.name === "MATLAB"));
  });
});

describe("a resume that yields nothing", () => {
  it("is partial with the reason, never parsed", () => {
    const read = {
      status: "parsed" as const,
      format: "pdf" as const,
      lines: plainLines("Casey Example\nI would love to join your team one day.\nThank you for your time."),
      hiddenText: [],
      flags: [],
    };
    const parsed = parsedFromLines(read, { asOf });
    assert.equal(parsed.status, "partial");
    assert.equal(parsed.message, "No positions or skills found: the layout was not understood.");
    assert.ok(parsed.flags.includes("layout-not-understood"));
    // A resume with content stays parsed.
    assert.equal(parsedFromLines({ ...read, lines: plainLines("Casey Example\nPython, Go, Docker") }, { asOf }).status, "parsed");
  });
});

describe("skills named outside a skills list", () => {
  it("are not read from links or profile handles", () => {
    const p = extractProfile(
      plainLines(`Maya Okonkwo
maya@example.com
mayaokonkwo (GitHub)
GitHub: mokonkwo
mayaokonkwo.example.com/gitlab
Summary
Built data services in Python and shipped them with Docker.`),
      { asOf },
    );
    assert.deepEqual(
      p.skills.map((s) => s.name),
      ["Python", "Docker"],
    );
  });

  it("read a name cut by a line wrap whole, not as its parts", () => {
    const p = extractProfile(
      plainLines(`Chloé Martin
Summary
Growth marketer for subscription products; strongest in Search
Engine Optimization, lifecycle e-mail and paid acquisition.`),
      { asOf },
    );
    assert.deepEqual(
      p.skills.map((s) => s.name),
      ["Search Engine Optimization"],
    );
  });
});
