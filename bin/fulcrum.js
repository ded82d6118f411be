#!/usr/bin/env node
// The installed `fulcrum` command: Node (22.18+) runs the TypeScript sources directly. The version
// check is plain JavaScript and runs before any TypeScript is loaded, so an older Node gets a
// message saying what to install instead of ERR_UNKNOWN_FILE_EXTENSION.
import { createRequire } from "node:module";

createRequire(import.meta.url)("../scripts/check-node.cjs").check();
const { main } = await import("../src/cli/main.ts");
await main(process.argv);
