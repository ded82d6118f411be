/**
 * Interview webhooks whose data lacks ids Lever has not confirmed, resolved through the real Lever
 * client and gateway against the sandbox (which can send fewer fields), and counted.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLeverClient } from "../../lever/index.ts";
import { createLogger } from "../../observability/index.ts";
import { interviewEventFieldsMissing, interviewEventsUnresolved } from "../../observability/metrics.ts";
import { startSandbox, type InterviewEventField, type Sandbox } from "../../sandbox/index.ts";
import { leverGateway } from "../steps/lever-gateway.ts";
import type { EngineEvent } from "../workflows/index.ts";
import { resolveInterviewEvent } from "./interview-events.ts";

async function counted(counter: typeof interviewEventFieldsMissing | typeof interviewEventsUnresolved, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  return values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k as never] === x)).reduce((n, v) => n + v.value, 0);
}

describe("interview webhooks with ids missing", () => {
  const sandboxes: Sandbox[] = [];
  const lines: string[] = [];
  const logger = createLogger({ level: "info", destination: new Writable({ write: (chunk, _e, done) => void (lines.push(String(chunk)), done()) }) });
  after(async () => Promise.all(sandboxes.map((s) => s.close())));

  /** A sandbox whose interview events carry only `fields`, an opportunity in it, and a panel made there. */
  async function scene(fields: readonly InterviewEventField[], interviewAt = Date.now() + 2 * 86_400_000) {
    const sandbox = await startSandbox({ seed: 21, rateLimit: false, candidates: 6, interviewEventFields: fields });
    sandboxes.push(sandbox);
    const opp = [...sandbox.state.opportunities.values()].find((o) => o.archived === null && o.deletedAt === null && o.confidentiality === "non-confidential")!;
    const user = [...sandbox.state.users.values()].find((u) => u.deactivatedAt === null)!;
    const panel = sandbox.actions.createPanel(
      opp.id,
      { timezone: "UTC", interviews: [{ subject: "Technical", interviewers: [{ id: user.id }], date: interviewAt, duration: 60 }] },
      user.id,
    );
    const fired = sandbox.events.at(-1)!;
    const event: EngineEvent = {
      key: fired.id,
      connectionId: "default",
      source: "lever",
      name: fired.event,
      triggeredAt: fired.triggeredAt,
      data: fired.data,
      traceId: "t",
    };
    const client = createLeverClient({
      baseUrl: sandbox.url,
      auth: { kind: "apiKey", apiKey: sandbox.apiKey },
      connectionId: `iv-${sandboxes.length}`,
      performAs: user.id,
    });
    return { sandbox, opp, panel, event, lever: leverGateway(client) };
  }

  it("takes every id from a payload with all four fields, counting nothing", async () => {
    const { opp, panel, event, lever } = await scene(["interviewId", "panelId", "opportunityId", "contactId"]);
    const before = await counted(interviewEventFieldsMissing, { event: "interviewCreated" });
    const resolved = await resolveInterviewEvent(event, lever, { logger, now: Date.now });
    assert.deepEqual(resolved.missing, []);
    assert.equal(resolved.opportunityId, opp.id);
    assert.deepEqual(
      resolved.subjects.map((s) => s.interview.id),
      [panel.interviews[0]!.id],
    );
    assert.equal(await counted(interviewEventFieldsMissing, { event: "interviewCreated" }), before);
  });

  it("finds the opportunity through the contact when the payload names only the interview and contact, and counts what was missing", async () => {
    const { opp, panel, event, lever } = await scene(["interviewId", "contactId"]);
    const before = await counted(interviewEventFieldsMissing, { event: "interviewCreated", field: "opportunityId" });
    const resolved = await resolveInterviewEvent(event, lever, { logger, now: Date.now });
    assert.deepEqual(resolved.missing.sort(), ["opportunityId", "panelId"]);
    assert.equal(resolved.opportunityId, opp.id);
    assert.equal(resolved.subjects[0]!.interview.id, panel.interviews[0]!.id);
    assert.equal(typeof resolved.subjects[0]!.interview.date, "number", "the interview's time comes from the API");
    assert.equal(await counted(interviewEventFieldsMissing, { event: "interviewCreated", field: "opportunityId" }), before + 1);
  });

  it("takes a legacy candidateId for the opportunity when opportunityId is missing", async () => {
    const { opp, panel, event, lever } = await scene(["interviewId"]);
    const resolved = await resolveInterviewEvent({ ...event, data: { ...event.data, candidateId: opp.id } }, lever, { logger, now: Date.now });
    assert.equal(resolved.opportunityId, opp.id);
    assert.deepEqual(
      resolved.subjects.map((s) => s.interview.id),
      [panel.interviews[0]!.id],
    );
    assert.ok(resolved.missing.includes("opportunityId"), "still counted as missing");
  });

  it("without an interview id, takes the opportunity's interviews that are to come or just ended, not old or canceled ones", async () => {
    const { sandbox, opp, panel, event, lever } = await scene(["opportunityId"]);
    const user = [...sandbox.state.users.values()].find((u) => u.deactivatedAt === null)!;
    const old = sandbox.actions.createPanel(
      opp.id,
      { timezone: "UTC", interviews: [{ interviewers: [{ id: user.id }], date: Date.now() - 10 * 86_400_000, duration: 30 }] },
      user.id,
    );
    const resolved = await resolveInterviewEvent(event, lever, { logger, now: Date.now });
    const ids = resolved.subjects.map((s) => s.interview.id);
    assert.ok(ids.includes(panel.interviews[0]!.id));
    assert.ok(!ids.includes(old.interviews[0]!.id));
  });

  it("logs and counts an event it cannot place, without contact details in the log", async () => {
    const { sandbox, opp, event, lever } = await scene(["interviewId"]);
    const before = await counted(interviewEventsUnresolved, { event: "interviewCreated", reason: "no_opportunity" });
    lines.length = 0;
    const resolved = await resolveInterviewEvent(event, lever, { logger, now: Date.now });
    assert.deepEqual(resolved.subjects, []);
    assert.equal(await counted(interviewEventsUnresolved, { event: "interviewCreated", reason: "no_opportunity" }), before + 1);
    const log = lines.join("");
    assert.match(log, /no feedback nudge is scheduled/);
    const contact = sandbox.state.contacts.get(opp.contact)!;
    for (const secret of [contact.name, ...contact.emails]) assert.ok(!log.includes(secret), "no contact details in the log");
  });

  it("counts an update naming an interview Lever does not have, but not a deletion of one", async () => {
    const { event, lever } = await scene(["interviewId", "opportunityId"]);
    const gone = { ...event, data: { ...event.data, interviewId: "00000000-0000-4000-8000-00000000dead" } };
    const before = await counted(interviewEventsUnresolved, { reason: "no_interview" });
    assert.deepEqual((await resolveInterviewEvent({ ...gone, name: "interviewUpdated" }, lever, { logger, now: Date.now })).subjects, []);
    assert.equal(await counted(interviewEventsUnresolved, { reason: "no_interview" }), before + 1);
    assert.deepEqual((await resolveInterviewEvent({ ...gone, name: "interviewDeleted" }, lever, { logger, now: Date.now })).subjects, []);
    assert.equal(await counted(interviewEventsUnresolved, { reason: "no_interview" }), before + 1);
  });
});
