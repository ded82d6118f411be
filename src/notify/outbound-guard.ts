/**
 * The SSRF guard for outbound webhook calls (Slack, Teams, and anything else that posts to a URL a
 * user typed). Webhook URLs come from configuration and workflow files, so a typo or a malicious
 * edit could point Fulcrum at its own cloud metadata service or an internal admin port. Rules:
 * https only; the host must resolve to public addresses only, checked on the addresses the socket
 * really connects to (inside the socket's DNS lookup), so a DNS answer that changes between check
 * and connect (rebinding) cannot slip through. An explicit allow-list lifts both rules for named
 * hosts, for tests and local development.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

/** Address ranges a webhook must never reach: private, loopback, link-local, metadata, CGNAT, etc. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, incl. 169.254.169.254 cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["64:ff9b::", 96], // NAT64 (embeds IPv4)
  ["64:ff9b:1::", 48], // local-use NAT64 (embeds IPv4)
  ["2001::", 32], // Teredo (embeds an obfuscated IPv4; tunnels, never a webhook host)
  ["2001:db8::", 32], // documentation
  ["fd00:ec2::254", 128], // AWS metadata over IPv6
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** True when `address` (IPv4 or IPv6 literal) is public, i.e. outside every blocked range. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !blocked.check(address, "ipv4");
  const groups = ipv6Groups(address);
  if (!groups) return false;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const ipv4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d) are judged by their IPv4 part.
  if (zeros(0, 5) && groups[5] === 0xffff) return !blocked.check(ipv4(groups[6]!, groups[7]!), "ipv4");
  if (zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0) return !blocked.check(ipv4(groups[6]!, groups[7]!), "ipv4");
  // ::/96 holds the unspecified and loopback addresses and the deprecated IPv4-compatible form
  // (::a.b.c.d, e.g. ::7f00:1), which some stacks still route to the IPv4 address.
  if (zeros(0, 6)) return false;
  // 6to4 (2002:AABB:CCDD::/48) carries the IPv4 address AA.BB.CC.DD: judged by it.
  if (groups[0] === 0x2002 && blocked.check(ipv4(groups[1]!, groups[2]!), "ipv4")) return false;
  return !blocked.check(address.toLowerCase(), "ipv6");
}

/** The eight 16-bit groups of an IPv6 literal (any spelling, dotted IPv4 tail included), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const b = dotted.slice(2).map(Number);
    if (b.some((n) => n > 255)) return undefined;
    text = `${dotted[1]}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const part = (h: string) => (h === "" ? [] : h.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  if (groups.length !== 8 || groups.some(Number.isNaN) || (halves.length === 2 && fill < 1)) return undefined;
  return groups;
}

/** Why an outbound call was refused before any byte was sent. */
export class OutboundBlockedError extends Error {
  override readonly name = "OutboundBlockedError";
}

export interface OutboundPolicy {
  /**
   * Host names (or IP literals) exempt from the https-only and public-address rules. Meant for tests
   * and local development only, e.g. `["127.0.0.1"]`.
   */
  allowHosts?: readonly string[] | undefined;
  /** DNS lookup used to resolve host names (defaults to the system resolver); replaceable in tests. */
  lookup?: typeof dnsLookup | undefined;
}

/** A URL safe to show in logs and errors: scheme and host only (webhook paths hold secrets). */
export function describeUrl(url: string | URL): string {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(unparseable URL)";
  }
}

/** Checks the URL's form (scheme, credentials, host) before any network use. Returns the URL. */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundBlockedError("webhook URL is not a valid absolute URL");
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const allowed = policy.allowHosts?.includes(host) ?? false;
  if (url.protocol !== "https:" && !(allowed && url.protocol === "http:")) {
    throw new OutboundBlockedError(`webhook URL ${describeUrl(url)} must use https`);
  }
  if (url.username || url.password) {
    throw new OutboundBlockedError(`webhook URL ${describeUrl(url)} must not carry a user name or password`);
  }
  if (!allowed && isIP(host) && !isPublicAddress(host)) {
    throw new OutboundBlockedError(`webhook URL ${describeUrl(url)} points at a private, loopback or link-local address`);
  }
  return url;
}

/**
 * A `lookup` for `http(s).request` that resolves the host and fails the connection when any
 * address it would use is not public (unless the host is allow-listed).
 */
export function guardedLookup(
  policy: OutboundPolicy = {},
  options: {
    /** Hosts allowed to resolve to non-public addresses (default: `policy.allowHosts`, exact names). */
    isAllowed?: (hostname: string) => boolean;
    /** The error a refused host fails with (default: `OutboundBlockedError` about webhooks). */
    refuse?: (hostname: string) => Error;
  } = {},
): typeof dnsLookup {
  const resolve = policy.lookup ?? dnsLookup;
  const isAllowed = options.isAllowed ?? ((hostname: string) => policy.allowHosts?.includes(hostname) ?? false);
  const refuse =
    options.refuse ??
    ((hostname: string) =>
      new OutboundBlockedError(`host ${hostname} resolves to a private, loopback or link-local address; webhooks may only reach public addresses`));
  const guarded = (hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const opts = (typeof options === "object" && options !== null ? options : {}) as { all?: boolean; family?: number };
    resolve(hostname, { all: true, family: opts.family ?? 0 }, (err, addresses) => {
      if (err) return cb(err, opts.all ? [] : "", undefined);
      const list = addresses as LookupAddress[];
      if (list.length === 0 || (!isAllowed(hostname) && list.some((a) => !isPublicAddress(a.address)))) {
        const error = refuse(hostname) as Error & { code?: string };
        error.code = "EBLOCKED";
        return cb(error as NodeJS.ErrnoException, opts.all ? [] : "", undefined);
      }
      if (opts.all) return cb(null, list);
      const first = list[0]!;
      return cb(null, first.address, first.family);
    });
  };
  return guarded as unknown as typeof dnsLookup;
}
