/**
 * The calendar part of `fulcrum doctor`: each connection under `calendars.connections` checked for
 * where its secret is kept, credentials, the scope or permission it lacks (named), and a read.
 * Absent when none is configured.
 */
import { checkCalendarConnections, type CalendarSecrets } from "../../calendars/index.ts";
import type { Config } from "../../config/index.ts";
import { createSecretBox, loadSecretKey, type DoctorRow } from "../../engine/index.ts";

/**
 * The rows for the calendar connections, or undefined when the configuration has none. Sealed
 * secrets are opened with FULCRUM_SECRET_KEY (or the data folder's key), as `serve` opens them.
 */
export async function calendarDoctorSection(
  config: Pick<Config, "calendars"> & Partial<Pick<Config, "dataDir" | "databaseUrl" | "secretKey" | "secretKeyPrevious">>,
): Promise<{ connection: string; rows: DoctorRow[] } | undefined> {
  if (!config.calendars || config.calendars.connections.length === 0) return undefined;
  let secrets: CalendarSecrets | undefined;
  if (config.dataDir) {
    try {
      const { key, previous } = loadSecretKey({ ...config, dataDir: config.dataDir });
      secrets = { box: createSecretBox(key, { previous }) };
    } catch {
      // No usable key (e.g. DATABASE_URL without FULCRUM_SECRET_KEY): sealed secrets then say they cannot be opened.
    }
  }
  return { connection: "calendars", rows: await checkCalendarConnections(config.calendars, undefined, secrets) };
}
