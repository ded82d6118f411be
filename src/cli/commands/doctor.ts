/**
 * `fulcrum doctor`: checks a Lever connection end to end and prints what to fix. Exit code 1 when
 * any check fails — a refused permission that Fulcrum or an enabled workflow needs among them.
 */
import type { Command } from "commander";
import { doctorFailed, formatDoctorTable, type DoctorRow } from "../../engine/index.ts";
import { pickConnection, withConnections } from "./connections.ts";
import { loadConfig } from "../../config/index.ts";
import { calendarDoctorSection } from "./doctor-calendars.ts";

export function register(program: Command): void {
  program
    .command("doctor")
    .description(
      "Check a Lever connection: credentials, every endpoint Fulcrum may call (permitted, refused with the API-key permission and OAuth scope to add, or not found), what each enabled workflow needs and whether it is granted, perform-as user, webhook subscriptions, and public reachability.",
    )
    .option("--connection <id>", 'connection to check (default: the only one, or "default")')
    .option("--all", "check every connection")
    .option("--json", "print the rows as JSON")
    .addHelpText(
      "after",
      "\nEach row is ✓ ok, ! warning, ✗ failed or - skipped, with the fix beneath. Each endpoint is judged\npermitted (2xx), permitted (inferred) (a 400/422: Lever validated the request, so the permission check\npresumably passed, which Lever does not document), refused (403: the row names\nthe API-key permission as Lever's settings page words it, and the OAuth scope) or not found (a 404 on a\nmade-up id, which cannot tell: a warning, never a pass). Writes are probed with a made-up opportunity and,\nwhen that answers 404, on a real one with a request Lever must refuse (a made-up perform-as user, stage\nor reason, or nothing to add), so nothing is written to Lever. Then one row per enabled workflow (and one\nfor Fulcrum itself) lists the scopes it needs and whether they are granted. The exit code is 1 when a\ncheck fails, e.g. an enabled workflow lacks a permission. A connection\nwhose base URL is not https on Lever's API hosts (or a host in FULCRUM_LEVER_ALLOWED_HOSTS) fails\nits \"base URL\" check and nothing, least of all its key, is sent there.\nThe public URL check needs FULCRUM_PUBLIC_URL and a running `fulcrum serve`.\n",
    )
    .action(async (options: { connection?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      await withConnections(async (opened) => {
        const ids = options.all ? (await opened.registry.list()).map((c) => c.id) : [await pickConnection(cmd, opened, options.connection)];
        const results: { connection: string; rows: DoctorRow[] }[] = [];
        for (const id of ids) results.push({ connection: id, rows: await opened.registry.doctor(id) });
        // Calendar connections (calendars: in the config file), when any is configured.
        const calendars = await calendarDoctorSection(loadConfig());
        if (calendars) results.push(calendars);
        if (options.json) process.stdout.write(JSON.stringify(results, null, 2) + "\n");
        else
          for (const r of results)
            process.stdout.write(
              `\nfulcrum doctor — ${r === calendars ? "calendar connections" : `connection ${r.connection}`}\n\n${formatDoctorTable(r.rows)}\n`,
            );
        if (results.some((r) => doctorFailed(r.rows))) process.exitCode = 1;
      });
    });
}
