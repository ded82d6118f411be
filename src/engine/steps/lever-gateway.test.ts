/**
 * The engine's view of a Lever connection, over the real client against the sandbox: what
 * rediscovery and the interview-event fallbacks read through it.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createLeverClient } from "../../lever/index.ts";
import { startSandbox, type Sandbox } from "../../sandbox/index.ts";
import type { LeverGateway } from "../ports.ts";
import { leverGateway } from "./lever-gateway.ts";

describe("Lever gateway against the sandbox", () => {
  let sandbox: Sandbox;
  let gateway: LeverGateway;
  let admin: string;

  before(async () => {
    sandbox = await startSandbox({ seed: 31, rateLimit: false, candidates: 6 });
    admin = [...sandbox.state.users.values()].find((u) => u.accessRole === "super admin" && u.deactivatedAt === null)!.id;
    gateway = leverGateway(
      createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey: sandbox.apiKey }, connectionId: "gateway", performAs: admin }),
    );
  });
  after(async () => sandbox?.close());

  it("lists published postings on the internal job site too, each once (what rediscovery looks at)", async () => {
    const internalOnly = sandbox.actions.createPosting({ text: "Internal Mobility Lead", state: "published", distributionChannels: ["internal"] }, admin);
    const publicOnly = sandbox.actions.createPosting({ text: "Public Role", state: "published", distributionChannels: ["public"] }, admin);
    const closed = sandbox.actions.createPosting({ text: "Closed Role", state: "closed", distributionChannels: ["internal"] }, admin);
    const ids = (await gateway.listPostings({ state: "published" })).map((p) => p.id);
    assert.ok(ids.includes(internalOnly.id), "a posting published only internally is listed");
    assert.ok(ids.includes(publicOnly.id));
    assert.ok(!ids.includes(closed.id));
    assert.equal(new Set(ids).size, ids.length, "no posting twice");
  });

  it("reads one interview, null for one the opportunity does not have, and a contact's opportunities", async () => {
    const opp = [...sandbox.state.opportunities.values()].find((o) => o.archived === null && o.deletedAt === null && o.confidentiality === "non-confidential")!;
    const panel = sandbox.actions.createPanel(
      opp.id,
      { timezone: "UTC", interviews: [{ interviewers: [{ id: admin }], date: Date.now() + 86_400_000, duration: 30 }] },
      admin,
    );
    const interview = (await gateway.getInterview!(opp.id, panel.interviews[0]!.id)) as { id: string; panel: string };
    assert.equal(interview.id, panel.interviews[0]!.id);
    assert.equal(interview.panel, panel.id);
    assert.equal(await gateway.getInterview!(opp.id, "00000000-0000-4000-8000-00000000dead"), null);
    assert.ok((await gateway.opportunityIdsOfContact!(opp.contact)).includes(opp.id));
  });

  it("includes confidential postings and opportunities when the connection may read them, and falls back without them on a key that may not", async () => {
    const secretRole = sandbox.actions.createPosting({ text: "Confidential Role", state: "published", distributionChannels: ["internal"] }, admin);
    sandbox.state.postings.get(secretRole.id)!.confidentiality = "confidential";
    const [opp, other] = [...sandbox.state.opportunities.values()].filter(
      (o) => o.archived === null && o.deletedAt === null && o.confidentiality === "non-confidential",
    );
    // A second, confidential opportunity of the same contact.
    const hidden = other!;
    hidden.contact = opp!.contact;
    hidden.confidentiality = "confidential";

    assert.ok(
      (await gateway.listPostings({ state: "published" })).some((p) => p.id === secretRole.id),
      "rediscovery sees the confidential posting",
    );
    assert.deepEqual(new Set(await gateway.opportunityIdsOfContact!(opp!.contact)), new Set([opp!.id, hidden.id]));

    // A key without confidential access: Lever refuses confidentiality=all, so the plain list is read.
    const limited = leverGateway(
      createLeverClient({
        baseUrl: sandbox.url,
        auth: { kind: "apiKey", apiKey: sandbox.createApiKey({ confidentialAccess: false }) },
        connectionId: "limited",
        performAs: admin,
        maxRetries: 0,
      }),
    );
    assert.ok(!(await limited.listPostings({ state: "published" })).some((p) => p.id === secretRole.id));
    assert.deepEqual(await limited.opportunityIdsOfContact!(opp!.contact), [opp!.id]);
    // A connection that opted out never asks.
    const optedOut = leverGateway(
      createLeverClient({ baseUrl: sandbox.url, auth: { kind: "apiKey", apiKey: sandbox.apiKey }, connectionId: "opted-out", performAs: admin }),
      { confidential: false },
    );
    assert.deepEqual(await optedOut.opportunityIdsOfContact!(opp!.contact), [opp!.id]);
  });
});
