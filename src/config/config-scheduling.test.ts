/** The `scheduling:` section of the configuration: interview panels per posting and stage. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "./config.ts";

function withFile(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-config-sched-"));
  try {
    const file = join(dir, "fulcrum.config.yaml");
    writeFileSync(file, yaml);
    return loadConfig({ FULCRUM_CONFIG: file, FULCRUM_DATA_DIR: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("scheduling panels in the configuration", () => {
  it("has no panels and the interview pattern by default", () => {
    const c = withFile("port: 4100\n");
    assert.deepEqual(c.scheduling, { defaults: {}, interviewPattern: "\\binterview", panels: [] });
  });

  it("reads a panel per posting and stage with sessions, pools by id or e-mail, caps, opt-outs and a shadow seat", () => {
    const c = withFile(
      [
        "scheduling:",
        "  defaults: { windowBusinessDays: 7, bufferMinutes: 10, loadCaps: { perDay: 2, perWeek: 6 } }",
        "  panels:",
        "    - posting: Backend Engineer",
        "      stage: [On-site Interview]",
        "      order: hiringManagerFirst",
        "      maxGapMinutes: 15",
        "      sessions:",
        "        - { title: System design, minutes: 60, need: 2, pool: [rafael@example.com, yusuf@example.com, u-3] }",
        "        - { id: hm, title: Hiring manager, minutes: 45, pool: [hiringManager] }",
        "      optedOut: [u-3]",
        "      shadow: { pool: [trainee@example.com] }",
      ].join("\n"),
    );
    const panel = c.scheduling!.panels[0]!;
    assert.deepEqual(panel.posting, ["Backend Engineer"]);
    assert.deepEqual(panel.stage, ["On-site Interview"]);
    assert.equal(panel.order, "hiringManagerFirst");
    assert.equal(panel.sessions[1]!.need, 1, "need defaults to one interviewer");
    assert.deepEqual(panel.shadow, { pool: ["trainee@example.com"], sessions: "first" });
    assert.deepEqual(c.scheduling!.defaults.loadCaps, { perDay: 2, perWeek: 6 });
  });

  it("names the path of a bad value", () => {
    const bad = (yaml: string, key: RegExp, message: RegExp) =>
      assert.throws(
        () => withFile(yaml),
        (e: unknown) => e instanceof ConfigError && key.test(e.key) && message.test(e.message),
        `${key} / ${message}`,
      );
    bad(
      "scheduling:\n  panels:\n    - { stage: Onsite, sessions: [{ title: A, minutes: 2, pool: [a@example.com] }] }\n",
      /scheduling\.panels\[0\]\.sessions\[0\]\.minutes$/,
      /too small|>=5/,
    );
    bad("scheduling:\n  panels:\n    - { sessions: [{ title: A, minutes: 30, pool: [a@example.com] }] }\n", /scheduling\.panels\[0\]\.stage$/, /not valid/);
    bad(
      "scheduling:\n  panels:\n    - { stage: Onsite, sessions: [{ title: A, minutes: 30, need: 3, pool: [a@example.com, b@example.com] }] }\n",
      /scheduling\.panels\[0\]\.sessions\[0\]\.need$/,
      /needs 3 interviewers but the pool names only 2/,
    );
    bad(
      "scheduling:\n  panels:\n    - { stage: Onsite, sessions: [{ id: x, title: A, minutes: 30, pool: [a] }, { id: x, title: B, minutes: 30, pool: [b] }] }\n",
      /scheduling\.panels\[0\]\.sessions\[1\]\.id$/,
      /used twice/,
    );
    bad("scheduling:\n  defaults: { sameDay: false }\n", /scheduling\.defaults\.sameDay$/, /only same-day panels/);
    bad("scheduling:\n  defaults: { loadCaps: { perDay: 0 } }\n", /scheduling\.defaults\.loadCaps\.perDay$/, /not valid/);
    bad("scheduling:\n  interviewPattern: '(unclosed'\n", /scheduling\.interviewPattern$/, /not a regular expression/);
    bad(
      "scheduling:\n  panels:\n    - { stage: Onsite, colour: red, sessions: [{ title: A, minutes: 30, pool: [a] }] }\n",
      /scheduling\.panels\[0\]/,
      /colour|Unrecognized/,
    );
  });
});
