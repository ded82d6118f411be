import type { Command } from "commander";

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command("sandbox")
    .description(
      "Run the built-in Lever sandbox: Lever's v1 API in memory, with a seeded demo organisation, signed webhooks and fault injection. Prints its URL and API key and runs until interrupted.",
    )
    .option("-p, --port <port>", "TCP port to listen on (0 picks a free port)", integer("--port", 0, 65535), 4200)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("-s, --seed <seed>", "seed for the demo organisation, ids and tokens (same seed, same data)", integer("--seed", 0, 2 ** 31 - 1), 1)
    .option("--no-rate-limit", "do not enforce Lever's rate limit of 10 requests/s with bursts of 20 per key")
    .option("--no-demo", "start with an empty organisation (fixed stages, a Hired reason and one admin) instead of the demo org")
    .addHelpText(
      "after",
      `
Examples:
  $ fulcrum sandbox --port 4200
  $ fulcrum sandbox --port 0 --seed 7 --no-rate-limit

Call it like Lever, with the printed key as the Basic-auth user name:
  curl -u "<api key>:" http://127.0.0.1:4200/v1/opportunities?limit=5`,
    )
    .action(async (opts: { port: number; host: string; seed: number; rateLimit: boolean; demo: boolean }) => {
      const { startSandbox } = await import("../../sandbox/index.ts");
      const sandbox = await startSandbox({ port: opts.port, host: opts.host, seed: opts.seed, rateLimit: opts.rateLimit, demo: opts.demo });
      const admin = [...sandbox.state.users.values()].find((u) => u.accessRole === "super admin");
      process.stdout.write(
        [
          "Lever sandbox running",
          `  URL:        ${sandbox.url}`,
          `  API key:    ${sandbox.apiKey}`,
          `  Seed:       ${opts.seed}`,
          `  Rate limit: ${opts.rateLimit ? "10 requests/s, bursts of 20" : "off"}`,
          `  Org:        ${sandbox.state.postings.size} postings, ${sandbox.state.opportunities.size} opportunities, ${sandbox.state.users.size} users`,
          ...(admin ? [`  Super admin (for perform_as): ${admin.name} <${admin.email}> ${admin.id}`] : []),
          "Press Ctrl+C to stop.",
          "",
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await sandbox.close();
      process.stdout.write("Lever sandbox stopped.\n");
    });
}
