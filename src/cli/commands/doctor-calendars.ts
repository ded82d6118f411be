/**
 * The calendar part of `fulcrum doctor`: each connection under `calendars.connections` checked for
 * credentials, the scope or permission it lacks (named), and a read. Absent when none is configured.
 */
import { checkCalendarConnections } from "../../calendars/index.ts";
import type { Config } from "../../config/index.ts";
import type { DoctorRow } from "../../engine/connections/index.ts";

/** The rows for the calendar connections, or undefined when the configuration has none. */
export async function calendarDoctorSection(config: Pick<Config, "calendars">): Promise<{ connection: string; rows: DoctorRow[] } | undefined> {
  if (!config.calendars || config.calendars.connections.length === 0) return undefined;
  return { connection: "calendars", rows: await checkCalendarConnections(config.calendars) };
}
