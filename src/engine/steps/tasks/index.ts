/** Domain tasks the engine offers as `type: task` steps. */
import type { TaskHandler } from "../../runs/ports.ts";
import { screenTask } from "./screening.ts";
export { readResumeWithScreening } from "./screening.ts";
import { collectTextsTask } from "./texts.ts";
import { feedbackReviewTask } from "./feedback.ts";
import { hrPayloadTask } from "./hr-handoff.ts";
import { toolLinkTask, toolResultTask, toolStatusTask, type ToolSettings } from "./tool-results.ts";
export { forgetToolCandidates } from "./tool-results.ts";
import { rediscoveryExplainTask, rediscoveryFindTask } from "./rediscovery.ts";
import { approvalBriefTask, interviewPacketTask, nurturePrepareTask } from "./briefs.ts";

/** Every built-in task by name; `tools` is the config file's `tools:` block (other hiring tools). */
export function builtInTasks(options: { tools?: ToolSettings | undefined } = {}): Record<string, TaskHandler> {
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
  };
}
