import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";

export function register(program: Command): void {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../../package.json"), "utf8")) as { version: string };
  program.version(pkg.version, "-v, --version", "print Fulcrum's version");
}
