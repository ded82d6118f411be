/**
 * The coordinator's "Copy link": with `selfSchedule: link`, the candidate's booking link is copied
 * by a person into Lever's own e-mail, so it must be shown to them — but it is a key to the
 * candidate's booking, so no run, proposal or page keeps it. Under the console's API:
 * - `GET  /console/api/proposals/:id/booking-link`: whether the proposal's run made a link to copy
 *   (and until when it books), without the link;
 * - `POST /console/api/proposals/:id/booking-link`: the link itself, opened from its sealed token,
 *   answered once with `no-store` and audited (`scheduling.link_revealed`: who, for which panel,
 *   never the link).
 * Only whoever may decide the proposal may ask (a hiring manager: their postings' proposals).
 */
import type { Hono } from "hono";
import type { SecretSealer } from "../../calendars/index.ts";
import { createAuditTrail } from "../../governance/index.ts";
import { bookingLinkRefSchema, openStoredBookingLink, type BookingLinkRef } from "../../scheduling/index.ts";
import type { Database } from "../../store/index.ts";
import { coversPosting, type Caller, type ConsoleGuard } from "../console/index.ts";
import { HttpError } from "../http-error.ts";

/** The audit kind of a link shown to a person. */
export const LINK_REVEALED_AUDIT_KIND = "scheduling.link_revealed";

export interface LinkRevealOptions {
  db: Database;
  /** The service's secret box (opened lazily: the key is read on first use). */
  box: () => SecretSealer | undefined;
  publicUrl: string | undefined;
  /** Test seam: the clock. */
  now?: (() => number) | undefined;
}

interface ProposalLink {
  ref: BookingLinkRef;
  opportunityId: string | null;
  traceId: string | null;
  status: string;
  expiresAt: string;
}

/** The link the proposal's run made for the coordinator to copy, when the caller may decide the proposal. */
async function linkOfProposal(db: Database, caller: Caller, proposalId: string): Promise<ProposalLink | undefined> {
  if (!/^\d{1,18}$/.test(proposalId)) return undefined;
  const { rows } = await db.query<{
    posting_id: string | null;
    opportunity_id: string | null;
    trace_id: string | null;
    connection_id: string;
    self: { mode?: unknown; link?: unknown } | null;
  }>(
    `select p.posting_id, p.opportunity_id, p.trace_id, r.connection_id,
            (select s.output->'selfSchedule' from workflow_steps s
              where s.run_id = p.run_id and s.output->'selfSchedule'->'link' is not null order by s.id desc limit 1) as self
       from proposals p join workflow_runs r on r.id = p.run_id where p.id = $1`,
    [Number(proposalId)],
  );
  const row = rows[0];
  if (!row || !coversPosting(caller, row.posting_id)) return undefined;
  // Only a link meant to be copied by a person; an e-mailed one reaches the candidate by e-mail only.
  if (row.self?.mode !== "link") return undefined;
  const ref = bookingLinkRefSchema.safeParse(row.self.link);
  if (!ref.success || ref.data.connectionId !== row.connection_id) return undefined;
  const { rows: links } = await db.query<{ status: string; expires_at: Date | string }>(
    "select status, expires_at from booking_links where connection_id = $1 and request_key = $2",
    [ref.data.connectionId, ref.data.requestKey],
  );
  const link = links[0];
  if (!link) return undefined;
  return {
    ref: ref.data,
    opportunityId: row.opportunity_id,
    traceId: row.trace_id,
    status: link.status,
    expiresAt: new Date(link.expires_at).toISOString(),
  };
}

/** Mounts the two routes on the console's API (`createConsole`'s `extend`). */
export function mountBookingLinkReveal(api: Hono, guard: ConsoleGuard, o: LinkRevealOptions): void {
  const notFound = (id: string) => new HttpError(404, "not_found", `No booking link to copy for proposal ${id.slice(0, 40)} that you may decide.`);

  api.get("/proposals/:id/booking-link", async (c) => {
    const g = await guard(c, "proposals:decide");
    if (g instanceof Response) return g;
    const found = await linkOfProposal(o.db, g.caller, c.req.param("id"));
    if (!found) throw notFound(c.req.param("id"));
    c.header("Cache-Control", "no-store");
    return c.json({ bookingLink: { status: found.status, expiresAt: found.expiresAt } });
  });

  api.post("/proposals/:id/booking-link", async (c) => {
    const g = await guard(c, "proposals:decide");
    if (g instanceof Response) return g;
    const id = c.req.param("id");
    const found = await linkOfProposal(o.db, g.caller, id);
    if (!found) throw notFound(id);
    const now = new Date(o.now?.() ?? Date.now());
    const link = await openStoredBookingLink(o.db, found.ref, { box: o.box(), publicUrl: o.publicUrl, now });
    if (!link.url) throw new HttpError(409, "conflict", `The booking link cannot be shown: ${link.reason}.`);
    await createAuditTrail(o.db).append({
      kind: LINK_REVEALED_AUDIT_KIND,
      traceId: found.traceId ?? undefined,
      actor: `user:${g.caller.userId}`,
      subject: { connectionId: found.ref.connectionId, opportunityId: found.opportunityId ?? undefined, proposalId: id, panelKey: found.ref.requestKey },
      data: { revealed: "the candidate's self-scheduling link, shown to copy into the coordinator's own message", status: found.status },
    });
    c.header("Cache-Control", "no-store");
    return c.json({ bookingLink: { url: link.url, status: found.status, expiresAt: found.expiresAt } });
  });
}
