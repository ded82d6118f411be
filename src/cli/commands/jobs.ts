/**
 * `fulcrum jobs list|dead|retry`: the durable job queue, for operators.
 */
import type { Command } from "commander";
import { withEngine } from "../engine-session.ts";

const STATES = ["created", "retry", "active", "completed", "failed", "cancelled"];

/** Writes through the command's output (stdout unless a caller such as a test redirected it). */
function write(cmd: Command, text: string): void {
  const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
  out(text);
}

export function register(program: Command): void {
  const jobs = program.command("jobs").description("Inspect the job queue, its dead-letter queues, and retry failed jobs.");

  jobs
    .command("list")
    .description("List jobs, newest first.")
    .option("--queue <name>", "only jobs of this queue (e.g. inbox.process)")
    .option("--state <state>", `only jobs in this state (${STATES.join(", ")})`)
    .option("--limit <n>", "how many (1-1000)", "50")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  fulcrum jobs list --queue inbox.process --state retry\n")
    .action(async (options: { queue?: string; state?: string; limit: string; json?: boolean }, cmd: Command) => {
      if (options.state && !STATES.includes(options.state)) cmd.error(`--state "${options.state}" is not one of ${STATES.join(", ")}`, { exitCode: 2 });
      if (!/^\d+$/.test(options.limit)) cmd.error(`--limit "${options.limit}" is not a whole number`, { exitCode: 2 });
      await withEngine(async ({ queue }) => {
        const list = await queue.listJobs({
          limit: Number(options.limit),
          ...(options.queue ? { queue: options.queue } : {}),
          ...(options.state ? { state: options.state } : {}),
        });
        if (options.json) return void write(cmd, JSON.stringify(list, null, 2) + "\n");
        if (list.length === 0) return void write(cmd, "no jobs\n");
        for (const j of list) {
          write(cmd, `${j.id}  ${j.queue.padEnd(24)}  ${j.state.padEnd(9)}  retries ${String(j.retryCount).padEnd(3)}  created ${j.createdOn.toISOString()}\n`);
        }
      });
    });

  jobs
    .command("dead")
    .description("List jobs that failed every retry and wait in a dead-letter queue, with the failure reason.")
    .option("--limit <n>", "how many (1-1000)", "100")
    .option("--json", "print JSON")
    .addHelpText("after", "\nRetry one with: fulcrum jobs retry <id>\n")
    .action(async (options: { limit: string; json?: boolean }, cmd: Command) => {
      if (!/^\d+$/.test(options.limit)) cmd.error(`--limit "${options.limit}" is not a whole number`, { exitCode: 2 });
      await withEngine(async ({ queue }) => {
        const dead = await queue.listDead({ limit: Number(options.limit) });
        if (options.json) return void write(cmd, JSON.stringify(dead, null, 2) + "\n");
        if (dead.length === 0) return void write(cmd, "no dead jobs\n");
        for (const d of dead) {
          write(
            cmd,
            `${d.id}  ${d.queue.padEnd(24)}  failed ${d.failedAt.toISOString()}  after ${d.retries ?? "?"} retries\n    ${d.error}\n    data ${JSON.stringify(d.data)}\n`,
          );
        }
      });
    });

  jobs
    .command("retry <id>")
    .description("Put a dead-lettered (or failed) job back in its queue.")
    .addHelpText("after", "\nExample:\n  fulcrum jobs dead\n  fulcrum jobs retry 0b7c7f0e-4f1e-4c53-9d0c-2d8f1a9b3c4d\n")
    .action(async (id: string, _options: unknown, cmd: Command) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) cmd.error(`"${id}" is not a job id; job ids are UUIDs (see fulcrum jobs dead)`, { exitCode: 2 });
      await withEngine(async ({ queue }) => {
        const job = await queue.getJob(id);
        if (!job) return cmd.error(`no job ${id} (see fulcrum jobs dead)`, { exitCode: 1 });
        if (!(await queue.retry(id))) {
          return cmd.error(`job ${id} is ${job.state} in ${job.queue}; only dead-lettered or failed jobs can be retried`, { exitCode: 1 });
        }
        write(cmd, `job ${id} is back in ${job.queue.replace(/\.dead$/, "")}\n`);
      });
    });
}
