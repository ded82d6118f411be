/**
 * Times in a chosen IANA zone with the browser's own Intl (no date library in the page): the local
 * date and minute of an instant, placement of an interval on one local day, and readable labels.
 */

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    partsCache.set(zone, f);
  }
  return f;
}

/** The local date (YYYY-MM-DD) and minute of the day of an instant in `zone`. */
export function localParts(iso: string, zone: string): { date: string; minute: number } {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** True when `zone` is a time zone this browser knows. */
export function knownZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone. */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * Where an interval falls on the local day `date` in `zone`, in minutes from midnight (clipped to
 * the day); undefined when it does not touch that day. An all-day item is given as dates (end
 * exclusive) and covers the whole day.
 */
export function placeOnDay(
  item: { start: string; end: string; allDay?: boolean | undefined },
  date: string,
  zone: string,
): { from: number; to: number } | undefined {
  if (item.allDay || /^\d{4}-\d{2}-\d{2}$/.test(item.start)) {
    const start = item.start.slice(0, 10);
    const end = item.end.slice(0, 10);
    return start <= date && date < end ? { from: 0, to: 1440 } : undefined;
  }
  const s = localParts(item.start, zone);
  const e = localParts(item.end, zone);
  if (s.date > date || e.date < date || (e.date === date && e.minute === 0 && s.date < date)) return undefined;
  const from = s.date < date ? 0 : s.minute;
  const to = e.date > date ? 1440 : e.minute;
  return to > from ? { from, to } : undefined;
}

/** "Tue 7 Apr" for a local date. */
export function dayLabel(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" }).format(d);
}

/** "14:45" in `zone`. */
export function timeLabel(iso: string, zone: string): string {
  const m = localParts(iso, zone).minute;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** "Tue 7 Apr 14:45–16:15" in `zone` (the end's date added when it differs). */
export function rangeLabel(start: string, end: string, zone: string): string {
  const s = localParts(start, zone);
  const e = localParts(end, zone);
  return `${dayLabel(s.date)} ${timeLabel(start, zone)}–${e.date !== s.date ? `${dayLabel(e.date)} ` : ""}${timeLabel(end, zone)}`;
}

/** A `datetime-local` input's value for an instant in the browser's zone, and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): string | undefined {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
