/**
 * Which Lever API-key permission (and OAuth scope) each endpoint the client calls needs, so that a
 * 403 can tell the admin exactly which checkbox to tick. Lever's key dialog lists one checkbox per
 * endpoint, phrased as an action. Names marked `confirmed: true` are verbatim from Lever's list
 * (reference §6); the others follow Lever's pattern and are our inference — Lever has not published
 * their exact wording. The webhook names ("Add a webhook", "Update a webhook", "Delete a webhook")
 * are how Lever's settings page was reported to word them (issue 11); the reference does not quote
 * them, so they stay unconfirmed.
 */

export interface LeverPermission {
  /** The checkbox label in Settings → Integrations and API → API Credentials. */
  permission: string;
  /** True when the wording is confirmed verbatim; false when inferred from Lever's pattern. */
  confirmed: boolean;
  /** The OAuth scope covering the endpoint. */
  scope: string;
}

const c = (permission: string, scope: string): LeverPermission => ({ permission, confirmed: true, scope });
// Inferred wording (not in the published list).
const i = (permission: string, scope: string): LeverPermission => ({ permission, confirmed: false, scope });

/** Keyed by `METHOD /path/template` as the client names its endpoints. */
export const leverEndpointPermissions: Readonly<Record<string, LeverPermission>> = {
  "GET /opportunities": c("Find all opportunities", "opportunities:read:admin"),
  "GET /opportunities/:opportunity": i("Find an opportunity", "opportunities:read:admin"),
  "POST /opportunities": c("Create an opportunity", "opportunities:write:admin"),
  "PUT /opportunities/:opportunity/stage": c("Update an opportunity's stage", "opportunities:write:admin"),
  "PUT /opportunities/:opportunity/archived": i("Update an opportunity's archived state", "opportunities:write:admin"),
  "POST /opportunities/:opportunity/addTags": c("Add opportunity tags", "opportunities:write:admin"),
  "POST /opportunities/:opportunity/removeTags": i("Remove opportunity tags", "opportunities:write:admin"),
  "POST /opportunities/:opportunity/addLinks": i("Add opportunity links", "opportunities:write:admin"),
  "POST /opportunities/:opportunity/removeLinks": i("Remove opportunity links", "opportunities:write:admin"),
  "POST /opportunities/:opportunity/addSources": c("Add opportunity sources", "opportunities:write:admin"),
  "POST /opportunities/:opportunity/removeSources": i("Remove opportunity sources", "opportunities:write:admin"),
  "GET /opportunities/:opportunity/notes": i("Find all opportunity notes", "notes:read:admin"),
  "POST /opportunities/:opportunity/notes": c("Create an opportunity note", "notes:write:admin"),
  "PUT /opportunities/:opportunity/notes/:note": c("Update an opportunity note", "notes:write:admin"),
  "GET /opportunities/:opportunity/feedback": i("Find all opportunity feedback", "feedback:read:admin"),
  "GET /opportunities/:opportunity/interviews": i("Find all opportunity interviews", "interviews:read:admin"),
  "GET /opportunities/:opportunity/interviews/:interview": i("Find an opportunity interview", "interviews:read:admin"),
  "POST /opportunities/:opportunity/interviews": i("Create an opportunity interview", "interviews:write:admin"),
  "PUT /opportunities/:opportunity/interviews/:interview": i("Update an opportunity interview", "interviews:write:admin"),
  "DELETE /opportunities/:opportunity/interviews/:interview": i("Delete an opportunity interview", "interviews:write:admin"),
  "GET /opportunities/:opportunity/panels": i("Find all opportunity panels", "panels:read:admin"),
  "POST /opportunities/:opportunity/panels": i("Create an opportunity panel", "panels:write:admin"),
  "PUT /opportunities/:opportunity/panels/:panel": i("Update an opportunity panel", "panels:write:admin"),
  "DELETE /opportunities/:opportunity/panels/:panel": i("Delete an opportunity panel", "panels:write:admin"),
  "GET /opportunities/:opportunity/resumes": i("Find all opportunity resumes", "resumes:read:admin"),
  "GET /opportunities/:opportunity/resumes/:resume/download": i("Download an opportunity resume file", "resumes:read:admin"),
  "GET /opportunities/:opportunity/files": i("Find all opportunity files", "files:read:admin"),
  "GET /opportunities/:opportunity/files/:file/download": i("Download an opportunity file", "files:read:admin"),
  "GET /opportunities/:opportunity/applications": c("Find all opportunity applications", "applications:read:admin"),
  "GET /opportunities/:opportunity/offers": c("Find all candidate offers", "offers:read:admin"),
  "GET /contacts/:contact": i("Find a contact", "contact:read:admin"),
  "GET /postings": c("Find all postings", "postings:read:admin"),
  "GET /postings/:posting": c("Find a posting", "postings:read:admin"),
  "GET /postings/:posting/apply": c("Find a posting application question form", "postings:read:admin"),
  "GET /stages": c("Find all stages", "stages:read:admin"),
  "GET /stages/:stage": c("Find a stage", "stages:read:admin"),
  "GET /archive_reasons": i("Find all archive reasons", "archive_reasons:read:admin"),
  "GET /users": i("Find all users", "users:read:admin"),
  "GET /users/:user": i("Find a user", "users:read:admin"),
  "GET /feedback_templates": i("Find all feedback templates", "feedback_templates:read:admin"),
  "GET /form_templates": i("Find all form templates", "form_templates:read:admin"),
  "GET /form_templates/:template": i("Find a form template", "form_templates:read:admin"),
  "GET /opportunities/:opportunity/forms": i("Find all opportunity forms", "forms:read:admin"),
  "POST /opportunities/:opportunity/forms": c("Create an opportunity form", "forms:write:admin"),
  "GET /requisitions": c("Find all requisitions", "requisitions:read:admin"),
  "GET /requisitions/:requisition": c("Find a requisition", "requisitions:read:admin"),
  "GET /tags": i("Find all tags", "tags:read:admin"),
  "GET /sources": i("Find all sources", "sources:read:admin"),
  "GET /webhooks": i("Find all webhooks", "webhooks:read:admin"),
  "POST /webhooks": i("Add a webhook", "webhooks:write:admin"),
  "PUT /webhooks": i("Update a webhook", "webhooks:write:admin"),
  "DELETE /webhooks/:webhook": i("Delete a webhook", "webhooks:write:admin"),
  "GET /eeo/responses/pii": i("Find all EEO responses with PII", "eeo_responses_pii:read:admin"),
  "GET /eeo/responses": i("Find all EEO responses", "eeo_responses:read:admin"),
};

/**
 * The permission an endpoint needs. Unknown endpoints get a generic, clearly inferred answer built
 * from the same pattern, so a 403 always names something to look for.
 */
export function leverPermissionFor(endpoint: string): LeverPermission {
  const known = leverEndpointPermissions[endpoint];
  if (known) return known;
  return { permission: `the permission for ${endpoint}`, confirmed: false, scope: "unknown" };
}
