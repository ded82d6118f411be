/**
 * How much of a file the readers keep. A long resume is a few tens of thousands of characters; the
 * limits leave room for that many times over and stop a file built to flood what comes after
 * reading (profile extraction, storage, prompts).
 */

/** Visible text kept from one file. Beyond it the result is `partial`, flagged `text-truncated`. */
export const MAX_TEXT_CHARS = 500_000;
/** Hidden text kept for the audit from one file (flagged `hidden-text-truncated` beyond it). */
export const MAX_HIDDEN_CHARS = 100_000;
/** Lines kept from one file (a 20-page resume has about a thousand). */
export const MAX_LINES = 20_000;
