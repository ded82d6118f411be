/**
 * Builds the console's services from the server's context: the audit trail, the connection
 * registry with webhook health from the inbox, and the settings the page shows.
 */
import { readFileSync } from "node:fs";
import { createAi, savedPromptsDir, DEFAULT_AI_CONFIG, type Ai } from "../../ai/index.ts";
import { AnchorFolderError, anchorKeyFrom, createAuditTrail, verifyWithAnchors, type AuditTrail } from "../../governance/index.ts";
import { auditAnchorSettings } from "../../config/index.ts";
import { createModeCeiling, DEAD_LETTER_SUFFIX, leverGateway, loadSecretKey, webhookHealth, type LeverGateway } from "../../engine/index.ts";
import { changeModeCeiling } from "../api/mode-ceiling.ts";
import type { AppContext } from "../context.ts";
import type { ConnectionsPort, ConsoleServices } from "./console-api.ts";
import { promptChoices, replayOnHistory } from "./replay.ts";
import { cachedPostings, type PostingChoice } from "./postings.ts";
import { dryRunners } from "./dry-runs.ts";
import { buildFairnessReport, fairnessCsv, stagesThroughLever, type EeoResponse, type EeoSource, type FairnessSources } from "./fairness-report.ts";

/** How far back the fairness report asks Lever for EEO responses (Lever's own default is one week). */
const eeoLookbackMs = 2 * 365 * 86_400_000;

/**
 * EEO responses through a connection's Lever client, when the client can read them
 * (`GET /eeo/responses/pii` for applications of the last two years); otherwise the reason it cannot.
 */
export function eeoThroughLever(client: (connectionId: string) => Promise<unknown>, now: () => number = Date.now): EeoSource {
  return async (connectionId) => {
    try {
      const c = (await client(connectionId)) as {
        listEeoResponses?: (window: { createdAtStart: number; createdAtEnd: number }) => AsyncIterable<EeoResponse> | Promise<EeoResponse[]>;
      };
      if (typeof c.listEeoResponses !== "function") return { unavailable: "this version's Lever client does not read EEO responses" };
      const end = now();
      const result = c.listEeoResponses({ createdAtStart: end - eeoLookbackMs, createdAtEnd: end });
      if (Symbol.asyncIterator in Object(result)) {
        const all: EeoResponse[] = [];
        for await (const r of result as AsyncIterable<EeoResponse>) all.push(r);
        return all;
      }
      return await (result as Promise<EeoResponse[]>);
    } catch (error) {
      return { unavailable: (error as Error).message };
    }
  };
}

/**
 * The chain check behind the console's "Verify the chain": against the signed anchors outside the
 * database, as `fulcrum audit verify` does. A missing anchor folder fails the check, saying so.
 */
export async function verifyAuditWithAnchors(ctx: Pick<AppContext, "config">, audit: AuditTrail) {
  const dir = auditAnchorSettings(ctx.config).dir;
  const { key, previous } = loadSecretKey(ctx.config);
  try {
    const r = await verifyWithAnchors(audit, { dir, trustedKeys: [key, ...previous].map((k) => anchorKeyFrom(k).publicKey) });
    return {
      ok: r.ok,
      checked: r.checked,
      problems: r.problems,
      head: r.head,
      anchor: { checked: r.anchorsChecked, problems: r.anchorProblems, last: r.lastAnchor, missing: null },
    };
  } catch (error) {
    if (!(error instanceof AnchorFolderError)) throw error;
    const r = await audit.verify();
    return { ...r, ok: false, anchor: { checked: 0, problems: [], last: null, missing: error.message } };
  }
}

export function consoleServicesFor(ctx: AppContext): ConsoleServices {
  const audit = createAuditTrail(ctx.db);
  const registry = ctx.connectionRegistry;
  const connections: ConnectionsPort | undefined = registry && {
    list: () => registry.list(),
    add: (input) => registry.add({ id: input.id, name: input.name, apiKey: input.apiKey, baseUrl: input.baseUrl, oauth: input.oauth }, { source: "cli" }),
    doctor: (id) => registry.doctor(id),
    // Webhook health from what actually arrived: the last delivery per event and how many failed.
    webhookHealth: (id) => webhookHealth(ctx.db, id),
  };
  // Every connection is reported on, screened or not: people's decisions need only Lever's data.
  const fairnessSources: FairnessSources = {
    eeo: ctx.eeoSource ?? (registry ? eeoThroughLever((id) => registry.client(id)) : async () => ({ unavailable: "no connection registry" })),
    stages: registry ? stagesThroughLever((id) => registry.client(id)) : undefined,
    connections: registry ? async () => (await registry.list()).map((c) => c.id) : undefined,
  };
  // Replays run in this process over the same database, workflows and Lever connections as the
  // engine, reading the prompt files as they are now (versions saved from the console included).
  // Saved versions go to the data folder; the built-in prompts/ folder is only read.
  const promptsDir = savedPromptsDir(ctx.config.dataDir);
  const gateways = new Map<string, Promise<LeverGateway>>();
  const runners =
    ctx.workflows && registry
      ? dryRunners({
          db: ctx.db,
          workflows: ctx.workflows,
          lever: (id) => {
            let g = gateways.get(id);
            if (!g) {
              gateways.set(id, (g = registry.client(id).then(leverGateway)));
              g.catch(() => gateways.delete(id));
            }
            return g;
          },
          ai: (promptDirs) => createAi({ config: { ai: ctx.config.ai ?? DEFAULT_AI_CONFIG }, logger: ctx.logger, audit, promptDirs }),
          promptsDir,
          audit,
          logger: ctx.logger,
          tools: ctx.config.tools,
        })
      : undefined;
  const ai = ctx.config.ai;
  // Made on first use: the settings page's test button is the only caller.
  let aiLayer: Ai | undefined;
  // The same live ceiling the engine reads; the environment's value is its upper bound.
  const ceiling = createModeCeiling(ctx.db, ctx.config.modeCeiling);
  return {
    audit: {
      search: (q) => audit.search(q),
      verify: () => verifyAuditWithAnchors(ctx, audit),
    },
    connections,
    publicUrl: ctx.config.publicUrl,
    settings: {
      modeCeiling: () => ceiling.get(),
      async setModeCeiling(mode, by) {
        await changeModeCeiling(ctx.db, ceiling, mode, `user:${by}`);
      },
      ai: () => ({ provider: ai?.provider ?? "none", model: ai?.model, configured: ai !== undefined && ai.provider !== "none" }),
      oauthAvailable: ctx.config.connections.some((c) => c.oauth !== undefined),
      async testAi() {
        if (!ai || ai.provider === "none")
          return { ok: true, detail: "no model provider is configured, so every AI step runs on its local engine; nothing to call." };
        aiLayer ??= createAi({ config: ctx.config, logger: ctx.logger });
        const r = await aiLayer.probe();
        const who = `${r.provider}${r.model ? ` (${r.model})` : ""}`;
        return r.ok
          ? { ok: true, detail: `${who} answered a structured test call in ${Math.round(r.latencyMs)} ms.` }
          : { ok: false, detail: `${who}: ${r.error ?? "no answer"}` };
      },
    },
    sandbox: ctx.config.sandbox.enabled ? { url: `port ${ctx.config.sandbox.port}` } : undefined,
    sandboxActivity: ctx.sandboxActivity,
    fairness: {
      report: () => buildFairnessReport(ctx.db, fairnessSources),
      csv: async () => fairnessCsv(await buildFairnessReport(ctx.db, fairnessSources)),
    },
    workflowFile: ctx.workflows
      ? (id) => {
          const loaded = ctx.workflows!.get(id);
          if (!loaded) return undefined;
          const w = loaded.workflow;
          return { id: w.id, name: w.name, description: w.description, origin: loaded.origin, yaml: readFileSync(loaded.file, "utf8") };
        }
      : undefined,
    replay: runners
      ? (input) => replayOnHistory(ctx.db, runners, input, { promptsDir, localEngine: !ctx.config.ai || ctx.config.ai.provider === "none" })
      : undefined,
    replayPrompts: (workflowId) => promptChoices(ctx.db, workflowId, promptsDir),
    promptsDir,
    workflowCount: ctx.workflows ? () => ctx.workflows!.list().length : undefined,
    // Dead jobs wait in each queue's dead-letter queue.
    deadJobs: async () => {
      let n = 0;
      for (const [name, depth] of await ctx.queue.depths()) if (name.endsWith(DEAD_LETTER_SUFFIX)) n += depth;
      return n;
    },
    postings: registry
      ? cachedPostings(async () => {
          // A connection that cannot be read (an OAuth app not connected yet) does not hide the others' postings.
          const all: PostingChoice[] = [];
          const failures: string[] = [];
          const connections = await registry.list();
          for (const connection of connections) {
            try {
              const client = await registry.client(connection.id);
              for await (const p of client.listPostings())
                all.push({ id: p.id, title: p.text ?? p.id, state: p.state ?? undefined, connectionId: connection.id });
            } catch (error) {
              failures.push(`${connection.id}: ${(error as Error).message}`);
              ctx.logger.warn({ connectionId: connection.id, err: (error as Error).message }, "could not list a connection's postings");
            }
          }
          if (connections.length > 0 && failures.length === connections.length) throw new Error(failures.join("; "));
          return all.sort((a, b) => a.title.localeCompare(b.title));
        })
      : undefined,
  };
}
