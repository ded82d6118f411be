/**
 * `fulcrum connections add|list|show|remove`: the Lever accounts this deployment talks to. Secrets
 * (API keys, OAuth client secrets, webhook tokens) are read from environment variables or standard
 * input, never from the command line, where shell history and `ps` would keep them.
 */
import type { Command } from "commander";
import { leverEventNames, loadConfig } from "../../config/index.ts";
import { openConnections, type Connection, type ConnectionInput, type LeverEnvironment, type OpenedConnections } from "../../engine/index.ts";
import { createLogger } from "../../observability/index.ts";

/** Opens the registry for a command, runs `fn`, and always closes the database. */
export async function withConnections<T>(fn: (opened: OpenedConnections) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.FULCRUM_LOG_LEVEL ?? "warn" });
  const opened = await openConnections(config, logger);
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}

/**
 * The connection a command acts on: the one named, else the only one, else `default`. Exits with a
 * clear message when none fits.
 */
export async function pickConnection(cmd: Command, opened: OpenedConnections, named: string | undefined): Promise<string> {
  const all = await opened.registry.list();
  if (named) {
    if (all.some((c) => c.id === named)) return named;
    cmd.error(`no connection "${named}"; known: ${all.map((c) => c.id).join(", ") || "none"} (see fulcrum connections list)`, { exitCode: 2 });
  }
  if (all.length === 1) return all[0]!.id;
  if (all.some((c) => c.id === "default")) return "default";
  if (all.length === 0) cmd.error("no Lever connection is configured: set LEVER_API_KEY, or add one with fulcrum connections add", { exitCode: 2 });
  cmd.error(`several connections exist (${all.map((c) => c.id).join(", ")}): choose one with --connection <id>`, { exitCode: 2 });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}

function fromEnv(cmd: Command, variable: string, what: string): string {
  const value = process.env[variable];
  if (!value) cmd.error(`${what}: environment variable ${variable} is not set or empty`, { exitCode: 2 });
  return value;
}

function tokenSummary(c: Connection): string {
  if (c.webhookTokens.length === 0) return "none";
  const settings = c.webhookTokens.filter((t) => t.origin === "settings").map((t) => t.event ?? "*");
  const api = c.webhookTokens.filter((t) => t.origin === "api").length;
  return [settings.length ? `settings: ${settings.join(", ")}` : "", api ? `${api} API webhook(s)` : ""].filter(Boolean).join("; ");
}

function describe(c: Connection): string[] {
  return [
    `id:           ${c.id}`,
    `name:         ${c.name}`,
    `environment:  ${c.environment}`,
    `base URL:     ${c.baseUrl}`,
    `auth:         ${c.authKind === "api_key" ? "API key" : `OAuth (${c.oauthConnected ? `connected, token valid until ${c.oauthExpiresAt?.toISOString()}` : "not connected yet: open /oauth/lever/start?connection=" + c.id})`}`,
    `perform as:   ${c.performAsEmail ?? "(none)"}${c.performAsUserId ? ` → ${c.performAsUserId}` : ""}${c.performAsFallback ? ` (fallback ${c.performAsFallback}${c.fallbackPerformAsUserId ? ` → ${c.fallbackPerformAsUserId}` : ""})` : ""}`,
    `webhook tokens: ${tokenSummary(c)}`,
    `source:       ${c.source}`,
  ];
}

export function register(program: Command): void {
  const connections = program
    .command("connections")
    .description("Manage the Lever accounts (connections) this deployment talks to.")
    .addHelpText(
      "after",
      '\nA single account is usually configured with LEVER_API_KEY (and LEVER_API_BASE_URL, LEVER_PERFORM_AS,\nLEVER_WEBHOOK_SIGNATURE_TOKEN); it appears here as the connection "default". Use these commands\n(or connections[] in fulcrum.config.yaml) for several accounts.\n',
    );

  connections
    .command("list")
    .description("List connections (no secrets are shown).")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withConnections(async ({ registry }) => {
        const all = await registry.list();
        if (options.json) return void process.stdout.write(JSON.stringify(all, null, 2) + "\n");
        if (all.length === 0) return void process.stdout.write("no connections (set LEVER_API_KEY or run fulcrum connections add)\n");
        const rows = all.map((c) => [
          c.id,
          c.environment,
          c.authKind === "api_key" ? "api key" : c.oauthConnected ? "oauth" : "oauth (not connected)",
          c.performAsEmail ?? "-",
          tokenSummary(c),
          c.source,
        ]);
        const head = ["id", "environment", "auth", "perform as", "webhook tokens", "source"];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
        for (const r of [head, ...rows])
          process.stdout.write(
            r
              .map((v, i) => v.padEnd(widths[i]!))
              .join("  ")
              .trimEnd() + "\n",
          );
      });
    });

  connections
    .command("show <id>")
    .description("Show one connection (no secrets are shown).")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }, cmd: Command) => {
      await withConnections(async ({ registry }) => {
        const c = await registry.get(id);
        if (!c) cmd.error(`no connection "${id}"`, { exitCode: 2 });
        process.stdout.write(options.json ? JSON.stringify(c, null, 2) + "\n" : describe(c).join("\n") + "\n");
      });
    });

  connections
    .command("add <id>")
    .description("Add a connection (or replace one with --replace). Secrets come from environment variables or standard input.")
    .option("--name <name>", "display name")
    .option("--environment <env>", "production, sandbox, eu or custom", "production")
    .option(
      "--base-url <url>",
      "API root ending in /v1 (required for custom): https on api.lever.co, api.eu.lever.co or api.sandbox.lever.co, or a host listed in FULCRUM_LEVER_ALLOWED_HOSTS",
    )
    .option("--api-key-env <VAR>", "read the Lever API key from this environment variable")
    .option("--api-key-stdin", "read the Lever API key from standard input")
    .option("--oauth-client-id <id>", "OAuth client id (partner apps)")
    .option("--oauth-client-secret-env <VAR>", "read the OAuth client secret from this environment variable")
    .option("--oauth-redirect-uri <url>", "OAuth callback URL registered with Lever, e.g. https://fulcrum.example.com/oauth/lever/callback")
    .option(
      "--scope <scope...>",
      "OAuth scopes (default: what Fulcrum and the enabled workflows need, plus offline_access and confidential:access:admin; see fulcrum doctor)",
    )
    .option("--no-confidential", "OAuth: do not ask for confidential:access:admin (confidential postings and candidates stay hidden from Fulcrum)")
    .option(
      "--webhook-token-env <event=VAR...>",
      `signature token(s) from Lever's webhook settings: <event>=<VAR>, or *=<VAR> for every event (events: ${leverEventNames.join(", ")})`,
    )
    .option("--perform-as <email>", "Lever user whose name writes are made under")
    .option("--perform-as-fallback <email>", "used when the perform-as user is missing or deactivated")
    .option("--replace", "overwrite an existing connection with this id")
    .addHelpText(
      "after",
      "\nExamples:\n  LEVER_KEY_ACME=… fulcrum connections add acme --api-key-env LEVER_KEY_ACME --perform-as ops@acme.example\n  fulcrum connections add globex --environment eu --api-key-stdin < key.txt\n  LEVER_SECRET=… fulcrum connections add partner --oauth-client-id abc --oauth-client-secret-env LEVER_SECRET \\\n      --oauth-redirect-uri https://fulcrum.example.com/oauth/lever/callback\n",
    )
    .action(async (id: string, o: Record<string, unknown>, cmd: Command) => {
      const environment = String(o.environment) as LeverEnvironment;
      if (!["production", "sandbox", "eu", "custom"].includes(environment))
        cmd.error(`--environment must be production, sandbox, eu or custom, not "${environment}"`, { exitCode: 2 });
      const input: ConnectionInput = {
        id,
        name: o.name as string | undefined,
        environment,
        baseUrl: o.baseUrl as string | undefined,
        performAs: o.performAs as string | undefined,
        performAsFallback: o.performAsFallback as string | undefined,
      };
      if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(id)) cmd.error(`connection id "${id}" must be lower-case letters, digits, - and _ (at most 63)`, { exitCode: 2 });
      if (o.apiKeyEnv) input.apiKey = fromEnv(cmd, String(o.apiKeyEnv), "--api-key-env");
      else if (o.apiKeyStdin) input.apiKey = await readStdin();
      else if (o.oauthClientId) {
        if (!o.oauthClientSecretEnv || !o.oauthRedirectUri)
          cmd.error("OAuth needs --oauth-client-id, --oauth-client-secret-env and --oauth-redirect-uri", { exitCode: 2 });
        input.oauth = {
          clientId: String(o.oauthClientId),
          clientSecret: fromEnv(cmd, String(o.oauthClientSecretEnv), "--oauth-client-secret-env"),
          redirectUri: String(o.oauthRedirectUri),
          scopes: o.scope as string[] | undefined,
          confidential: o.confidential !== false,
        };
      } else cmd.error("give credentials: --api-key-env <VAR>, --api-key-stdin, or the --oauth-* options", { exitCode: 2 });
      if (input.apiKey === "") cmd.error("the API key is empty", { exitCode: 2 });
      if (o.webhookTokenEnv) {
        input.webhookSignatureTokens = {};
        for (const pair of o.webhookTokenEnv as string[]) {
          const [event, variable] = pair.split("=", 2);
          if (!event || !variable || (event !== "*" && !(leverEventNames as readonly string[]).includes(event))) {
            cmd.error(`--webhook-token-env "${pair}" must be <event>=<VAR> with a Lever event name or *`, { exitCode: 2 });
          }
          input.webhookSignatureTokens[event] = fromEnv(cmd, variable, `--webhook-token-env ${event}`);
        }
      }
      await withConnections(async ({ registry }) => {
        try {
          const c = await registry.add(input, { source: "cli", replace: Boolean(o.replace) });
          process.stdout.write(`${o.replace ? "saved" : "added"} connection ${c.id}\n${describe(c).join("\n")}\n`);
          process.stdout.write(
            c.authKind === "oauth"
              ? `\nNext: open /oauth/lever/start?connection=${c.id} on this server to connect it.\n`
              : `\nNext: fulcrum doctor --connection ${c.id}\n`,
          );
        } catch (error) {
          cmd.error(`fulcrum connections add: ${(error as Error).message}`, { exitCode: 1 });
        }
      });
    });

  connections
    .command("connect <id>")
    .description("Start connecting an OAuth connection: prints the Lever consent link to open (valid 10 minutes, once).")
    .addHelpText(
      "after",
      "\nOpen the printed link in a browser signed in to Lever as an admin of the account to connect. Lever sends\nthe browser back to the connection's redirect URI (/oauth/lever/callback on this server), which must be\nrunning (fulcrum serve) to store the tokens.\n",
    )
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await withConnections(async ({ registry }) => {
        const c = await registry.get(id);
        if (!c) cmd.error(`no connection "${id}"`, { exitCode: 2 });
        if (c.authKind !== "oauth") cmd.error(`connection "${id}" uses an API key; connect is for OAuth connections`, { exitCode: 2 });
        const { url, expiresAt } = await registry.beginOAuthConnect(id);
        process.stdout.write(`Open this link to connect "${id}" (valid until ${expiresAt.toISOString()}, once):\n\n  ${url}\n`);
      });
    });

  connections
    .command("rekey")
    .description("After rotating FULCRUM_SECRET_KEY (old key in FULCRUM_SECRET_KEY_PREVIOUS): seal every stored connection secret with the new key.")
    .addHelpText(
      "after",
      "\nRotation: generate a key (openssl rand -hex 32), start every process with FULCRUM_SECRET_KEY=<new> and\nFULCRUM_SECRET_KEY_PREVIOUS=<old>, run fulcrum connections rekey once, then drop FULCRUM_SECRET_KEY_PREVIOUS.\n",
    )
    .action(async () => {
      await withConnections(async ({ registry }) => {
        const r = await registry.rekey();
        process.stdout.write(
          `re-sealed ${r.credentials} credential(s), ${r.webhookTokens} webhook token(s), ${r.oauthTokens} OAuth token set(s) with the current key\n`,
        );
        if (r.unreadable.length) {
          process.stdout.write(`could not open (no known key): ${r.unreadable.join(", ")} — re-enter them with fulcrum connections add … --replace\n`);
          process.exitCode = 1;
        }
      });
    });

  connections
    .command("remove <id>")
    .description("Remove a connection with its stored credentials and tokens (Lever-side webhooks stay: run fulcrum webhooks remove first).")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await withConnections(async ({ registry }) => {
        const c = await registry.get(id);
        if (!c) cmd.error(`no connection "${id}"`, { exitCode: 2 });
        if (c.source === "config")
          process.stderr.write(`note: ${id} comes from the configuration and will be added again at the next start unless removed there\n`);
        await registry.remove(id);
        process.stdout.write(`removed connection ${id}\n`);
      });
    });
}
