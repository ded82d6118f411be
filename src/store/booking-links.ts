/**
 * Self-scheduling links on the database (`booking_links`, `booking_link_hits`). A link's token is
 * 32 random bytes (256 bits) in base64url; this table keeps only its SHA-256, and the lookup is by
 * hash, so neither these tables nor a timing difference in the lookup give a working token away.
 * `token_sealed` holds the token sealed with the service's secret key (given as `seal`): the run
 * that made the link keeps only a reference to its row and a `[booking link]` placeholder, and the
 * link is opened from the sealed copy when the e-mail is sent, when a reminder repeats it, or when
 * a coordinator asks for it in the console. A copy of the database alone holds no working link.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Database, Queryable } from "./database.ts";

export type BookingLinkStatus = "open" | "booked" | "cancel_requested" | "cancelled";

export interface BookingLink {
  tokenHash: string;
  connectionId: string;
  opportunityId: string;
  requestKey: string;
  /** What the page needs to solve and book (the scheduling module's link request). */
  request: Record<string, unknown>;
  status: BookingLinkStatus;
  /** The booked panel's key once booked. */
  panelKey: string | null;
  /** What was booked (the booking params), for the confirmation, reschedule and cancel. */
  booked: Record<string, unknown> | null;
  reschedules: number;
  expiresAt: Date;
}

interface Row {
  token_hash: string;
  connection_id: string;
  opportunity_id: string;
  request_key: string;
  request: Record<string, unknown>;
  status: BookingLinkStatus;
  panel_key: string | null;
  booked: Record<string, unknown> | null;
  reschedules: number;
  expires_at: Date | string;
}

const COLUMNS = "token_hash, connection_id, opportunity_id, request_key, request, status, panel_key, booked, reschedules, expires_at";

function toLink(r: Row): BookingLink {
  return {
    tokenHash: r.token_hash,
    connectionId: r.connection_id,
    opportunityId: r.opportunity_id,
    requestKey: r.request_key,
    request: r.request,
    status: r.status,
    panelKey: r.panel_key,
    booked: r.booked,
    reschedules: r.reschedules,
    expiresAt: new Date(r.expires_at),
  };
}

/** How long a booking attempt's claim on a link stands before it is taken to have crashed. */
export const LINK_CLAIM_STALE_SECONDS = 300;

/** A token's shape: 43 base64url characters (32 bytes). Anything else is refused before any lookup. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The stored form of a token. */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(`fulcrum:booking-link:${token}`).digest("hex");
}

/** A new unguessable token (256 random bits). */
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

export interface NewBookingLink {
  connectionId: string;
  opportunityId: string;
  /** One panel request (e.g. the opportunity, stage and run): a request has at most one live link. */
  requestKey: string;
  request: Record<string, unknown>;
  expiresAt: Date;
  /** Seals the new token for `token_sealed` (the service's secret box); without it none is kept. */
  seal?: ((token: string) => string) | undefined;
}

/**
 * @example
 * const links = createBookingLinkStore(db);
 * const { token } = await links.create({ connectionId: "default", opportunityId, requestKey, request, expiresAt });
 * const link = await links.find(token, new Date()); // undefined once expired
 */
export function createBookingLinkStore(db: Database | Queryable) {
  return {
    /**
     * Makes the request's link, or gives its open link a new token and expiry (sending it again);
     * a booked or cancelled link keeps its token and is returned as it is, with no token.
     */
    async create(input: NewBookingLink): Promise<{ token?: string | undefined; link: BookingLink }> {
      const token = newLinkToken();
      const { rows } = await db.query<Row>(
        `insert into booking_links (token_hash, connection_id, opportunity_id, request_key, request, expires_at, token_sealed)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7)
         on conflict (connection_id, request_key) do update
           set token_hash = excluded.token_hash, request = excluded.request, expires_at = excluded.expires_at,
               token_sealed = excluded.token_sealed, updated_at = now()
           where booking_links.status = 'open'
         returning ${COLUMNS}`,
        [
          hashLinkToken(token),
          input.connectionId,
          input.opportunityId,
          input.requestKey,
          JSON.stringify(input.request),
          input.expiresAt,
          input.seal?.(token) ?? null,
        ],
      );
      if (rows[0]) return { token, link: toLink(rows[0]) };
      const existing = await db.query<Row>(`select ${COLUMNS} from booking_links where connection_id = $1 and request_key = $2`, [
        input.connectionId,
        input.requestKey,
      ]);
      return { link: toLink(existing.rows[0]!) };
    },

    /**
     * The link of a token, when it exists and has not expired. Unknown, malformed and expired
     * tokens all answer undefined, so a caller cannot tell them apart.
     */
    async find(token: string, now: Date): Promise<BookingLink | undefined> {
      const hash = hashLinkToken(LINK_TOKEN_PATTERN.test(token) ? token : "");
      const { rows } = await db.query<Row>(`select ${COLUMNS} from booking_links where token_hash = $1`, [hash]);
      const row = rows[0];
      // Compared again in constant time; the lookup itself is by hash, which says nothing about the token.
      const ok = row !== undefined && LINK_TOKEN_PATTERN.test(token) && timingSafeEqual(Buffer.from(row.token_hash, "hex"), Buffer.from(hash, "hex"));
      if (!ok) return undefined;
      const link = toLink(row);
      return link.expiresAt.getTime() > now.getTime() ? link : undefined;
    },

    /**
     * Records the booking; only an open link books (the single use). Returns false when the link
     * was booked meanwhile. The link then lives until `until` (the interview's end) at least.
     */
    async markBooked(tokenHash: string, panelKey: string, booked: Record<string, unknown>, until: Date): Promise<boolean> {
      const { rows } = await db.query(
        `update booking_links set status = 'booked', panel_key = $2, booked = $3::jsonb, expires_at = greatest(expires_at, $4), claimed_at = null, updated_at = now()
         where token_hash = $1 and status = 'open' returning token_hash`,
        [tokenHash, panelKey, JSON.stringify(booked), until],
      );
      return rows.length === 1;
    },

    /**
     * Claims an open link for one booking attempt: true for the first click, false while another
     * attempt books it (or once it is no longer open). A claim older than `LINK_CLAIM_STALE_SECONDS`
     * belongs to an attempt that crashed and may be taken. `release` gives it back when booking failed.
     */
    async claim(tokenHash: string): Promise<boolean> {
      const { rows } = await db.query(
        `update booking_links set claimed_at = now(), updated_at = now()
          where token_hash = $1 and status = 'open'
            and (claimed_at is null or claimed_at < now() - make_interval(secs => ${LINK_CLAIM_STALE_SECONDS}))
          returning token_hash`,
        [tokenHash],
      );
      return rows.length === 1;
    },

    async release(tokenHash: string): Promise<void> {
      await db.query("update booking_links set claimed_at = null, updated_at = now() where token_hash = $1", [tokenHash]);
    },

    /**
     * A new time for a booked link (after the re-booking is done). Only a booked link moves: a link
     * cancelled or waiting on a cancellation meanwhile is left as it is (false).
     */
    async markRescheduled(tokenHash: string, booked: Record<string, unknown>, until: Date): Promise<boolean> {
      const { rows } = await db.query(
        `update booking_links set booked = $2::jsonb, reschedules = reschedules + 1, expires_at = greatest(expires_at, $3), updated_at = now()
          where token_hash = $1 and status = 'booked' returning token_hash`,
        [tokenHash, JSON.stringify(booked), until],
      );
      return rows.length === 1;
    },

    async setStatus(tokenHash: string, status: BookingLinkStatus): Promise<void> {
      await db.query("update booking_links set status = $2, updated_at = now() where token_hash = $1", [tokenHash, status]);
    },

    /**
     * Counts one hit for `key` in the current window and says whether it is within `limit`.
     * One upsert, so concurrent requests cannot all slip under the limit.
     */
    async hit(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
      const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
      const { rows } = await db.query<{ hits: number }>(
        `insert into booking_link_hits (key, window_start, hits) values ($1, $2, 1)
         on conflict (key, window_start) do update set hits = booking_link_hits.hits + 1
         returning hits`,
        [key, start],
      );
      // Old windows are dropped now and then, by the request that opens a new window.
      if (rows[0]!.hits === 1) await db.query("delete from booking_link_hits where window_start < $1", [new Date(start.getTime() - windowMs)]);
      return rows[0]!.hits <= limit;
    },
  };
}

export type BookingLinkStore = ReturnType<typeof createBookingLinkStore>;
