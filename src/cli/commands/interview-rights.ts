/**
 * `fulcrum interview forget|notice|sweep`: candidate rights over recorded interviews. `forget`
 * deletes a candidate's transcripts and analyses on request (the Illinois AI Video Interview Act
 * asks for deletion within 30 days); `notice` prints the text for the platform's invitation;
 * `sweep` deletes transcripts past the retention period. Each deletion is written to the audit
 * trail with ids and counts only, never transcript text.
 */
import { tmpdir } from "node:os";
import type { Command } from "commander";
import { DEFAULT_INTERVIEW_NOTICE, loadConfig } from "../../config/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import {
  byOpportunity,
  forgetCandidateTranscripts,
  INTERVIEW_AUDIT_KINDS,
  LEFTOVER_MEDIA_AGE_MS,
  removeLeftoverMedia,
  runRetentionSweep,
} from "../../interviews/index.ts";
import { withDatabase } from "../engine-session.ts";

/** Audit kinds of this command (shared with the server's daily sweep). */
export { INTERVIEW_AUDIT_KINDS };

export function registerInterviewRights(interview: Command): void {
  interview
    .command("forget <candidate>")
    .description(
      "Delete a candidate's interview transcripts and analyses (and any recording a crash left behind), audited. <candidate> is the Lever opportunity id or the hiring tool's candidate id. Safe to run again.",
    )
    .option("--connection <id>", "only in this Lever connection (default: every connection)")
    .option("--as <name>", "who asked, for the audit trail", "operator")
    .action(async (candidate: string, o: { connection?: string; as: string }, cmd: Command) => {
      if (!candidate.trim() || candidate.length > 200)
        return cmd.error("fulcrum interview forget: <candidate> must be an opportunity id or a tool's candidate id (1–200 characters)", { exitCode: 2 });
      await withDatabase(async (db, config) => {
        const audit = createAuditTrail(db);
        const rows = await forgetCandidateTranscripts(db, candidate, o.connection);
        const media = await removeLeftoverMedia(config.interviews?.workDir ?? tmpdir(), LEFTOVER_MEDIA_AGE_MS);
        const groups = byOpportunity(rows);
        if (groups.size === 0) {
          await audit.append({
            kind: INTERVIEW_AUDIT_KINDS.forgotten,
            actor: `cli:${o.as}`,
            subject: { connectionId: o.connection, candidateId: candidate },
            data: { transcripts: 0, leftoverMedia: media.length },
          });
        }
        for (const group of groups.values()) {
          const { connectionId, opportunityId } = group[0]!;
          await audit.append({
            kind: INTERVIEW_AUDIT_KINDS.forgotten,
            actor: `cli:${o.as}`,
            subject: { connectionId, opportunityId, candidateId: candidate },
            data: { transcripts: group.length, ids: group.map((r) => r.id), tools: [...new Set(group.map((r) => r.tool))], leftoverMedia: media.length },
          });
        }
        process.stdout.write(
          rows.length
            ? `forgot ${candidate}: deleted ${rows.length} interview transcript(s) and their analyses in ${groups.size} opportunit${groups.size === 1 ? "y" : "ies"}; recorded in the audit trail\n`
            : `nothing stored for ${candidate} (already forgotten, or never analysed); the request is recorded in the audit trail\n`,
        );
        if (media.length) process.stdout.write(`removed ${media.length} recording folder(s) a crashed transcription had left\n`);
      });
    });

  interview
    .command("notice")
    .description(
      "Print the notice for a video platform's invitation: that AI analyses the interview, how, and asking for consent (interviews.notice in the config).",
    )
    .action(() => {
      const interviews = loadConfig().interviews;
      const text = interviews?.notice ?? DEFAULT_INTERVIEW_NOTICE;
      process.stdout.write(`${text.replaceAll("{retentionDays}", String(interviews?.retentionDays ?? 180))}\n`);
    });

  interview
    .command("sweep")
    .description(
      "Delete interview transcripts and analyses past the retention period (interviews.retentionDays, default 180), audited. The server does this daily by itself (and before each new interview); run this when the server is not running, or to sweep at once.",
    )
    .option("--now <iso>", "the time to sweep as of (for a dry look ahead, with care)")
    .action(async (o: { now?: string }, cmd: Command) => {
      const now = o.now ? new Date(o.now) : new Date();
      if (Number.isNaN(now.getTime()))
        return cmd.error(`fulcrum interview sweep: --now "${o.now}" is not a date and time (e.g. 2026-01-31T00:00:00Z)`, { exitCode: 2 });
      await withDatabase(async (db, config) => {
        const {
          retentionDays,
          transcripts: rows,
          leftoverMedia: media,
        } = await runRetentionSweep(db, {
          retentionDays: config.interviews?.retentionDays,
          workDir: config.interviews?.workDir,
          actor: "cli:sweep",
          audit: createAuditTrail(db),
          now,
        });
        process.stdout.write(
          `swept: ${rows.length} transcript(s) older than ${retentionDays} days deleted${media.length ? `, ${media.length} leftover recording folder(s) removed` : ""}\n`,
        );
      });
    });
}
