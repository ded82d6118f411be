import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import ICAL from "ical.js";
import { SMTPServer } from "smtp-server";
import { CalendarError } from "./errors.ts";
import { inviteText, sendEmailInvite, type EmailInvite } from "./email-invites.ts";

/** The text/calendar part of a raw message, decoded. */
function calendarPart(raw: string): { contentType: string; text: string } {
  const parts = raw.split(/\r\n--[^\r\n]+\r\n/);
  const part = parts.find((p) => /^Content-Type: text\/calendar/im.test(p));
  assert.ok(part, "the message has a text/calendar part");
  const [head, ...body] = part.split("\r\n\r\n");
  let text = body.join("\r\n\r\n").replace(/\r\n--[^\r\n]*--\s*$/, "");
  if (/Content-Transfer-Encoding: base64/i.test(head!)) text = Buffer.from(text.replace(/\s+/g, ""), "base64").toString("utf8");
  else if (/Content-Transfer-Encoding: quoted-printable/i.test(head!))
    text = Buffer.from(
      text.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
      "latin1",
    ).toString("utf8");
  return { contentType: /Content-Type: ([^\r\n]+(?:\r\n\s+[^\r\n]+)*)/i.exec(head!)![1]!.replace(/\r\n\s+/g, " "), text };
}

describe("e-mail invites", () => {
  const inbox: { to: string[]; raw: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        done();
      });
    },
    onRcptTo(address, _session, done) {
      if (address.address.endsWith("@blocked.example")) return done(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      done();
    },
  });
  let port = 0;
  before(() => new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => ((port = (smtp.server.address() as AddressInfo).port), r()))));
  after(() => new Promise<void>((r) => smtp.close(() => r())));

  const invite: EmailInvite = {
    method: "REQUEST",
    uid: "panel-42@fulcrum",
    sequence: 0,
    start: "2026-03-31T13:00:00Z",
    end: "2026-03-31T14:00:00Z",
    title: "Interview with Example Co",
    description: "You will meet two engineers.",
    joinUrl: "https://meet.example/abc",
    to: [{ email: "cand@mail.example", name: "Cand Idate" }],
    timezone: "America/New_York",
  };
  const settings = () => ({ host: "127.0.0.1", port, secure: false, from: "Recruiting <recruiting@example.com>" });

  it("sends METHOD:REQUEST as text/calendar with the time in the candidate's zone", async () => {
    await sendEmailInvite(settings(), invite);
    const mail = inbox.at(-1)!;
    assert.deepEqual(mail.to, ["cand@mail.example"]);
    assert.match(mail.raw, /^Subject: Invitation: Interview with Example Co$/m);
    const part = calendarPart(mail.raw);
    assert.match(part.contentType, /text\/calendar; charset=utf-8; method=REQUEST/i);
    const root = new ICAL.Component(ICAL.parse(part.text));
    assert.equal(root.getFirstPropertyValue("method"), "REQUEST");
    const ev = root.getFirstSubcomponent("vevent")!;
    assert.equal(ev.getFirstPropertyValue("uid"), "panel-42@fulcrum");
    assert.equal(ev.getFirstPropertyValue("sequence"), 0);
    assert.equal(ev.getFirstPropertyValue("organizer"), "mailto:recruiting@example.com");
    assert.equal(ev.getFirstProperty("attendee")!.getParameter("cn"), "Cand Idate");
    // 13:00Z on 31 March is 09:00 in New York (EDT).
    assert.match(inviteText(invite), /When: Tuesday 31 March 2026, 09:00–10:00 \(America\/New_York, EDT\)/);
  });

  it("cancels with METHOD:CANCEL, the same UID and a higher SEQUENCE", async () => {
    await sendEmailInvite(settings(), { ...invite, method: "CANCEL", sequence: 1 });
    const mail = inbox.at(-1)!;
    assert.match(mail.raw, /^Subject: Cancelled: Interview with Example Co$/m);
    const ev = new ICAL.Component(ICAL.parse(calendarPart(mail.raw).text));
    assert.equal(ev.getFirstPropertyValue("method"), "CANCEL");
    const vevent = ev.getFirstSubcomponent("vevent")!;
    assert.equal(vevent.getFirstPropertyValue("uid"), "panel-42@fulcrum");
    assert.equal(vevent.getFirstPropertyValue("sequence"), 1);
    assert.equal(vevent.getFirstPropertyValue("status"), "CANCELLED");
  });

  it("keeps a newline in the title out of the headers", async () => {
    await sendEmailInvite(settings(), { ...invite, title: "Hi\r\nBcc: evil@example.org" });
    const headers = inbox.at(-1)!.raw.split("\r\n\r\n")[0]!;
    assert.ok(!/^Bcc:/m.test(headers));
  });

  it("says what failed: bad recipients, a permanent rejection (not retryable), an unreachable server (retryable), an invalid zone", async () => {
    await assert.rejects(
      sendEmailInvite(settings(), { ...invite, to: [{ email: "not-an-address" }] }),
      (e: unknown) => e instanceof CalendarError && e.kind === "invalid" && /recipients/.test(e.message),
    );
    await assert.rejects(
      sendEmailInvite(settings(), { ...invite, to: [{ email: "x@blocked.example" }] }),
      (e: unknown) => e instanceof CalendarError && !e.retryable && /550/.test(e.message),
    );
    await assert.rejects(sendEmailInvite({ ...settings(), port: 1, timeoutMs: 500 }, invite), (e: unknown) => e instanceof CalendarError && e.retryable);
    await assert.rejects(
      sendEmailInvite(settings(), { ...invite, timezone: "Eastern Time" }),
      (e: unknown) => e instanceof CalendarError && !e.retryable && /"Eastern Time" is not an IANA time zone/.test(e.message),
    );
  });
});
