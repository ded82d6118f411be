/**
 * "The model gathers evidence; code decides numbers." Every quote a model offers as evidence must
 * be found in the source text, or it is dropped. Matching forgives what copying text changes —
 * case, runs of whitespace and line breaks, curly versus straight quotes, dash styles, zero-width
 * characters — but never words.
 */

export interface QuoteCheck {
  kept: string[];
  dropped: { quote: string; reason: "not-found" | "too-short" }[];
}

/** Quotes shorter than this (after normalising) prove nothing and are dropped. */
export const MIN_QUOTE_CHARS = 4;

export function normaliseForQuote(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, "")
    .replace(/[\u2018\u2019\u201A\u201B\u2032`´]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[•·▪●◦‣∙]/g, " ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Splits `quotes` into those found in `sourceText` and those not. A quote may elide text with
 * "..." or "…": each part must then be found, in order.
 *
 * @example
 * verifyQuotes(["Led the  payments team"], "I led the payments team.")
 * // { kept: ["Led the  payments team"], dropped: [] }
 */
export function verifyQuotes(quotes: readonly string[], sourceText: string): QuoteCheck {
  const source = normaliseForQuote(sourceText);
  const result: QuoteCheck = { kept: [], dropped: [] };
  for (const quote of quotes) {
    const parts = normaliseForQuote(quote)
      .replace(/^["'\s]+|["'\s]+$/g, "")
      .split(/\s*(?:\.\.\.|…)\s*/)
      .map((p) => p.replace(/^[\s"',;:.-]+|[\s"',;:.-]+$/g, ""))
      .filter((p) => p.length > 0);
    if (parts.join("").length < MIN_QUOTE_CHARS) {
      result.dropped.push({ quote, reason: "too-short" });
      continue;
    }
    let from = 0;
    let found = true;
    for (const part of parts) {
      const at = source.indexOf(part, from);
      if (at < 0) {
        found = false;
        break;
      }
      from = at + part.length;
    }
    if (found) result.kept.push(quote);
    else result.dropped.push({ quote, reason: "not-found" });
  }
  return result;
}
