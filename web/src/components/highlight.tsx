/**
 * Shows text with some passages marked — by splitting the text and wrapping the matches in
 * <mark> elements, never by building HTML, so candidate-supplied text can never become markup.
 */
import type { ReactNode } from "react";
import { splitForHighlight } from "./highlight-split.ts";

export function Highlighted({ text, quotes }: { text: string; quotes: readonly string[] }): ReactNode {
  return <>{splitForHighlight(text, quotes).map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</>;
}
