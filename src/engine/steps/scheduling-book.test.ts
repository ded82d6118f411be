import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stepSchema, type ActionStep } from "../workflows/index.ts";
import { StepFailure } from "../errors.ts";
import { applyAction, renderAction, type ApplyDeps } from "./actions.ts";
import { createPanelBooker } from "./scheduling-book.ts";

const booking = {
  opportunityId: "opp-1",
  panelKey: "opp-1:onsite:run-7",
  candidate: { name: "Casey", email: "casey@mail.example", timezone: "America/New_York" },
  sessions: [
    {
      id: "hm",
      title: "Hiring manager",
      start: "2026-05-05T13:00:00Z",
      end: "2026-05-05T13:45:00Z",
      interviewers: [{ leverUserId: "u1", email: "ana@example.com", name: "Ana" }],
    },
  ],
};
const step = (w: unknown, extra: Record<string, unknown> = {}) => stepSchema.parse({ id: "book", type: "scheduling.book", with: w, ...extra }) as ActionStep;
const deps = (book?: ApplyDeps["book"]): ApplyDeps => ({
  lever: {} as ApplyDeps["lever"],
  context: {} as ApplyDeps["context"],
  ensure: async () => ({}) as never,
  env: {},
  book,
});

describe("the scheduling.book action", () => {
  it("renders the booking from the run (a template giving the proposal's option) and summarises it", () => {
    const r = renderAction(step("{{ steps.propose.output.booking }}", { eventsPer: "panel" }), { steps: { propose: { output: { booking } } } }, undefined);
    assert.equal(r.action.opportunityId, "opp-1");
    assert.equal((r.action.booking as { eventsPer: string }).eventsPer, "panel");
    assert.equal(r.summary, "Book 1 interview session from 2026-05-05T13:00:00Z with Ana");
  });

  it("refuses a booking that is not one, naming the field", () => {
    const bad = { ...booking, sessions: [{ ...booking.sessions[0], start: "next Tuesday" }] };
    assert.throws(
      () => renderAction(step(bad), {}, undefined),
      (e: unknown) => e instanceof StepFailure && /^booking sessions\[0\]\.start: an ISO 8601 instant/.test(e.message),
    );
    assert.throws(
      () => renderAction(step({ ...booking, candidate: { ...booking.candidate, timezone: "Mars/Olympus" } }), {}, undefined),
      /booking candidate\.timezone: an IANA time zone/,
    );
  });

  it("checks a booking a person edited again before it is applied, and says when no calendars are configured", async () => {
    await assert.rejects(applyAction({ type: "scheduling.book", opportunityId: "opp-1", booking }, "k", deps()), /needs calendars: add a calendars block/);
    let booked: unknown;
    const ok = deps(async (b) => ((booked = b), { status: "booked" }));
    assert.deepEqual(await applyAction({ type: "scheduling.book", opportunityId: "opp-1", booking }, "k", ok), { status: "booked" });
    assert.equal((booked as { panelKey: string }).panelKey, "opp-1:onsite:run-7");
    await assert.rejects(
      applyAction({ type: "scheduling.book", opportunityId: "opp-1", booking: { ...booking, sessions: [] } }, "k", ok),
      (e: unknown) => e instanceof StepFailure && /booking sessions/.test(e.message),
    );
  });

  it("has no booker without a calendar connection", () => {
    assert.equal(createPanelBooker({ db: {} as never, calendars: undefined }), undefined);
  });
});
