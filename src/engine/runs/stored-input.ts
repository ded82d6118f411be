/** A step's input as stored with the step: jsonb-safe, and cut to a size a row can carry. */

/** Largest step input stored with a step (UTF-8 bytes of its JSON); see `storedInput`. */
export const MAX_STEP_INPUT_BYTES = 64 * 1024;

/** What jsonb accepts: no NUL characters, no lone surrogates. */
const jsonbText = (s: string) => s.replaceAll("\u0000", "").toWellFormed();

/**
 * A step's rendered input as stored (JSON text for a jsonb column), at most `max` bytes. A larger
 * input first has its long strings cut, each ending in "… [cut: N more characters]"; if that is
 * not enough, what is stored is `{ "$cut": "input of N bytes cut …", "head": <the start of the JSON text> }`.
 */
export function storedInput(value: unknown, max = MAX_STEP_INPUT_BYTES): string | null {
  if (value === undefined) return null;
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" ? jsonbText(v) : v));
  if (json === undefined) return null;
  if (json.length <= max / 3 || Buffer.byteLength(json) <= max) return json;
  for (const limit of [4096, 1024, 256]) {
    const cut = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === "string" ? jsonbText(v.length > limit ? `${v.slice(0, limit)}… [cut: ${v.length - limit} more characters]` : v) : v,
    );
    if (Buffer.byteLength(cut) <= max) return cut;
  }
  const bytes = Buffer.byteLength(json);
  const wrap = (head: string) => JSON.stringify({ $cut: `input of ${bytes} bytes cut to its first ${Buffer.byteLength(head)}`, head });
  let head = json.slice(0, Math.floor(max / 2)).toWellFormed();
  while (Buffer.byteLength(wrap(head)) > max) head = head.slice(0, Math.floor(head.length * 0.8)).toWellFormed();
  return wrap(head);
}
