/**
 * API keys (each with its own endpoint permissions and confidential-data toggle, like keys made in
 * Lever's settings) and the per-key token bucket (10 requests/s, bursts of 20).
 */

/**
 * Endpoint permissions, worded like the checkboxes of Lever's API-credentials dialog (the names
 * confirmed by the reference are used verbatim; the rest follow their pattern).
 */
export const sandboxPermissions = [
  "Find all opportunities",
  "Find an opportunity",
  "Find all deleted opportunities",
  "Find all opportunity applications",
  "Find all opportunity feedback",
  "Create an opportunity feedback form",
  "Update an opportunity feedback form",
  "Delete an opportunity feedback form",
  "Find all opportunity interviews",
  "Find all opportunity panels",
  "Find all opportunity notes",
  "Find all opportunity resumes",
  "Download an opportunity resume file",
  "Find all opportunity files",
  "Download an opportunity file",
  "Find all candidate offers",
  "Find a contact",
  "Update a contact",
  "Find all postings",
  "Find a posting",
  "Find a posting application question form",
  "Apply to a posting",
  "Create a posting",
  "Update a posting",
  "Find all stages",
  "Find a stage",
  "Find all archive reasons",
  "Find all users",
  "Find a user",
  "Find all requisitions",
  "Find a requisition",
  "Find all tags",
  "Find all sources",
  "Find all feedback templates",
  "Find all form templates",
  "Find all opportunity forms",
  "Create an opportunity form",
  "Create an opportunity",
  "Update an opportunity's stage",
  "Update an opportunity's archived state",
  "Add opportunity tags",
  "Remove opportunity tags",
  "Add opportunity links",
  "Remove opportunity links",
  "Add opportunity sources",
  "Remove opportunity sources",
  "Create an opportunity note",
  "Update an opportunity note",
  "Delete an opportunity note",
  "Create an opportunity panel",
  "Update an opportunity panel",
  "Delete an opportunity panel",
  "Create an opportunity interview",
  "Update an opportunity interview",
  "Delete an opportunity interview",
  "Find all webhooks",
  "Add a webhook",
  "Update a webhook",
  "Delete a webhook",
  "Find all EEO responses",
  "Find all EEO responses with PII",
] as const;
export type SandboxPermission = (typeof sandboxPermissions)[number];

export interface ApiKeyRecord {
  key: string;
  permissions: ReadonlySet<SandboxPermission>;
  /** Whether the key was created with "Allow access to confidential data". */
  confidentialAccess: boolean;
}

/** A token bucket per key: refills `ratePerSecond`, holds at most `burst`. */
export class KeyRateLimiter {
  enabled: boolean;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #now: () => number;

  constructor(options: { enabled: boolean; ratePerSecond?: number; burst?: number; now?: () => number }) {
    this.enabled = options.enabled;
    this.ratePerSecond = options.ratePerSecond ?? 10;
    this.burst = options.burst ?? 20;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Takes one token for `key`; false when the bucket is empty (answer 429). */
  take(key: string): boolean {
    if (!this.enabled) return true;
    const t = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: t };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = t;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.#buckets.clear();
  }
}

/** The OAuth scope that grants each permission (a write scope also grants the matching read). */
export const permissionScopes: Readonly<Record<SandboxPermission, string>> = {
  "Find all opportunities": "opportunities:read:admin",
  "Find an opportunity": "opportunities:read:admin",
  "Find all deleted opportunities": "opportunities:read:admin",
  "Find all opportunity applications": "applications:read:admin",
  "Find all opportunity feedback": "feedback:read:admin",
  "Create an opportunity feedback form": "feedback:write:admin",
  "Update an opportunity feedback form": "feedback:write:admin",
  "Delete an opportunity feedback form": "feedback:write:admin",
  "Find all opportunity interviews": "interviews:read:admin",
  "Find all opportunity panels": "panels:read:admin",
  "Find all opportunity notes": "notes:read:admin",
  "Find all opportunity resumes": "resumes:read:admin",
  "Download an opportunity resume file": "resumes:read:admin",
  "Find all opportunity files": "files:read:admin",
  "Download an opportunity file": "files:read:admin",
  "Find all candidate offers": "offers:read:admin",
  "Find a contact": "contact:read:admin",
  "Update a contact": "contact:write:admin",
  "Find all postings": "postings:read:admin",
  "Find a posting": "postings:read:admin",
  "Find a posting application question form": "postings:read:admin",
  "Apply to a posting": "postings:write:admin",
  "Create a posting": "postings:write:admin",
  "Update a posting": "postings:write:admin",
  "Find all stages": "stages:read:admin",
  "Find a stage": "stages:read:admin",
  "Find all archive reasons": "archive_reasons:read:admin",
  "Find all users": "users:read:admin",
  "Find a user": "users:read:admin",
  "Find all requisitions": "requisitions:read:admin",
  "Find a requisition": "requisitions:read:admin",
  "Find all tags": "tags:read:admin",
  "Find all sources": "sources:read:admin",
  "Find all feedback templates": "feedback_templates:read:admin",
  "Find all form templates": "form_templates:read:admin",
  "Find all opportunity forms": "forms:read:admin",
  "Create an opportunity form": "forms:write:admin",
  "Create an opportunity": "opportunities:write:admin",
  "Update an opportunity's stage": "opportunities:write:admin",
  "Update an opportunity's archived state": "opportunities:write:admin",
  "Add opportunity tags": "opportunities:write:admin",
  "Remove opportunity tags": "opportunities:write:admin",
  "Add opportunity links": "opportunities:write:admin",
  "Remove opportunity links": "opportunities:write:admin",
  "Add opportunity sources": "opportunities:write:admin",
  "Remove opportunity sources": "opportunities:write:admin",
  "Create an opportunity note": "notes:write:admin",
  "Update an opportunity note": "notes:write:admin",
  "Delete an opportunity note": "notes:write:admin",
  "Create an opportunity panel": "panels:write:admin",
  "Update an opportunity panel": "panels:write:admin",
  "Delete an opportunity panel": "panels:write:admin",
  "Create an opportunity interview": "interviews:write:admin",
  "Update an opportunity interview": "interviews:write:admin",
  "Delete an opportunity interview": "interviews:write:admin",
  "Find all webhooks": "webhooks:read:admin",
  "Add a webhook": "webhooks:write:admin",
  "Update a webhook": "webhooks:write:admin",
  "Delete a webhook": "webhooks:write:admin",
  "Find all EEO responses": "eeo_responses:read:admin",
  "Find all EEO responses with PII": "eeo_responses_pii:read:admin",
};

/** The permissions a set of OAuth scopes grants. */
export function permissionsForScopes(scopes: readonly string[]): Set<SandboxPermission> {
  const granted = new Set(scopes);
  for (const s of scopes) if (s.includes(":write:")) granted.add(s.replace(":write:", ":read:"));
  return new Set(sandboxPermissions.filter((p) => granted.has(permissionScopes[p])));
}
