import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { interviewerOdds, mostLikelyRoles, ROLE_FEATURES, ROLE_WEIGHTS, utteranceFeatures } from "./role-model.ts";

describe("the role model for transcripts that name no speakers", () => {
  it("has one weight per feature", () => {
    assert.equal(ROLE_WEIGHTS.length, ROLE_FEATURES.length);
    assert.equal(utteranceFeatures("anything at all").length, ROLE_FEATURES.length);
  });
  it("gives a recogniser's unpunctuated question to the interviewer and a first-person account to the candidate", () => {
    // Neither has a question mark or opens with an interrogative: the question rule alone got both wrong.
    assert.ok(interviewerOdds(utteranceFeatures("uh you ever get caught out in some nasty weather out there")) > 0.5);
    assert.ok(
      interviewerOdds(utteranceFeatures("and as far as upkeep yeah i do the daily stuff myself so checking oil greasing the fittings and the blades")) < 0.5,
    );
  });
  it("labels a whole recogniser-style exchange, backchannels and all", () => {
    const roles = mostLikelyRoles([
      "alright thanks for coming out you find the building okay",
      "yeah i just followed the trucks honestly",
      "so what kind of machines have you run and do you do your own upkeep on them",
      "mostly zero turns i ran them for three years at the golf course and i did the daily checks myself every morning before the crew came in",
      "mm-hm",
      "and i sharpened the blades every week because the superintendent was picky about the cut on the greens",
      "you ever get caught out in some nasty weather out there",
      "oh yeah the worst one was a tournament after three inches of rain and we came in at four in the morning to push the sand back up",
    ]);
    assert.deepEqual(roles, ["interviewer", "candidate", "interviewer", "candidate", "interviewer", "candidate", "interviewer", "candidate"]);
  });
  it("returns nothing for nothing", () => {
    assert.deepEqual(mostLikelyRoles([]), []);
  });
});
