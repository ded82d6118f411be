/**
 * The `scheduling.book` action's params: one bookable panel option, as the proposal step writes it
 * and a person may edit it before approving. `panelKey` is the idempotency root: every calendar
 * event, invite and Lever write of the booking derives its key from it and the session id.
 */
import { z } from "zod";
import { assertZone } from "../../calendars/index.ts";
import { LINK_LANGUAGES } from "../self-schedule/link-request.ts";

function isZone(zone: string): boolean {
  try {
    assertZone(zone, "candidate.timezone");
    return true;
  } catch {
    return false;
  }
}

const instant = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: "an ISO 8601 instant with its offset, e.g. 2026-03-24T09:00:00Z",
  });

export const bookingInterviewerSchema = z.strictObject({
  leverUserId: z.string().min(1).max(200),
  email: z.email().max(320),
  name: z.string().max(200).optional(),
});

export const bookingSessionSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, "letters, digits, _ . : - (up to 100)"),
    title: z.string().min(1).max(300),
    start: instant,
    end: instant,
    interviewers: z.array(bookingInterviewerSchema).min(1).max(20),
    feedbackTemplateId: z.string().min(1).max(200).optional(),
  })
  .refine((s) => Date.parse(s.end) > Date.parse(s.start), { message: "a session must end after it starts", path: ["end"] });

export const bookingParamsSchema = z
  .strictObject({
    opportunityId: z.string().min(1).max(200),
    postingId: z.string().min(1).max(200).optional(),
    stageId: z.string().min(1).max(200).optional(),
    panelKey: z.string().min(1).max(300),
    candidate: z.strictObject({
      name: z.string().min(1).max(300),
      email: z.email().max(320).optional(),
      timezone: z.string().refine(isZone, { message: "an IANA time zone such as Europe/Berlin" }),
    }),
    format: z.enum(["video", "onsite"]).optional(),
    eventsPer: z.enum(["session", "panel"]).optional(),
    sessions: z.array(bookingSessionSchema).min(1).max(20),
    packetUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    notes: z.string().max(5000).optional(),
    /**
     * The candidate's language (the posting's: the scheduling workflow's `settings.language`), kept so
     * that a panel booked without a self-scheduling link is reminded in it as a link's would be.
     */
    language: z.enum(LINK_LANGUAGES).optional(),
  })
  .superRefine((b, ctx) => {
    const ids = new Set<string>();
    b.sessions.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: "custom", path: ["sessions", i, "id"], message: `session id "${s.id}" is used twice` });
      ids.add(s.id);
    });
  });

export type BookingParams = z.infer<typeof bookingParamsSchema>;
export type BookingSession = z.infer<typeof bookingSessionSchema>;

/** Thrown for params that do not describe a bookable panel; `path` names the field. */
export class BookingParamsError extends Error {
  override readonly name = "BookingParamsError";
  readonly path: string;
  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

/** Validates booking params, naming the first bad field (e.g. `sessions[1].start`). */
export function parseBookingParams(input: unknown): BookingParams {
  const r = bookingParamsSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
  throw new BookingParamsError(`booking ${path || "params"}: ${issue.message}`, path);
}
