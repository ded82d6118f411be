import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interviewPostingSchema } from "../../../config/index.ts";
import { clockTime, interviewSetFor, momentLink, triageTag } from "./interview-analysis.ts";

const set = (posting: string, stage?: string) => interviewPostingSchema.parse({ posting, ...(stage ? { stage } : {}), questions: [{ id: `${posting}-${stage ?? "any"}`, text: "Tell me about yourself." }] });

describe("interview analysis helpers", () => {
  it("picks the stage's own question set, else the posting's stage-less one, by id or name in any case", () => {
    const postings = [set("Account Executive"), set("Account Executive", "Video Interview"), set("p-2")];
    const ae = { id: "p-1", text: "Account Executive" };
    assert.equal(interviewSetFor(postings, ae, { id: "s-9", text: "video interview" })?.questions[0]?.id, "Account Executive-Video Interview");
    assert.equal(interviewSetFor(postings, ae, { id: "s-1", text: "Phone Screen" })?.questions[0]?.id, "Account Executive-any");
    assert.equal(interviewSetFor(postings, ae, null)?.questions[0]?.id, "Account Executive-any");
    assert.equal(interviewSetFor(postings, { id: "p-2" }, null)?.questions[0]?.id, "p-2-any");
    assert.equal(interviewSetFor(postings, { id: "p-3", text: "Nurse" }, null), null);
  });

  it("bands an advisory score into a triage tag only when the posting set thresholds", () => {
    const triage = { strongAt: 75, weakBelow: 40, tagPrefix: "interview" };
    assert.equal(triageTag(75, triage), "interview-strong");
    assert.equal(triageTag(74, triage), "interview-review");
    assert.equal(triageTag(39, triage), "interview-weak");
    assert.equal(triageTag(90, null), "");
    assert.equal(triageTag(undefined, triage), "");
  });

  it("writes times as a clock and links to the moment on the player, keeping its query", () => {
    assert.equal(clockTime(7.9), "0:07");
    assert.equal(clockTime(723), "12:03");
    assert.equal(clockTime(3729), "1:02:09");
    assert.equal(momentLink("https://player.example/v/1?lang=en", 14.6), "https://player.example/v/1?lang=en&t=14");
    assert.equal(momentLink("https://player.example/v/1?t=3", 20), "https://player.example/v/1?t=20");
    assert.equal(momentLink("", 20), "");
  });
});
