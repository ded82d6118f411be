/**
 * The one interface every calendar provider implements, chosen per connection by configuration;
 * the rest of Fulcrum never knows which provider answers.
 */
/** A push channel as the provider gave it: its id (and Google's resourceId, needed to stop it). */
export interface PushChannel {
  channelId: string;
  resourceId?: string | undefined;
  expiresAt: string;
}

import type { CalendarCheckRow, CalendarEvent, CalendarIdentity, EventChanges, EventPatch, EventRef, FreeBusyResult, NewEvent, TimeRange } from "./types.ts";

export interface CalendarProvider {
  readonly kind: "google" | "graph" | "caldav";
  readonly connectionId: string;
  /**
   * Free/busy of each identity over `range`, one result per identity in order. A calendar that
   * cannot be read (unknown person, not shared) gives a result with `error`; a connection-wide
   * failure (credentials, API down after retries) throws CalendarError.
   */
  freeBusy(identities: CalendarIdentity[], range: TimeRange): Promise<FreeBusyResult[]>;
  /** Events of one calendar in a range, recurring series expanded to their occurrences. */
  events(identity: CalendarIdentity, range: TimeRange): Promise<CalendarEvent[]>;
  /** Creates an event in the organiser's calendar and invites the attendees; idempotent by `event.key`. */
  createEvent(organizer: CalendarIdentity, event: NewEvent): Promise<CalendarEvent>;
  updateEvent(organizer: CalendarIdentity, ref: EventRef, patch: EventPatch): Promise<CalendarEvent>;
  /** Deletes (cancels) an event; one already gone is not an error. */
  deleteEvent(organizer: CalendarIdentity, ref: EventRef): Promise<void>;
  /** Events changed since `cursor` (declines, moves, cancellations); none yet reads everything in `range`. */
  changes?(identity: CalendarIdentity, cursor: string | undefined, range: TimeRange): Promise<EventChanges>;
  /**
   * Opens a push channel on a person's calendar (Google events.watch, a Graph subscription to the
   * user's events): the provider then POSTs to `address` carrying `secret` whenever an event on it
   * changes. CalDAV has none. `lifecycleAddress` is where Graph sends lifecycle notifications
   * (reauthorizationRequired, subscriptionRemoved, missed); Google has none and ignores it.
   */
  openChannel?(identity: CalendarIdentity, address: string, secret: string, lifecycleAddress?: string): Promise<PushChannel>;
  /** Extends a channel before it expires (Graph: PATCH; Google: a new channel, the old one stopped). */
  renewChannel?(identity: CalendarIdentity, channel: PushChannel, address: string, secret: string, lifecycleAddress?: string): Promise<PushChannel>;
  /** Closes a channel; one the provider no longer knows is already closed. */
  closeChannel?(identity: CalendarIdentity, channel: PushChannel): Promise<void>;
  /** What `fulcrum doctor` prints for this connection: credentials, scopes or permissions, a read. */
  check(probe?: CalendarIdentity): Promise<CalendarCheckRow[]>;
}
