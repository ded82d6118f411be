/**
 * Interview analysis: a transcript and a question set in; who speaks, each question found (or
 * "not asked") with the candidate's answer as a verbatim quote with times, evidence per rubric
 * competency, descriptive metrics and the interviewer check out. The local engine needs nothing
 * but this code; a provider may be used through the AI layer, with its quotes verified and the
 * local engine as the fallback.
 */
export { InterviewAnalysisError, type InterviewAnalysisStatus } from "./errors.ts";
export {
  interviewQuestionSchema,
  questionSetSchema,
  questionSetsSchema,
  questionSetFor,
  parseQuestionFile,
  type InterviewQuestion,
  type QuestionSets,
} from "./questions.ts";
export { labelSpeakers, type LabelledSegment, type SpeakerLabels, type SpeakerRole, type SpeakerSource, type LabelOptions } from "./speakers.ts";
export {
  matchQuestions,
  askedTurns,
  similarityMatrix,
  maxWeightAssignment,
  answerQuote,
  quoteInTranscript,
  ASKED_THRESHOLD,
  OPENER_THRESHOLD,
  type MatchedQuestion,
  type QuestionResult,
  type TimedQuote,
  type AskedTurn,
  type MatchOptions,
} from "./match-questions.ts";
export {
  analyzeInterview,
  assembleAnalysis,
  nothingMatched,
  checkAnalysisInput,
  type InterviewAnalysis,
  type AnalysisSummary,
  type AnalysisFlag,
  type AnalyzeOptions,
} from "./analyze.ts";
export { describeInterview, statedFeelings, type InterviewMetrics, type SpeakerMetrics } from "./metrics.ts";
export {
  improperQuestions,
  inconsistentQuestions,
  inconsistencyNote,
  inconsistencyForInterview,
  OTHER_CANDIDATE,
  improperCategories,
  type ImproperQuestionFlag,
  type InconsistentQuestionFlag,
  type ImproperCategory,
} from "./interviewer-check.ts";
export {
  rubricEvidence,
  competencySchema,
  interviewRubricSchema,
  type Competency,
  type InterviewRubric,
  type InterviewEvidence,
  type CompetencyEvidence,
} from "./evidence.ts";
export {
  scoreQuestions,
  judgeQuestion,
  spanOverlap,
  interviewLabelsSchema,
  questionLabelSchema,
  type QuestionLabel,
  type InterviewLabels,
  type QuestionMiss,
} from "./accuracy.ts";
export { loadLabelledCorpus, asRecogniserWouldPrint, LABELLED_CORPUS_DIR, type LabelledInterview } from "./labelled-corpus.ts";
export { isQuestionUtterance, isFollowUpQuestion, isAcknowledgement, recogniserStyle, topicTokens, words } from "./text.ts";
export { mostLikelyRoles, utteranceFeatures, interviewerOdds, ROLE_FEATURES, ROLE_WEIGHTS, type Role } from "./role-model.ts";
export {
  analyzeInterviewWithProvider,
  windowCharsFor,
  interviewAnswersStep,
  interviewAiOptions,
  interviewAnswersInput,
  interviewAnswersOutput,
  INTERVIEW_PROMPTS_DIR,
  type InterviewAnswersInput,
  type InterviewAnswersOutput,
  type InterviewAi,
} from "./ai-answers.ts";
