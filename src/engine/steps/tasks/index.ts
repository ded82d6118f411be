/** Domain tasks the engine offers as `type: task` steps. */
import type { TaskHandler } from "../../ports.ts";
import { screenTask } from "./screening.ts";
export { readResumeWithScreening } from "./screening.ts";
import { collectTextsTask } from "./texts.ts";
import { feedbackReviewTask } from "./feedback.ts";
import { hrPayloadTask } from "./hr-handoff.ts";
import { toolLinkTask, toolResultTask, toolStatusTask, type ToolSettings } from "./tool-results.ts";
export { forgetToolCandidates } from "./tool-results.ts";
import { rediscoveryExplainTask, rediscoveryFindTask } from "./rediscovery.ts";
import { approvalBriefTask, interviewPacketTask, nurturePrepareTask } from "./briefs.ts";
import { interviewAnalyzeTask, interviewIntakeTask, interviewTranscribeTask, type InterviewTaskOptions } from "./interview-analysis.ts";
export { forgetInterviewTranscripts, purgeExpiredInterviewTranscripts } from "./interview-analysis.ts";
import { schedulingProposeTask, type SchedulingSettings } from "./scheduling.ts";
import { schedulingReminderTask } from "./reminders.ts";
import { schedulingReplanTask } from "./scheduling-replan.ts";
import { schedulingMitigateTask } from "./no-show-mitigation.ts";
import type { Notifier } from "../../ports.ts";

/**
 * Every built-in task by name; `tools` is the config file's `tools:` block (other hiring tools),
 * `scheduling` its `calendars:` and `scheduling:` blocks.
 */
export function builtInTasks(
  options: {
    tools?: ToolSettings | undefined;
    scheduling?: SchedulingSettings | undefined;
    interviews?: Omit<InterviewTaskOptions, "tools"> | undefined;
    notify?: Notifier | undefined;
  } = {},
): Record<string, TaskHandler> {
  return {
    "screening.screen": screenTask,
    "texts.collect": collectTextsTask,
    "interview.packet": interviewPacketTask,
    "approval.brief": approvalBriefTask,
    "nurture.prepare": nurturePrepareTask,
    "feedback.review": feedbackReviewTask,
    "hr.payload": hrPayloadTask,
    "tool.result": toolResultTask(options.tools),
    "tool.link": toolLinkTask,
    "tool.status": toolStatusTask(options.tools),
    "rediscovery.find": rediscoveryFindTask,
    "rediscovery.explain": rediscoveryExplainTask,
    "interview.intake": interviewIntakeTask({ ...options.interviews, tools: options.tools }),
    "interview.transcribe": interviewTranscribeTask({ ...options.interviews, tools: options.tools }),
    "interview.analyze": interviewAnalyzeTask({ tools: options.tools }),
    "scheduling.propose": schedulingProposeTask(options.scheduling),
    // Reminders go out at their timers through the notifier (settings.send: auto), see reminder-delivery.ts.
    "scheduling.reminder": schedulingReminderTask({
      calendars: options.scheduling?.calendars,
      secrets: options.scheduling?.secrets,
      publicUrl: options.scheduling?.publicUrl,
      modeCeiling: options.scheduling?.modeCeiling,
      notify: options.notify,
    }),
    "scheduling.mitigate": schedulingMitigateTask({
      calendars: options.scheduling?.calendars,
      scheduling: options.scheduling?.scheduling,
      secrets: options.scheduling?.secrets,
      publicUrl: options.scheduling?.publicUrl,
      modeCeiling: options.scheduling?.modeCeiling,
      notify: options.notify,
    }),
    // Escalations go out at once through the notifier (a person must act), not as a proposal.
    "scheduling.replan": schedulingReplanTask({ ...options.scheduling, notify: options.notify }),
  };
}
