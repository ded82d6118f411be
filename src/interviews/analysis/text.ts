/**
 * Small, local text tools for interview analysis: sentences, content-word tokens reduced to a
 * crude stem and folded onto synonym groups, and whether an utterance is a question or a prompt
 * ("tell me about…", "walk me through…") rather than a statement. No model, no downloads.
 */

/** Words that carry no topic: function words and the scaffolding interviewers wrap questions in. */
const STOPWORDS = new Set(
  (
    "a an the and or but of to in on at for with from by as if so than then that this these those it its is are was were be been being am " +
    "i me my mine we us our you your yours he she him her his they them their there here who whom whose what which when where why how " +
    "do does did doing done have has had having can could would should will shall may might must not no yes " +
    "tell walk talk take give share describe explain say mention go going went through about time times example examples " +
    "please little bit some any kind sort one ones thing things really just like okay ok well um uh oh yeah right also very quite " +
    "know think get got let lets let's maybe perhaps actually basically kinda sorta something anything everything all each every " +
    "into onto over under up down out off again more most much many few lot lots other another such own same too only even still " +
    // Contractions and the discourse markers interviewers open and close turns with.
    "i'm i've i'd i'll you're you've you'd you'll we're we've we'd we'll they're it's that's there's what's who's don't didn't doesn't " +
    "can't won't wouldn't isn't wasn't aren't haven't hi hello welcome thanks thank good great nice lovely fine sure first last next " +
    "happen happens happened ever usually typically generally normally currently today work works worked working"
  ).split(" "),
);

/** Words with the same meaning in interview questions, folded onto the group's first word. */
const SYNONYM_GROUPS: readonly string[][] = [
  ["conflict", "disagreement", "disagree", "clash", "dispute", "argument", "tension", "friction"],
  ["colleague", "coworker", "co-worker", "teammate", "peer", "staff"],
  ["mistake", "error", "failure", "fail", "failed", "wrong", "slip", "blunder", "misstep", "flop", "flopped", "short", "miss", "missed", "fell"],
  ["proud", "accomplishment", "achievement", "achieve", "success", "successful", "win", "biggest", "largest", "best"],
  ["weakness", "weak", "weaknesses", "shortcoming", "development area"],
  ["improve", "improvement", "increase", "grow", "growth", "boost", "raise", "better"],
  ["strength", "strengths"],
  ["customer", "client", "patient", "user", "guest", "shopper", "buyer"],
  ["difficult", "hard", "tough", "challenging", "challenge", "angry", "upset", "demanding", "frustrated", "unhappy", "irate", "dissatisfied", "displeased"],
  ["deadline", "pressure", "rush", "urgent", "tight", "stress", "stressful", "hurry", "crush", "peak", "busiest"],
  ["calm", "composed", "clear head", "clear-headed", "keep your head", "cool-headed", "level-headed"],
  ["salary", "compensation", "pay", "expectation", "expectations", "range"],
  ["start", "begin", "join", "availability", "available", "notice"],
  [
    "motivate",
    "motivation",
    "drive",
    "attract",
    "interest",
    "interested",
    "excite",
    "appeal",
    "draw",
    "drew",
    "attract",
    "pull",
    "pulling",
    "want",
    "apply",
    "applied",
  ],
  ["job", "role", "position", "opening", "opportunity", "ward", "unit", "department"],
  ["company", "organisation", "organization", "firm", "employer", "us"],
  ["lead", "leader", "leadership", "supervise", "supervisor", "mentor", "coach", "develop", "apprentice", "trainee", "junior"],
  ["team", "group", "squad", "crew"],
  ["prioritise", "prioritize", "priority", "priorities", "juggle", "competing", "multiple", "multitask", "once", "several"],
  ["learn", "learned", "learnt", "lesson", "takeaway", "picked", "new", "recently", "recent"],
  ["change", "changed", "adapt", "adjust", "shift", "pivot"],
  ["decision", "decide", "choice", "call", "judgement", "judgment"],
  ["feedback", "criticism", "critique", "review"],
  ["safety", "safe", "hazard", "hazardous", "dangerous", "danger", "incident", "accident", "risk", "protective"],
  ["plan", "planning", "schedule", "organise", "organize", "put on", "host", "set up"],
  ["goal", "target", "quota", "objective"],
  ["career", "future", "years", "ambition", "aspiration", "long-term", "five"],
  ["leave", "leaving", "quit", "move", "moving", "depart"],
  ["project", "initiative", "piece"],
  ["data", "numbers", "metrics", "analytics", "analysis", "analyse", "analyze", "kpi", "kpis", "measure", "measures", "measuring"],
  ["spreadsheet", "spreadsheets", "excel", "vlookup", "lookups", "formulas"],
  ["parent", "parents", "mums and dads", "mum", "mums", "dad", "dads"],
  ["toddler", "toddlers", "little ones", "tots"],
  ["explain", "communicate", "communication", "present", "presentation", "non-technical", "stakeholder", "stakeholders"],
  [
    "debug",
    "troubleshoot",
    "diagnose",
    "investigate",
    "outage",
    "bug",
    "issue",
    "problem",
    "fix",
    "go about finding",
    "track down",
    "figure out what",
    "work out what",
    "pin down",
    "narrow down",
    "get to the bottom",
    "root cause",
  ],
  ["intermittent", "sporadic", "occasional", "sometimes", "occasionally", "comes and goes", "on and off", "now and then", "every so often"],
  ["design", "architect", "architecture", "build", "built", "create", "created", "invent", "devise", "devised", "come up with", "came up with"],
  ["test", "testing", "quality", "qa", "verify"],
  [
    "tool",
    "tools",
    "software",
    "stack",
    "technology",
    "technologies",
    "system",
    "systems",
    "platform",
    "crm",
    "helpdesk",
    "ticketing",
    "program",
    "application",
    "equipment",
    "instrument",
    "instruments",
    "kit",
    "machine",
    "machinery",
    "device",
    "gear",
    "apparatus",
    "scanner",
  ],
  ["remote", "distributed", "home", "hybrid"],
  [
    "persuade",
    "convince",
    "influence",
    "negotiate",
    "negotiation",
    "sell",
    "buy-in",
    "bring them round",
    "bring him round",
    "bring her round",
    "bring people round",
    "win them over",
    "win him over",
    "win her over",
    "win people over",
    "talk them round",
  ],
  ["unfamiliar", "new to you", "never touched", "never done", "never seen", "never worked", "never come across", "never dealt"],
  ["approach", "where do you start", "where would you start", "where to start", "how do you start", "how would you start"],
  ["event", "activity", "activities", "workshop", "club", "seminar", "meetup"],
  ["older", "elderly", "pensioner", "retired", "seventies", "eighties", "nineties"],
  ["budget", "cost", "money", "spend", "expense", "price", "expensive", "cheap", "pricing", "allocate"],
  ["experience", "background", "history"],
  ["deal", "contract", "sale", "close", "closed", "closing"],
  ["student", "pupil", "learner", "class", "classroom"],
  ["disruptive", "disrupt", "distract", "distracting", "misbehave", "behaviour", "behavior", "talking"],
  ["disclose", "disclosed", "told", "confide", "report", "safeguard", "safeguarding", "worry", "worrying", "worried", "concern", "concerned"],
  ["ability", "abilities", "level", "levels", "range", "mixed", "pitch", "adapt", "differentiate"],
  ["underperform", "underperforming", "slack", "slacking", "lazy", "weight", "perform", "performance"],
  ["licence", "license", "certificate", "certification", "ticket", "qualification", "qualified", "valid"],
  ["fault", "faults", "trickiest", "tricky", "hardest"],
  ["isolate", "isolation", "dead", "live", "circuit", "lockout", "lock"],
  ["queue", "volume", "busy", "backlog", "huge", "load"],
  ["unknown", "idea", "unsure", "answer"],
  ["messy", "mess", "incomplete", "dirty", "missing", "inconsistent"],
  ["nights", "night", "weekend", "weekends", "rota", "overnight"],
  ["doctor", "doctors", "physician", "physio", "physios", "pharmacy", "nurse", "nurses", "multidisciplinary", "wider"],
  ["late", "behind", "delay", "delayed", "overrun", "overran", "slip", "slipped", "overdue", "behind schedule", "running late", "ran late", "ran over"],
  ["recover", "recovery", "rescue", "catch up", "get it back", "get back on track", "back on track", "turn around", "turned around"],
  ["ensure", "make sure", "check", "checks", "inspect", "inspection", "confirm"],
  ["track", "monitor", "keep track", "keep on top", "stay on top", "keep an eye", "follow up", "watch", "watching", "observe"],
  ["dignity", "respect", "respectful", "privacy", "private", "modesty"],
  ["refuse", "refused", "refusal", "decline", "declined", "won't take", "won't eat", "won't let", "doesn't want to", "does not want to"],
  ["vehicle", "van", "car", "truck", "lorry", "fleet"],
  ["record", "records", "documentation", "document", "paperwork", "notes", "log", "logbook"],
  ["accurate", "accuracy", "precise", "precision", "correct", "reliable", "reproducible", "consistent", "consistency"],
  ["unexpected", "surprise", "surprised", "unusual", "anomaly", "deviation", "odd", "strange", "didn't fit"],
  ["theft", "steal", "stealing", "stole", "shoplifting", "fraud", "dishonest"],
  ["wellbeing", "well-being", "self-care", "burnout", "look after yourself", "look after your own", "recharge"],
  ["fast", "quick", "quickly", "speed", "asap"],
  ["comfortable", "rate", "proficient", "proficiency", "skill", "skills", "know", "familiar"],
];

/** A crude English stem: enough to meet "managing"/"managed"/"manages" in one token. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, "");
  if (w.length > 5 && w.endsWith("ing")) w = restoreE(w.slice(0, -3));
  else if (w.length > 4 && /ie[sd]$/.test(w)) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith("ed")) w = restoreE(w.slice(0, -2));
  else if (w.length > 4 && w.endsWith("es") && /(?:ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ly")) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

/**
 * What is left when "-ing" or "-ed" is cut: a doubled consonant goes ("running" → run), and a
 * three-letter consonant-vowel-consonant stem gets its "e" back ("biting" → bite, "coded" → code).
 */
function restoreE(w: string): string {
  const undoubled = undouble(w);
  if (undoubled !== w) return undoubled;
  return /^[^aeiou][aeiou][^aeiouwxy]$/.test(w) ? `${w}e` : w;
}

/** "running" → "run", "planned" → "plan": a doubled consonant left by a cut suffix goes (not "ll", "ss"). */
function undouble(w: string): string {
  return /([bdgmnprt])\1$/.test(w) ? w.slice(0, -1) : w;
}

/**
 * Stems longer than this are cut to it, so that words of one family whose endings the crude
 * stemmer does not know still meet ("prescriber"/"prescription", "accurate"/"accuracy").
 */
export const STEM_PREFIX = 6;

const SYNONYMS = new Map<string, string>();
/** Multi-word paraphrases ("behind schedule", "make sure"), longest first, with their group's head. */
const PHRASES: { pattern: RegExp; head: string }[] = [];
for (const group of SYNONYM_GROUPS) {
  const head = stem(group[0]!);
  for (const word of group) {
    if (word.includes(" ")) PHRASES.push({ pattern: new RegExp(`\\b${word.replace(/ /g, "\\s+")}\\b`, "gi"), head: group[0]! });
    else if (!SYNONYMS.has(stem(word))) SYNONYMS.set(stem(word), head);
  }
}
PHRASES.sort((a, b) => b.pattern.source.length - a.pattern.source.length);

/**
 * Paraphrases that change the words but not the topic, rewritten before tokens are taken: a
 * negated quality is its opposite ("not happy" is "unhappy"), and a wrong value is a matter of
 * correctness ("bad data" asks what "is the data correct" asks).
 */
const REWRITES: readonly [RegExp, string][] = [
  [/\b(?:not|never|wasn't|weren't|isn't|aren't)\s+(?:(?:really|very|too|so|at all|particularly)\s+)?(?:happy|satisfied|pleased|content)\b/gi, " unhappy "],
  [/\b(?:bad|wrong|incorrect|invalid|corrupt(?:ed)?|broken|dirty)\s+(data|numbers|figures|results?|records?|values?|entries|readings?)\b/gi, " accurate $1 "],
  // "Is it right?", "get it right", "would get the same number": correctness and reproducibility.
  [/\b(?:is|are|was|were|be|get (?:it|them|things)|got (?:it|them|things))\s+right\b/gi, " accurate "],
  [/\b(?:get|got|gets|getting)\s+the\s+same\s+(?:numbers?|results?|answers?|values?|readings?|figures?)\b/gi, " reproducible "],
];

/** The words of a text, lower-cased. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
}

/**
 * The topic tokens of a text: content words, stemmed and folded onto synonym groups.
 *
 * @example
 * topicTokens("Tell me about a disagreement with a coworker") // ["conflict", "colleague"]
 */
export function topicTokens(text: string): string[] {
  let folded = text.replace(/’/g, "'");
  for (const [pattern, replacement] of REWRITES) folded = folded.replace(pattern, replacement);
  for (const p of PHRASES) folded = folded.replace(p.pattern, ` ${p.head} `);
  const out: string[] = [];
  // A hyphenated compound the vocabulary does not know is its words ("multi-state" meets "states").
  const split = words(folded).flatMap((w) => (w.includes("-") && !SYNONYMS.has(stem(w)) ? w.split("-") : [w]));
  for (const w of split) {
    if (STOPWORDS.has(w) || w.length < 2 || /^\d+$/.test(w)) continue;
    const s = stem(w);
    if (STOPWORDS.has(s)) continue;
    out.push(SYNONYMS.get(s) ?? s.slice(0, STEM_PREFIX));
  }
  return out;
}

const INTENTS: readonly [string, RegExp][] = [
  [
    "past-example",
    /\b(?:tell (?:me|us) about an? (?:time|situation|occasion)|describe an? (?:time|situation|occasion)|have you (?:ever )?(?:had|been|come|dealt|faced|made|received|noticed|raised)|has an? \w+ ever|was there (?:a|an|ever) (?:time|point|moment|occasion)|(?:can|could) you think of an? (?:time|example)|give (?:me|us) an example|an example of|a time (?:when|you|that|where)|ever (?:had|come|made|been)|what (?:did you do|you did))\b/i,
  ],
  [
    "process",
    /\b(?:how (?:do|would|will|did) you(?! rate| see)|what (?:do|would) you do|what then|what next|what happens (?:if|when|next)|walk (?:me|us) through how|(?:take|talk|walk|run) (?:me|us) through (?:how|what (?:happens|you(?:'d)? do|you would do))|how (?:are|were) you going to)\b/i,
  ],
  [
    "motivation",
    /\b(?:why (?:do you want|are you (?:interested|applying)|this|us|here|now|our|the)|what (?:drew|draws|attracts|attracted|made you (?:apply|look|choose|decide|want)|got you into|brings you|brought you|has brought you|is pulling|pulls|interests)|what(?:'s|\s+has|\s+is) (?:brought|bringing|pulling|drawing|drawn) you|why (?:did you apply|you want))\b/i,
  ],
  [
    "availability",
    /\b(?:are you (?:able|okay|ok|fine|happy|available|willing|free|comfortable) (?:to|with|for|working)|can you (?:work|start|do)|would you be (?:able|willing|okay|happy)|when (?:could|can) you start|notice period)\b/i,
  ],
  [
    "inventory",
    /\b(?:which [\w\s-]{0,40}(?:have you|do you|are you)|what [\w\s-]{0,40}(?:have you (?:used|worked)|are you (?:comfortable|confident|familiar))|(?:have you )?worked with|how (?:would you rate|strong is|good is|confident are))\b/i,
  ],
  ["future", /\b(?:where do you see yourself|in (?:five|5|ten|10|a few) years|long[- ]term|next step in your career|career goals?)\b/i],
];

/**
 * What kind of question a text asks — an example from the past, a process, motivation,
 * availability, the tools or skills one has, the future — as tokens ("intent:process") that
 * matching compares alongside the topic words: paraphrases change the words, rarely the kind.
 *
 * @example
 * questionIntents("Have you ever had to calm an upset customer?") // ["intent:past-example"]
 */
export function questionIntents(text: string): string[] {
  const t = text.replace(/’/g, "'");
  return INTENTS.filter(([, re]) => re.test(t)).map(([name]) => `intent:${name}`);
}

/** Splits text into sentences on ., ! and ? (keeping the mark). */
export function sentences(text: string): string[] {
  return (text.match(/[^.!?]+(?:[.!?]+["')\]]*|$)/g) ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

const INTERROGATIVE =
  /^(?:so,?\s+|and,?\s+|okay,?\s+|ok,?\s+|great,?\s+|now,?\s+|then,?\s+|alright,?\s+|right,?\s+)*(?:what|how|why|when|where|which|who|whom|whose|can|could|would|will|do|does|did|have|has|had|are|is|were|was|should|shall|may)\b/i;
const PROMPT =
  /(?:^|[,;]\s*|\b(?:so|and|now|next|okay|ok|great|first|lastly|finally|then)\s*,?\s*)(?:tell (?:me|us)|walk (?:me|us) through|(?:talk|run) (?:(?:me|us) )?through|take (?:me|us) (?:through|from)|describe|explain|give (?:me|us) an? (?:example|sense|idea)|share (?:with (?:me|us) )?an? (?:example|time|situation)|i'?d (?:like|love) to (?:hear|know|start with|talk about|ask (?:you )?about)|i'?d be (?:curious|interested|keen) to (?:hear|know|learn)|i'?m curious|i'?m (?:interested|keen) (?:in|to (?:hear|know|learn|understand)) (?:what|how|why|when|where|which|whether|if|about|your)|i (?:want|wanna|would like) to (?:hear|know|understand|learn)|help me understand|pick (?:a|an|one)|think (?:of|about) an? (?:time|example|situation|occasion)|let'?s say|(?:and|so|okay|ok|now)\s+say (?:you|a|an|there|someone|somebody)|picture (?:a|an|this)|imagine (?:a|an|you|that)|suppose (?:a|an|you|that))\b/i;

/** A sentence about what the speaker does ("I always knock and explain…"), not a request of the listener. */
const OWN_ACCOUNT =
  /^(?:i|we)\b(?!'?d (?:like|love|be)|'?m curious|'?m (?:interested|keen) (?:in|to (?:hear|know|learn|understand)) (?:what|how|why|when|where|which|whether|if|about|your)| (?:want|wanna|would like) to (?:hear|know|understand|learn))/i;

/** Hesitations a recogniser writes out ("um", "uh", "erm"), which say nothing about whether a sentence asks. */
const FILLERS = /\b(?:u+m+|u+h+|e+r+m*|h+m+)\b[,.]?\s*/gi;

/** A sentence with its hesitations taken out. */
function withoutFillers(sentence: string): string {
  return sentence.replace(FILLERS, "").trim();
}

/** True when a sentence is a prompt such as "tell me about…", unless it is the speaker's own account. */
function isPrompt(sentence: string): boolean {
  const s = withoutFillers(sentence);
  return PROMPT.test(s) && !OWN_ACCOUNT.test(s);
}

/** True when a sentence asks: ends with "?", starts with an interrogative, or is an imperative prompt. */
export function isQuestionSentence(sentence: string): boolean {
  const s = withoutFillers(sentence);
  if (s.endsWith("?")) return true;
  if (isPrompt(s)) return true;
  // Speech recognisers drop question marks: an interrogative opening without a full stop counts,
  if (/[.!]$/.test(s)) return false;
  const unpunctuated = !/[.!?,;]/.test(s);
  // (in a long utterance with no punctuation at all, "when there were…" may open a statement)
  if (INTERROGATIVE.test(s) && !(unpunctuated && words(s).length > TRAILING_QUESTION_WORDS)) return true;
  // A question put to "you" ("have you ever…", "would you…") after at most an acknowledgement is one at any length.
  if (ASKS_YOU.test(s)) return true;
  // and so does an interrogative clause near the end of an utterance that has no punctuation at all.
  return unpunctuated && endsInQuestionClause(s);
}

const ASKS_YOU =
  /^(?:(?:so|and|okay|ok|alright|right|nice|good|cool|lovely|great|brilliant|perfect|fine|yeah|well|now|then|got it|fair enough),?\s+)*(?:have|had|do|did|would|could|can|will|are|were)\s+you\b/i;

/** How near the end of an unpunctuated utterance its question clause must start, in words. */
export const TRAILING_QUESTION_WORDS = 12;

const QUESTION_CLAUSE =
  /\b(?:what happens(?:\s+(?:then|next|now))?\s*$|(?:what|how|why|when|where|which|who)(?:'s|\s+(?:do|does|did|is|are|was|were|would|will|can|could|should|have|has))\s+(?:you|your|a|an|the|that|it|they|this|there)|(?:do|does|did|can|could|would|will|have|has|are|were|is|was)\s+(?:you|your|that|it|there|they))\b/gi;

function endsInQuestionClause(s: string): boolean {
  const all = words(s).length;
  for (const m of s.matchAll(QUESTION_CLAUSE)) if (all - words(s.slice(0, m.index)).length <= TRAILING_QUESTION_WORDS) return true;
  return false;
}

/** At most this many words may follow a question put to "you" in the same utterance ("Scan tools, scopes, that sort of thing."). */
export const GLOSS_WORDS = 10;

const ADDRESSED = /\byou(?:r|rs|'re|'ve|'d|'ll)?\b/i;

/**
 * True when an utterance puts a question to the other person: its last sentence asks, a question
 * put to "you" is followed only by a short gloss, or any of its sentences is a prompt such as
 * "tell me about…". A candidate's rhetorical "What did I learn?" followed by the answer does not
 * count, because the utterance goes on after it.
 */
export function isQuestionUtterance(text: string): boolean {
  const parts = sentences(text);
  if (parts.length === 0) return false;
  if (isQuestionSentence(parts.at(-1)!)) return true;
  const asked = parts.findLastIndex((p) => p.endsWith("?") && ADDRESSED.test(p));
  if (asked >= 0 && words(parts.slice(asked + 1).join(" ")).length <= GLOSS_WORDS) return true;
  return parts.some((p) => isPrompt(p.trim()));
}

const ACKNOWLEDGEMENT =
  /^(?:(?:okay|ok|great|thanks|thank you|got it|right|sure|perfect|nice|wonderful|lovely|excellent|interesting|cool|good|mm-?hmm|makes sense|that makes sense|that's (?:great|helpful|really helpful|useful|interesting|fair|clear)|that is (?:great|helpful|useful)|understood|appreciate (?:it|that)|fantastic|awesome)[\s,.!]*)+$/i;

/** A short acknowledgement ("Great, thanks.", "That makes sense.") — said by whoever asks. */
export function isAcknowledgement(text: string): boolean {
  return ACKNOWLEDGEMENT.test(text.trim());
}

const SMALL_TALK =
  /\b(?:how are you|how's (?:your|it going)|how is your (?:day|morning|week)|weather|weekend|commute|traffic|parking|f(?:i|ou)nd (?:us|the (?:place|building|office|link))|(?:get|grab|fancy|offer|like|want)\s+(?:you\s+)?(?:a\s+|some\s+|anything\s+)?(?:tea|coffee|water|drink)|(?:tea|coffee|water)(?:\s+or\s+(?:a\s+)?(?:tea|coffee|water|anything))?(?=\s*\?)|can you hear me|hear me (?:ok|okay|alright)|is my (?:audio|sound|video)|questions for (?:me|us)|what questions (?:do|have|did) you|(?:that'?s|that is) (?:(?:pretty much|about|just about|basically) )?(?:all|everything) (?:i|we) (?:had|have|got|wanted)|(?:that'?s|thats|that is) (?:all|it for) (?:my|our|the) questions|anything (?:you'?d like to|to) ask|any questions|before we (?:wrap|finish|end)|next steps|get (?:started|going)|shall we (?:start|begin)|ready to (?:start|begin)|journey|do you drive|how (?:do|will|would|did) you get (?:here|in|to (?:us|work|the office))|(?:is|are) (?:the|my|your) (?:video|audio|sound|camera|mic|microphone|connection|screen)|can you see (?:me|my screen))\b/i;

/** Small talk and housekeeping questions: an answer's span ends before them. */
export function isSmallTalk(text: string): boolean {
  return SMALL_TALK.test(text);
}

/**
 * True when a turn is small talk or housekeeping only: it asks nothing else. "Shall we get
 * started? Tell me about yourself." is not — its prompt is a real question.
 */
export function isSmallTalkTurn(text: string): boolean {
  const asking = sentences(text).filter((s) => isQuestionSentence(s));
  if (asking.length === 0) return isSmallTalk(text);
  return isSmallTalk(asking[0]!) && !asking.some((s) => isPrompt(s.trim()));
}

const FOLLOW_UP_OPENING =
  /^(?:(?:and|so|but),?\s+(?:what\s+)?if\b|(?:and,?\s+|so,?\s+|but,?\s+|okay,?\s+|ok,?\s+)*(?:how did|how much|how long|how many|how often|how so|how come|what did|what made|what was|what happened|what about|what if|what else|why|was|were|did|ever|have you actually|had you|who|which one|can you give (?:me |us )?an example|give me an example|for example|tell me more|say more|can you say more|can you expand|go on)\b)/i;
const ANAPHORA = /\b(?:that|it|this|those|them|these|then|there)\b/i;

/** Words of statement before a question that make it a scenario of its own, not a follow-up. */
export const SETUP_WORDS = 6;

/**
 * True when a question follows up on the answer just given ("How did your manager react?", "What
 * about flaky tests?", "Was anyone hurt?") rather than opening a new topic: it opens with a
 * follow-up phrase, or it is short and leans on what was just said — unless an acknowledgement or a
 * scenario of its own comes first. With `clearly`, only a follow-up phrase counts, not shortness
 * or a pronoun, which terse interviewers' new questions have too.
 */
export function isFollowUpQuestion(text: string, options: { clearly?: boolean } = {}): boolean {
  const parts = sentences(text);
  // An acknowledgement closes the answer before it ("Okay. What if…"): what follows opens a topic.
  if (parts.length > 1 && isAcknowledgement(parts[0]!)) return false;
  // So does a scenario set up before the question: "that" in "How would you handle that?" is the scenario.
  const firstAsking = parts.findIndex((p) => isQuestionSentence(p));
  if (firstAsking > 0 && words(parts.slice(0, firstAsking).join(" ")).length >= SETUP_WORDS) return false;
  const asking = parts.filter((s) => isQuestionSentence(s) && !isAcknowledgement(s));
  const first = asking[0] ?? text;
  const count = words(first).length;
  if (FOLLOW_UP_OPENING.test(first.trim())) return true;
  // A short question may lean on the answer ("that", "it"), or just be terse: only a hint.
  if (options.clearly) return false;
  if (count <= 12 && ANAPHORA.test(first)) return true;
  return count <= 5;
}

/** A question this short whose topic words the last answer mostly used follows up on that answer. */
export const ECHO_MAX_WORDS = 15;

/**
 * True when a short question takes up the words of the answer just given ("What happens when a
 * check fails?" after an answer about checks) rather than bringing its own: lexical cohesion, the
 * mark of a follow-up. An acknowledgement or a scenario first still opens a new topic.
 */
export function echoesAnswer(question: string, answer: string): boolean {
  const parts = sentences(question);
  if (parts.length > 1 && isAcknowledgement(parts[0]!)) return false;
  if (words(question).length > ECHO_MAX_WORDS) return false;
  const asked = [...new Set(topicTokens(question))];
  if (asked.length === 0) return false;
  const said = new Set(topicTokens(answer));
  return asked.filter((t) => said.has(t)).length * 2 >= asked.length;
}

/**
 * Text as a speech recogniser prints it: lower case, apostrophes dropped ("you're" → "youre"),
 * everything but ASCII letters, digits and hyphens a space.
 */
export function recogniserStyle(text: string): string {
  return text
    .toLowerCase()
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z0-9\s-]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
