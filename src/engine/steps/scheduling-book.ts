/**
 * The `scheduling.book` action's executor: books the approved panel option through the scheduling
 * module with the deployment's calendars, SMTP settings and database. Calendar providers are opened
 * once, on the first booking.
 */
import type { SmtpSettings } from "../../config/index.ts";
import { openCalendarProvider, type CalendarProvider, type CalendarSecrets, type CalendarsConfig } from "../../calendars/index.ts";
import { bookPanel, BookingError, rebookPanel } from "../../scheduling/index.ts";
import type { Database } from "../../store/index.ts";
import { StepFailure } from "../errors.ts";
import type { PanelBooker, PanelRebooker } from "../ports.ts";

export interface PanelBookerOptions {
  db: Database;
  calendars: CalendarsConfig | undefined;
  smtp?: SmtpSettings | undefined;
  /** Fulcrum's public URL: the Lever panel's external link points at its Scheduling page. */
  publicUrl?: string | undefined;
  /** CalDAV has no video service: this link (if any) goes into its events and the invite. */
  videoUrl?: string | undefined;
  /** Opens sealed calendar secrets (the service's secret box); env references and clear values need none. */
  secrets?: CalendarSecrets | undefined;
}

/** Undefined when no calendar connection is configured (the action then fails saying so). */
export function createPanelBooker(o: PanelBookerOptions): PanelBooker | undefined {
  const calendars = o.calendars;
  if (!calendars || calendars.connections.length === 0) return undefined;
  let providers: Map<string, CalendarProvider> | undefined;
  return async (booking, lever, connectionId) => {
    providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, o.secrets)]));
    try {
      const result = await bookPanel(booking, {
        db: o.db,
        connectionId,
        lever,
        calendars,
        providers,
        smtp: o.smtp,
        videoUrl: o.videoUrl,
        externalUrl: o.publicUrl
          ? (key) => new URL(`scheduling?panel=${encodeURIComponent(key)}`, o.publicUrl!.endsWith("/") ? o.publicUrl : `${o.publicUrl}/`).href
          : undefined,
      });
      return { ...result };
    } catch (error) {
      if (error instanceof BookingError) throw new StepFailure(error.message);
      throw error;
    }
  };
}

/** The `scheduling.rebook` action's executor (undefined, like the booker, without calendars). */
export function createPanelRebooker(o: PanelBookerOptions): PanelRebooker | undefined {
  const calendars = o.calendars;
  if (!calendars || calendars.connections.length === 0) return undefined;
  let providers: Map<string, CalendarProvider> | undefined;
  return async (booking, revision, lever, connectionId) => {
    providers ??= new Map(calendars.connections.map((c) => [c.id, openCalendarProvider(c, calendars, o.secrets)]));
    try {
      const result = await rebookPanel(booking, revision, {
        db: o.db,
        connectionId,
        lever: { createPanel: lever.createPanel, addNote: lever.addNote, updatePanel: lever.updatePanel },
        calendars,
        providers,
        smtp: o.smtp,
        videoUrl: o.videoUrl,
        externalUrl: o.publicUrl
          ? (key) => new URL(`scheduling?panel=${encodeURIComponent(key)}`, o.publicUrl!.endsWith("/") ? o.publicUrl : `${o.publicUrl}/`).href
          : undefined,
      });
      return { ...result };
    } catch (error) {
      if (error instanceof BookingError) throw new StepFailure(error.message);
      throw error;
    }
  };
}
