/**
 * Plugs the Lever module's client into the registry's ports: clients share the deployment's rate limiter
 * and write ledger (database-backed when given), and the registry's own calls (perform-as lookup,
 * webhook subscriptions, doctor's probes) go through the same authentication and rate limit.
 */
import type { Logger } from "pino";
import {
  createLeverClient,
  LeverHostNotAllowedError,
  leverUserSchema,
  unwrapLeverData,
  type LeverClient,
  type LeverUser,
  type LeverWebhookSubscription,
  type RateLimiter,
  type WriteLedger,
} from "../../lever/index.ts";
import type { ConnectionClientOptions, LeverAccountApi, LeverClientFactory, ProbeResult } from "./ports.ts";

export interface LeverWiring {
  rateLimiter?: RateLimiter | undefined;
  ledger?: WriteLedger | undefined;
  logger?: Logger | undefined;
  fetch?: typeof fetch | undefined;
  /** Per-request deadline for doctor's probes (default 15 s). */
  probeTimeoutMs?: number | undefined;
  /**
   * Why a request URL may not carry a connection's key (undefined when it may). Asked before every
   * request, so a base URL that slipped past the registry's checks still gets nothing.
   */
  hostProblem?: ((url: string) => string | undefined) | undefined;
}

async function authorization(auth: ConnectionClientOptions["auth"]): Promise<string> {
  return auth.kind === "apiKey" ? `Basic ${Buffer.from(`${auth.apiKey}:`).toString("base64")}` : `Bearer ${await auth.getAccessToken()}`;
}

/** Makes the Lever module's clients for the registry. */
export function leverClientFactory(wiring: LeverWiring = {}): LeverClientFactory<LeverClient> {
  const baseFetch = wiring.fetch ?? globalThis.fetch;
  const doFetch: typeof fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const problem = wiring.hostProblem?.(url);
    if (problem) return Promise.reject(new LeverHostNotAllowedError(url, problem));
    return baseFetch(input, init);
  };
  const create = (options: ConnectionClientOptions): LeverClient =>
    createLeverClient({ ...options, rateLimiter: wiring.rateLimiter, ledger: wiring.ledger, logger: wiring.logger, fetch: doFetch });

  return {
    create,
    accountApi(options): LeverAccountApi {
      const client = create(options);
      // Doctor needs the raw status of any endpoint (a 403 is an answer, not an error), so probes
      // are plain requests (retried only on 429), still taking their turn in the shared rate limit.
      async function probe(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<ProbeResult> {
        // A 429 says nothing about permissions: wait and ask again (a few times) before reporting it.
        for (let attempt = 0; ; attempt++) {
          const result = await probeOnce(method, path, body);
          if (result.status !== 429 || attempt >= 3) return result;
          await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
        }
      }
      async function probeOnce(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<ProbeResult> {
        await wiring.rateLimiter?.take(options.connectionId);
        const response = await doFetch(options.baseUrl.replace(/\/+$/, "") + path, {
          method,
          headers: {
            authorization: await authorization(options.auth),
            accept: "application/json",
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          redirect: "manual",
          signal: AbortSignal.timeout(wiring.probeTimeoutMs ?? 15_000),
        });
        const text = await response.text();
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        if (response.ok) return { status: response.status, body: parsed };
        const error = (parsed ?? {}) as { code?: unknown; message?: unknown };
        return {
          status: response.status,
          code: typeof error.code === "string" ? error.code : undefined,
          message: typeof error.message === "string" ? error.message.slice(0, 300) : undefined,
        };
      }
      return {
        findUserByEmail: (email) => client.findUserByEmail(email),
        async getUser(id): Promise<LeverUser | undefined> {
          const result = await probe("GET", `/users/${encodeURIComponent(id)}`);
          if (result.status === 404) return undefined;
          if (result.status !== 200) throw new Error(`Lever GET /users/:user answered ${result.status}${result.message ? ` (${result.message})` : ""}`);
          return leverUserSchema.parse(unwrapLeverData(result.body));
        },
        async listWebhooks(): Promise<LeverWebhookSubscription[]> {
          const all: LeverWebhookSubscription[] = [];
          for await (const hook of client.listWebhooks()) all.push(hook);
          return all;
        },
        createWebhook: (input, opts) => client.createWebhook(input, opts),
        deleteWebhook: (id, opts) => client.deleteWebhook(id, opts),
        probe,
      };
    },
  };
}
