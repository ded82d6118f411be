/**
 * `fulcrum webhooks install|list|remove`: Lever webhook subscriptions made through Lever's API, with
 * the signature token of each stored (sealed) so deliveries can be verified.
 */
import type { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { pickConnection, withConnections } from "./connections.ts";

const MARK = { created: "+", kept: "=", recreated: "~", failed: "✗" } as const;

export function register(program: Command): void {
  const webhooks = program.command("webhooks").description("Subscribe a connection to Lever's webhooks through Lever's API, list and remove subscriptions.");

  webhooks
    .command("install")
    .description("Subscribe the connection to every Lever event at <url>/webhooks/lever/<connection>, storing each signature token. Safe to run again.")
    .option("--url <public url>", "the public https URL of this server (default: FULCRUM_PUBLIC_URL)")
    .option("--connection <id>", 'connection (default: the only one, or "default")')
    .addHelpText(
      "after",
      "\nLever returns a subscription's signature token only when it is created: a subscription for the\nsame URL and event that Fulcrum holds no token for is deleted and created again (shown as ~).\nThe API key needs the webhook permissions (Find all webhooks, Add a webhook, Delete a webhook).\n\nExample:\n  fulcrum webhooks install --url https://fulcrum.example.com --connection acme\n",
    )
    .action(async (options: { url?: string; connection?: string }, cmd: Command) => {
      const url = options.url ?? loadConfig().publicUrl;
      if (!url) cmd.error("give --url <public https URL> (or set FULCRUM_PUBLIC_URL)", { exitCode: 2 });
      try {
        new URL(url);
      } catch {
        cmd.error(`--url "${url}" is not a URL; give e.g. https://fulcrum.example.com`, { exitCode: 2 });
      }
      await withConnections(async (opened) => {
        const id = await pickConnection(cmd, opened, options.connection);
        const result = await opened.registry
          .installWebhooks(id, url)
          .catch((error: Error) => cmd.error(`fulcrum webhooks install: ${error.message}`, { exitCode: 1 }));
        process.stdout.write(`webhook URL for connection ${id}: ${result.url}\n\n`);
        for (const r of result.rows) process.stdout.write(` ${MARK[r.action]} ${r.event.padEnd(24)} ${r.action.padEnd(9)} ${r.detail}\n`);
        if (result.forgotten) process.stdout.write(`\nforgot ${result.forgotten} token(s) of webhooks that no longer exist in Lever\n`);
        process.stdout.write(`\n${result.notes.map((n) => `note: ${n}`).join("\n")}\n`);
        if (result.rows.some((r) => r.action === "failed")) process.exitCode = 1;
      });
    });

  webhooks
    .command("list")
    .description("List the connection's API-made subscriptions (from Lever) and settings-page tokens (stored here).")
    .option("--connection <id>", 'connection (default: the only one, or "default")')
    .option("--json", "print JSON")
    .action(async (options: { connection?: string; json?: boolean }, cmd: Command) => {
      await withConnections(async (opened) => {
        const id = await pickConnection(cmd, opened, options.connection);
        const rows = await opened.registry.listWebhooks(id).catch((error: Error) => cmd.error(`fulcrum webhooks list: ${error.message}`, { exitCode: 1 }));
        if (options.json) return void process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
        if (rows.length === 0)
          return void process.stdout.write(`no webhook subscriptions or tokens for ${id}: run fulcrum webhooks install --url <public URL>\n`);
        for (const r of rows) {
          process.stdout.write(
            ` ${r.tokenStored ? "✓" : "✗"} ${r.event.padEnd(24)} ${r.origin === "api" ? `API ${r.webhookId} → ${r.url}` : "settings-page token"}${r.tokenStored ? "" : "  (no token stored: deliveries will be refused; run webhooks install)"}\n`,
          );
        }
      });
    });

  webhooks
    .command("remove")
    .description("Delete the subscriptions Fulcrum made for the connection (those for --url only, when given) and their tokens.")
    .option("--url <public url>", "only subscriptions to this URL")
    .option("--connection <id>", 'connection (default: the only one, or "default")')
    .action(async (options: { url?: string; connection?: string }, cmd: Command) => {
      await withConnections(async (opened) => {
        const id = await pickConnection(cmd, opened, options.connection);
        const removed = await opened.registry
          .removeWebhooks(id, options.url)
          .catch((error: Error) => cmd.error(`fulcrum webhooks remove: ${error.message}`, { exitCode: 1 }));
        process.stdout.write(removed.length ? `removed ${removed.length} subscription(s): ${removed.join(", ")}\n` : "nothing to remove\n");
      });
    });
}
