/**
 * `fulcrum calendars seal`: seals a calendar connection's secret (Google service account key, Graph
 * client secret, CalDAV password) with FULCRUM_SECRET_KEY, to paste into the configuration in place
 * of the clear text. The secret is read from standard input, never from an argument, so it stays out
 * of shell history and process lists.
 */
import type { Command } from "commander";
import { CALENDAR_SECRET_FIELDS, calendarSecretContext } from "../../calendars/index.ts";
import { loadConfig } from "../../config/index.ts";
import { createSecretBox, loadSecretKey } from "../../engine/index.ts";

/** Seals `plaintext` for the connection's secret field; the provider decides which field that is. */
export function sealForConnection(
  provider: keyof typeof CALENDAR_SECRET_FIELDS,
  connectionId: string,
  plaintext: string,
  box: { seal(p: string, c?: string): string },
): string {
  const text = plaintext.replace(/\r?\n$/, "");
  if (!text) throw new Error("nothing to seal: standard input was empty");
  return box.seal(text, calendarSecretContext(connectionId, CALENDAR_SECRET_FIELDS[provider]));
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

export function register(program: Command): void {
  const calendars = program.command("calendars").description("Calendar connections (calendars: in the config file)");
  calendars
    .command("seal")
    .description(
      "Seal a calendar connection's secret with FULCRUM_SECRET_KEY; reads the secret on standard input and prints the sealed value to put in the config file",
    )
    .requiredOption("--connection <id>", "the connection's id under calendars.connections (the sealed value opens only there)")
    .option("--provider <provider>", "google, graph or caldav (default: the configured connection's)")
    .addHelpText(
      "after",
      "\nThe sealed value replaces serviceAccountKey (Google), clientSecret (Graph) or password (CalDAV), e.g.\n  fulcrum calendars seal --connection m365 < secret.txt\nIt opens only with the same FULCRUM_SECRET_KEY (or the data folder's key) and only for that connection.\nAn environment reference ({ env: NAME }) is the other way to keep a secret out of the file.\n",
    )
    .action(async (options: { connection: string; provider?: string }) => {
      const config = loadConfig();
      const configured = config.calendars?.connections.find((c) => c.id === options.connection);
      const provider = options.provider ?? configured?.provider;
      if (provider !== "google" && provider !== "graph" && provider !== "caldav") {
        process.stderr.write(`fulcrum: calendar connection "${options.connection}" is not configured; name its provider with --provider google|graph|caldav\n`);
        process.exitCode = 2;
        return;
      }
      const { key, previous } = loadSecretKey(config);
      const sealed = sealForConnection(provider, options.connection, await readStdin(), createSecretBox(key, { previous }));
      process.stdout.write(`${sealed}\n`);
    });
}
