/**
 * `fulcrum workflows validate|list|test|schema`: check workflow files (errors name file, line and
 * field), list what is loaded, and dry-run a workflow on an event: it reads from Lever (or the
 * built-in sandbox) and prints the proposals it would make, writing nothing anywhere.
 * `fulcrum workflows mode|changes|approve-change|reject-change`: set a workflow's mode live under
 * four eyes (a raise waits for someone other than its author) and decide on waiting changes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { loadConfig, type Config } from "../../config/index.ts";
import { silentLogger } from "../../observability/index.ts";
import { migrate, openDatabase } from "../../store/index.ts";
import { createAi, DEFAULT_AI_CONFIG } from "../../ai/index.ts";
import { createLeverClient, LEVER_PRODUCTION_URL, type LeverClient } from "../../lever/index.ts";
import {
  actionModes,
  aiStepRunner,
  approveWorkflowChange,
  capMode,
  ceilingSource,
  createEngineRuntime,
  createModeCeiling,
  describeWorkflowPatch,
  formatProblem,
  isMode,
  leverGateway,
  listProposals,
  listWorkflowChanges,
  loadWorkflows,
  rejectWorkflowChange,
  requestWorkflowChange,
  runOutcome,
  workflowJsonSchema,
  WorkflowChangeError,
  type ActionMode,
  type EngineEvent,
  type Mode,
  type ModeCeilingState,
  type WorkflowChange,
} from "../../engine/index.ts";
import { fourEyesRequired } from "../../server/index.ts";
import { embeddedDatabaseHolder, withDatabase } from "../engine-session.ts";

function loadAll() {
  const config = loadConfig();
  return { config, ...loadWorkflows({ userDir: config.workflowsDir, tools: Object.keys(config.tools ?? {}) }) };
}

/** Reads an event file: a Lever webhook body (`{ event, triggeredAt, data }`) or `{ source: "tool", tool, event, data }`. */
export function eventFromFile(text: string, file: string): Omit<EngineEvent, "traceId"> {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof body.event !== "string") throw new Error(`${file}: "event" must be the event name, e.g. "applicationCreated"`);
  const data = (body.data ?? {}) as Record<string, unknown>;
  if (typeof data !== "object" || Array.isArray(data)) throw new Error(`${file}: "data" must be an object`);
  const tool = typeof body.tool === "string" ? body.tool : undefined;
  return {
    key: `dry-run:${Date.now()}`,
    connectionId: typeof body.connectionId === "string" ? body.connectionId : "default",
    source: tool ? "tool" : "lever",
    tool,
    name: body.event,
    triggeredAt: typeof body.triggeredAt === "number" ? body.triggeredAt : Date.now(),
    data,
  };
}

/** What the console changed live: the mode ceiling and per-workflow enabled/mode. */
export interface LiveSettings {
  ceiling: ModeCeilingState;
  workflows: Map<string, { enabled: boolean | null; mode: Mode | null; updatedBy: string | null }>;
  /** Raising changes waiting for a second person's approval (four eyes), by workflow. */
  pending: Map<string, WorkflowChange>;
  /** Set when the database could not be read: the values are the environment's and the files'. */
  unavailable?: string | undefined;
}

/**
 * Reads the live settings from the deployment's database. Never creates a database, and never
 * fails the listing: when the database cannot be read it says why and falls back to the
 * environment's ceiling.
 */
export async function readLiveSettings(config: Config): Promise<LiveSettings> {
  const fallback = (unavailable?: string): LiveSettings => ({
    ceiling: { effective: config.modeCeiling, environment: config.modeCeiling, override: null, updatedBy: null, updatedAt: null },
    workflows: new Map(),
    pending: new Map(),
    unavailable,
  });
  if (!config.databaseUrl) {
    const holder = embeddedDatabaseHolder(config);
    if (holder)
      return fallback(`fulcrum serve (pid ${holder}) holds the embedded database; GET /api/settings/mode-ceiling on the server shows the ceiling in force`);
    // No database yet: nothing can have been changed live.
    if (!existsSync(join(config.dataDir, "db"))) return fallback();
  }
  try {
    return await withDatabase(async (db) => {
      const ceiling = await createModeCeiling(db, config.modeCeiling).state();
      const { rows } = await db.query<{ workflow_id: string; enabled: boolean | null; mode: Mode | null; updated_by: string | null }>(
        "select workflow_id, enabled, mode, updated_by from workflow_settings",
      );
      const pending = new Map((await listWorkflowChanges(db, { limit: 500 })).map((c) => [c.workflowId, c]));
      return { ceiling, workflows: new Map(rows.map((r) => [r.workflow_id, { enabled: r.enabled, mode: r.mode, updatedBy: r.updated_by }])), pending };
    });
  } catch (error) {
    return fallback(`the database could not be read (${(error as Error).message.split("\n")[0]})`);
  }
}

/** One line about the ceiling in force: the environment's, or lower when changed live. */
export function describeModeCeiling(live: LiveSettings): string {
  const c = live.ceiling;
  if (live.unavailable) return `mode ceiling: ${c.environment} (FULCRUM_MODE_CEILING; a live change could not be read: ${live.unavailable})`;
  if (c.effective !== c.environment) {
    return `mode ceiling: ${c.effective} (lowered live from FULCRUM_MODE_CEILING=${c.environment}${c.updatedBy ? ` by ${c.updatedBy}` : ""}${c.updatedAt ? ` at ${c.updatedAt}` : ""})`;
  }
  if (c.override !== null && c.override !== c.effective)
    return `mode ceiling: ${c.effective} (FULCRUM_MODE_CEILING; the console's ${c.override} is above it and has no effect)`;
  return `mode ceiling: ${c.effective} (FULCRUM_MODE_CEILING)`;
}

/** `change 3, set its mode to auto (asked by cli:ann at 2026-…)`, for listings. */
function describeChange(c: WorkflowChange, withId = true): string {
  const what = describeWorkflowPatch({ ...(c.enabled !== null ? { enabled: c.enabled } : {}), ...(c.mode !== null ? { mode: c.mode } : {}) });
  return `${withId ? `change ${c.id}, ` : ""}${what} (asked by ${c.author} at ${c.createdAt})`;
}

export function register(program: Command): void {
  const workflows = program
    .command("workflows")
    .description(
      "Check, list and dry-run workflow files (workflows/*.yaml and FULCRUM_WORKFLOWS_DIR); set a workflow's mode and approve changes others asked for.",
    );

  workflows
    .command("validate")
    .description("Validate every workflow file; print each problem as file:line:column field: message and exit 1 if any.")
    .argument("[files...]", "only these files (default: the built-in folder and FULCRUM_WORKFLOWS_DIR)")
    .action(async (files: string[]) => {
      const { parseWorkflow } = await import("../../engine/index.ts");
      const problems = files.length
        ? files.flatMap((f) => {
            // Checked against the configured tools, as `serve` checks them.
            const r = parseWorkflow(readFileSync(f, "utf8"), f, { tools: Object.keys(loadConfig().tools ?? {}) });
            return r.ok ? [] : r.problems;
          })
        : loadAll().problems;
      for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
      if (problems.length) {
        process.stdout.write(`${problems.length} problem(s)\n`);
        process.exitCode = 1;
      } else process.stdout.write("all workflow files are valid\n");
    });

  workflows
    .command("list")
    .description(
      "List the workflows that would be loaded, with their triggers, mode and steps, the mode each action runs in and why, and the mode ceiling in force.",
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
The mode ceiling shown is the one in force: FULCRUM_MODE_CEILING, or lower when an admin lowered it
live in the console (read from the database; while fulcrum serve holds the embedded database, the
environment's value is shown with a note). Enabled and mode changed live (in the console, through
the API or with fulcrum workflows mode) are shown too, with who changed them, and a raise waiting
for a second person's approval (four eyes) under its workflow.

Under each workflow, every action (note, tags, stage move, message, HTTP call) is listed with the
mode it runs in: the lowest of the mode ceiling, the workflow's mode (set live, else the
file's), the file's per-action modes and, on the built-in sandbox, its sandbox block. Each line
names the layer that decided; a per-action or sandbox "auto" under a lower workflow mode can never
take effect and is listed as such.`,
    )
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
      const err = cmd.configureOutput().writeErr ?? ((t: string) => void process.stderr.write(t));
      const { workflows: list, problems, config } = loadAll();
      const live = await readLiveSettings(config);
      const ceiling = live.ceiling.effective;
      const source = live.unavailable ? "the mode ceiling (FULCRUM_MODE_CEILING)" : ceilingSource(live.ceiling);
      const effective = (w: (typeof list)[number]["workflow"]) => {
        const o = live.workflows.get(w.id);
        const mode = o?.mode ?? w.mode;
        const inputs = {
          ceiling,
          ceilingSource: source,
          chosen: o?.mode ? { mode: o.mode, by: o.updatedBy } : null,
          autoArchive: config.policy?.autoArchive === true,
        };
        const actions = actionModes(w, { ...inputs, sandbox: false });
        const onSandbox = actionModes(w, { ...inputs, sandbox: true });
        return {
          enabled: o?.enabled ?? w.enabled,
          mode,
          runsAs: capMode(mode, ceiling),
          changedLive: o !== undefined && (o.mode !== null || o.enabled !== null),
          pendingChange: live.pending.get(w.id) ?? null,
          actions: actions.map((a, i) => (onSandbox[i]!.mode !== a.mode ? { ...a, onSandbox: onSandbox[i]! } : a)),
        };
      };
      const actionLine = (a: ActionMode & { onSandbox?: ActionMode }) =>
        `    ${a.step} (${a.type}): ${a.reason}${a.onSandbox ? `; on the built-in sandbox ${a.onSandbox.reason}` : ""}\n${a.ignored.map((i) => `      no effect: ${i}\n`).join("")}`;
      if (opts.json) {
        const modeCeiling = {
          ...live.ceiling,
          loweredLive: live.ceiling.effective !== live.ceiling.environment,
          ...(live.unavailable ? { unavailable: live.unavailable } : {}),
        };
        out(
          `${JSON.stringify({ modeCeiling, workflows: list.map((w) => ({ ...w.workflow, file: w.file, origin: w.origin, effective: effective(w.workflow) })), problems }, null, 2)}\n`,
        );
        return;
      }
      out(`${describeModeCeiling(live)}\n`);
      const lowered = ceiling !== live.ceiling.environment ? ", lowered live" : "";
      for (const { workflow: w, origin } of list) {
        const e = effective(w);
        const triggers = w.triggers.map((t) =>
          "lever" in t
            ? `lever:${[t.lever].flat().join("|")}`
            : "source" in t
              ? `tool:${t.source}`
              : "schedule" in t
                ? `cron "${t.schedule}"`
                : "timer" in t
                  ? `timer ${t.timer.after ?? ""} after ${t.timer.at}`
                  : "manual",
        );
        const mode = `mode ${e.mode}${e.runsAs !== e.mode ? ` → runs as ${e.runsAs}` : ""} (ceiling ${ceiling}${lowered})${e.changedLive ? ` [set live${live.workflows.get(w.id)?.updatedBy ? ` by ${live.workflows.get(w.id)!.updatedBy}` : ""}]` : ""}`;
        const waiting = e.pendingChange ? `  waiting for approval: ${describeChange(e.pendingChange)}\n` : "";
        out(
          `${w.id}${e.enabled ? "" : " (disabled)"} [${origin}] ${mode}\n${waiting}  ${w.name}\n  triggers: ${triggers.join(", ")}\n  steps: ${w.steps.map((s) => `${s.id}:${s.type}`).join(" → ")}\n`,
        );
        if (e.actions.length) out(`  actions (each runs in the lowest mode that applies):\n${e.actions.map(actionLine).join("")}`);
      }
      for (const p of problems) err(`problem: ${formatProblem(p)}\n`);
    });

  workflows
    .command("mode")
    .description(
      "Set a workflow's mode (shadow, assist or auto), as the console does: lowering applies at once, raising waits for someone else's approval (four eyes).",
    )
    .argument("<workflow>", "workflow id")
    .argument("<mode>", "shadow, assist or auto")
    .requiredOption("--as <name>", "who changes it (shown as cli:<name> wherever the mode is explained; the approver of a raise must be someone else)")
    .addHelpText(
      "after",
      `
Each action runs in the lowest mode that applies (mode ceiling, this mode, the file's per-action
modes, the sandbox block on the built-in sandbox), so shadow means nothing is written or sent.
Runs already under way follow the new mode from their next action. While fulcrum serve holds the
embedded database, use the console or PATCH /api/workflows/<id> instead.

Four eyes: a lower mode applies at once. A higher one (shadow → assist → auto) becomes a change
waiting for approval by someone other than --as: fulcrum workflows approve-change <id> --as <name>,
or Approve on the console's Workflows page. An admin can turn the rule off in the console's
settings (audited); a raise then applies at once and is recorded as self-approved.

Examples:
  fulcrum workflows mode interview-packet shadow --as ops@example.com
  fulcrum workflows mode interview-packet auto --as ops@example.com   # waits for approval`,
    )
    .action(async (id: string, mode: string, o: { as: string }, cmd: Command) => {
      const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
      if (!isMode(mode)) return cmd.error(`fulcrum workflows mode: mode must be shadow, assist or auto, not ${JSON.stringify(mode)}`, { exitCode: 2 });
      const { workflows: list } = loadAll();
      const wf = list.find((w) => w.workflow.id === id);
      if (!wf) return cmd.error(`fulcrum workflows mode: no workflow "${id}" (known: ${list.map((w) => w.workflow.id).join(", ")})`, { exitCode: 2 });
      const by = `cli:${o.as}`;
      const { r, ceiling, chosen, autoArchive } = await withDatabase(async (db, config) => {
        // The same rule as PATCH /api/workflows/:id; the engine reads the settings at each decision.
        const r = await requestWorkflowChange(db, {
          workflowId: id,
          file: { enabled: wf.workflow.enabled, mode: wf.workflow.mode },
          patch: { mode },
          author: by,
          fourEyes: await fourEyesRequired(db),
        });
        const { rows } = await db.query<{ mode: Mode | null; updated_by: string | null }>(
          "select mode, updated_by from workflow_settings where workflow_id = $1",
          [id],
        );
        return {
          r,
          ceiling: await createModeCeiling(db, config.modeCeiling).state(),
          chosen: rows[0]?.mode ? { mode: rows[0].mode, by: rows[0].updated_by } : null,
          autoArchive: config.policy?.autoArchive === true,
        };
      });
      if (r.pending) {
        out(
          `${id} stays in ${chosen?.mode ?? wf.workflow.mode} mode: raising it to ${mode} waits for approval (change ${r.pending.id}).\n` +
            `  someone other than ${by} must approve it: fulcrum workflows approve-change ${r.pending.id} --as <name> (or Approve on the console's Workflows page)\n`,
        );
        return;
      }
      out(
        `${id} is now in ${mode} mode${r.selfApproved ? " (self-approved: four eyes is off)" : ""}\n  actions (each runs in the lowest mode that applies):\n`,
      );
      for (const a of actionModes(wf.workflow, { ceiling: ceiling.effective, ceilingSource: ceilingSource(ceiling), chosen, sandbox: false, autoArchive }))
        out(`    ${a.step} (${a.type}): ${a.reason}\n`);
    });

  workflows
    .command("changes")
    .description("List workflow changes waiting for approval (four eyes), or every change with --all.")
    .option("--all", "every change, with its outcome (approved, rejected, withdrawn, superseded)")
    .option("--json", "print JSON")
    .action(async (o: { all?: boolean; json?: boolean }, cmd: Command) => {
      const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
      const changes = await withDatabase((db) => listWorkflowChanges(db, { status: o.all ? "all" : "pending", limit: 500 }));
      if (o.json) return void out(`${JSON.stringify({ changes }, null, 2)}\n`);
      if (changes.length === 0) return void out(o.all ? "no workflow changes yet\n" : "no workflow changes wait for approval\n");
      for (const c of changes)
        out(
          `${c.id} ${c.workflowId}: ${describeChange(c, false)}${c.status === "pending" ? "" : ` — ${c.status}${c.decidedBy ? ` by ${c.decidedBy}` : ""}`}\n`,
        );
    });

  workflows
    .command("approve-change")
    .description("Approve a workflow change waiting for approval and apply it; its author may not approve it (four eyes).")
    .argument("<change>", "the change's number (fulcrum workflows changes lists them)")
    .requiredOption("--as <name>", "who approves (recorded as cli:<name>); not the person who asked for the change")
    .addHelpText(
      "after",
      "\nExits 1 when --as names the change's author while four eyes is on, or when the change is not waiting.\n\nExample:\n  fulcrum workflows approve-change 3 --as lead@example.com",
    )
    .action(async (changeText: string, o: { as: string }, cmd: Command) => {
      const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
      if (!/^\d{1,15}$/.test(changeText))
        return cmd.error(`fulcrum workflows approve-change: the change must be a number, not ${JSON.stringify(changeText)}`, { exitCode: 2 });
      const { workflows: list } = loadAll();
      const file = (wf: string) => {
        const l = list.find((x) => x.workflow.id === wf);
        return l ? { enabled: l.workflow.enabled, mode: l.workflow.mode } : undefined;
      };
      try {
        const r = await withDatabase(async (db) =>
          approveWorkflowChange(db, Number(changeText), { approver: `cli:${o.as}`, fourEyes: await fourEyesRequired(db), file }),
        );
        const c = r.change;
        const now = [c.enabled === true ? "enabled" : "", c.mode ? `in ${c.mode} mode` : ""].filter(Boolean).join(" and ");
        out(`${c.workflowId} is now ${now} (asked by ${c.author}, ${r.selfApproved ? "self-approved: four eyes is off" : `approved by cli:${o.as}`})\n`);
      } catch (error) {
        if (error instanceof WorkflowChangeError) return cmd.error(`fulcrum workflows approve-change: ${error.message}`, { exitCode: 1 });
        throw error;
      }
    });

  workflows
    .command("reject-change")
    .description("Turn down a workflow change waiting for approval (withdraw it, when --as names its author); nothing changes.")
    .argument("<change>", "the change's number (fulcrum workflows changes lists them)")
    .requiredOption("--as <name>", "who turns it down (recorded as cli:<name>)")
    .option("--reason <text>", "why, kept in the audit trail")
    .action(async (changeText: string, o: { as: string; reason?: string }, cmd: Command) => {
      const out = cmd.configureOutput().writeOut ?? ((t: string) => void process.stdout.write(t));
      if (!/^\d{1,15}$/.test(changeText))
        return cmd.error(`fulcrum workflows reject-change: the change must be a number, not ${JSON.stringify(changeText)}`, { exitCode: 2 });
      try {
        const c = await withDatabase((db) => rejectWorkflowChange(db, Number(changeText), { actor: `cli:${o.as}`, reason: o.reason?.slice(0, 2000) }));
        out(`change ${c.id} to ${c.workflowId} ${c.status} by cli:${o.as}; nothing changed\n`);
      } catch (error) {
        if (error instanceof WorkflowChangeError) return cmd.error(`fulcrum workflows reject-change: ${error.message}`, { exitCode: 1 });
        throw error;
      }
    });

  workflows
    .command("schema")
    .description("Print the JSON Schema of workflow files (for editor completion).")
    .action(() => void process.stdout.write(`${JSON.stringify(workflowJsonSchema(), null, 2)}\n`));

  workflows
    .command("test")
    .description("Dry-run a workflow on an event: read from Lever, print the proposals it would make, write nothing.")
    .argument("<workflow>", "workflow id")
    .requiredOption("--event <file>", 'a JSON event: a Lever webhook body such as {"event":"applicationCreated","data":{"opportunityId":"…"}}')
    .option("--json", "print the proposals as JSON")
    .addHelpText(
      "after",
      `
Reads use the first configured Lever connection (API key), or a throw-away built-in sandbox when none
is configured. State goes to an in-memory database, every action is recorded in shadow, and no
note, tag, stage move, message or HTTP call is made.

Example:
  echo '{"event":"applicationCreated","data":{"opportunityId":"0a5d2c8e-…"}}' > ev.json
  fulcrum workflows test application-screening --event ev.json`,
    )
    .action(async (id: string, opts: { event: string; json?: boolean }, cmd: Command) => {
      const { config, workflows: list, problems } = loadAll();
      const wf = list.find((w) => w.workflow.id === id);
      if (!wf) {
        for (const p of problems) process.stderr.write(`problem: ${formatProblem(p)}\n`);
        cmd.error(`fulcrum workflows test: no workflow "${id}" (known: ${list.map((w) => w.workflow.id).join(", ")})`, { exitCode: 2 });
        return;
      }
      let event: Omit<EngineEvent, "traceId">;
      try {
        event = eventFromFile(readFileSync(opts.event, "utf8"), opts.event);
      } catch (error) {
        cmd.error(`fulcrum workflows test: ${(error as Error).message}`, { exitCode: 2 });
        return;
      }
      let client: LeverClient;
      let closeSandbox: (() => Promise<void>) | undefined;
      const conn = config.connections[0];
      if (conn?.apiKey) {
        client = createLeverClient({
          baseUrl: conn.baseUrl ?? LEVER_PRODUCTION_URL,
          auth: { kind: "apiKey", apiKey: conn.apiKey },
          connectionId: conn.id,
          maxRetries: 2,
        });
      } else if (conn) {
        cmd.error("fulcrum workflows test: dry runs need an API-key connection (OAuth connections are read through the server)", { exitCode: 2 });
        return;
      } else {
        const { startSandbox } = await import("../../sandbox/index.ts");
        const sandbox = await startSandbox({ port: 0, seed: 1, rateLimit: false });
        closeSandbox = () => sandbox.close();
        client = createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey: sandbox.apiKey }, connectionId: "default" });
        process.stderr.write("no Lever connection configured: reading from a throw-away built-in sandbox\n");
      }
      const db = await openDatabase({ dataDir: "memory://" });
      try {
        await migrate(db);
        const dry = await createEngineRuntime({
          kind: "dry-run",
          db,
          workflows: { list: () => [wf], get: (x) => (x === wf.workflow.id ? wf : undefined) },
          lever: () => leverGateway(client),
          ai: aiStepRunner(createAi({ config: { ai: config.ai ?? DEFAULT_AI_CONFIG }, logger: silentLogger })),
          tasks: { tools: config.tools, scheduling: { calendars: config.calendars, scheduling: config.scheduling } },
          logger: silentLogger,
          // The database is this command's own and thrown away: a timer that comes due may fire.
          armTimers: true,
        });
        const runs = await dry.run({ ...event, workflowId: event.source === "lever" || event.source === "tool" ? undefined : id, traceId: "dry-run" });
        if (runs.length === 0) {
          process.stdout.write(`the event does not start "${id}" (its triggers or conditions do not match)\n`);
          return;
        }
        const proposals = (await listProposals(db, { limit: 500 })).reverse();
        const run = await runOutcome(db, runs[0]!);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ run, proposals }, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `dry run of ${id}: run ${run!.status}${run!.error ? ` (${run!.error})` : ""}, ${proposals.length} proposal(s); nothing was written\n`,
        );
        for (const p of proposals) {
          process.stdout.write(`\n[${p.stepId}] ${p.summary}\n  would be: ${p.mode} (${p.policy.join("; ")})\n`);
          if (p.confidence !== null)
            process.stdout.write(
              `  confidence: ${p.confidence.toFixed(2)}  engine: ${p.engine ?? "-"}  model: ${p.model ?? "-"}  prompt: ${p.prompt ?? "-"}\n`,
            );
          if (p.flags.length) process.stdout.write(`  flags: ${p.flags.join(", ")}\n`);
          for (const r of p.reasons.slice(0, 10)) process.stdout.write(`  - ${String(r)}\n`);
          if (typeof p.action.body === "string")
            process.stdout.write(
              `  ---\n${p.action.body
                .split("\n")
                .map((l) => `  | ${l}`)
                .join("\n")}\n`,
            );
        }
      } finally {
        await db.close();
        await closeSandbox?.();
      }
    });
}
