/**
 * `fulcrum audit verify|export`: check the hash-chained audit trail and hand it to an auditor.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import { createAuditTrail } from "../../governance/index.ts";
import { withDatabase } from "../engine-session.ts";


function parseDate(cmd: Command, value: string | undefined, option: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    cmd.error(`fulcrum audit export: ${option} "${value}" is not a date; use ISO 8601 such as 2026-01-31 or 2026-01-31T09:00:00Z`, { exitCode: 2 });
  }
  return date;
}

export function register(program: Command): void {
  const audit = program
    .command("audit")
    .description("Check and export the tamper-evident audit trail (events, runs, AI calls, decisions, Lever writes).");

  audit
    .command("verify")
    .description("Re-compute the whole hash chain; print every edited, removed or reordered record and exit 1 if any.")
    .option("--anchor <seq:hash...>", "a chain head printed by an earlier verify (record:hash); it must still match")
    .addHelpText("after", "\nExample:\n  fulcrum audit verify --anchor 1200:3f5c…  (the 'chain head' line of an earlier run)\n")
    .action(async (options: { anchor?: string[] }, cmd: Command) => {
      const anchors = (options.anchor ?? []).map((a) => {
        const m = /^(\d+):([0-9a-f]{64})$/.exec(a.trim());
        if (!m) cmd.error(`fulcrum audit verify: --anchor "${a}" must be <record number>:<64 hex characters>`, { exitCode: 2 });
        return { seq: Number(m![1]), hash: m![2]! };
      });
      const result = await withDatabase((db) => createAuditTrail(db).verify({ anchors }));
      if (result.ok) {
        process.stdout.write(`audit trail intact: ${result.checked} records verified\n`);
        if (result.head) process.stdout.write(`chain head: record ${result.head.seq}, hash ${result.head.hash}\n(keep it outside Fulcrum; check later with: fulcrum audit verify --anchor ${result.head.seq}:${result.head.hash})\n`);
        return;
      }
      process.stdout.write(`audit trail BROKEN: ${result.problems.length} problem(s) in ${result.checked} records\n`);
      for (const p of result.problems) process.stdout.write(`  record ${p.seq}: ${p.kind} — ${p.detail}\n`);
      process.exitCode = 1;
    });

  audit
    .command("search")
    .description("Print the audit records about a candidate, opportunity, user or trace as JSON Lines, oldest first.")
    .option("--candidate <id>", "Lever candidate (contact) id")
    .option("--opportunity <id>", "Lever opportunity id")
    .option("--user <id>", "a user who acted or was acted upon")
    .option("--trace <id>", "trace id (follows one webhook to its Lever writes)")
    .option("--kind <kind>", "only records of this kind, e.g. ai.call or lever.write")
    .option("--limit <n>", "at most this many records", "1000")
    .action(async (options: { candidate?: string; opportunity?: string; user?: string; trace?: string; kind?: string; limit: string }, cmd: Command) => {
      if (!options.candidate && !options.opportunity && !options.user && !options.trace) {
        cmd.error("fulcrum audit search: give at least one of --candidate, --opportunity, --user or --trace", { exitCode: 2 });
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) cmd.error(`fulcrum audit search: --limit "${options.limit}" must be a whole number of at least 1`, { exitCode: 2 });
      const records = await withDatabase((db) =>
        createAuditTrail(db).search({ candidateId: options.candidate, opportunityId: options.opportunity, userId: options.user, traceId: options.trace, kind: options.kind, limit }),
      );
      for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stderr.write(`${records.length} record(s)\n`);
    });

  audit
    .command("export")
    .description("Write audit records as JSON Lines (one record per line, oldest first), including hashes so the export can be checked.")
    .option("--from <date>", "first instant included (ISO 8601, e.g. 2026-01-01)")
    .option("--to <date>", "first instant excluded (ISO 8601)")
    .option("--out <file>", "write to this file instead of standard output")
    .addHelpText("after", "\nExample:\n  fulcrum audit export --from 2026-01-01 --to 2026-02-01 --out january.jsonl\n")
    .action(async (options: { from?: string; to?: string; out?: string }, cmd: Command) => {
      const from = parseDate(cmd, options.from, "--from");
      const to = parseDate(cmd, options.to, "--to");
      if (from && to && from >= to) cmd.error("fulcrum audit export: --from must be before --to", { exitCode: 2 });
      const count = await withDatabase(async (db) => {
        const out = options.out ? createWriteStream(options.out, { flags: "w" }) : process.stdout;
        let n = 0;
        for await (const line of createAuditTrail(db).export({ from, to })) {
          n++;
          if (!out.write(line)) await once(out, "drain");
        }
        if (out !== process.stdout) {
          out.end();
          await finished(out);
        }
        return n;
      });
      process.stderr.write(`exported ${count} audit records${options.out ? ` to ${options.out}` : ""}\n`);
    });
}
