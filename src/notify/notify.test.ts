import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { sendEmail, sendSlack, sendTeams, NotifyError } from "./index.ts";

interface Received {
  path: string;
  body: unknown;
  contentType: string | undefined;
}

/** A local stand-in for Slack/Teams: records each POST and answers as `reply` says. */
function hookServer() {
  const received: Received[] = [];
  let reply: (req: IncomingMessage, res: import("node:http").ServerResponse) => void = (_q, s) => s.end("ok");
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")), contentType: req.headers["content-type"] });
      reply(req, res);
    });
  });
  return {
    received,
    server,
    setReply(fn: typeof reply) {
      reply = fn;
    },
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
}

const local = { allowHosts: ["127.0.0.1"] };
const message = {
  title: "Approval brief: Mira Okafor",
  text: "Strong <b>backend</b> & data skills",
  fields: [
    { label: "Posting", value: "Senior Engineer" },
    { label: "Score", value: "82" },
  ],
  link: { url: "https://hire.lever.co/candidates/0a5d", label: "Open in Lever" },
};

describe("Slack and Teams webhooks", () => {
  const hooks = hookServer();
  before(() => new Promise<void>((r) => hooks.server.listen(0, "127.0.0.1", r)));
  after(() => {
    hooks.server.closeAllConnections();
    hooks.server.close();
  });

  it("posts a Slack Block Kit message with header, escaped text, fields and a button", async () => {
    const result = await sendSlack(`${hooks.url()}/services/T1/B1/secret`, message, local);
    assert.equal(result.status, 200);
    const got = hooks.received.at(-1)!;
    assert.equal(got.path, "/services/T1/B1/secret");
    assert.match(got.contentType ?? "", /application\/json/);
    const body = got.body as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url: string }[] }[] };
    assert.deepEqual(
      body.blocks.map((b) => b.type),
      ["header", "section", "section", "actions"],
    );
    assert.equal(body.blocks[0]!.text!.text, "Approval brief: Mira Okafor");
    assert.equal(body.blocks[1]!.text!.text, "Strong &lt;b&gt;backend&lt;/b&gt; &amp; data skills");
    assert.equal(body.blocks[2]!.fields!.length, 2);
    assert.equal(body.blocks[3]!.elements![0]!.url, message.link.url);
    assert.match(body.text, /Approval brief/);
  });

  it("posts a Teams Adaptive Card with a fact set and an open-URL action", async () => {
    await sendTeams(`${hooks.url()}/webhookb2/secret`, message, local);
    const body = hooks.received.at(-1)!.body as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: { type: string }[]; actions: { url: string }[] } }[];
    };
    assert.equal(body.type, "message");
    const card = body.attachments[0]!;
    assert.equal(card.contentType, "application/vnd.microsoft.card.adaptive");
    assert.equal(card.content.type, "AdaptiveCard");
    assert.deepEqual(
      card.content.body.map((b) => b.type),
      ["TextBlock", "TextBlock", "FactSet"],
    );
    assert.equal(card.content.actions[0]!.url, message.link.url);
  });

  it("posts a legacy MessageCard when asked, with facts and an open-URI action", async () => {
    await sendTeams(`${hooks.url()}/webhook/legacy`, message, { ...local, format: "messagecard" });
    const body = hooks.received.at(-1)!.body as {
      "@type": string;
      title: string;
      sections: { facts: { name: string; value: string }[] }[];
      potentialAction: { targets: { uri: string }[] }[];
    };
    assert.equal(body["@type"], "MessageCard");
    assert.equal(body.title, message.title);
    assert.deepEqual(body.sections[0]!.facts[0], { name: "Posting", value: "Senior Engineer" });
    assert.equal(body.potentialAction[0]!.targets[0]!.uri, message.link.url);
  });

  it("reports a rejected post with its status and without the secret part of the URL", async () => {
    hooks.setReply((_q, s) => {
      s.statusCode = 404;
      s.end("no_service");
    });
    await assert.rejects(sendSlack(`${hooks.url()}/services/T1/B1/TOPSECRET`, message, local), (e: unknown) => {
      assert.ok(e instanceof NotifyError);
      assert.equal(e.status, 404);
      assert.equal(e.retryable, false);
      assert.match(e.message, /answered 404: no_service/);
      assert.ok(!e.message.includes("TOPSECRET"));
      return true;
    });
    hooks.setReply((_q, s) => {
      s.statusCode = 503;
      s.end();
    });
    await assert.rejects(sendTeams(`${hooks.url()}/x`, message, local), (e: unknown) => e instanceof NotifyError && e.retryable);
  });

  it("does not follow redirects (they could lead inside the network)", async () => {
    hooks.setReply((_q, s) => {
      s.statusCode = 302;
      s.setHeader("location", "http://169.254.169.254/");
      s.end();
    });
    await assert.rejects(sendSlack(`${hooks.url()}/r`, message, local), /answered 302 \(redirects are not followed\)/);
  });

  it("gives up on a server that does not answer within the deadline", async () => {
    hooks.setReply(() => {}); // never answers
    const started = Date.now();
    await assert.rejects(sendSlack(`${hooks.url()}/slow`, message, { ...local, timeoutMs: 200 }), (e: unknown) => {
      assert.ok(e instanceof NotifyError);
      assert.equal(e.retryable, true);
      assert.match(e.message, /did not answer within 200 ms/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
    hooks.server.closeAllConnections();
  });

  it("refuses an oversized message and a bad link before sending", async () => {
    const before = hooks.received.length;
    await assert.rejects(
      sendSlack(`${hooks.url()}/big`, { title: "t", text: "x".repeat(19_000) }, { ...local, maxRequestBytes: 4096 }),
      /over the 4096-byte limit/,
    );
    await assert.rejects(sendSlack(`${hooks.url()}/js`, { title: "t", link: { url: "javascript:alert(1)" } }, local), /link/);
    assert.equal(hooks.received.length, before);
  });

  it("refuses plain http to a host that is not allow-listed", async () => {
    await assert.rejects(sendTeams(`${hooks.url()}/x`, message), /must use https/);
  });
});

describe("e-mail over SMTP", () => {
  const inbox: { from: string; to: string[]; raw: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        done();
      });
    },
    onRcptTo(address, _session, done) {
      if (address.address.endsWith("@blocked.example")) {
        const err = new Error("mailbox unavailable") as Error & { responseCode: number };
        err.responseCode = 550;
        return done(err);
      }
      done();
    },
  });
  let port = 0;
  before(
    () =>
      new Promise<void>((r) =>
        smtp.listen(0, "127.0.0.1", () => {
          port = (smtp.server.address() as AddressInfo).port;
          r();
        }),
      ),
  );
  after(() => new Promise<void>((r) => smtp.close(() => r())));

  it("delivers the notification as text and escaped HTML to the SMTP server", async () => {
    const result = await sendEmail(
      { host: "127.0.0.1", port, from: "Fulcrum <fulcrum@example.org>" },
      { ...message, to: ["hm@example.org", "rc@example.org"] },
    );
    assert.deepEqual(result.accepted.sort(), ["hm@example.org", "rc@example.org"]);
    const mail = inbox.at(-1)!;
    // Undo quoted-printable soft line breaks and escapes before looking at the HTML part.
    mail.raw = mail.raw.replace(/=\r\n/g, "").replace(/=3D/g, "=");
    assert.equal(mail.from, "fulcrum@example.org");
    assert.deepEqual(mail.to.sort(), ["hm@example.org", "rc@example.org"]);
    assert.match(mail.raw, /Subject: Approval brief: Mira Okafor/);
    assert.match(mail.raw, /Posting: Senior Engineer/);
    assert.match(mail.raw, /&lt;b&gt;backend&lt;\/b&gt; &amp; data/);
    assert.ok(!/<b>backend<\/b>/.test(mail.raw.split("text/html")[1] ?? ""), "untrusted HTML is escaped");
  });

  it("keeps a newline in the title from injecting headers", async () => {
    await sendEmail({ host: "127.0.0.1", port, from: "f@example.org" }, { title: "Hi\r\nBcc: evil@example.org", to: "a@example.org" });
    const mail = inbox.at(-1)!;
    assert.deepEqual(mail.to, ["a@example.org"]);
    const headers = mail.raw.split("\r\n\r\n")[0]!;
    assert.match(headers, /^Subject: Hi Bcc: evil@example.org$/m);
    assert.ok(!/^Bcc:/m.test(headers), headers);
  });

  it("reports a permanent rejection as not retryable and bad recipients before connecting", async () => {
    await assert.rejects(sendEmail({ host: "127.0.0.1", port, from: "f@example.org" }, { title: "t", to: "x@blocked.example" }), (e: unknown) => {
      assert.ok(e instanceof NotifyError);
      assert.equal(e.retryable, false);
      return true;
    });
    await assert.rejects(sendEmail({ host: "127.0.0.1", port, from: "f@example.org" }, { title: "t", to: "not-an-address" }), /recipients/);
  });

  it("reports an unreachable server as retryable", async () => {
    await assert.rejects(
      sendEmail({ host: "127.0.0.1", port: 1, from: "f@example.org", timeoutMs: 500 }, { title: "t", to: "a@example.org" }),
      (e: unknown) => e instanceof NotifyError && e.retryable,
    );
  });
});
