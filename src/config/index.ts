export {
  loadConfig,
  auditAnchorSettings,
  ConfigError,
  configSchema,
  connectionConfigSchema,
  aiConfigSchema,
  aiProviderNames,
  smtpSettingsSchema,
  pseudonymModes,
  toolIdPattern,
  toolSignatureSchema,
} from "./config.ts";
export type {
  Config,
  ConnectionConfig,
  Mode,
  AiConfig,
  AiProviderName,
  SmtpSettings,
  ToolConfig,
  ToolSignature,
  HmacSignature,
  StandardWebhooksSignature,
  PseudonymMode,
} from "./config.ts";
export { schedulingConfigSchema, panelTemplateSchema } from "./scheduling.ts";
export type { SchedulingConfig, SchedulingConfigInput, PanelTemplate, PanelSessionTemplate } from "./scheduling.ts";
export {
  interviewsConfigSchema,
  interviewQuestionSchema,
  questionSetSchema,
  competencySchema,
  interviewRubricSchema,
  interviewTriageSchema,
  interviewPostingSchema,
  transcriptionEngineNames,
  DEFAULT_INTERVIEW_NOTICE,
} from "./interviews.ts";
export type { InterviewsConfig, InterviewPostingConfig, InterviewTriage, InterviewQuestion, InterviewRubric, Competency } from "./interviews.ts";
export {
  calendarsConfigSchema,
  calendarConnectionSchema,
  identityOverrideSchema,
  googleServiceAccountKeySchema,
  secretReferenceSchema,
  weeklyHoursSchema,
  weekdayKeys,
  type CalendarsConfig,
  type CalendarsConfigInput,
  type CalendarConnectionConfig,
  type GoogleConnectionConfig,
  type GraphConnectionConfig,
  type CaldavConnectionConfig,
  type GoogleServiceAccountKey,
  type SecretReference,
  type WeeklyHours,
  type WeekdayKey,
} from "./calendars.ts";
export {
  leverEventNames,
  LEVER_API_HOSTS,
  LEVER_HOSTS_HELP,
  leverBaseUrlProblem,
  parseAllowedLeverHosts,
  type LeverEventName,
} from "./lever.ts";
