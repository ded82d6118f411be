/**
 * The live mode ceiling: one switch that caps every workflow. The environment's
 * `FULCRUM_MODE_CEILING` is the upper bound; the console may store a lower one in the `settings`
 * table. The effective ceiling is the LOWER of the two, so an operator's cap set in the
 * environment can never be raised from the console.
 *
 * The engine asks at every policy decision; the answer is cached for a short time (default 2 s)
 * so other processes sharing the database see a change within that time, and the cache of every
 * store in this process is dropped at once when one of them changes the value.
 */
import type { Queryable } from "../../store/index.ts";
import { capMode, type Mode } from "./decide.ts";

const KEY = "mode_ceiling";
const MODES: readonly Mode[] = ["shadow", "assist", "auto"];

/** Bumped on every change made in this process: every store's cache is stale after it. */
let generation = 0;

export interface ModeCeilingState {
  /** The ceiling in force: the lower of the environment's and the console's. */
  effective: Mode;
  /** `FULCRUM_MODE_CEILING`: the upper bound. */
  environment: Mode;
  /** What the console set, if anything. */
  override: Mode | null;
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface ModeCeiling {
  /** The effective ceiling (cached for `ttlMs`). */
  get(): Promise<Mode>;
  /** Everything the settings page shows, read fresh from the database. */
  state(): Promise<ModeCeilingState>;
  /**
   * Stores the console's ceiling. Pass `tx` to store it inside your own transaction (with its
   * audit record, say). Returns the state after the change; a value above the environment's is
   * stored but has no effect beyond the environment's ceiling.
   */
  set(mode: Mode, by: string, tx?: Queryable): Promise<ModeCeilingState>;
}

export interface ModeCeilingOptions {
  /** How long a read is trusted before the database is asked again. Default 2000 ms. */
  ttlMs?: number | undefined;
  now?: (() => number) | undefined;
}

/** True for `shadow`, `assist` and `auto`. */
export function isMode(value: unknown): value is Mode {
  return typeof value === "string" && (MODES as readonly string[]).includes(value);
}

/** A live ceiling over the `settings` table, bounded above by `environment`. */
export function createModeCeiling(db: Queryable, environment: Mode, options: ModeCeilingOptions = {}): ModeCeiling {
  const ttlMs = options.ttlMs ?? 2000;
  const now = options.now ?? Date.now;
  let cached: { mode: Mode; at: number; generation: number } | undefined;

  async function read(q: Queryable = db, cache = true): Promise<ModeCeilingState> {
    const { rows } = await q.query<{ value: unknown; updated_by: string; updated_at: Date | string }>(
      "select value, updated_by, updated_at from settings where key = $1",
      [KEY],
    );
    const row = rows[0];
    // jsonb comes back parsed on both engines; a value written by hand that is not a mode is ignored.
    const value = typeof row?.value === "string" && !isMode(row.value) ? safeParse(row.value) : row?.value;
    const override = isMode(value) ? value : null;
    const effective = override ? capMode(override, environment) : environment;
    // Inside a caller's transaction the value is not committed yet: not cached.
    if (cache) cached = { mode: effective, at: now(), generation };
    return { effective, environment, override, updatedBy: row?.updated_by ?? null, updatedAt: row ? new Date(row.updated_at).toISOString() : null };
  }

  return {
    async get() {
      if (cached && cached.generation === generation && now() - cached.at < ttlMs) return cached.mode;
      return (await read()).effective;
    },
    state: () => read(),
    async set(mode, by, tx) {
      if (!isMode(mode)) throw new Error(`mode ceiling must be shadow, assist or auto, got ${JSON.stringify(mode)}`);
      const q = tx ?? db;
      await q.query(
        `insert into settings (key, value, updated_by, updated_at) values ($1, $2::jsonb, $3, now())
         on conflict (key) do update set value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [KEY, JSON.stringify(mode), by],
      );
      generation++;
      return read(q, tx === undefined);
    },
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
