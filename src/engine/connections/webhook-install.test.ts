import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { webhookUrlFor } from "./webhook-install.ts";

describe("webhook URL of a connection", () => {
  it("appends /webhooks/lever/<id> to the server's base URL", () => {
    assert.equal(webhookUrlFor("https://fulcrum.example.com", "acme"), "https://fulcrum.example.com/webhooks/lever/acme");
    assert.equal(webhookUrlFor("https://example.com/fulcrum/?x=1", "acme"), "https://example.com/fulcrum/webhooks/lever/acme");
  });

  it("keeps a full webhook URL of the same connection, including the default route", () => {
    assert.equal(webhookUrlFor("https://h.example/webhooks/lever/acme", "acme"), "https://h.example/webhooks/lever/acme");
    assert.equal(webhookUrlFor("https://h.example/webhooks/lever", "default"), "https://h.example/webhooks/lever");
  });

  it("refuses another connection's webhook URL", () => {
    assert.throws(() => webhookUrlFor("https://h.example/webhooks/lever/acme", "globex"), /for connection "acme", not "globex"/);
    assert.throws(() => webhookUrlFor("https://h.example/webhooks/lever", "globex"), /for connection "default"/);
  });
});
