/**
 * The Lever module's front door: the only code in Fulcrum that speaks Lever. Schemas and types for
 * every Lever object and webhook, signature verification, the client (reads, idempotent writes,
 * pagination, rate limit, retries), OAuth, and the ports storage implements.
 */
export * from "./schemas.ts";
export { verifyLeverSignature, signLeverWebhook } from "./verify-signature.ts";
export {
  createLeverClient,
  panelInputOf,
  opportunityFormData,
  LEVER_PRODUCTION_URL,
  LEVER_SANDBOX_URL,
  LEVER_EU_URL,
  type LeverClient,
  type LeverClientOptions,
  type WriteOptions,
  type ReadOptions,
  type NoteInput,
  type ProfileFormInput,
  type PanelInput,
  type InterviewInput,
  type StandaloneInterviewInput,
  type OpportunityInput,
  type ResumeUpload,
  type WebhookInput,
  type Download,
} from "./client.ts";
export type { LeverAuth, QueryValue } from "./transport.ts";
export { backoffDelay, parseRetryAfter } from "./transport.ts";
export { isInvalidOffsetToken, type LeverList } from "./pagination.ts";
export { newestResumeWithFile, resumeHasFile, isUnprocessableFile } from "./resume-file.ts";
export {
  LeverApiError,
  LeverPermissionError,
  LeverRateLimitError,
  LeverNetworkError,
  LeverResponseError,
  LeverPerformAsRequiredError,
  LeverWriteOutcomeUnknownError,
  LeverIdempotencyKeyConflictError,
} from "./errors.ts";
export { LeverHostNotAllowedError, assertLeverBaseUrl } from "./api-hosts.ts";
export { leverEndpointPermissions, leverPermissionFor, type LeverPermission } from "./permissions.ts";
export {
  LEVER_RATE_PER_SECOND,
  LEVER_BURST,
  LEVER_SAFETY_MARGIN_MS,
  LEVER_RATE_LIMITS,
  LEVER_RATE_LIMITED_PAUSE_MS,
  type RateLimiter,
  type WriteLedger,
  type LeverWriteRecord,
  type LeverWriteStatus,
} from "./ports.ts";
export { createMemoryRateLimiter } from "./rate-limiter.ts";
export { createMemoryWriteLedger } from "./write-ledger.ts";
export { writeMarker, withWriteMarker, hasWriteMarker } from "./write-marker.ts";
export {
  buildAuthorizeUrl,
  readAuthorizeCallback,
  exchangeCode,
  refreshTokens,
  LEVER_OAUTH_HOSTS,
  LeverOAuthError,
  type LeverOAuthHosts,
  type LeverOAuthTarget,
  type LeverTokens,
} from "./oauth.ts";
