/**
 * How interview reminders go out. A reminder is a fixed text filled from a booking a person
 * approved (or the candidate made with a link a person sent): it decides nothing about anyone. So
 * with `send: auto` (the built-in default) the plan is approved once — by approving the booking,
 * and by the workflow's settings (offsets, `send`), which are versioned and audited — and each
 * reminder goes out at its timer, claimed once, with an audit record; the run's output keeps the
 * text without the booking link. Asking a person for every reminder mostly made them lapse (the
 * 1-hour one gave 55 minutes to approve) or turned approval into a rubber stamp. `send: approve`
 * keeps the per-e-mail approval (the workflow's notify steps); those texts omit the link, since a
 * proposal would keep it. Nothing is sent in a dry run, when the workflow is in shadow mode (the
 * console's choice, else its file's), or under a shadow mode ceiling: the reminder is recorded instead.
 */
import type { SecretSealer } from "../../../calendars/index.ts";
import { createAuditTrail } from "../../../governance/index.ts";
import { openBookingLink, withoutBookingLink } from "../../../scheduling/index.ts";
import { createReminderStore, type Database, type Queryable, type ReminderAudience } from "../../../store/index.ts";
import { createModeCeiling, isMode, type Mode } from "../../policy/index.ts";
import { StepFailure } from "../../errors.ts";
import type { Notifier } from "../../ports.ts";

export const REMINDER_SEND_MODES = ["auto", "approve"] as const;
export type ReminderSendMode = (typeof REMINDER_SEND_MODES)[number];

/** What the reminder tasks need to send reminders themselves. */
export interface ReminderDelivery {
  notify?: Notifier | undefined;
  /** The service's public address, for the booking link. */
  publicUrl?: string | undefined;
  /** Opens the sealed booking-link token. */
  box?: SecretSealer | undefined;
  /** The configuration's mode ceiling (FULCRUM_MODE_CEILING, else the config file's); the console's live override is read from the database. */
  modeCeiling?: Mode | undefined;
}

/** `with.send`: auto unless the workflow says approve. */
export function reminderSendMode(v: unknown): ReminderSendMode {
  const mode = v === undefined || v === null || v === "" ? "auto" : String(v).trim().toLowerCase();
  if ((REMINDER_SEND_MODES as readonly string[]).includes(mode)) return mode as ReminderSendMode;
  throw new StepFailure(`settings.send is "${String(v).slice(0, 40)}"; use auto (reminders go out at their timers) or approve (a person approves each)`);
}

/**
 * Whether this run may send reminders itself; otherwise why not (the reminder is then recorded,
 * or left to the workflow's notify steps when `approve` is asked for).
 */
export async function autoSendBlock(
  o: { db: Queryable; send: ReminderSendMode; dryRun: boolean; workflowId: string | undefined; runId?: unknown },
  d: ReminderDelivery,
): Promise<{ approve: true } | { blocked: string } | undefined> {
  if (o.send === "approve") return { approve: true };
  if (o.dryRun) return { blocked: "a dry run sends nothing" };
  if (!d.notify) return { approve: true };
  // The workflow's mode as the engine takes it: the console's choice, else the file's (the run keeps the file as it ran).
  const run = /^\d+$/.test(String(o.runId ?? "")) ? Number(o.runId) : undefined;
  const { rows: ran } =
    run === undefined
      ? { rows: [] }
      : await o.db.query<{ workflow_id: string; mode: string | null }>("select workflow_id, workflow->>'mode' as mode from workflow_runs where id = $1", [run]);
  const workflowId = ran[0]?.workflow_id ?? o.workflowId;
  if (workflowId) {
    const { rows } = await o.db.query<{ mode: string | null }>("select mode from workflow_settings where workflow_id = $1", [workflowId]);
    if ((rows[0]?.mode ?? ran[0]?.mode) === "shadow") return { blocked: "the workflow is in shadow mode: the reminder is recorded, not sent" };
  }
  const environment: Mode = d.modeCeiling ?? (isMode(process.env.FULCRUM_MODE_CEILING) ? process.env.FULCRUM_MODE_CEILING : "auto");
  if ((await createModeCeiling(o.db, environment).get()) === "shadow") return { blocked: "the mode ceiling is shadow: the reminder is recorded, not sent" };
  return undefined;
}

/**
 * Sends one reminder once: claims it (booking, audience, offset and start), sends it, and writes
 * the audit record (no address, no text: the opportunity and panel say whose). A failed send gives
 * the claim back, so the step's retry sends it (a crash between the claim and the send loses that
 * one reminder rather than risk sending it twice).
 */
export async function sendReminderOnce(o: {
  db: Queryable;
  notify: Notifier;
  claim: { panelKey: string; audience: ReminderAudience; offsetMinutes: number; start: string; recipients: number };
  messages: { to: string; subject: string; text: string }[];
  traceId: string;
  connectionId: string;
  opportunityId: string;
  link: boolean;
  actor: string;
}): Promise<boolean> {
  const store = createReminderStore(o.db);
  if (!(await store.claim(o.claim))) return false;
  try {
    for (const m of o.messages) await o.notify("email", m.to, { title: m.subject, text: m.text });
  } catch (error) {
    await store.release(o.claim);
    // E-mail not configured, a message that cannot be sent: a retry will not help, and the run says why.
    if (error instanceof StepFailure) throw error;
    throw Object.assign(new Error(`the ${o.claim.audience} reminder could not be sent: ${(error as Error).message}`), { retryable: true, cause: error });
  }
  await createAuditTrail(o.db as Database).append(
    {
      kind: "scheduling.reminded",
      traceId: o.traceId,
      actor: o.actor,
      subject: { connectionId: o.connectionId, opportunityId: o.opportunityId, panelKey: o.claim.panelKey },
      data: {
        audience: o.claim.audience,
        offsetMinutes: o.claim.offsetMinutes,
        start: o.claim.start,
        recipients: o.claim.recipients,
        messages: o.messages.length,
        bookingLink: o.link,
        approval: "approved once with the booking and the workflow's reminder settings (send: auto)",
      },
    },
    o.db,
  );
  return true;
}

/** The booked self-scheduling link of a panel as a URL again (its token opened from the sealed copy), or why it cannot be. */
export async function bookedLink(db: Queryable, panelKey: string, d: ReminderDelivery): Promise<{ url?: string | undefined; reason?: string | undefined }> {
  const { rows } = await db.query<{ connection_id: string; request_key: string; token_sealed: string | null }>(
    "select connection_id, request_key, token_sealed from booking_links where panel_key = $1 and status = 'booked' order by updated_at desc limit 1",
    [panelKey],
  );
  const r = rows[0];
  if (!r) return { reason: "the booking has no self-scheduling link" };
  return openBookingLink({ box: d.box, publicUrl: d.publicUrl, sealed: r.token_sealed, connectionId: r.connection_id, requestKey: r.request_key });
}

/**
 * One reminder as the run records it: sent now (`sent: true`), recorded only (`sent: false` and
 * why), or left to the workflow's notify step (`due: true`, claimed, for a person to approve). The
 * recorded text never holds the booking link.
 */
export async function deliverReminder(o: {
  db: Queryable;
  dryRun: boolean;
  block: Awaited<ReturnType<typeof autoSendBlock>>;
  notify: Notifier | undefined;
  claim: { panelKey: string; audience: ReminderAudience; offsetMinutes: number; start: string; recipients: number };
  messages: { to: string; subject: string; text: string }[];
  link: string | undefined;
  traceId: string;
  connectionId: string;
  opportunityId: string;
  actor: string;
}): Promise<Record<string, unknown>> {
  const shown = { to: o.messages.map((m) => m.to).join(", "), subject: o.messages[0]!.subject, message: withoutBookingLink(o.messages[0]!.text, o.link) };
  const already = { due: false, reason: `the ${o.claim.audience === "candidate" ? "candidate's" : "interviewers'"} reminder for this time was already sent` };
  if (o.block && "approve" in o.block) {
    if (!(o.dryRun || (await createReminderStore(o.db).claim(o.claim)))) return already;
    // Waits for a person in the workflow's notify step: the text goes into a proposal, so it carries no link.
    return { due: true, ...shown, offsetMinutes: o.claim.offsetMinutes };
  }
  if (o.block) return { due: false, sent: false, reason: o.block.blocked, ...shown, offsetMinutes: o.claim.offsetMinutes };
  if (!(await sendReminderOnce({ ...o, notify: o.notify!, link: o.link !== undefined }))) return already;
  return { due: false, sent: true, ...shown, offsetMinutes: o.claim.offsetMinutes };
}
