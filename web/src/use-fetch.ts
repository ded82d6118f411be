/**
 * Loads a resource from the API and reloads it on demand. `map` names the answer's type from the
 * contract (`(r: RunList) => r.runs.map(toRun)`); the server's contract test keeps answers to it.
 */
import { useCallback, useEffect, useState } from "react";
import { get } from "./api.ts";

export function useFetch<T, Reply = unknown>(
  path: string | undefined,
  map: (reply: Reply) => T,
): { data: T | undefined; error: string | undefined; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    get<Reply>(path).then(
      (raw) => !cancelled && setState({ data: map(raw), error: undefined, loading: false }),
      (e: Error) => !cancelled && setState({ data: undefined, error: e.message, loading: false }),
    );
    return () => {
      cancelled = true;
    };
    // map is expected to be stable (module-level functions)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, tick]);
  return { ...state, reload };
}
