export {
  loadConfig,
  auditAnchorSettings,
  ConfigError,
  configSchema,
  connectionConfigSchema,
  leverEventNames,
  aiConfigSchema,
  aiProviderNames,
  smtpSettingsSchema,
  pseudonymModes,
  toolIdPattern,
} from "./config.ts";
export type { Config, ConnectionConfig, Mode, LeverEventName, AiConfig, AiProviderName, SmtpSettings, ToolConfig, PseudonymMode } from "./config.ts";
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
