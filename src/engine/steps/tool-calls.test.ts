import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { sendAssessment, sendToolStatus, toolSecretName } from "./tool-calls.ts";
import type { LeverGateway } from "../ports.ts";

const SECRET = "quizzes-secret-0123456789";
const body = {
  event: "candidateStageChange",
  candidateId: "c-1",
  opportunityId: null,
  stage: { id: "s1", text: "Phone Screen" },
  archived: null,
  occurredAt: "2026-01-01T00:00:00.000Z",
};

describe("calls to other hiring tools", () => {
  const received: { headers: Record<string, unknown>; raw: string }[] = [];
  let url = "";
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, raw });
      res.setHeader("content-type", "application/json");
      res.end(req.url === "/invite" ? '{"url":"http://not-https.example.org/x"}' : "{}");
    });
  });
  before(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  const deps = () => ({
    tools: { quizzes: { pseudonyms: "none" as const, statusUrl: `${url}/status`, inviteUrl: `${url}/invite` } },
    env: { [toolSecretName("quizzes")]: SECRET },
    allowHosts: ["127.0.0.1"],
  });

  it("signs a status callback with the tool's secret and names it by an id that a retry repeats", async () => {
    await sendToolStatus([{ tool: "quizzes", body }], "fulcrum:run:1:callback:0", deps());
    await sendToolStatus([{ tool: "quizzes", body }], "fulcrum:run:1:callback:0", deps());
    const [a, b] = received.slice(-2);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(a!.headers["x-fulcrum-signature"]))!;
    assert.equal(createHmac("sha256", SECRET).update(`${m[1]}.${a!.raw}`).digest("hex"), m[2]);
    assert.equal(a!.headers["x-fulcrum-event-id"], "fulcrum:run:1:callback:0:quizzes");
    assert.equal(JSON.parse(a!.raw).id, JSON.parse(b!.raw).id);
  });

  it("refuses to send a callback carrying anything besides its fields (an e-mail put in by an edit)", async () => {
    const before = received.length;
    await assert.rejects(
      sendToolStatus([{ tool: "quizzes", body: { ...body, email: "ada@example.net" } }], "k", deps()),
      /callbacks\[0\]\.body: Unrecognized key: "email"/,
    );
    assert.equal(received.length, before);
  });

  it("refuses a tool that is not configured, has no statusUrl or no secret, before sending anything", async () => {
    await assert.rejects(sendToolStatus([{ tool: "other", body }], "k", deps()), /no tool "other" is configured/);
    await assert.rejects(sendToolStatus([{ tool: "quizzes", body }], "k", { ...deps(), tools: { quizzes: { pseudonyms: "none" } } }), /has no statusUrl/);
    await assert.rejects(sendToolStatus([{ tool: "quizzes", body }], "k", { ...deps(), env: {} }), /set FULCRUM_TOOL_SECRET_QUIZZES/);
    await assert.rejects(
      sendToolStatus([{ tool: "quizzes", body }], "k", {
        ...deps(),
        tools: { quizzes: { pseudonyms: "none", statusUrl: "https://10.0.0.5/status" } },
        allowHosts: [],
      }),
      (e: Error & { retryable?: boolean }) => /private, loopback/.test(e.message) && e.retryable === false,
    );
  });

  it("sends no assessment to a candidate without an e-mail in Lever, and writes no link a tool answered without https", async () => {
    const writes: string[] = [];
    const lever = (emails: string[]) =>
      ({
        getOpportunity: async (id: string) => ({ id, emails }),
        addLinks: async () => void writes.push("link"),
        addNote: async () => (writes.push("note"), {}),
      }) as unknown as LeverGateway;
    const before = received.length;
    await assert.rejects(
      sendAssessment({ opportunityId: "o1", tool: "quizzes", assessment: "a1" }, "k", { ...deps(), lever: lever([]) }),
      /has no e-mail address in Lever/,
    );
    assert.equal(received.length, before);
    await assert.rejects(
      sendAssessment({ opportunityId: "o1", tool: "quizzes", assessment: "a1" }, "k", { ...deps(), lever: lever(["ada@example.net"]) }),
      /without an https link/,
    );
    assert.deepEqual(JSON.parse(received.at(-1)!.raw).candidate, { email: "ada@example.net" });
    assert.deepEqual(writes, []);
  });
});
