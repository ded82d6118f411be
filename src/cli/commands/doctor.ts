/**
 * `fulcrum doctor`: checks a Lever connection end to end and prints what to fix. Exit code 1 when
 * any check fails.
 */
import type { Command } from "commander";
import { doctorFailed, formatDoctorTable, type DoctorRow } from "../../engine/connections/index.ts";
import { pickConnection, withConnections } from "./connections.ts";

export function register(program: Command): void {
  program
    .command("doctor")
    .description("Check a Lever connection: credentials, every endpoint Fulcrum needs (naming missing API-key permissions), perform-as user, webhook subscriptions, and public reachability.")
    .option("--connection <id>", "connection to check (default: the only one, or \"default\")")
    .option("--all", "check every connection")
    .option("--json", "print the rows as JSON")
    .addHelpText(
      "after",
      "\nEach row is ✓ ok, ! warning, ✗ failed or - skipped, with the fix beneath. Write permissions are\nprobed against an opportunity id that does not exist, so nothing is written to Lever. A connection\nwhose base URL is not https on Lever's API hosts (or a host in FULCRUM_LEVER_ALLOWED_HOSTS) fails\nits \"base URL\" check and nothing, least of all its key, is sent there.\nThe public URL check needs FULCRUM_PUBLIC_URL and a running `fulcrum serve`.\n",
    )
    .action(async (options: { connection?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      await withConnections(async (opened) => {
        const ids = options.all ? (await opened.registry.list()).map((c) => c.id) : [await pickConnection(cmd, opened, options.connection)];
        const results: { connection: string; rows: DoctorRow[] }[] = [];
        for (const id of ids) results.push({ connection: id, rows: await opened.registry.doctor(id) });
        if (options.json) process.stdout.write(JSON.stringify(results, null, 2) + "\n");
        else for (const r of results) process.stdout.write(`\nfulcrum doctor — connection ${r.connection}\n\n${formatDoctorTable(r.rows)}\n`);
        if (results.some((r) => doctorFailed(r.rows))) process.exitCode = 1;
      });
    });
}
