/**
 * Screening: reading resumes, structured profiles, requirements from postings, evidence-based
 * scores computed by code, and talent rediscovery. Pure functions at the core; the engine wraps
 * them as steps, the CLI and the backfill call them directly.
 */
export { parseResume, parsedFromLines, type ParsedResume, type ParseOptions } from "./parse-resume.ts";
export { readDocument, sniffFormat, DEFAULT_MAX_BYTES, type ReadOptions } from "./read/read-document.ts";
export type { ParseStatus, ResumeFormat, TextLine, HiddenText, HiddenReason, ReadResult } from "./read/types.ts";
export {
  extractProfile,
  type Profile,
  type ProfilePosition,
  type ProfileEducation,
  type ProfileSkill,
  type ProfileLanguage,
} from "./profile/extract-profile.ts";
export { findDateRange, coveredMonths, type YearMonth, type DateRange } from "./profile/dates.ts";
export { findSkills, canonicalSkill, skillCategory, taxonomySize, type SkillMatch } from "./skills.ts";
export { extractRequirements, listItems, type PostingInput } from "./requirements.ts";
export {
  criterionSchema,
  rubricSchema,
  rubricOverrideSchema,
  parseRubricOverride,
  rubricHash,
  isUsable,
  RubricError,
  type Criterion,
  type Rubric,
  type RubricOverride,
} from "./rubric.ts";
export { toScoringView, type ScoringView } from "./scoring-view.ts";
export {
  findEvidenceLocally,
  verifyProposedEvidence,
  answersFromCustomQuestions,
  quoteFound,
  proposedEvidenceSchema,
  type EvidenceProvider,
  type ProposedEvidence,
  type CriterionEvidence,
  type KnockoutAnswer,
} from "./evidence.ts";
export {
  scoreResume,
  scoreResumeWithProvider,
  MUST_HAVE_CAP,
  KNOCKOUT_CAP,
  type ScoreResult,
  type ScoreOptions,
  type ScoredCriterion,
} from "./score.ts";
export { isInjection, removeInjections } from "./injection.ts";
export { createAiEvidenceProvider, evidenceFromStepOutput, stepCriteria, type StepCriterion } from "./model-evidence.ts";
export {
  indexOpportunity,
  updateIndexFromWebhook,
  backfillProfiles,
  rediscover,
  rediscoverWithStatus,
  rediscoverForPosting,
  rediscoveryProposal,
  SEMANTIC_WEIGHT,
  SEMANTIC_REASON_MIN,
  dataProtectionBlock,
  withLeverParsedData,
  type IndexOutcome,
  type BackfillReport,
  type RediscoveryProposal,
  type RediscoverInput,
  type SemanticStatus,
} from "./rediscovery.ts";
export { refreshProfileEmbeddings, similarProfiles, profileEmbeddingText, postingEmbeddingText, type EmbeddingRefresh } from "./embeddings.ts";
export {
  upsertProfile,
  upsertProfile as indexProfile,
  updateProfileState,
  forgetOpportunity,
  searchProfiles,
  indexedProfile,
  recordScore,
  scoresForPosting,
  saveRubricVersion,
  approveRubricVersion,
  activeRubric,
  PARSER_VERSION,
  type ScoreRow,
} from "./store.ts";
export {
  screenApplication,
  NoRequirementsError,
  type ScreenApplicationInput,
  type ScreeningOpportunity,
  type ScreeningResume,
  type ResumeEvidenceRunner,
} from "./screen-application.ts";
export {
  recommend,
  barFrom,
  barsFrom,
  RECOMMENDATIONS,
  SCREENING_TIERS,
  DEFAULT_ADVANCE_AT,
  DEFAULT_REJECT_BELOW,
  type Recommendation,
  type RecommendationBars,
  type RecommendationInput,
  type RecommendationResult,
} from "./recommendation.ts";
export { saveRubricOverride, approveRubricOverride, rubricVersions, RubricVersionError, type RubricVersion } from "./rubric-versions.ts";
