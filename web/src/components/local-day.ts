/** The viewer's local midnight as ISO 8601 with its offset: Start counts runs "today" from it, the viewer's day rather than the server's. */
export function localMidnightIso(now: Date): string {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  const off = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const sign = off >= 0 ? "+" : "-";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T00:00:00${sign}${pad(off / 60)}:${pad(off % 60)}`;
}
