/**
 * `fulcrum rediscover --posting <id>`: past and archived candidates who fit a posting, with the
 * reasons, as proposals (tag, note). Prints them; it writes nothing to Lever.
 */
import type { Command } from "commander";
import { createEmbedder } from "../../ai/index.ts";
import { loadConfig } from "../../config/index.ts";
import { rediscoverForPosting, type PostingInput } from "../../screening/index.ts";
import { pickConnection, withConnections } from "./connections.ts";
import { parseAsOf } from "./resume.ts";

export function register(program: Command): void {
  program
    .command("rediscover")
    .description("Find past and archived candidates in the screening index who fit a posting, with reasons (proposals only; nothing is written to Lever).")
    .requiredOption("--posting <id>", "the Lever posting id")
    .option("--connection <id>", "the Lever connection (default: the only one, or `default`)")
    .option("--limit <n>", "how many candidates (1-100)", "10")
    .option("--include-active", "also propose candidates who are not archived")
    .option("--as-of <yyyy-mm>", "the month open-ended positions run to (default: this month)")
    .addHelpText(
      "after",
      `
The index is filled by webhooks and by \`fulcrum backfill\`. Candidates whose Lever data-protection
settings forbid storing or contacting, or who are anonymised, are never in it.

Examples:
  fulcrum backfill --since 2025-01-01 && fulcrum rediscover --posting 5f2c9a1e-...
  fulcrum rediscover --posting 5f2c9a1e-... --limit 25 --include-active
`,
    )
    .action(async (options: { posting: string; connection?: string; limit: string; includeActive?: boolean; asOf?: string }, cmd: Command) => {
      if (!/^\d+$/.test(options.limit) || Number(options.limit) < 1 || Number(options.limit) > 100)
        cmd.error(`--limit "${options.limit}" must be a whole number from 1 to 100`, { exitCode: 2 });
      const asOf = parseAsOf(cmd, options.asOf);
      await withConnections(async (opened) => {
        const connectionId = await pickConnection(cmd, opened, options.connection);
        const lever = await opened.registry.client(connectionId);
        // Semantic matching joins in when an embedding provider is configured; the output says whether it did.
        const embedding = createEmbedder({ config: loadConfig() });
        const { posting, rubric, proposals, semantic } = await rediscoverForPosting(opened.db, {
          getPosting: async (id) => (await lever.getPosting(id)) as PostingInput,
          postingId: options.posting,
          embedder: embedding.embedder,
          embedderUnavailable: embedding.reason,
          connectionId,
          limit: Number(options.limit),
          archivedOnly: !options.includeActive,
          ...(asOf ? { asOf } : {}),
        });
        process.stdout.write(
          `${JSON.stringify({ posting: { id: posting.id, title: posting.text ?? "" }, rubric: rubric.source, semantic, proposals }, null, 2)}\n`,
        );
      });
    });
}
