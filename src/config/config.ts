/**
 * Fulcrum's configuration: one function of defaults, an optional YAML file
 * (`FULCRUM_CONFIG`, default `fulcrum.config.yaml` when present) and environment variables, in that
 * order of precedence (environment wins). Validated once at start; a bad value stops start-up with
 * the key, what is wrong with the value, and how to fix it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { LEVER_HOSTS_HELP, leverBaseUrlProblem, leverEventNames, parseAllowedLeverHosts } from "./lever.ts";
import { calendarsConfigSchema } from "./calendars.ts";
import { interviewsConfigSchema } from "./interviews.ts";
import { schedulingConfigSchema } from "./scheduling.ts";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The environment variable or file key at fault, e.g. `PORT` or `connections[0].apiKey`. */
  readonly key: string;
  readonly problem: string;
  readonly fix: string;
  constructor(key: string, problem: string, fix: string) {
    super(`${key}: ${problem}. ${fix}`);
    this.key = key;
    this.problem = problem;
    this.fix = fix;
  }
}

export const connectionConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _ (at most 63)"),
  name: z.string().min(1).optional(),
  environment: z.enum(["production", "sandbox", "eu", "custom"]).default("production"),
  baseUrl: z.url().optional(),
  apiKey: z.string().min(1).optional(),
  oauth: z
    .object({
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      redirectUri: z.url(),
      scopes: z.array(z.string()).optional(),
      /**
       * Ask for `confidential:access:admin` (default true): without it Lever hides confidential
       * postings and candidates from Fulcrum, and workflows silently skip them.
       */
      confidential: z.boolean().optional(),
    })
    .optional(),
  /** One token for every event (`*`) or one per event name, from Lever's webhook settings. */
  webhookSignatureTokens: z.record(z.string(), z.string().min(1)).default({}),
  performAs: z.string().optional(),
  performAsFallback: z.string().optional(),
});
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;

/** AI model providers; `none` means every AI step runs on its deterministic local engine. */
export const aiProviderNames = ["none", "openai", "anthropic", "azure", "openai-compatible"] as const;
export type AiProviderName = (typeof aiProviderNames)[number];

export const aiConfigSchema = z.object({
  /** The default provider; a workflow step may name another one that is configured. */
  provider: z.enum(aiProviderNames),
  /** Default model id (for Azure: the deployment name). */
  model: z.string().min(1).optional(),
  /** Embedding model id for rediscovery's semantic match (for Azure: the embedding deployment). */
  embeddingModel: z.string().min(1).optional(),
  /** Base URL of an OpenAI-compatible server (Ollama, vLLM, LM Studio), or a proxy for the others. */
  baseUrl: z.url().optional(),
  openaiApiKey: z.string().min(1).optional(),
  anthropicApiKey: z.string().min(1).optional(),
  /** Optional key for an OpenAI-compatible server (most local servers need none). */
  compatibleApiKey: z.string().min(1).optional(),
  azure: z.object({
    apiKey: z.string().min(1).optional(),
    resourceName: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "letters, digits and hyphens")
      .optional(),
    baseUrl: z.url().optional(),
    apiVersion: z.string().min(1).optional(),
    deployment: z.string().min(1).optional(),
  }),
  /** Per-call timeout of a model call. */
  timeoutMs: z.number().int().min(1000),
  /** Consecutive failures that open a provider's circuit, and how long it stays open. */
  breaker: z.object({ failureThreshold: z.number().int().min(1), cooldownMs: z.number().int().min(1000) }),
  /** What a step does while its provider's circuit is open, unless the workflow says otherwise. */
  onOpen: z.enum(["wait", "fallback"]),
  /** Replace people's names with placeholders before prompts (contact details always are). */
  redactNames: z.boolean(),
  /** Longest untrusted text (resume, note) put into a prompt, in characters; the rest is cut. */
  maxUntrustedChars: z.number().int().min(1000),
});
export type AiConfig = z.infer<typeof aiConfigSchema>;

/** SMTP settings, read from FULCRUM_SMTP_URL (`smtp[s]://user:password@host:port`) and FULCRUM_SMTP_*. */
export const smtpSettingsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** TLS from the first byte (`smtps://`, usually port 465); otherwise STARTTLS. */
  secure: z.boolean(),
  /** With `smtp://`: refuse to send unless the server upgrades the connection with STARTTLS. */
  requireTls: z.boolean(),
  /** Accept a self-signed server certificate (a local relay only). */
  allowSelfSigned: z.boolean(),
  user: z.string().optional(),
  password: z.string().optional(),
  /** The sender: `address@example.com` or `Name <address@example.com>`. */
  from: z.string().min(3),
});
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

/** Who gets a pseudonym when another tool's result is written to Lever: nobody, everyone, or only candidates who failed. */
export const pseudonymModes = ["none", "everyone", "unsuccessful"] as const;
export type PseudonymMode = (typeof pseudonymModes)[number];

/**
 * A tool's URL: https, so a candidate's status or an invitation request never crosses the network in
 * clear. Plain http is accepted only on a loopback host (a receiver on the same machine, for local
 * testing); the outbound guard still refuses loopback unless its host is allow-listed.
 */
const toolUrl = z.url().refine((u) => /^https:\/\//i.test(u) || /^http:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:[/?#]|$)/i.test(u), {
  message: "must be an https URL (plain http only on a loopback host, for local testing)",
});

/** An HTTP header name (a token, RFC 9110), e.g. X-Hub-Signature-256. */
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "an HTTP header name, e.g. X-Hub-Signature-256");

/** The settings of an HMAC scheme, which the Standard Webhooks spec fixes (header, HMAC-SHA256, base64, `v1,`, what is signed). */
const hmacSchemeKeys = ["header", "algorithm", "encoding", "prefix", "signs", "timestampHeader"] as const;

/**
 * How a tool signs its webhooks, when not Fulcrum's own way (`tools.<id>.signature`): an HMAC with the
 * tool's secret of the raw body, or of `<unix seconds>.<raw body>` with the time in a header of its
 * own; or `scheme: standard-webhooks` (webhook-id, webhook-timestamp, webhook-signature), whose spec
 * fixes everything but the max age. Absent: `X-Fulcrum-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">`.
 *
 * @example
 * toolSignatureSchema.parse({ header: "X-Hub-Signature-256", prefix: "sha256=" });
 * // { header: "X-Hub-Signature-256", algorithm: "sha256", encoding: "hex", prefix: "sha256=", signs: "body" }
 * toolSignatureSchema.parse({ scheme: "standard-webhooks" });
 * // { scheme: "standard-webhooks" }
 */
export const toolSignatureSchema = z
  .strictObject({
    /** hmac (default): the settings below; standard-webhooks: the Standard Webhooks spec's scheme. */
    scheme: z.enum(["hmac", "standard-webhooks"]).optional(),
    /** The header that carries the signature (required with an HMAC scheme). */
    header: headerName.optional(),
    algorithm: z.enum(["sha256", "sha1", "sha512"]).optional(),
    encoding: z.enum(["hex", "base64"]).optional(),
    /** Text before the signature in the header, stripped before decoding, e.g. "sha256=". */
    prefix: z.string().min(1).max(40).optional(),
    /** What the HMAC is of: the raw body, or `<timestampHeader's value>.<raw body>`. */
    signs: z.enum(["body", "timestamp.body"]).optional(),
    /** With `signs: timestamp.body`: the header holding the signed time, in unix seconds. */
    timestampHeader: headerName.optional(),
    /** With a signed time stamp: how far it may be from now; default webhook.replayWindowSeconds. */
    maxAgeSeconds: z.number().int().min(10).max(86_400).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.scheme === "standard-webhooks") {
      for (const key of hmacSchemeKeys) {
        if (s[key] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: "is fixed by the Standard Webhooks spec (webhook-signature, v1,<base64 HMAC-SHA256> of webhook-id.webhook-timestamp.body); remove it",
          });
        }
      }
      return;
    }
    if (s.header === undefined) {
      ctx.addIssue({ code: "custom", path: ["header"], message: "name the header that carries the signature, or write `scheme: standard-webhooks`" });
    }
    const signs = s.signs ?? "body";
    if (signs === "timestamp.body" && !s.timestampHeader) {
      ctx.addIssue({ code: "custom", path: ["timestampHeader"], message: "with `signs: timestamp.body`, name the header that carries the signed time stamp" });
    }
    for (const key of ["timestampHeader", "maxAgeSeconds"] as const) {
      // An unsigned time stamp proves nothing about when the delivery was made, so it is not read at all.
      if (signs === "body" && s[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "is only read with `signs: timestamp.body` (a time stamp outside the signature proves nothing)" });
      }
    }
  })
  .transform((s) => {
    const { scheme, ...rest } = s;
    if (scheme === "standard-webhooks") return { scheme, ...(rest.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: rest.maxAgeSeconds }) };
    // The refinement above refused an HMAC scheme without its header; absent optional keys stay absent.
    return { ...rest, header: rest.header!, algorithm: rest.algorithm ?? "sha256", encoding: rest.encoding ?? "hex", signs: rest.signs ?? "body" };
  });
export type ToolSignature = z.infer<typeof toolSignatureSchema>;
/** The Standard Webhooks spec's scheme: everything but the time stamp's max age is fixed by the spec. */
export type StandardWebhooksSignature = Extract<ToolSignature, { scheme: "standard-webhooks" }>;
/** An HMAC in a header of the tool's choosing (`scheme: hmac`, the default). */
export type HmacSignature = Exclude<ToolSignature, StandardWebhooksSignature>;

/**
 * Another hiring tool (assessment or interview platform), `tools.<id>` in the config file. Its
 * signing secret is FULCRUM_TOOL_SECRET_<ID>, the same for the events it sends and the calls
 * Fulcrum makes to it.
 */
export const toolConfigSchema = z.strictObject({
  /** Shown in notes and used as the Lever source, e.g. "Codility". */
  name: z.string().min(1).max(100).optional(),
  /** Who is written to Lever under a pseudonym (no e-mail, phone, links or real name). */
  pseudonyms: z.enum(pseudonymModes).default("none"),
  /** Where Fulcrum tells the tool that a candidate it sent moved stage or was archived (signed POST). */
  statusUrl: toolUrl.optional(),
  /** Where `assessment.send` asks the tool for an invitation (signed POST; the reply carries the link). */
  inviteUrl: toolUrl.optional(),
  /**
   * Hosts this tool's recordings may be fetched from (`media.example.com`, or `*.example.com` for
   * any subdomain); checked on every redirect too. Empty: media URLs from this tool are refused.
   */
  mediaHosts: z.array(z.string().regex(/^(\*\.)?[A-Za-z0-9][A-Za-z0-9.-]*$/, "a host name, or *.example.com for its subdomains")).optional(),
  /** How the tool signs its webhooks, when not Fulcrum's way; absent: `X-Fulcrum-Signature`. */
  signature: toolSignatureSchema.optional(),
});
export type ToolConfig = z.infer<typeof toolConfigSchema>;

/** A tool's id: what follows /webhooks/tools/ and FULCRUM_TOOL_SECRET_. */
export const toolIdPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

const modeSchema = z.enum(["shadow", "assist", "auto"]);
export type Mode = z.infer<typeof modeSchema>;

export const configSchema = z.object({
  port: z.number().int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z.string().optional(),
  publicUrl: z.url().optional(),
  /**
   * Behind a reverse proxy (FULCRUM_TRUST_PROXY, or the file's `trustProxy`): the public booking
   * page limits requests by the first X-Forwarded-For address instead of the socket's, which would
   * be the proxy's for every candidate. Off by default: without a proxy the header is anyone's to write.
   */
  trustProxy: z.boolean().default(false),
  /** 32 bytes, hex or base64, used to encrypt stored secrets. Generated into dataDir when absent. */
  secretKey: z.string().optional(),
  /** The key used before a rotation: stored secrets sealed with it still open until re-sealed (`fulcrum connections rekey`). */
  secretKeyPrevious: z.string().optional(),
  adminToken: z.string().min(16).optional(),
  modeCeiling: modeSchema,
  /**
   * Admin policy (FULCRUM_AUTO_ARCHIVE, or the file's `policy:` block). `autoArchive`: archiving a
   * candidate may run in auto; when false (the default) every archive waits for a person.
   * Optional only so hand-built configs in tests need not spell it out.
   */
  policy: z.object({ autoArchive: z.boolean() }).optional(),
  workflowsDir: z.string().optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  webhook: z.object({
    maxBodyBytes: z.number().int().min(1024),
    replayWindowSeconds: z.number().int().min(10),
  }),
  /** Start the built-in Lever sandbox when no Lever credentials are configured. */
  sandbox: z.object({
    enabled: z.boolean(),
    port: z.number().int().min(0).max(65535),
    /**
     * Seconds between bursts of the demo organisation's activity (FULCRUM_SANDBOX_ACTIVITY, or
     * `sandbox: { activity: { everySeconds } }`); null: off; absent: `fulcrum serve` picks 20.
     */
    activitySeconds: z.number().positive().max(86_400).nullable().optional(),
  }),
  connections: z.array(connectionConfigSchema),
  /** Always filled by loadConfig; optional only so hand-built configs in tests need not spell it out. */
  ai: aiConfigSchema.optional(),
  /** Console single sign-on through OpenID Connect (Google, Okta, Microsoft Entra…). */
  oidc: z
    .object({
      issuer: z.url(),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1).optional(),
      /** Shown on the sign-in button, e.g. "Okta". */
      name: z.string().min(1).max(40),
    })
    .optional(),
  /**
   * Hosts besides Lever's own API hosts that may receive a Lever key (FULCRUM_LEVER_ALLOWED_HOSTS):
   * `host` or `host:port` (https), or an exact origin such as `http://127.0.0.1:4101`. Always filled
   * by loadConfig; optional only so hand-built configs in tests need not spell it out.
   */
  leverAllowedHosts: z.array(z.string()).optional(),
  /** Outgoing e-mail for workflow `notify` steps on the `email` channel; absent, such steps fail with a clear error. */
  smtp: smtpSettingsSchema.optional(),
  /**
   * Signed notes of the audit chain head, written outside the database (`dir`, best on write-once
   * storage) every `intervalSeconds` and at shutdown. Always filled by loadConfig; when absent,
   * `<dataDir>/audit-anchors` every 900 s.
   */
  auditAnchor: z.object({ dir: z.string().min(1), intervalSeconds: z.number().int().min(10) }).optional(),
  /** Other hiring tools by id (`tools:` in the config file). Always filled by loadConfig. */
  tools: z.record(z.string().regex(toolIdPattern, "lower-case letters, digits, - and _ (at most 63)"), toolConfigSchema).optional(),
  /** Deprecated settings that were accepted, each with its replacement; `serve` logs them at start. */
  warnings: z.array(z.string()).optional(),
  /**
   * Calendar connections (Google Workspace, Microsoft 365, CalDAV), Lever-user overrides and what
   * "free" means. Always filled by loadConfig (empty when the file has no `calendars:`).
   */
  calendars: calendarsConfigSchema.optional(),
  /** Interview panels per posting and stage, and their defaults. Always filled by loadConfig. */
  scheduling: schedulingConfigSchema.optional(),
  /**
   * Recorded interviews (`interviews:` in the config file): transcription engine, retention, and
   * question sets per posting and stage. Always filled by loadConfig.
   */
  interviews: interviewsConfigSchema.optional(),
});
export type Config = z.infer<typeof configSchema>;

/** Where the audit chain's signed anchors go and how often: the config's `auditAnchor`, or its defaults. */
export function auditAnchorSettings(config: Pick<Config, "auditAnchor" | "dataDir">): { dir: string; intervalSeconds: number } {
  return config.auditAnchor ?? { dir: join(config.dataDir, "audit-anchors"), intervalSeconds: 900 };
}

const ENV_HELP: Record<string, string> = {
  PORT: "Set PORT to a whole number from 0 to 65535, e.g. PORT=4100.",
  FULCRUM_SANDBOX_PORT: "Set FULCRUM_SANDBOX_PORT to a whole number from 0 to 65535 (0 picks a free port).",
  FULCRUM_MODE_CEILING: "Set FULCRUM_MODE_CEILING to shadow, assist or auto.",
  FULCRUM_LOG_LEVEL: "Set FULCRUM_LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent.",
  FULCRUM_PUBLIC_URL: "Set FULCRUM_PUBLIC_URL to the https URL at which Lever reaches this server.",
  FULCRUM_ADMIN_TOKEN: "Set FULCRUM_ADMIN_TOKEN to a random string of at least 16 characters.",
  LEVER_API_BASE_URL: "Set LEVER_API_BASE_URL to a URL such as https://api.lever.co/v1.",
  FULCRUM_WEBHOOK_MAX_BYTES: "Set FULCRUM_WEBHOOK_MAX_BYTES to a whole number of bytes, at least 1024.",
  FULCRUM_WEBHOOK_REPLAY_WINDOW: "Set FULCRUM_WEBHOOK_REPLAY_WINDOW to a whole number of seconds, at least 10.",
  FULCRUM_AI_PROVIDER: "Set FULCRUM_AI_PROVIDER to none, openai, anthropic, azure or openai-compatible.",
  FULCRUM_AI_BASE_URL: "Set FULCRUM_AI_BASE_URL to the server's URL, e.g. http://127.0.0.1:11434/v1 for Ollama.",
  FULCRUM_AI_TIMEOUT_MS: "Set FULCRUM_AI_TIMEOUT_MS to a whole number of milliseconds, at least 1000.",
  FULCRUM_AI_BREAKER_FAILURES: "Set FULCRUM_AI_BREAKER_FAILURES to a whole number, at least 1.",
  FULCRUM_AI_BREAKER_COOLDOWN_MS: "Set FULCRUM_AI_BREAKER_COOLDOWN_MS to a whole number of milliseconds, at least 1000.",
  FULCRUM_AI_ON_OPEN: "Set FULCRUM_AI_ON_OPEN to wait or fallback.",
  FULCRUM_AI_MAX_UNTRUSTED_CHARS: "Set FULCRUM_AI_MAX_UNTRUSTED_CHARS to a whole number of characters, at least 1000.",
  AZURE_OPENAI_RESOURCE_NAME: "Set AZURE_OPENAI_RESOURCE_NAME to your Azure OpenAI resource name (letters, digits and hyphens).",
  AZURE_OPENAI_BASE_URL: "Set AZURE_OPENAI_BASE_URL to a URL such as https://my-resource.openai.azure.com/openai.",
  FULCRUM_LEVER_ALLOWED_HOSTS:
    "Set FULCRUM_LEVER_ALLOWED_HOSTS to hosts (api.example.com, proxy.example.com:8443) or origins (http://127.0.0.1:4101), separated by commas.",
  FULCRUM_SMTP_URL:
    "Set FULCRUM_SMTP_URL to smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS), percent-encoding special characters in the user and password.",
  FULCRUM_AUDIT_ANCHOR_INTERVAL: "Set FULCRUM_AUDIT_ANCHOR_INTERVAL to a whole number of seconds, at least 10 (default 900, every 15 minutes).",
  FULCRUM_SMTP_FROM: 'Set FULCRUM_SMTP_FROM to the sender, e.g. "Recruiting <recruiting@example.com>".',
};

/** FULCRUM_SANDBOX_ACTIVITY (seconds, or `off`), else the file's `sandbox.activity.everySeconds` (a number, or `off`/false). */
function sandboxActivitySeconds(env: NodeJS.ProcessEnv, fileSandbox: unknown, filePath: string | undefined): number | null | undefined {
  const raw = env.FULCRUM_SANDBOX_ACTIVITY?.trim();
  const fromFile = ((fileSandbox ?? {}) as { activity?: { everySeconds?: unknown } | false | "off" }).activity;
  const value: unknown = raw ? raw : fromFile === false || fromFile === "off" ? "off" : fromFile?.everySeconds;
  const where = raw ? "FULCRUM_SANDBOX_ACTIVITY" : `${filePath ?? "config file"}: sandbox.activity.everySeconds`;
  if (value === undefined) return undefined;
  if (value === "off" || value === false || value === 0 || value === "0") return null;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n <= 86_400))
    throw new ConfigError(where, `"${String(value)}" is not a number of seconds`, "Give the seconds between bursts of demo activity (e.g. 20), or off.");
  return n;
}

function intFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) {
    throw new ConfigError(key, `"${raw}" is not a whole number`, ENV_HELP[key] ?? `Set ${key} to a whole number.`);
  }
  return Number(raw.trim());
}

/** Lever's per-event signature tokens from LEVER_WEBHOOK_SIGNATURE_TOKEN_<EVENT> variables. */
function tokensFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const tokens: Record<string, string> = {};
  if (env.LEVER_WEBHOOK_SIGNATURE_TOKEN) tokens["*"] = env.LEVER_WEBHOOK_SIGNATURE_TOKEN;
  for (const event of leverEventNames) {
    const key = `LEVER_WEBHOOK_SIGNATURE_TOKEN_${event.replace(/([A-Z])/g, "_$1").toUpperCase()}`;
    if (env[key]) tokens[event] = env[key];
  }
  return tokens;
}

function readConfigFile(path: string): Record<string, unknown> {
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? "?";
    throw new ConfigError(`${path}:${line}`, e.message.split("\n")[0]!, "Fix the YAML syntax at that line.");
  }
  const value = doc.toJS() ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(path, "the file is not a YAML mapping", "Write the settings as `key: value` lines.");
  }
  return value as Record<string, unknown>;
}

/**
 * Builds the configuration from defaults, the config file and `env`. Throws ConfigError on the
 * first bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const filePath = env.FULCRUM_CONFIG ?? (existsSync("fulcrum.config.yaml") ? "fulcrum.config.yaml" : undefined);
  if (env.FULCRUM_CONFIG && !existsSync(env.FULCRUM_CONFIG)) {
    throw new ConfigError("FULCRUM_CONFIG", `no file at "${env.FULCRUM_CONFIG}"`, "Point FULCRUM_CONFIG at an existing YAML file or unset it.");
  }
  const file = filePath ? readConfigFile(filePath) : {};

  const connections: unknown[] = Array.isArray(file.connections) ? [...file.connections] : [];
  if (env.LEVER_API_KEY) {
    connections.unshift({
      id: "default",
      name: "Lever",
      environment: env.LEVER_API_BASE_URL?.includes("sandbox") ? "sandbox" : env.LEVER_API_BASE_URL ? "custom" : "production",
      baseUrl: env.LEVER_API_BASE_URL,
      apiKey: env.LEVER_API_KEY,
      webhookSignatureTokens: tokensFromEnv(env),
      performAs: env.LEVER_PERFORM_AS,
      performAsFallback: env.LEVER_PERFORM_AS_FALLBACK,
    });
  } else if (env.LEVER_API_BASE_URL || env.LEVER_WEBHOOK_SIGNATURE_TOKEN) {
    throw new ConfigError(
      "LEVER_API_KEY",
      "is not set, but other LEVER_* variables are",
      "Set LEVER_API_KEY to the key from Lever's Settings → Integrations and API → API Credentials, or unset the other LEVER_* variables to use the built-in sandbox.",
    );
  }

  let leverAllowedHosts: string[];
  try {
    const fromFile = file.leverAllowedHosts as string | string[] | undefined;
    leverAllowedHosts = parseAllowedLeverHosts(env.FULCRUM_LEVER_ALLOWED_HOSTS ?? fromFile);
  } catch (error) {
    throw new ConfigError("FULCRUM_LEVER_ALLOWED_HOSTS", (error as Error).message, ENV_HELP.FULCRUM_LEVER_ALLOWED_HOSTS!);
  }

  const warnings: string[] = [];
  const fileWebhook = (file.webhook ?? {}) as Record<string, unknown>;
  const fileAnchor = (file.auditAnchor ?? {}) as Record<string, unknown>;
  const raw = {
    port: intFromEnv(env, "PORT", typeof file.port === "number" ? file.port : 4100),
    host: env.HOST ?? (file.host as string | undefined) ?? "127.0.0.1",
    dataDir: env.FULCRUM_DATA_DIR ?? (file.dataDir as string | undefined) ?? ".fulcrum",
    databaseUrl: env.DATABASE_URL || (file.databaseUrl as string | undefined),
    publicUrl: env.FULCRUM_PUBLIC_URL || (file.publicUrl as string | undefined),
    trustProxy: boolFromEnv(env, "FULCRUM_TRUST_PROXY", file.trustProxy === true),
    secretKey: env.FULCRUM_SECRET_KEY || (file.secretKey as string | undefined),
    secretKeyPrevious: env.FULCRUM_SECRET_KEY_PREVIOUS || (file.secretKeyPrevious as string | undefined),
    adminToken: env.FULCRUM_ADMIN_TOKEN || (file.adminToken as string | undefined),
    modeCeiling: env.FULCRUM_MODE_CEILING ?? (file.modeCeiling as string | undefined) ?? "auto",
    policy: { autoArchive: boolFromEnv(env, "FULCRUM_AUTO_ARCHIVE", ((file.policy ?? {}) as Record<string, unknown>).autoArchive === true) },
    workflowsDir: env.FULCRUM_WORKFLOWS_DIR ?? (file.workflowsDir as string | undefined),
    logLevel: env.FULCRUM_LOG_LEVEL ?? (file.logLevel as string | undefined) ?? "info",
    webhook: {
      maxBodyBytes: intFromEnv(env, "FULCRUM_WEBHOOK_MAX_BYTES", (fileWebhook.maxBodyBytes as number | undefined) ?? 1024 * 1024),
      replayWindowSeconds: intFromEnv(env, "FULCRUM_WEBHOOK_REPLAY_WINDOW", (fileWebhook.replayWindowSeconds as number | undefined) ?? 24 * 3600),
    },
    sandbox: {
      enabled: connections.length === 0 && env.FULCRUM_SANDBOX !== "off",
      port: intFromEnv(env, "FULCRUM_SANDBOX_PORT", 4101),
      activitySeconds: sandboxActivitySeconds(env, file.sandbox, filePath),
    },
    connections,
    leverAllowedHosts,
    ai: aiFromEnv(env, (file.ai ?? {}) as Record<string, unknown>),
    oidc: oidcFromEnv(env, (file.oidc ?? {}) as Record<string, unknown>),
    smtp: smtpFromEnv(env, (file.smtp ?? {}) as Record<string, unknown>),
    tools: toolsFromFile(file.tools, filePath, warnings),
    warnings,
    auditAnchor: {
      dir:
        env.FULCRUM_AUDIT_ANCHOR_DIR ||
        (fileAnchor.dir as string | undefined) ||
        join(env.FULCRUM_DATA_DIR ?? (file.dataDir as string | undefined) ?? ".fulcrum", "audit-anchors"),
      intervalSeconds: intFromEnv(env, "FULCRUM_AUDIT_ANCHOR_INTERVAL", (fileAnchor.intervalSeconds as number | undefined) ?? 900),
    },
    calendars: calendarsFromFile(file.calendars, filePath),
    scheduling: file.scheduling ?? {},
    interviews: file.interviews ?? {},
  };

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = envKeyFor(issue.path, filePath);
    const value = valueAt(raw, issue.path);
    throw new ConfigError(
      key,
      `${JSON.stringify(redactIfSecret(issue.path, value))} is not valid (${issue.message})`,
      ENV_HELP[key] ?? `Correct ${key}${filePath ? ` (environment or ${filePath})` : ""}.`,
    );
  }
  const config = parsed.data;
  const ids = new Set<string>();
  for (const [i, c] of config.connections.entries()) {
    if (ids.has(c.id)) throw new ConfigError(`connections[${i}].id`, `"${c.id}" is used by two connections`, "Give every connection its own id.");
    ids.add(c.id);
    if (!c.apiKey && !c.oauth) {
      throw new ConfigError(
        `connections[${i}]`,
        `connection "${c.id}" has neither apiKey nor oauth`,
        "Add an apiKey, or an oauth block with clientId, clientSecret and redirectUri.",
      );
    }
    // The key goes wherever baseUrl points: refuse anything but Lever (or a listed host) before start-up.
    const problem = c.baseUrl ? leverBaseUrlProblem(c.baseUrl, leverAllowedHosts) : undefined;
    if (problem) {
      throw new ConfigError(i === 0 && env.LEVER_API_KEY ? "LEVER_API_BASE_URL" : `connections[${i}].baseUrl`, problem, `${LEVER_HOSTS_HELP}.`);
    }
  }
  if (config.ai) checkAiConfig(config.ai);
  if (config.calendars) checkCalendarsConfig(config.calendars, filePath);
  return config;
}

/**
 * The file's `calendars:` block, with each Google connection's `serviceAccountKeyFile` read into
 * `serviceAccountKey` (a path relative to the working directory).
 */
function calendarsFromFile(value: unknown, filePath: string | undefined): unknown {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) return value;
  const block = value as Record<string, unknown>;
  if (!Array.isArray(block.connections)) return block;
  const connections = block.connections.map((c: unknown, i: number) => {
    const entry = c as Record<string, unknown> | null;
    if (!entry || typeof entry.serviceAccountKeyFile !== "string") return c;
    const { serviceAccountKeyFile, ...rest } = entry;
    const key = `${filePath ? `${filePath}: ` : ""}calendars.connections[${i}].serviceAccountKeyFile`;
    if (!existsSync(serviceAccountKeyFile))
      throw new ConfigError(key, `no file at "${serviceAccountKeyFile}"`, "Point it at the service account's JSON key file.");
    return { ...rest, serviceAccountKey: readFileSync(serviceAccountKeyFile, "utf8") };
  });
  return { ...block, connections };
}

/** Calendar connection ids are unique, and every override names a connection that exists. */
function checkCalendarsConfig(calendars: NonNullable<Config["calendars"]>, filePath: string | undefined): void {
  const at = (path: string) => `${filePath ? `${filePath}: ` : ""}calendars.${path}`;
  const ids = new Set<string>();
  for (const [i, c] of calendars.connections.entries()) {
    if (ids.has(c.id))
      throw new ConfigError(at(`connections[${i}].id`), `"${c.id}" is used by two calendar connections`, "Give every calendar connection its own id.");
    ids.add(c.id);
  }
  for (const [i, o] of calendars.identities.entries()) {
    if (o.connection && !ids.has(o.connection)) {
      throw new ConfigError(
        at(`identities[${i}].connection`),
        `"${o.connection}" is not a calendar connection`,
        `Use one of: ${[...ids].join(", ") || "(none configured: add calendars.connections)"}.`,
      );
    }
  }
}

/**
 * The file's `tools:` block. The old `pseudonym: true | false` is read as `pseudonyms: everyone |
 * none`, with a warning naming the new setting.
 */
function toolsFromFile(value: unknown, filePath: string | undefined, warnings: string[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  const where = filePath ? `${filePath}: tools` : "tools";
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(where, "is not a mapping", "Write one entry per tool id, e.g. `tools: { codility: { pseudonyms: unsuccessful } }`.");
  }
  const out: Record<string, unknown> = {};
  for (const [id, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      throw new ConfigError(
        `${where}.${id}`,
        "is not a mapping",
        "Give the tool's settings as `key: value` lines (name, pseudonyms, statusUrl, inviteUrl, mediaHosts, signature).",
      );
    }
    const { pseudonym, ...rest } = raw as Record<string, unknown>;
    if (pseudonym !== undefined) {
      if (rest.pseudonyms !== undefined) {
        throw new ConfigError(`${where}.${id}.pseudonym`, "is set together with pseudonyms", "Remove the old `pseudonym` setting; `pseudonyms` replaces it.");
      }
      if (typeof pseudonym !== "boolean") {
        throw new ConfigError(
          `${where}.${id}.pseudonym`,
          `${JSON.stringify(pseudonym)} is not valid`,
          "Write `pseudonyms: none`, `pseudonyms: everyone` or `pseudonyms: unsuccessful` instead.",
        );
      }
      const replacement = pseudonym ? "everyone" : "none";
      warnings.push(
        `${where}.${id}.pseudonym is deprecated: read as \`pseudonyms: ${replacement}\`; write that instead (or \`pseudonyms: unsuccessful\` for failed candidates only)`,
      );
      rest.pseudonyms = replacement;
    }
    out[id] = rest;
  }
  return out;
}

/** AI settings from FULCRUM_AI_* and the providers' usual variables, over the file's `ai:` block. */
function aiFromEnv(env: NodeJS.ProcessEnv, file: Record<string, unknown>): Record<string, unknown> {
  const fileAzure = (file.azure ?? {}) as Record<string, unknown>;
  const fileBreaker = (file.breaker ?? {}) as Record<string, unknown>;
  const str = (key: string, fallback: unknown) => (env[key] !== undefined && env[key] !== "" ? env[key] : fallback);
  return {
    provider: str("FULCRUM_AI_PROVIDER", file.provider ?? "none"),
    model: str("FULCRUM_AI_MODEL", file.model),
    embeddingModel: str("FULCRUM_AI_EMBEDDING_MODEL", file.embeddingModel),
    baseUrl: str("FULCRUM_AI_BASE_URL", file.baseUrl),
    openaiApiKey: str("OPENAI_API_KEY", file.openaiApiKey),
    anthropicApiKey: str("ANTHROPIC_API_KEY", file.anthropicApiKey),
    compatibleApiKey: str("FULCRUM_AI_API_KEY", file.compatibleApiKey),
    azure: {
      apiKey: str("AZURE_OPENAI_API_KEY", fileAzure.apiKey),
      resourceName: str("AZURE_OPENAI_RESOURCE_NAME", fileAzure.resourceName),
      baseUrl: str("AZURE_OPENAI_BASE_URL", fileAzure.baseUrl),
      apiVersion: str("AZURE_OPENAI_API_VERSION", fileAzure.apiVersion),
      deployment: str("AZURE_OPENAI_DEPLOYMENT", fileAzure.deployment),
    },
    timeoutMs: intFromEnv(env, "FULCRUM_AI_TIMEOUT_MS", (file.timeoutMs as number | undefined) ?? 60_000),
    breaker: {
      failureThreshold: intFromEnv(env, "FULCRUM_AI_BREAKER_FAILURES", (fileBreaker.failureThreshold as number | undefined) ?? 3),
      cooldownMs: intFromEnv(env, "FULCRUM_AI_BREAKER_COOLDOWN_MS", (fileBreaker.cooldownMs as number | undefined) ?? 60_000),
    },
    onOpen: str("FULCRUM_AI_ON_OPEN", file.onOpen ?? "fallback"),
    redactNames:
      env.FULCRUM_AI_REDACT_NAMES !== undefined && env.FULCRUM_AI_REDACT_NAMES !== ""
        ? !/^(0|false|no|off)$/i.test(env.FULCRUM_AI_REDACT_NAMES)
        : ((file.redactNames as boolean | undefined) ?? true),
    maxUntrustedChars: intFromEnv(env, "FULCRUM_AI_MAX_UNTRUSTED_CHARS", (file.maxUntrustedChars as number | undefined) ?? 40_000),
  };
}

/** The chosen provider must have what it needs to make a call. */
function checkAiConfig(ai: AiConfig): void {
  const need = (ok: unknown, key: string, fix: string) => {
    if (!ok) throw new ConfigError(key, `is not set, but FULCRUM_AI_PROVIDER is ${ai.provider}`, fix);
  };
  if (ai.provider === "openai") need(ai.openaiApiKey, "OPENAI_API_KEY", "Set OPENAI_API_KEY to an OpenAI API key, or choose another FULCRUM_AI_PROVIDER.");
  if (ai.provider === "anthropic")
    need(ai.anthropicApiKey, "ANTHROPIC_API_KEY", "Set ANTHROPIC_API_KEY to an Anthropic API key, or choose another FULCRUM_AI_PROVIDER.");
  if (ai.provider === "azure") {
    need(ai.azure.apiKey, "AZURE_OPENAI_API_KEY", "Set AZURE_OPENAI_API_KEY to a key of your Azure OpenAI resource.");
    need(
      ai.azure.resourceName || ai.azure.baseUrl,
      "AZURE_OPENAI_RESOURCE_NAME",
      "Set AZURE_OPENAI_RESOURCE_NAME (or AZURE_OPENAI_BASE_URL) to your Azure OpenAI resource.",
    );
    need(ai.azure.deployment || ai.model, "AZURE_OPENAI_DEPLOYMENT", "Set AZURE_OPENAI_DEPLOYMENT (or FULCRUM_AI_MODEL) to the deployment name of your model.");
  }
  if (ai.provider === "openai-compatible") {
    need(ai.baseUrl, "FULCRUM_AI_BASE_URL", "Set FULCRUM_AI_BASE_URL to the server's OpenAI-compatible URL, e.g. http://127.0.0.1:11434/v1 for Ollama.");
    need(ai.model, "FULCRUM_AI_MODEL", "Set FULCRUM_AI_MODEL to a model the server serves, e.g. llama3.1:8b.");
  }
}

/** Console single sign-on from FULCRUM_OIDC_* over the file's `oidc:` block; absent when no issuer is set. */
function oidcFromEnv(env: NodeJS.ProcessEnv, file: Record<string, unknown>): Record<string, unknown> | undefined {
  const issuer = env.FULCRUM_OIDC_ISSUER || (file.issuer as string | undefined);
  if (!issuer) {
    if (env.FULCRUM_OIDC_CLIENT_ID) {
      throw new ConfigError(
        "FULCRUM_OIDC_ISSUER",
        "is not set, but FULCRUM_OIDC_CLIENT_ID is",
        "Set FULCRUM_OIDC_ISSUER to your identity provider's issuer URL (e.g. https://accounts.google.com), or unset FULCRUM_OIDC_CLIENT_ID.",
      );
    }
    return undefined;
  }
  return {
    issuer,
    clientId: env.FULCRUM_OIDC_CLIENT_ID || (file.clientId as string | undefined),
    clientSecret: env.FULCRUM_OIDC_CLIENT_SECRET || (file.clientSecret as string | undefined),
    name: env.FULCRUM_OIDC_NAME || (file.name as string | undefined) || "single sign-on",
  };
}

function boolFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(key, `"${raw}" is not true or false`, `Set ${key} to true or false.`);
}

/**
 * Outgoing e-mail from FULCRUM_SMTP_URL and FULCRUM_SMTP_* over the file's `smtp:` block (`url`,
 * `from`, `requireTls`, `allowSelfSigned`); absent when no URL is set. The URL carries the password,
 * so no error here ever repeats it.
 */
function smtpFromEnv(env: NodeJS.ProcessEnv, file: Record<string, unknown>): Record<string, unknown> | undefined {
  const url = env.FULCRUM_SMTP_URL || (file.url as string | undefined);
  const from = env.FULCRUM_SMTP_FROM || (file.from as string | undefined);
  if (!url) {
    if (from) throw new ConfigError("FULCRUM_SMTP_URL", "is not set, but FULCRUM_SMTP_FROM is", ENV_HELP.FULCRUM_SMTP_URL!);
    return undefined;
  }
  const bad = (problem: string) => new ConfigError("FULCRUM_SMTP_URL", problem, ENV_HELP.FULCRUM_SMTP_URL!);
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    throw bad("is not a URL (its value is not shown: it may hold a password)");
  }
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") throw bad(`uses "${u.protocol}//"; only smtp:// and smtps:// are understood`);
  if (!u.hostname) throw bad("names no host");
  if ((u.pathname && u.pathname !== "/") || u.search || u.hash) throw bad("has a path, query or fragment; give only user, password, host and port");
  let user: string | undefined;
  let password: string | undefined;
  try {
    user = u.username ? decodeURIComponent(u.username) : undefined;
    password = u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    throw bad("has a badly percent-encoded user or password");
  }
  if (password !== undefined && user === undefined) throw bad("has a password but no user");
  const secure = u.protocol === "smtps:";
  if (!from) throw new ConfigError("FULCRUM_SMTP_FROM", "is not set, but FULCRUM_SMTP_URL is", ENV_HELP.FULCRUM_SMTP_FROM!);
  const address = /^[^<>\r\n]*<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from;
  if (/[\r\n]/.test(from) || !z.email().safeParse(address.trim()).success) {
    throw new ConfigError("FULCRUM_SMTP_FROM", `"${from.replace(/[\r\n]+/g, " ")}" is not an e-mail address or "Name <address>"`, ENV_HELP.FULCRUM_SMTP_FROM!);
  }
  return {
    // The URL keeps IPv6 literals in brackets; the socket wants the bare address.
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTls: boolFromEnv(env, "FULCRUM_SMTP_REQUIRE_TLS", (file.requireTls as boolean | undefined) ?? true),
    allowSelfSigned: boolFromEnv(env, "FULCRUM_SMTP_ALLOW_SELF_SIGNED", (file.allowSelfSigned as boolean | undefined) ?? false),
    user,
    password,
    from,
  };
}

const PATH_TO_ENV: Record<string, string> = {
  "oidc.issuer": "FULCRUM_OIDC_ISSUER",
  "oidc.clientId": "FULCRUM_OIDC_CLIENT_ID",
  "oidc.clientSecret": "FULCRUM_OIDC_CLIENT_SECRET",
  "oidc.name": "FULCRUM_OIDC_NAME",
  "smtp.host": "FULCRUM_SMTP_URL",
  "smtp.port": "FULCRUM_SMTP_URL",
  "smtp.user": "FULCRUM_SMTP_URL",
  "smtp.password": "FULCRUM_SMTP_URL",
  "smtp.from": "FULCRUM_SMTP_FROM",
  port: "PORT",
  modeCeiling: "FULCRUM_MODE_CEILING",
  logLevel: "FULCRUM_LOG_LEVEL",
  publicUrl: "FULCRUM_PUBLIC_URL",
  trustProxy: "FULCRUM_TRUST_PROXY",
  adminToken: "FULCRUM_ADMIN_TOKEN",
  "sandbox.port": "FULCRUM_SANDBOX_PORT",
  "webhook.maxBodyBytes": "FULCRUM_WEBHOOK_MAX_BYTES",
  "webhook.replayWindowSeconds": "FULCRUM_WEBHOOK_REPLAY_WINDOW",
  "auditAnchor.dir": "FULCRUM_AUDIT_ANCHOR_DIR",
  "auditAnchor.intervalSeconds": "FULCRUM_AUDIT_ANCHOR_INTERVAL",
  "connections.0.baseUrl": "LEVER_API_BASE_URL",
  "ai.provider": "FULCRUM_AI_PROVIDER",
  "ai.model": "FULCRUM_AI_MODEL",
  "ai.embeddingModel": "FULCRUM_AI_EMBEDDING_MODEL",
  "ai.baseUrl": "FULCRUM_AI_BASE_URL",
  "ai.timeoutMs": "FULCRUM_AI_TIMEOUT_MS",
  "ai.breaker.failureThreshold": "FULCRUM_AI_BREAKER_FAILURES",
  "ai.breaker.cooldownMs": "FULCRUM_AI_BREAKER_COOLDOWN_MS",
  "ai.onOpen": "FULCRUM_AI_ON_OPEN",
  "ai.maxUntrustedChars": "FULCRUM_AI_MAX_UNTRUSTED_CHARS",
  "ai.azure.resourceName": "AZURE_OPENAI_RESOURCE_NAME",
  "ai.azure.baseUrl": "AZURE_OPENAI_BASE_URL",
};

function envKeyFor(path: PropertyKey[], filePath: string | undefined): string {
  const dotted = path.map(String).join(".");
  if (PATH_TO_ENV[dotted]) return PATH_TO_ENV[dotted];
  const pretty = path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");
  return filePath ? `${filePath}: ${pretty}` : pretty;
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const p of path) cur = (cur as Record<PropertyKey, unknown> | undefined)?.[p];
  return cur;
}

function redactIfSecret(path: PropertyKey[], value: unknown): unknown {
  const last = String(path.at(-1) ?? "");
  return /key|token|secret|password/i.test(last) && typeof value === "string" ? "[redacted]" : value;
}
