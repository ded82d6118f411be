/** Durable jobs (pg-boss 12 on PGlite or PostgreSQL): the engine's front door to its queue. */
export {
  createJobQueue,
  queryableExecutor,
  DEAD_LETTER_SUFFIX,
  QUEUE_SCHEMA,
  type JobQueue,
  type Job,
  type JobInfo,
  type JobSummary,
  type DeadJob,
  type QueueDefinition,
  type SendOptions,
  type WorkOptions,
  type StopOptions,
  type CreateJobQueueOptions,
} from "./job-queue.ts";
