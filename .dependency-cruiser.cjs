// Module floors for dependency-cruiser (npm run lint:deps). The table below is design.md's
// "Modules" table: each module under src/ may import only the modules it lists (and itself).
// Listing "may use" rather than "must not use" means a new module is refused everywhere until
// someone decides where it sits. docs/architecture.md explains the floors and the known violations.
//
// Known violations are recorded in .dependency-cruiser-known-violations.json and ignored
// (--ignore-known), so a new violation fails `npm test` while the old ones stay listed for fixing.
// After fixing one, regenerate the file: npm run lint:deps:baseline

"use strict";

const fs = require("node:fs");
const path = require("node:path");

// The bottom floor: every module may log, measure and notify.
const BOTTOM = ["notify", "observability"];

/** Which src/ modules each src/ module may import, top floor first. */
const MAY_USE = {
  cli: ["server", "engine", "screening", "scheduling", "interviews", "ai", "governance", "calendars", "store", "config", "lever", "sandbox", ...BOTTOM],
  server: ["engine", "screening", "scheduling", "interviews", "ai", "governance", "calendars", "store", "config", "lever", ...BOTTOM],
  engine: ["screening", "scheduling", "interviews", "ai", "governance", "calendars", "store", "config", "lever", ...BOTTOM],
  // Domain modules meet only as steps in the engine: they never import each other.
  screening: ["ai", "calendars", "store", "config", "lever", ...BOTTOM],
  scheduling: ["ai", "calendars", "store", "config", "lever", ...BOTTOM],
  interviews: ["ai", "calendars", "store", "config", "lever", ...BOTTOM],
  ai: ["store", "config", ...BOTTOM],
  governance: ["store", "config", ...BOTTOM],
  // The leaves: each speaks to one thing (a database, an outside API) and is handed what it needs
  // by the floors above rather than reaching for it. Lever and calendars take the settings the
  // configuration validates for them (webhook events, allowed hosts, calendar connections) from it.
  store: ["observability"],
  lever: ["config", "observability"],
  calendars: ["config", "observability"],
  // The settings: fulcrum.config and the environment, validated; it imports nothing of ours.
  config: [],
  notify: ["observability"],
  observability: [],
  // The simulators stand in for outside services, so they may use those services' types only.
  sandbox: ["lever", "calendars"],
  // The console's API contract (zod schemas of every response): the server and the console both
  // import it, so it imports nothing of ours.
  contract: [],
};
// `serve` without Lever credentials runs against the built-in sandbox (design.md, One machine).
MAY_USE.server.push("sandbox");
// The server answers the console in the contract's shapes.
MAY_USE.server.push("contract");

// Pure code the console bundles for the browser as well: no node: imports, no imports of ours.
// Add a file here only when that holds; everything else reaches the console as types.
const BROWSER_SAFE = ["^src/governance/adverse-impact[.]ts$"];

const MODULES = Object.keys(MAY_USE);
const TESTS = "(^test/|^bench/|[.]test[.]tsx?$)";

const floorRules = MODULES.map((module) => {
  const refused = MODULES.filter((other) => other !== module && !MAY_USE[module].includes(other));
  return {
    name: `floors-${module}`,
    comment: `src/${module} may use only: ${MAY_USE[module].join(", ") || "nothing of ours"} (design.md, Modules).`,
    severity: "error",
    from: { path: `^src/${module}/`, pathNot: TESTS },
    to: { path: `^src/(${refused.join("|")})/` },
  };
});

// A module with an index.ts is entered through it (the engine's is src/engine/index.ts); inside
// the engine, each part (src/engine/<part>/index.ts) is entered through its own.
const frontDoors = [
  ...MODULES.map((module) => `src/${module}`),
  ...fs
    .readdirSync(path.join(__dirname, "src", "engine"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `src/engine/${entry.name}`),
].filter((folder) => fs.existsSync(path.join(__dirname, folder, "index.ts")));

const frontDoorRules = frontDoors.flatMap((folder) => {
  const rule = {
    name: `front-door-${folder.slice("src/".length).replace("/", "-")}`,
    comment: `Import ${folder}/index.ts, not the files behind it; tests and benchmarks may reach inside.`,
    severity: "error",
  };
  return [
    { ...rule, from: { pathNot: [`^${folder}/`, TESTS, "^web/src/"] }, to: { path: `^${folder}/`, pathNot: `^${folder}/index[.]ts$` } },
    // The console may also import a browser-safe file directly: the front door would bundle Node code.
    { ...rule, from: { path: "^web/src/" }, to: { path: `^${folder}/`, pathNot: [`^${folder}/index[.]ts$`, ...BROWSER_SAFE] } },
  ];
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...floorRules,
    ...frontDoorRules,
    {
      name: "no-circular",
      comment: "A cycle makes two files one module in disguise: move what both need below both.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "src-not-to-tests-or-tools",
      comment: "Shipped code must not depend on tests, benchmarks, scripts or the console's sources.",
      severity: "error",
      from: { path: "^src/", pathNot: TESTS },
      to: { path: "^(test|bench|scripts|web)/" },
    },
    {
      name: "console-types-only-from-src",
      comment: "The console is bundled for the browser: from src/ it takes types, and code only from BROWSER_SAFE files.",
      severity: "error",
      from: { path: "^web/src/" },
      to: { path: "^src/", pathNot: BROWSER_SAFE, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing fails at run time.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "src-not-to-dev-dependency",
      comment: "Shipped code runs without devDependencies installed (npm install --omit=dev).",
      severity: "error",
      from: { path: "^src/", pathNot: TESTS },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    // TypeScript 7's compiler has no JavaScript API yet, so swc parses the sources.
    parser: "swc",
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/|^web/dist/" },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
