/**
 * The Lever settings the configuration validates: which webhook events exist (a connection's
 * signature tokens and a workflow's triggers name them) and where a Lever API key may be sent.
 * They live here, below `lever/`, so that the configuration checks them without importing the
 * Lever client; `lever/` takes them from here.
 */

/** Every event Lever delivers. */
export const leverEventNames = [
  "applicationCreated",
  "candidateHired",
  "candidateStageChange",
  "candidateArchiveChange",
  "candidateDeleted",
  "interviewCreated",
  "interviewUpdated",
  "interviewDeleted",
  "contactCreated",
  "contactUpdated",
] as const;
export type LeverEventName = (typeof leverEventNames)[number];

// Where a Lever API key may be sent. Every request to Lever carries the connection's key or token,
// so a base URL pointing anywhere else (a loopback port, an internal service, a look-alike host)
// would hand that secret over. Only Lever's own API hosts over https are allowed, plus hosts an
// operator lists explicitly (FULCRUM_LEVER_ALLOWED_HOSTS): a proxy in front of Lever, or the
// sandbox in tests.

/** Lever's data API hosts: production, EU and sandbox (reference §1.1). */
export const LEVER_API_HOSTS: readonly string[] = ["api.lever.co", "api.eu.lever.co", "api.sandbox.lever.co"];

/** What is allowed and how to allow more, for error messages. */
export const LEVER_HOSTS_HELP =
  `Lever API keys are only sent over https to ${LEVER_API_HOSTS.join(", ")}. ` +
  "To use another host (a proxy, a test server), list it in FULCRUM_LEVER_ALLOWED_HOSTS (comma-separated): " +
  "a host or host:port allows https to it, an origin such as http://127.0.0.1:4101 allows exactly that origin";

/**
 * Parses FULCRUM_LEVER_ALLOWED_HOSTS: entries separated by commas or whitespace, each a host,
 * `host:port`, or an `http(s)://host[:port]` origin. Throws an Error naming a bad entry.
 */
export function parseAllowedLeverHosts(raw: string | readonly string[] | undefined): string[] {
  const entries = (typeof raw === "string" ? raw.split(/[\s,]+/) : [...(raw ?? [])]).map((e) => e.trim()).filter(Boolean);
  return entries.map((entry) => {
    if (/^https?:\/\//i.test(entry)) {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`"${entry}" is not a URL`);
      }
      if (url.pathname !== "/" || url.search || url.hash || url.username || url.password)
        throw new Error(`"${entry}" must be an origin (scheme, host and port only)`);
      return url.origin;
    }
    let url: URL;
    try {
      url = new URL(`https://${entry}`);
    } catch {
      throw new Error(`"${entry}" is not a host or host:port`);
    }
    if (url.pathname !== "/" || url.search || url.hash || url.username || url.password || url.host !== entry.toLowerCase()) {
      throw new Error(`"${entry}" is not a host or host:port`);
    }
    return url.host;
  });
}

/**
 * Why `baseUrl` may not receive a Lever key, or undefined when it may: https on one of Lever's API
 * hosts (default port), or a host or origin in `allowed` (from `parseAllowedLeverHosts`).
 */
export function leverBaseUrlProblem(baseUrl: string, allowed: readonly string[] = []): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `"${baseUrl}" is not a URL`;
  }
  if (url.username || url.password) return `${url.origin}: a Lever base URL may not carry a user or password`;
  if (allowed.includes(url.origin)) return undefined;
  if (url.protocol !== "https:") return `${url.origin} is not https`;
  if (allowed.includes(url.host) || allowed.includes(url.hostname)) return undefined;
  if (LEVER_API_HOSTS.includes(url.hostname) && url.port === "") return undefined;
  return `${url.host} is not one of Lever's API hosts`;
}
