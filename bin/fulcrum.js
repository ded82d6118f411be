#!/usr/bin/env node
// The installed `fulcrum` command: Node (22.18+) runs the TypeScript sources directly.
import { main } from "../src/cli/main.ts";
await main(process.argv);
