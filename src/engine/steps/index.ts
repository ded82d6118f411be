/** Step implementations: context fetching, actions, the signed HTTP call, and the Lever adapter. */
export { leverGateway } from "./lever-gateway.ts";
export { signedCall, signBody, type SignedCallOptions } from "./signed-http.ts";
export { renderAction, applyAction, EDITABLE, MAX_NOTE_CHARS, type Action } from "./actions.ts";
export { fetchContext, postingIdOf, MAX_RESUME_TEXT } from "./context.ts";
export { builtInTasks, forgetInterviewTranscripts, forgetToolCandidates, readResumeWithScreening } from "./tasks/index.ts";
export { getBackfill, requestBackfill, startBackfillWorker, updateScreeningIndex, type BackfillRequest, type BackfillRow } from "./tasks/screening-index.ts";
export { createPanelBooker, createPanelRebooker } from "./scheduling-book.ts";
export { findFormTemplate, formFieldProblems, type FormFieldLike, type FormTemplateLike } from "./profile-form.ts";
