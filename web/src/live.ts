/** Live updates from the server (server-sent events), shared by every page. */
import { useEffect, useRef } from "react";

type Handler = (name: string, data: unknown) => void;
const handlers = new Set<Handler>();
let source: EventSource | undefined;

export function connectLive(): () => void {
  source?.close();
  source = new EventSource("/console/events");
  for (const name of ["proposal.created", "proposal.decided", "run.updated", "settings.modeCeiling"]) {
    source.addEventListener(name, (e) => {
      let data: unknown;
      try {
        data = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        data = undefined;
      }
      for (const h of handlers) h(name, data);
    });
  }
  return () => {
    source?.close();
    source = undefined;
  };
}

/** Calls `fn` for each live event while the component is shown. */
export function useLive(fn: Handler): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const h: Handler = (n, d) => ref.current(n, d);
    handlers.add(h);
    return () => {
      handlers.delete(h);
    };
  }, []);
}
