/**
 * Durations as people write them in workflow files: `90s`, `15m`, `1h`, `2d`, `1h30m`, `1w`.
 * Parsed to milliseconds; anything else is rejected so a typo never becomes "zero".
 */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+(?:\.\d+)?[smhdw])+$/;

/** True when `text` is a duration such as `1h` or `1h30m`. */
export function isDuration(text: string): boolean {
  return DURATION.test(text.trim());
}

/**
 * Milliseconds in a duration such as `1h30m`.
 * @example parseDuration("1h30m") // 5_400_000
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) throw new Error(`"${text}" is not a duration (write e.g. 30m, 1h, 2d, 1h30m)`);
  let total = 0;
  for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total);
}
