/**
 * The marker that lets Fulcrum recognise its own writes in Lever when a write's outcome is unknown.
 *
 * Notes, panels and interviews Fulcrum creates carry `[fulcrum:<16 hex>]` at the end of their text
 * (note value, panel note, interview note): the first 16 hex digits of SHA-256 of the write's
 * idempotency key. It is visible on purpose: Lever stores note text as typed, but may strip invisible
 * (zero-width) characters, and a person reading the note should see that it came from Fulcrum. The key
 * itself is hashed so that no internal id leaks into Lever. 64 bits make an accidental match between
 * two keys on one opportunity practically impossible.
 */
import { createHash } from "node:crypto";

export function writeMarker(key: string): string {
  return `[fulcrum:${createHash("sha256").update(key).digest("hex").slice(0, 16)}]`;
}

/** `text` with the key's marker on a line of its own at the end (added once). */
export function withWriteMarker(text: string | null | undefined, key: string): string {
  const marker = writeMarker(key);
  const base = text ?? "";
  if (base.includes(marker)) return base;
  return base.length > 0 ? `${base}\n\n${marker}` : marker;
}

export function hasWriteMarker(text: unknown, key: string): boolean {
  return typeof text === "string" && text.includes(writeMarker(key));
}
