/**
 * The sandbox's EEO survey endpoints: `GET /v1/eeo/responses/pii` and `GET /v1/eeo/responses`,
 * their permissions (and OAuth scopes), the default one-week window, answers given when applying,
 * and the seeded demo answers (deterministic, with unknowns and a deliberate disparity).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { permissionsForScopes } from "./access.ts";
import { demoAnchor } from "./demo-org.ts";
import { skewedDemoPosting } from "./eeo.ts";
import { sandboxPermissions, startSandbox, type Sandbox } from "./index.ts";

const day = 86_400_000;

describe("Lever sandbox EEO responses", () => {
  let sandbox: Sandbox;
  const get = async (path: string, key = sandbox.apiKey) => {
    const res = await fetch(`${sandbox.url}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const demoWindow = `created_at_start=${demoAnchor - 400 * day}&created_at_end=${demoAnchor}`;

  before(async () => {
    sandbox = await startSandbox({ seed: 11, rateLimit: false });
  });
  after(() => sandbox?.close());

  it("lists the demo candidates' answers with their opportunity, posting and stage for a window", async () => {
    const { status, body } = await get(`/eeo/responses/pii?${demoWindow}`);
    assert.equal(status, 200);
    const rows = body.data.eeoResponses as Record<string, any>[];
    const demoCount = [...sandbox.state.opportunities.values()].filter((o) => o.confidentiality !== "confidential").length;
    // Some candidates skipped the survey: they have no row at all.
    assert.ok(rows.length > demoCount / 2 && rows.length < demoCount, `${rows.length} of ${demoCount}`);
    for (const key of [
      "opportunityId",
      "contact",
      "appliedAt",
      "applicationArchivedAt",
      "currentStage",
      "gender",
      "race",
      "veteran",
      "disability",
      "eeoSurveyRespondedAt",
      "hiredDate",
      "origin",
      "posting",
      "source",
      "requisitionCodes",
    ]) {
      assert.ok(key in rows[0]!, `row lacks ${key}`);
    }
    assert.ok(rows.every((r) => sandbox.state.opportunities.has(r.opportunityId)));
    assert.ok(
      rows.some((r) => r.gender === "Decline to self-identify"),
      "someone declined to self-identify",
    );
    assert.ok(rows.some((r) => r.race === "Decline to self-identify"));
  });

  it("seeds the same answers for the same seed", async () => {
    const again = await startSandbox({ seed: 11, rateLimit: false });
    try {
      const a = (await get(`/eeo/responses/pii?${demoWindow}`)).body.data.eeoResponses.map((r: any) => [r.gender, r.race]);
      const res = await fetch(`${again.url}/eeo/responses/pii?${demoWindow}`, {
        headers: { authorization: `Basic ${Buffer.from(`${again.apiKey}:`).toString("base64")}` },
      });
      const b = ((await res.json()) as any).data.eeoResponses.map((r: any) => [r.gender, r.race]);
      assert.deepEqual(a, b);
    } finally {
      again.close();
    }
  });

  it("skews one demo posting: those who advanced are mostly men, those who did not mostly women", async () => {
    const rows = (await get(`/eeo/responses/pii?${demoWindow}`)).body.data.eeoResponses as any[];
    const first = sandbox.state.postings.get(skewedDemoPosting(sandbox.state)!)!;
    const mine = rows.filter((r) => r.posting?.id === first.id && (r.gender === "Male" || r.gender === "Female"));
    const advanced = (r: any) => sandbox.state.opportunities.get(r.opportunityId)!.stageChanges.length > 1;
    const share = (list: any[]) => list.filter((r) => r.gender === "Male").length / Math.max(1, list.length);
    assert.ok(mine.length >= 4, `${mine.length} answered in ${first.text}`);
    assert.ok(share(mine.filter(advanced)) > share(mine.filter((r) => !advanced(r))), "men advanced more often in the skewed posting");
  });

  it("defaults to the last week, like Lever, so older demo answers need an explicit window", async () => {
    const { status, body } = await get("/eeo/responses/pii");
    assert.equal(status, 200);
    assert.ok(body.data.eeoResponses.every((r: any) => r.appliedAt >= Date.now() - 7 * day - 60_000));
    assert.equal((await get("/eeo/responses/pii?created_at_start=abc")).status, 400);
    assert.equal((await get(`/eeo/responses/pii?created_at_start=${demoAnchor}&created_at_end=${demoAnchor - day}`)).status, 400);
  });

  it("keeps the answers a candidate gave when applying, and a skipped survey adds no row", async () => {
    const posting = [...sandbox.state.postings.values()].find((p) => p.state === "published")!;
    const apply = async (email: string, eeoResponses?: unknown) => {
      const res = await fetch(`${sandbox.url}/postings/${posting.id}/apply`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${sandbox.apiKey}:`).toString("base64")}`, "content-type": "application/json" },
        body: JSON.stringify({
          personalInformation: [
            { name: "fullName", value: "Noor Applicant" },
            { name: "email", value: email },
          ],
          ...(eeoResponses ? { eeoResponses } : {}),
        }),
      });
      assert.equal(res.status, 201);
    };
    await apply("noor@example.net", {
      gender: "Female",
      race: "Hispanic or Latino",
      veteran: "I don't wish to answer",
      disability: "No, I don't have a disability",
    });
    await apply("skip@example.net");
    const rows = (await get("/eeo/responses/pii")).body.data.eeoResponses as any[];
    const noor = rows.find((r) => r.contact?.name === "Noor Applicant");
    assert.ok(noor, "the new answer is in this week's window");
    assert.equal(noor.gender, "Female");
    assert.equal(noor.race, "Hispanic or Latino");
    assert.equal(noor.posting.id, posting.id);
    assert.equal(rows.filter((r) => r.contact?.name === "Noor Applicant").length, 1);
  });

  it("gives an anonymous subset without names or opportunity ids on /eeo/responses", async () => {
    const { status, body } = await get(`/eeo/responses?fromDate=${demoAnchor - 400 * day}&toDate=${demoAnchor}`);
    assert.equal(status, 200);
    const rows = body.data.eeoResponses as Record<string, unknown>[];
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.equal("opportunityId" in r, false);
      assert.equal("contact" in r, false);
      assert.ok("gender" in r && "posting" in r);
    }
  });

  it("refuses a key without the EEO permission with 403 naming it", async () => {
    const key = sandbox.createApiKey({ permissions: sandboxPermissions.filter((p) => p !== "Find all EEO responses with PII") });
    const refused = await get(`/eeo/responses/pii?${demoWindow}`, key);
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /Find all EEO responses with PII/);
    assert.equal((await get(`/eeo/responses?fromDate=0`, key)).status, 200);
  });

  it("grants the PII endpoint to the OAuth scope eeo_responses_pii:read:admin only", () => {
    assert.ok(permissionsForScopes(["eeo_responses_pii:read:admin"]).has("Find all EEO responses with PII"));
    assert.equal(permissionsForScopes(["eeo_responses:read:admin", "opportunities:read:admin"]).has("Find all EEO responses with PII"), false);
  });
});
