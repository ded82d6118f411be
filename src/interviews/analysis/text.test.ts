import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isAcknowledgement, isFollowUpQuestion, isQuestionUtterance, isSmallTalk, isSmallTalkTurn, questionIntents, topicTokens } from "./text.ts";

describe("question detection", () => {
  it("finds interrogatives, with or without a question mark", () => {
    assert.equal(isQuestionUtterance("How do you handle conflict?"), true);
    assert.equal(isQuestionUtterance("so what drew you to this role"), true);
  });
  it("finds imperative prompts such as tell me about and walk me through", () => {
    for (const t of [
      "Tell me about a time you failed.",
      "Okay. Walk me through your last project.",
      "Describe your approach to testing.",
      "I'd love to hear about your biggest deal.",
    ]) {
      assert.equal(isQuestionUtterance(t), true, t);
    }
  });
  it("does not take a statement or a rhetorical question followed by its answer for a question", () => {
    assert.equal(isQuestionUtterance("I led the payments team for two years."), false);
    assert.equal(isQuestionUtterance("What did I learn? Mostly that you ask for help early."), false);
  });
  it("tells follow-ups from new topics", () => {
    assert.equal(isFollowUpQuestion("How did your manager react?"), true);
    assert.equal(isFollowUpQuestion("What about flaky tests?"), true);
    assert.equal(isFollowUpQuestion("Good. Have you ever had to deal with an accident or a near miss on the floor?"), false);
  });
  it("recognises acknowledgements and small talk", () => {
    assert.equal(isAcknowledgement("Great, thanks."), true);
    assert.equal(isAcknowledgement("Great, I led the team."), false);
    assert.equal(isSmallTalk("Did you find the building okay?"), true);
    assert.equal(isSmallTalk("Tell me about a conflict."), false);
  });
});

describe("interviewer habits", () => {
  it("takes a question to the other person followed by a short gloss for a question", () => {
    assert.equal(isQuestionUtterance("Okay so first, what kit are you comfortable using? Scan tools, scopes, that sort of thing."), true);
    assert.equal(isQuestionUtterance("Do you support a football team, by the way? I see the keyring."), true);
    // A question the speaker answers at length is still not one.
    assert.equal(
      isQuestionUtterance("Why did I stay? Because the team was good, the work was varied and I was learning something new every single week there."),
      false,
    );
  });
  it("reads a turn that opens with an acknowledgement, or sets up a scenario first, as a new topic", () => {
    assert.equal(isFollowUpQuestion("Okay. What if someone on the team is not pulling their weight?"), false);
    assert.equal(isFollowUpQuestion("Nice. Was there a point where a job got too slow?"), false);
    assert.equal(isFollowUpQuestion("You might carry twenty or more cases here. How would you stay on top of that?"), false);
    assert.equal(isFollowUpQuestion("What did you learn from that one?"), true);
    assert.equal(isFollowUpQuestion("And if he gets frustrated?"), true);
  });
  it("takes statements of interest, scenarios and 'pick one' for prompts", () => {
    for (const t of [
      "With that in mind, I'd be curious to hear about an occasion where a date got away from you.",
      "Pick a grievance you've dealt with, and take me from the moment it landed to the moment it was closed.",
      "Let's say a customer rings in a panic on a Sunday.",
    ])
      assert.equal(isQuestionUtterance(t), true, t);
    assert.equal(isQuestionUtterance("I picked a grievance procedure that fitted the case."), false);
  });
  it("reads a short question that opens with a follow-up phrase, not one that is merely terse, as clearly a follow-up", () => {
    assert.equal(isFollowUpQuestion("Nights and weekends. Up for it?"), true);
    assert.equal(isFollowUpQuestion("Nights and weekends. Up for it?", { clearly: true }), false);
    assert.equal(isFollowUpQuestion("How did the parents react?", { clearly: true }), true);
  });
  it("does not take the speaker's own account of what they do for a prompt", () => {
    assert.equal(isQuestionUtterance("I always knock and explain what I'm going to do before I start."), false);
    assert.equal(isQuestionUtterance("We describe the plan to the family first."), false);
    assert.equal(isQuestionUtterance("I'd love to hear about your last project."), true);
  });
  it("reads a conditional continuation ('And if it doesn't work?') as clearly a follow-up", () => {
    assert.equal(isFollowUpQuestion("And if it doesn't work?", { clearly: true }), true);
    assert.equal(isFollowUpQuestion("But if the customer still says no?", { clearly: true }), true);
  });
  it("takes 'talk through' and 'run through' without 'me' for prompts", () => {
    assert.equal(isQuestionUtterance("You arrive at a collision and a crowd is gathering. Talk through how you keep a clear head."), true);
    assert.equal(isQuestionUtterance("Run through the checks you would make."), true);
  });
  it("counts an offer of a drink as small talk, not a question that mentions coffee", () => {
    for (const t of ["Can I get you a water or anything?", "Sound. Tea?", "Would you like a coffee before we start?"])
      assert.equal(isSmallTalkTurn(t), true, t);
    assert.equal(isSmallTalkTurn("So in that kind of crush, how do you stop the coffee going downhill?"), false);
  });
  it("counts the end of the interviewer's list ('that's all my questions, any for me?') as housekeeping", () => {
    for (const t of ["that's all my questions do you have any for me", "thats all the questions i had from me anything for us"])
      assert.equal(isSmallTalkTurn(t), true, t);
  });
  it("finds the question at the end of a recogniser's unpunctuated utterance", () => {
    assert.equal(isQuestionUtterance("first thing i have to check is your sia badge is that in date"), true);
    assert.equal(isQuestionUtterance("okay so say you're on a big site at night what does a patrol look like for you"), true);
    assert.equal(isQuestionUtterance("i keep my voice low and my body language open then i explain what i can do and what i can't"), false);
    assert.equal(isQuestionUtterance("when there were lots of late checkouts i told my supervisor early so she could move someone to help"), false);
  });
  it("counts travel and connection checks as small talk", () => {
    for (const t of ["Fine. And how do you get here, do you drive?", "Is the video working for you?", "How was the journey in?"])
      assert.equal(isSmallTalkTurn(t), true, t);
    assert.equal(isSmallTalkTurn("Do you hold a clean driving licence?"), false);
  });
});

describe("topic tokens", () => {
  it("folds synonyms and drops question scaffolding", () => {
    const asked = topicTokens("Tell me about a disagreement with a coworker");
    assert.equal(asked.length, 2);
    assert.deepEqual(topicTokens("a clash with a teammate"), asked);
    assert.deepEqual(topicTokens("conflicts with colleagues"), asked);
  });
});

describe("paraphrases meet", () => {
  it("folds multi-word paraphrases onto one token", () => {
    assert.deepEqual(topicTokens("a project that got behind schedule"), topicTokens("a project that ran late"));
    assert.deepEqual(topicTokens("How do you keep on top of risks?"), topicTokens("How do you track risks?"));
  });
  it("gives a short stem back the 'e' a cut suffix took ('biting', 'bites')", () => {
    assert.deepEqual(topicTokens("biting"), topicTokens("bites"));
    assert.deepEqual(topicTokens("coding"), topicTokens("code"));
    assert.deepEqual(topicTokens("sitting"), topicTokens("sit"));
  });
  it("meets word families the stemmer does not know, and undoubles cut consonants", () => {
    assert.deepEqual(topicTokens("the prescriber"), topicTokens("the prescription"));
    assert.deepEqual(topicTokens("planned"), topicTokens("plan"));
    assert.deepEqual(topicTokens("running"), topicTokens("run"));
  });
  it("drops contractions and the discourse markers that open a turn", () => {
    assert.deepEqual(topicTokens("Good. First, what's your licence? You're sure?"), topicTokens("licence"));
  });
  it("reads a negated quality as its opposite, and a wrong value as a matter of correctness", () => {
    assert.deepEqual(topicTokens("a guest who was not happy").sort(), topicTokens("an unhappy guest").sort());
    assert.deepEqual(topicTokens("bad data"), topicTokens("correct data"));
  });
  it("meets everyday paraphrases of persuading, unfamiliarity and organising", () => {
    assert.deepEqual(topicTokens("How did you bring them round?"), topicTokens("How did you persuade them?"));
    assert.deepEqual(topicTokens("an area you've never touched").sort(), topicTokens("an unfamiliar area").sort());
    assert.deepEqual(topicTokens("Have you put on an event?"), topicTokens("Have you organised an activity?"));
    assert.deepEqual(topicTokens("someone who won't take their tablets"), topicTokens("someone who refused their tablets"));
    assert.ok(topicTokens("keep it respectful").includes(topicTokens("dignity")[0]!));
    assert.deepEqual(topicTokens("in that crush, keep a clear head"), topicTokens("in the rush, keep calm"));
    assert.deepEqual(topicTokens("mums and dads"), topicTokens("parents"));
    assert.deepEqual([...new Set(topicTokens("Excel, lookups"))], topicTokens("spreadsheet"));
  });
  it("names the kind of question asked", () => {
    assert.deepEqual(questionIntents("Have you ever had to calm an upset customer?"), ["intent:past-example"]);
    assert.deepEqual(questionIntents("What happens if you're behind on your round?"), ["intent:process"]);
    assert.deepEqual(questionIntents("Are you okay with working weekends?"), ["intent:availability"]);
    assert.deepEqual(questionIntents("Which scan tools have you used?"), ["intent:inventory"]);
    assert.deepEqual(questionIntents("Where do you see yourself in five years?"), ["intent:future"]);
    assert.deepEqual(questionIntents("Can you tell me about a guest who was unhappy, and what you did?"), ["intent:past-example"]);
    assert.deepEqual(questionIntents("And what made you look at us?"), ["intent:motivation"]);
  });
});

describe("habits of automatic transcripts and plain-spoken interviewers", () => {
  it("finds a prompt behind fillers and discourse markers", () => {
    assert.equal(isQuestionUtterance("okay um tell me about a time something went wrong with a payroll after it had already gone out"), true);
    assert.equal(isQuestionUtterance("alright so um take me through what you do before you even get on the truck at the start of your shift"), true);
  });
  it("takes a statement of what the interviewer wants to hear for a prompt", () => {
    assert.equal(isQuestionUtterance("I want to hear first what's brought you to this kind of work."), true);
    assert.equal(isQuestionUtterance("I'm interested in what you've done with children who have additional needs, autism, ADHD, that sort of thing."), true);
    assert.equal(isQuestionUtterance("I'm interested in history, so I volunteer at the museum."), false);
  });
  it("reads a contracted motivation question", () => {
    assert.ok(questionIntents("I want to hear first what's brought you to this kind of work.").includes("intent:motivation"));
  });
  it("knows an unpunctuated close of the interview for small talk", () => {
    assert.equal(isSmallTalkTurn("okay that's that's all i had um what questions do you have for me"), true);
    assert.equal(isSmallTalkTurn("alright that's pretty much all i got um do you have any questions for me"), true);
  });
  it("splits a hyphenated compound into its words", () => {
    assert.ok(topicTokens("payroll for a multi-state workforce").includes(topicTokens("states")[0]!));
  });
});

describe("unpunctuated questions after an acknowledgement", () => {
  it("takes a long yes/no question put to you for a question, whatever its length", () => {
    assert.equal(isQuestionUtterance("nice have you had one where nothing lined up and you had to sort it out"), true);
    assert.equal(isQuestionUtterance("when there were five of us on shift we split the floor between us and it worked"), false);
  });
  it("takes a scenario that ends in what happens for a question", () => {
    assert.equal(isQuestionUtterance("okay and say you find a watch or a phone left behind what happens"), true);
  });
  it("reads take me through what happens as asking for a process", () => {
    assert.ok(questionIntents("take me through what happens on your end once a payroll's closed").includes("intent:process"));
  });
});
