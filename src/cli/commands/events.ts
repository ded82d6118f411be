/**
 * `fulcrum events list|show|replay`: the inbox of received events, for operators.
 */
import type { Command } from "commander";
import type { InboxEvent, InboxStatus } from "../../engine/index.ts";
import { withEngine } from "../engine-session.ts";

const STATUSES: InboxStatus[] = ["received", "processing", "processed", "failed", "ignored"];

function parseId(cmd: Command, raw: string): number {
  if (!/^\d+$/.test(raw)) cmd.error(`"${raw}" is not an event id; ids are whole numbers (see fulcrum events list)`, { exitCode: 2 });
  return Number(raw);
}

function line(e: InboxEvent): string {
  const when = e.receivedAt.toISOString().replace("T", " ").slice(0, 19);
  const error = e.error ? `  ${e.error.slice(0, 80)}` : "";
  return `${String(e.id).padStart(7)}  ${when}  ${e.status.padEnd(10)}  ${e.connectionId.padEnd(12)}  ${e.event.padEnd(24)}  ${e.traceId}${error}`;
}

/** Writes through the command's output (stdout unless a caller such as a test redirected it). */
function write(cmd: Command, text: string): void {
  const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
  out(text);
}

export function register(program: Command): void {
  const events = program.command("events").description("Inspect and replay the events Fulcrum received (the inbox).");

  events
    .command("list")
    .description("List received events, newest first.")
    .option("--status <status>", `only events in this status (${STATUSES.join(", ")})`)
    .option("--connection <id>", "only events of this connection")
    .option("--limit <n>", "how many (1-1000)", "50")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExamples:\n  fulcrum events list --status failed\n  fulcrum events list --connection acme --limit 200 --json\n")
    .action(async (options: { status?: string; connection?: string; limit: string; json?: boolean }, cmd: Command) => {
      if (options.status && !STATUSES.includes(options.status as InboxStatus)) {
        cmd.error(`--status "${options.status}" is not one of ${STATUSES.join(", ")}`, { exitCode: 2 });
      }
      if (!/^\d+$/.test(options.limit)) cmd.error(`--limit "${options.limit}" is not a whole number`, { exitCode: 2 });
      await withEngine(async ({ inbox }) => {
        const list = await inbox.listEvents({
          limit: Number(options.limit),
          ...(options.status ? { status: options.status as InboxStatus } : {}),
          ...(options.connection ? { connectionId: options.connection } : {}),
        });
        if (options.json) return void write(cmd, JSON.stringify(list, null, 2) + "\n");
        if (list.length === 0) return void write(cmd, "no events\n");
        write(
          cmd,
          `${"id".padStart(7)}  ${"received (UTC)".padEnd(19)}  ${"status".padEnd(10)}  ${"connection".padEnd(12)}  ${"event".padEnd(24)}  trace id\n`,
        );
        for (const e of list) write(cmd, line(e) + "\n");
      });
    });

  events
    .command("show <id>")
    .description("Show one event: its status, attempts, error, job and payload.")
    .option("--json", "print JSON")
    .action(async (rawId: string, options: { json?: boolean }, cmd: Command) => {
      const id = parseId(cmd, rawId);
      await withEngine(async ({ inbox, queue }) => {
        const event = await inbox.getEvent(id);
        if (!event) return cmd.error(`no event ${id} (see fulcrum events list)`, { exitCode: 1 });
        const job = event.lastJobId ? await queue.getJob(event.lastJobId) : null;
        if (options.json) return void write(cmd, JSON.stringify({ ...event, job }, null, 2) + "\n");
        const rows: [string, string][] = [
          ["id", String(event.id)],
          ["event", event.event],
          ["source", event.source],
          ["connection", event.connectionId],
          ["status", event.status],
          ["attempts", String(event.attempts)],
          ["replays", String(event.replays)],
          ["error", event.error ?? "—"],
          ["triggered at", event.triggeredAt?.toISOString() ?? "—"],
          ["received at", event.receivedAt.toISOString()],
          ["processed at", event.processedAt?.toISOString() ?? "—"],
          ["trace id", event.traceId],
          ["job", job ? `${job.id} (${job.state}, ${job.retryCount} retries)` : (event.lastJobId ?? "—")],
        ];
        for (const [k, v] of rows) write(cmd, `${k.padEnd(14)} ${v}\n`);
        write(cmd, `payload\n${JSON.stringify(event.payload, null, 2)}\n`);
      });
    });

  events
    .command("replay <id>")
    .description("Queue an event again for processing, whatever its status (e.g. after fixing what made it fail).")
    .addHelpText(
      "after",
      "\nThe workflow engine's steps are idempotent, so replaying a processed event does not repeat Lever writes\nthat already happened.\n\nExample:\n  fulcrum events replay 42\n",
    )
    .action(async (rawId: string, _options: unknown, cmd: Command) => {
      const id = parseId(cmd, rawId);
      await withEngine(async ({ inbox }) => {
        const jobId = await inbox.replayEvent(id);
        if (!jobId) return cmd.error(`no event ${id} (see fulcrum events list)`, { exitCode: 1 });
        write(cmd, `event ${id} queued again as job ${jobId}\n`);
      });
    });
}
