/**
 * `fulcrum backfill --since <date>`: fills the screening index from Lever — every opportunity
 * updated since the date, its newest resume downloaded through the API, parsed and stored as a
 * scrubbed profile. Unchanged files are skipped; candidates Lever's data protection excludes are
 * removed from the index.
 */
import type { Command } from "commander";
import { createEmbedder } from "../../ai/index.ts";
import { loadConfig } from "../../config/index.ts";
import { backfillProfiles } from "../../screening/index.ts";
import { pickConnection, withConnections } from "./connections.ts";

export function register(program: Command): void {
  program
    .command("backfill")
    .description("Fill the talent-rediscovery index from Lever: parse the resumes of opportunities updated since a date.")
    .option("--since <date>", "only opportunities updated on or after this date (YYYY-MM-DD); default: all")
    .option("--connection <id>", "the Lever connection (default: the only one, or `default`)")
    .option("--include-confidential", "also confidential opportunities (the API key needs confidential access)")
    .option("--quiet", "print only the final report")
    .addHelpText(
      "after",
      `
Safe to run again at any time: files already indexed are skipped by their hash.

Examples:
  fulcrum backfill --since 2025-01-01
  fulcrum backfill --connection acme --include-confidential
`,
    )
    .action(async (options: { since?: string; connection?: string; includeConfidential?: boolean; quiet?: boolean }, cmd: Command) => {
      let since: Date | undefined;
      if (options.since) {
        since = /^\d{4}-\d{2}-\d{2}$/.test(options.since) ? new Date(`${options.since}T00:00:00Z`) : new Date(Number.NaN);
        if (Number.isNaN(since.getTime())) cmd.error(`--since "${options.since}" is not a date like 2025-01-31`, { exitCode: 2 });
      }
      await withConnections(async (opened) => {
        const connectionId = await pickConnection(cmd, opened, options.connection);
        const lever = await opened.registry.client(connectionId);
        const embedding = createEmbedder({ config: loadConfig() });
        const report = await backfillProfiles(opened.db, lever, connectionId, {
          embedder: embedding.embedder,
          embedderUnavailable: embedding.reason,
          ...(since ? { since } : {}),
          ...(options.includeConfidential ? { includeConfidential: true } : {}),
          onProgress: options.quiet ? undefined : (o) => process.stderr.write(`${o.outcome.padEnd(10)} ${o.opportunityId}${o.detail ? `  ${o.detail}` : ""}\n`),
        });
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (report.failed.length > 0) process.exitCode = 1;
      });
    });
}
