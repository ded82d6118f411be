/**
 * Re-books a booked panel to its next revision (the `scheduling.rebook` action): the same panel key,
 * new people or times. Seats are swapped under the same per-interviewer locks as booking, the new
 * seats' free/busy is read again, each calendar event is patched (or, when its organiser changes,
 * cancelled and made again), the candidate gets an update of the same invite (same UID, SEQUENCE
 * raised to the revision), the Lever panel is replaced (`PUT`) and a note says what changed. Each
 * step is recorded with the revision, so a retried or crashed re-booking continues where it stopped
 * and a revision is never applied twice.
 */
import { DateTime } from "luxon";
import { resolveIdentity, sendEmailInvite, UnknownIdentityError, type CalendarIdentity } from "../../calendars/index.ts";
import { createReminderStore, createSchedulingChangeStore, type Seat } from "../../store/index.ts";
import { panelStart } from "../reminders/reminders.ts";
import {
  BookingError,
  description,
  hashParams,
  inviteUid,
  leverPanelBody,
  organizerOf,
  plannedEvents,
  seatsTaken,
  span,
  type BookingDeps,
} from "./book-panel.ts";
import type { BookingParams } from "./params.ts";

export interface RebookResult {
  panelKey: string;
  status: "rebooked";
  revision: number;
  /** True when this revision had been applied before (nothing was written again). */
  alreadyApplied: boolean;
  events: { key: string; id: string; organizer: string; sessions: string[]; how: "patched" | "remade" | "unchanged" }[];
  invite: { uid: string; sequence: number; sent: boolean };
  panelId: string | null;
  noteId: string | null;
  changes: string[];
}

const lower = (s: string) => s.trim().toLowerCase();

function identityOf(email: string, b: BookingParams, deps: BookingDeps): CalendarIdentity | undefined {
  const who = b.sessions.flatMap((s) => s.interviewers).find((i) => lower(i.email) === lower(email));
  try {
    const id = resolveIdentity({ id: who?.leverUserId ?? email, email, name: who?.name }, deps.calendars);
    return "emailOnly" in id ? undefined : id;
  } catch (error) {
    if (error instanceof UnknownIdentityError) return undefined;
    throw error;
  }
}

/** What changed between two revisions, one line per session, for the note and the audit. */
export function describeChanges(before: BookingParams, after: BookingParams): string[] {
  const zone = after.candidate.timezone;
  const at = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat("ccc d LLL HH:mm");
  const out: string[] = [];
  for (const s of after.sessions) {
    const was = before.sessions.find((o) => o.id === s.id);
    if (!was) {
      out.push(`${s.title} added at ${at(s.start)}`);
      continue;
    }
    if (Date.parse(was.start) !== Date.parse(s.start) || Date.parse(was.end) !== Date.parse(s.end))
      out.push(`${s.title} moved from ${at(was.start)} to ${at(s.start)}`);
    const gone = was.interviewers.filter((i) => !s.interviewers.some((n) => n.leverUserId === i.leverUserId));
    const came = s.interviewers.filter((i) => !was.interviewers.some((o) => o.leverUserId === i.leverUserId));
    if (gone.length || came.length)
      out.push(
        `${s.title}: ${came.map((i) => i.name ?? i.email).join(", ") || "nobody"} instead of ${gone.map((i) => i.name ?? i.email).join(", ") || "nobody"}`,
      );
  }
  for (const s of before.sessions) if (!after.sessions.some((n) => n.id === s.id)) out.push(`${s.title} dropped`);
  return out;
}

/**
 * Applies `revision` of the panel `b.panelKey` (which must be booked).
 * @throws {BookingError} when the panel is not booked, a new seat is taken, or Lever's panel cannot be replaced.
 * @example
 * await rebookPanel(replan.booking, replan.revision, { db, connectionId, lever, calendars, providers, smtp });
 */
export async function rebookPanel(b: BookingParams, revision: number, deps: BookingDeps): Promise<RebookResult> {
  const store = createSchedulingChangeStore(deps.db);
  const current = await store.booked(b.panelKey);
  if (!current)
    throw new BookingError(`panel ${b.panelKey} is not booked (never booked, or cancelled), so it cannot be re-booked; propose and book it instead`);
  const before = current.params as unknown as BookingParams;
  const uid = inviteUid(b.panelKey);
  const applied = (panel: typeof current): RebookResult => ({
    panelKey: b.panelKey,
    status: "rebooked",
    revision: panel.revision,
    alreadyApplied: true,
    events: Object.entries(panel.events).map(([key, e]) => ({
      key,
      id: String(e.id),
      organizer: String(e.organizer),
      sessions: e.sessions as string[],
      how: "unchanged",
    })),
    invite: { uid, sequence: Number(panel.invite?.sequence ?? 0), sent: panel.invite?.sent === true },
    panelId: panel.panelId,
    noteId: null,
    changes: [],
  });
  if (current.revision >= revision) return applied(current);
  if (revision !== current.revision + 1)
    throw new BookingError(`panel ${b.panelKey} is at revision ${current.revision}; revision ${revision} cannot be applied (re-plan it again)`);
  if (b.candidate.email && !deps.smtp)
    throw new BookingError("the candidate's updated invite needs outgoing e-mail: set FULCRUM_SMTP_URL (or the config file's smtp: block)");
  const plans = plannedEvents(b);
  for (const plan of plans) organizerOf(plan.sessions, deps.calendars);

  // One re-booking of a revision at a time (two tabs, a double click, two workers): the loser
  // writes nothing. Given back when this attempt stops with an error, so a retry continues.
  const paramsHash = hashParams(b);
  const claim = await store.claimRevision(b.panelKey, revision, paramsHash);
  if (!claim.claimed) {
    if (claim.why === "applied") return applied((await store.booked(b.panelKey)) ?? current);
    if (claim.why === "busy" && claim.sameParams)
      throw Object.assign(new Error(`panel ${b.panelKey} is being re-booked to revision ${revision} by another attempt right now; try again in a moment`), {
        retryable: true,
      });
    throw new BookingError(
      `panel ${b.panelKey} is ${claim.why === "busy" ? `being re-booked to revision ${revision} with other times or people right now` : "no longer at the revision this change was planned on"}; nothing was changed (re-plan it again)`,
    );
  }
  try {
    return await applyRevision(b, revision, paramsHash, before, plans, deps);
  } catch (error) {
    await store.releaseRevision(b.panelKey, revision, paramsHash);
    throw error;
  }
}

async function applyRevision(
  b: BookingParams,
  revision: number,
  paramsHash: string,
  before: BookingParams,
  plans: ReturnType<typeof plannedEvents>,
  deps: BookingDeps,
): Promise<RebookResult> {
  const store = createSchedulingChangeStore(deps.db);
  const uid = inviteUid(b.panelKey);
  const changes = describeChanges(before, b);
  // An event already moved to this revision by an attempt that stopped part-way (with these params).
  const done = (e: Record<string, unknown> | undefined): boolean =>
    e !== undefined && Number(e.revision ?? 0) >= revision && (e.revisionHash === undefined || e.revisionHash === paramsHash);
  const started = (await store.booked(b.panelKey))!;

  // New seats replace the old ones, or none do.
  const seats: Seat[] = b.sessions.flatMap((s) => s.interviewers.map((i) => ({ interviewer: lower(i.email), sessionId: s.id, start: s.start, end: s.end })));
  const seatText = (conflicts: { interviewer: string; start: string; end: string; panelKey: string; sessionId: string }[]) =>
    conflicts.map((c) => `${c.interviewer} is already booked ${c.start}–${c.end} by panel ${c.panelKey} (session "${c.sessionId}")`).join("; ");
  const conflicts = await deps.db.transaction((tx) => createSchedulingChangeStore(tx).replaceSeats(b.panelKey, seats));
  if (conflicts.length) throw new BookingError(`re-booking conflict, nothing was changed: ${seatText(conflicts)}`);
  // Free/busy again, for the seats that are new (a new person, or a new time) and whose event was
  // not moved yet by an attempt that stopped part-way (that event is now the seat's own busy time).
  const movedAlready = new Set(plans.filter((p) => done(started.events[p.key])).flatMap((p) => p.sessions.map((s) => s.id)));
  const isNew = (sessionId: string, email: string) => {
    if (movedAlready.has(sessionId)) return false;
    const was = before.sessions.find((s) => s.id === sessionId);
    const now = b.sessions.find((s) => s.id === sessionId)!;
    return (
      !was ||
      Date.parse(was.start) !== Date.parse(now.start) ||
      Date.parse(was.end) !== Date.parse(now.end) ||
      !was.interviewers.some((i) => lower(i.email) === lower(email))
    );
  };
  // The panel's own events (at the old times, or already at the new ones) never block it, as in the re-plan.
  const ownSpans = [...before.sessions, ...b.sessions.filter((s) => movedAlready.has(s.id))];
  const own = (leverUserId: string, x: { start: string; end: string }) =>
    ownSpans.some(
      (s) => s.interviewers.some((i) => i.leverUserId === leverUserId) && Date.parse(x.start) >= Date.parse(s.start) && Date.parse(x.end) <= Date.parse(s.end),
    );
  const taken = await seatsTaken(b, deps, isNew, own);
  if (taken.length) {
    // Give the old seats back: the booking stands as it was.
    const old: Seat[] = before.sessions.flatMap((s) =>
      s.interviewers.map((i) => ({ interviewer: lower(i.email), sessionId: s.id, start: s.start, end: s.end })),
    );
    const lost = await deps.db.transaction((tx) => createSchedulingChangeStore(tx).replaceSeats(b.panelKey, old));
    if (lost.length)
      throw new BookingError(
        `re-booking conflict: ${taken.join("; ")}; and the old seats could not be held again (${seatText(lost)}), so the panel keeps the new seats in Fulcrum while its calendars show the old times: a person must re-plan it`,
      );
    throw new BookingError(`re-booking conflict, nothing was changed: ${taken.join("; ")}`);
  }

  // Calendar events: patched in place, or cancelled and made again under a new key when the
  // organiser changes; each recorded with the revision as soon as it is done.
  const events: RebookResult["events"] = [];
  let row = (await store.booked(b.panelKey))!;
  for (const plan of plans) {
    const organizer = organizerOf(plan.sessions, deps.calendars);
    const provider = deps.providers.get(organizer.connectionId);
    if (!provider) throw new BookingError(`calendar connection "${organizer.connectionId}" is not open`);
    const had = row.events[plan.key];
    if (had && done(had)) {
      events.push({ key: plan.key, id: String(had.id), organizer: String(had.organizer), sessions: had.sessions as string[], how: "unchanged" });
      continue;
    }
    const video = b.format !== "onsite";
    const staticLink = video && provider.kind === "caldav" ? deps.videoUrl : undefined;
    const attendees = new Map<string, { email: string; name?: string | undefined }>();
    for (const s of plan.sessions)
      for (const i of s.interviewers) if (lower(i.email) !== organizer.email) attendees.set(lower(i.email), { email: i.email, name: i.name });
    const fields = {
      title: plan.sessions.length === 1 ? `Interview: ${plan.sessions[0]!.title} – ${b.candidate.name}` : `Interview panel – ${b.candidate.name}`,
      description: description(b, plan.sessions, (had?.conferenceUrl as string | undefined) ?? staticLink),
      start: plan.sessions[0]!.start,
      end: plan.sessions.at(-1)!.end,
      attendees: [...attendees.values()],
    };
    if (had && lower(String(had.organizer)) === organizer.email && String(had.connectionId ?? organizer.connectionId) === organizer.connectionId) {
      const updated = await provider.updateEvent(organizer, { id: String(had.id), href: had.href as string | undefined }, fields);
      await store.recordRevisedEvent(b.panelKey, plan.key, {
        ...had,
        id: updated.id,
        href: updated.href ?? had.href,
        sessions: plan.sessions.map((s) => s.id),
        revision,
        revisionHash: paramsHash,
        declined: [],
      });
      events.push({ key: plan.key, id: updated.id, organizer: organizer.email, sessions: plan.sessions.map((s) => s.id), how: "patched" });
      continue;
    }
    if (had) {
      const oldOrganizer = identityOf(String(had.organizer), before, deps);
      const oldProvider = oldOrganizer ? deps.providers.get(oldOrganizer.connectionId) : undefined;
      if (oldOrganizer && oldProvider) await oldProvider.deleteEvent(oldOrganizer, { id: String(had.id), href: had.href as string | undefined });
    }
    const key = `${plan.key}~r${revision}`;
    const made = await provider.createEvent(organizer, {
      key,
      ...fields,
      timezone: organizer.timezone ?? b.candidate.timezone,
      location: staticLink ?? (b.format === "onsite" ? "On site" : undefined),
      conference: video && provider.kind !== "caldav",
    });
    await store.recordRevisedEvent(b.panelKey, plan.key, {
      key,
      id: made.id,
      href: made.href,
      connectionId: organizer.connectionId,
      organizer: organizer.email,
      sessions: plan.sessions.map((s) => s.id),
      conferenceUrl: made.conferenceUrl ?? staticLink,
      revision,
      revisionHash: paramsHash,
      declined: [],
    });
    events.push({ key: plan.key, id: made.id, organizer: organizer.email, sessions: plan.sessions.map((s) => s.id), how: "remade" });
  }
  // Events of the old revision that the new one no longer has (one per panel ↔ one per session).
  row = (await store.booked(b.panelKey))!;
  for (const [key, e] of Object.entries(row.events)) {
    if (plans.some((p) => p.key === key)) continue;
    const who = identityOf(String(e.organizer), before, deps);
    const p = who ? deps.providers.get(who.connectionId) : undefined;
    if (who && p) await p.deleteEvent(who, { id: String(e.id), href: e.href as string | undefined });
    await store.removeEvent(b.panelKey, key);
  }
  row = (await store.booked(b.panelKey))!;

  // The candidate's invite: the same UID, SEQUENCE raised to the revision (RFC 5546), so their
  // calendar moves the event it has instead of adding one.
  let invite = row.invite ?? { uid };
  // Sent again when an earlier attempt at this revision, with other params, sent its own update.
  if (b.candidate.email && (Number(invite.sequence ?? 0) < revision || (invite.revisionHash !== undefined && invite.revisionHash !== paramsHash))) {
    const joinUrl = Object.values(row.events)
      .map((e) => e.conferenceUrl as string | undefined)
      .find(Boolean);
    const lines = b.sessions.map(
      (s) =>
        `${DateTime.fromISO(s.start, { zone: b.candidate.timezone }).toFormat("HH:mm")}–${DateTime.fromISO(s.end, { zone: b.candidate.timezone }).toFormat("HH:mm")} ${s.title}`,
    );
    const sent = await sendEmailInvite(deps.smtp!, {
      method: "REQUEST",
      uid,
      sequence: revision,
      start: b.sessions[0]!.start,
      end: b.sessions.at(-1)!.end,
      title: `Interview – ${b.candidate.name} (updated)`,
      description: [...lines, ...(b.notes ? ["", b.notes] : [])].join("\n"),
      location: b.format === "onsite" ? "On site" : undefined,
      joinUrl: b.format === "onsite" ? undefined : joinUrl,
      to: [{ email: b.candidate.email, name: b.candidate.name }],
      timezone: b.candidate.timezone,
    });
    invite = { ...invite, uid, sent: true, sequence: revision, revisionHash: paramsHash, messageId: sent.messageId };
    await store.recordRevisedInvite(b.panelKey, invite);
  }

  // The Lever panel: replaced whole (Lever's PUT), or made when the first booking had none.
  let panelId = row.panelId;
  const externalUrl =
    deps.externalUrl?.(b.panelKey) ??
    Object.values(row.events)
      .map((e) => e.conferenceUrl as string | undefined)
      .find(Boolean);
  const body = leverPanelBody(b, row.events, externalUrl);
  if (panelId) {
    if (!deps.lever.updatePanel) throw new BookingError("this Lever connection cannot replace panels (PUT /opportunities/:id/panels/:panel)");
    await deps.lever.updatePanel(b.opportunityId, panelId, body, { key: `fulcrum:rebook:${b.panelKey}:r${revision}:${paramsHash.slice(0, 12)}:panel` });
  } else {
    panelId =
      (await deps.lever.createPanel(b.opportunityId, body, { key: `fulcrum:rebook:${b.panelKey}:r${revision}:${paramsHash.slice(0, 12)}:panel` })).id ?? null;
  }
  const note = await deps.lever.addNote(
    b.opportunityId,
    { value: `Panel changed, now ${span(b)}: ${changes.join("; ") || "no change to people or times"}.` },
    { key: `fulcrum:rebook:${b.panelKey}:r${revision}:${paramsHash.slice(0, 12)}:note` },
  );
  if (!(await store.completeRevision(b.panelKey, revision, b, paramsHash, panelId))) {
    if (!(await store.booked(b.panelKey)))
      throw new BookingError(`panel ${b.panelKey} was cancelled while it was being re-booked; its new times were not kept`);
    throw Object.assign(new Error(`panel ${b.panelKey}: another attempt took revision ${revision} over while this one was writing; try again`), {
      retryable: true,
    });
  }
  // Reminders for the old time still waiting for approval are never sent; the new time's timers remind again.
  await createReminderStore(deps.db).withdrawPending(b.panelKey, `the interview was moved to ${span(b)}`, panelStart(b));
  return {
    panelKey: b.panelKey,
    status: "rebooked",
    revision,
    alreadyApplied: false,
    events,
    invite: { uid, sequence: Number(invite.sequence ?? 0), sent: invite.sent === true },
    panelId,
    noteId: note.id ?? null,
    changes,
  };
}
