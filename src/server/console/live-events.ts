/**
 * Server-sent events for the console: the engine's `proposal.created`, `proposal.decided` and
 * `run.updated` events, forwarded to every signed-in page so that a list updates when another
 * person acts. A hiring manager receives only events of their own postings.
 */
import type { EventEmitter } from "node:events";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Queryable } from "../../store/index.ts";
import { coversPosting, permits, type Caller } from "./roles.ts";
import { readSession } from "./sessions.ts";

export const LIVE_EVENT_NAMES = ["proposal.created", "proposal.decided", "run.updated", "settings.modeCeiling"] as const;

const HEARTBEAT_MS = 20_000;

/** The posting an engine event is about, wherever the payload keeps it. */
export function postingOfEvent(payload: unknown): string | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const p = payload as Record<string, unknown>;
  for (const candidate of [p, p.proposal, p.run]) {
    if (candidate && typeof candidate === "object") {
      const value = (candidate as Record<string, unknown>).postingId;
      if (typeof value === "string") return value;
    }
  }
  return undefined;
}

/** Whether this caller may receive this event; a proposal's posting is looked up when the event does not carry it. */
export async function mayReceive(
  caller: Caller,
  name: string,
  payload: unknown,
  proposalPosting?: (id: string) => Promise<string | null | undefined>,
): Promise<boolean> {
  if (name.startsWith("proposal.") && !permits(caller.role, "proposals:read")) return false;
  if (name.startsWith("run.") && !permits(caller.role, "runs:read")) return false;
  if (caller.role !== "hiring_manager") return true;
  let posting = postingOfEvent(payload);
  const proposalId = (payload as { proposalId?: unknown } | undefined)?.proposalId;
  if (posting === undefined && proposalPosting && (typeof proposalId === "number" || typeof proposalId === "string")) {
    posting = (await proposalPosting(String(proposalId)).catch(() => undefined)) ?? undefined;
  }
  return coversPosting(caller, posting);
}

export function streamLiveEvents(
  c: Context,
  options: {
    db: Queryable;
    events: EventEmitter | undefined;
    caller: Caller;
    sessionId: string;
    proposalPosting?: ((id: string) => Promise<string | null | undefined>) | undefined;
  },
): Response {
  return streamSSE(c, async (stream) => {
    let closed = false;
    const queue: { event: string; data: string }[] = [];
    let wake: (() => void) | undefined;
    const listeners = LIVE_EVENT_NAMES.map((name) => {
      const listener = (payload: unknown) => {
        void mayReceive(options.caller, name, payload, options.proposalPosting).then((ok) => {
          if (!ok || closed) return;
          queue.push({ event: name, data: JSON.stringify(payload ?? {}) });
          wake?.();
        });
      };
      options.events?.on(name, listener);
      return { name, listener };
    });
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    try {
      await stream.writeSSE({ event: "ready", data: "{}", retry: 3000 });
      while (!closed) {
        const next = queue.shift();
        if (next) {
          await stream.writeSSE(next);
          continue;
        }
        const timedOut = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        wake = undefined;
        if (timedOut && !closed) {
          // A signed-out or expired session stops receiving at the next heartbeat.
          if (!(await readSession(options.db, options.sessionId))) break;
          await stream.write(": heartbeat\n\n");
        }
      }
    } finally {
      for (const { name, listener } of listeners) options.events?.off(name, listener);
    }
  });
}
