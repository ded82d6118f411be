/** The inbox: durable, deduplicated intake of inbound events and their hand-off to the engine. */
export {
  createInbox,
  newTraceId,
  INBOX_QUEUE,
  INBOX_FANOUT_QUEUE,
  SignatureTokenReusedError,
  type Inbox,
  type InboxEvent,
  type InboxStatus,
  type NewInboxEvent,
  type StoreEventResult,
  type EventProcessor,
  type EventProcessorContext,
  type CreateInboxOptions,
  type ListEventsOptions,
} from "./inbox.ts";
export {
  UnstorableEventError,
  findUnstorableValue,
  MAX_PAYLOAD_DEPTH,
  type UnstorableCode,
  type UnstorableProblem,
} from "./storable-event.ts";
export { createGroupCommit, type GroupCommit, type GroupCommitOptions } from "./group-commit.ts";
export { countWebhookRefusal, type WebhookRefusal } from "./webhook-refusals.ts";
