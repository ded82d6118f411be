/**
 * For tests only: the real parts a booking talks to, started on loopback — a Radicale CalDAV
 * server (Debian package `radicale`, htpasswd authentication, a throwaway folder, stopped by its
 * process id), an SMTP sink (smtp-server) that keeps what it receives, and the calendars
 * configuration that maps Lever users to calendars on that server.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";
import { calendarsConfigSchema, openCalendarProvider, type CalendarProvider, type CalendarsConfig } from "../../calendars/index.ts";

export const hasRadicale = spawnSync("sh", ["-c", "command -v radicale"]).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Radicale {
  url: string;
  /** Makes a calendar collection under the test user's home, e.g. `ana` → `/alice/ana/`. */
  makeCalendar(name: string): Promise<string>;
  /** Puts one iCalendar object into a calendar. */
  put(calendar: string, name: string, ics: string): Promise<void>;
  /** The `.ics` objects in a calendar. */
  objects(calendar: string): Promise<string[]>;
  stop(): void;
}

export const RADICALE_USER = { username: "alice", password: "wonderland" };

export async function startRadicale(): Promise<Radicale> {
  const dir = mkdtempSync(join(tmpdir(), "fulcrum-radicale-"));
  const port = await freePort();
  writeFileSync(join(dir, "users"), `${RADICALE_USER.username}:${RADICALE_USER.password}\n`);
  writeFileSync(
    join(dir, "config"),
    [
      "[server]",
      `hosts = 127.0.0.1:${port}`,
      "[auth]",
      "type = htpasswd",
      `htpasswd_filename = ${join(dir, "users")}`,
      "htpasswd_encryption = plain",
      "delay = 0",
      "[storage]",
      `filesystem_folder = ${join(dir, "collections")}`,
      "[rights]",
      "type = owner_only",
      "[logging]",
      "level = warning",
      "",
    ].join("\n"),
  );
  const proc: ChildProcess = spawn("radicale", ["--config", join(dir, "config")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from(`${RADICALE_USER.username}:${RADICALE_USER.password}`).toString("base64")}`;
  const dav = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method, body, headers: { authorization: auth, ...headers } });
  for (let i = 0; ; i++) {
    try {
      await (await fetch(`${url}/`, { method: "OPTIONS" })).body?.cancel();
      break;
    } catch {
      if (i > 100 || proc.exitCode !== null) throw new Error(`radicale did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await (await dav("PROPFIND", `/${RADICALE_USER.username}/`, undefined, { depth: "0" })).body?.cancel();
  return {
    url,
    async makeCalendar(name) {
      const path = `/${RADICALE_USER.username}/${name}/`;
      const res = await dav(
        "MKCALENDAR",
        path,
        `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${name}</D:displayname></D:prop></D:set></C:mkcalendar>`,
      );
      await res.body?.cancel();
      if (res.status !== 201) throw new Error(`MKCALENDAR ${path}: ${res.status}`);
      return path;
    },
    async put(calendar, name, ics) {
      const res = await dav("PUT", `${calendar}${name}.ics`, ics, { "content-type": "text/calendar; charset=utf-8" });
      await res.body?.cancel();
      if (res.status !== 201 && res.status !== 204) throw new Error(`PUT ${calendar}${name}.ics: ${res.status}`);
    },
    async objects(calendar) {
      const res = await dav("PROPFIND", calendar, undefined, { depth: "1" });
      const text = await res.text();
      return [...text.matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/g)].map((m) => m[1]!);
    },
    stop() {
      if (proc.pid && proc.exitCode === null) process.kill(proc.pid, "SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SmtpSink {
  port: number;
  inbox: { to: string[]; raw: string }[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const inbox: SmtpSink["inbox"] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { port: (server.server.address() as AddressInfo).port, inbox, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Calendars configuration: one CalDAV connection, each person's calendar a collection on it. */
export function radicaleCalendars(url: string, people: { leverUserId: string; email: string; calendarUrl: string; timezone?: string }[]): CalendarsConfig {
  return calendarsConfigSchema.parse({
    connections: [{ id: "dav", provider: "caldav", serverUrl: `${url}/`, username: RADICALE_USER.username, password: RADICALE_USER.password }],
    identities: people.map((p) => ({
      leverUserId: p.leverUserId,
      email: p.email,
      connection: "dav",
      calendarUrl: p.calendarUrl,
      timezone: p.timezone ?? "Europe/Berlin",
    })),
    defaultTimezone: "Europe/Berlin",
  });
}

export function openProviders(config: CalendarsConfig): Map<string, CalendarProvider> {
  return new Map(config.connections.map((c) => [c.id, openCalendarProvider(c, config)]));
}
