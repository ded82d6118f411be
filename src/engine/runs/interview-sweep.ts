/**
 * The interview retention sweep as a daily job of `fulcrum serve` (a pg-boss schedule, so one
 * process of a deployment runs each day's sweep): transcripts past `interviews.retentionDays` and
 * recordings a crash left behind are deleted and audited, as `fulcrum interview sweep` does. Without
 * it, retention held only when a new interview arrived or when cron ran the command.
 */
import type { InterviewsConfig } from "../../config/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { runRetentionSweep } from "../../interviews/index.ts";
import type { Logger } from "../../observability/index.ts";
import type { Database } from "../../store/index.ts";
import type { JobQueue } from "../queue/index.ts";

export const INTERVIEW_SWEEP_QUEUE = "interviews.sweep";

/** Once a day, at a quiet hour (UTC) and off the hour, when other schedules cluster. */
export const INTERVIEW_SWEEP_CRON = "17 3 * * *";

/** Defines the sweep's queue and worker and schedules it daily. */
export async function startInterviewSweep(o: { db: Database; queue: JobQueue; interviews: InterviewsConfig | undefined; logger: Logger }): Promise<void> {
  await o.queue.define(INTERVIEW_SWEEP_QUEUE, { retryLimit: 2 });
  await o.queue.work(INTERVIEW_SWEEP_QUEUE, { concurrency: 1 }, async () => {
    const r = await runRetentionSweep(o.db, {
      retentionDays: o.interviews?.retentionDays,
      workDir: o.interviews?.workDir,
      actor: "server:sweep",
      audit: createAuditTrail(o.db),
    });
    if (r.transcripts.length || r.leftoverMedia.length)
      o.logger.info(
        { queue: INTERVIEW_SWEEP_QUEUE, transcripts: r.transcripts.length, leftoverMedia: r.leftoverMedia.length, retentionDays: r.retentionDays },
        "interview retention sweep deleted expired transcripts",
      );
  });
  await o.queue.schedule(INTERVIEW_SWEEP_QUEUE, INTERVIEW_SWEEP_CRON, {});
}
