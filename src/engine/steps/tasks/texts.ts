/**
 * `texts.collect`: the words people wrote about a candidate (notes and feedback) within a recent
 * window, for checks such as the language check. Fulcrum's own notes (ending in its
 * `[fulcrum:…]` marker) are left out, so Fulcrum never checks itself.
 */
import type { LeverFeedback, LeverNote } from "../../../lever/index.ts";
import type { TaskHandler } from "../../ports.ts";
import { parseDuration } from "../../workflows/index.ts";

const FULCRUM_MARK = /\[fulcrum:[0-9a-f]{16}\]\s*$/;
const MAX_ITEMS = 50;
const MAX_CHARS = 100_000;

interface Item {
  kind: "note" | "feedback";
  id: string;
  user: string | null;
  createdAt: number | null;
  text: string;
}

function ms(v: unknown): number | null {
  const n = typeof v === "string" ? Number(v) : typeof v === "number" ? v : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** Collects notes and feedback text written within `with.within` (default 7d) before the event. */
export const collectTextsTask: TaskHandler = async ({ with: params, fetch, event }) => {
  const ctx = await fetch(["notes", "feedback"]);
  const within = parseDuration(typeof params.within === "string" ? params.within : "7d");
  const until = ms(event.triggeredAt) ?? Date.now();
  const since = until - within;
  const items: Item[] = [];
  // The run's context holds what the gateway read from Lever, kept as JSON with the run.
  for (const n of (ctx.notes ?? []) as LeverNote[]) {
    for (const f of n.fields ?? []) {
      const text = typeof f.value === "string" ? f.value : "";
      const at = ms(f.createdAt ?? n.createdAt);
      if (!text.trim() || FULCRUM_MARK.test(text) || (at !== null && at < since)) continue;
      items.push({ kind: "note", id: String(n.id ?? ""), user: typeof (f.user ?? n.user) === "string" ? String(f.user ?? n.user) : null, createdAt: at, text });
    }
  }
  for (const fb of (ctx.feedback ?? []) as LeverFeedback[]) {
    const at = ms(fb.completedAt ?? fb.createdAt);
    if (at !== null && at < since) continue;
    const parts = (fb.fields ?? [])
      .filter((f) => (f.type === "text" || f.type === "textarea" || f.type === "note") && typeof f.value === "string" && f.value.trim())
      .map((f) => String(f.value));
    if (parts.length)
      items.push({ kind: "feedback", id: String(fb.id ?? ""), user: typeof fb.user === "string" ? fb.user : null, createdAt: at, text: parts.join("\n") });
  }
  const kept = items.slice(0, MAX_ITEMS);
  const text = kept
    .map((i) => i.text)
    .join("\n\n")
    .slice(0, MAX_CHARS);
  return {
    count: kept.length,
    items: kept.map(({ text: t, ...rest }) => ({ ...rest, chars: t.length })),
    text,
    notes: kept
      .filter((i) => i.kind === "note")
      .map((i) => i.text)
      .join("\n\n")
      .slice(0, MAX_CHARS),
  };
};
