import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { silentLogger } from "../../observability/index.ts";
import { openTestDatabase, testEngines, type TestDatabase } from "../../store/testing.ts";
import { startTestOidcProvider, type TestOidcProvider } from "../../../test/support/oidc-provider.ts";
import { createConsole, createUser } from "./index.ts";

const ORIGIN = "http://console.test";

for (const engine of await testEngines()) {
  describe(`console single sign-on through OpenID Connect on ${engine.kind}`, { skip: engine.skip }, () => {
    let t: TestDatabase;
    let provider: TestOidcProvider;
    let app: Hono;

    before(async () => {
      t = await openTestDatabase(engine.kind);
      provider = await startTestOidcProvider();
      const parts = createConsole({
        db: t.db,
        logger: silentLogger,
        scryptCost: { N: 1024, r: 8, p: 1 },
        sso: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, name: "Test IdP" },
      });
      app = new Hono();
      app.route("/", parts.routes);
      await createUser(t.db, { email: "admin@example.com", role: "admin" });
    });
    after(async () => {
      await provider?.close();
      await t?.drop();
    });

    /** Runs the browser's part of the flow: start → provider → callback. */
    async function signInThroughProvider(tamper?: (callback: URL) => void): Promise<Response> {
      const start = await app.request(`${ORIGIN}/console/sso/start`);
      assert.equal(start.status, 302);
      const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith("fulcrum_sso="))!;
      assert.match(flowCookie, /HttpOnly/);
      const atProvider = await fetch(start.headers.get("location")!, { redirect: "manual" });
      assert.equal(atProvider.status, 302);
      const callback = new URL(atProvider.headers.get("location")!);
      assert.equal(callback.origin + callback.pathname, `${ORIGIN}/console/sso/callback`);
      tamper?.(callback);
      return app.request(callback.href, { headers: { cookie: flowCookie.split(";")[0]! } });
    }

    it("says which provider the sign-in page offers", async () => {
      const res = await app.request(`${ORIGIN}/console/api/sso`);
      assert.deepEqual(await res.json(), { name: "Test IdP", start: "/console/sso/start" });
    });

    it("signs a person with an account in through the provider, with a fresh session", async () => {
      provider.nextUser = { email: "Admin@Example.com", emailVerified: true };
      const res = await signInThroughProvider();
      assert.equal(res.status, 302);
      assert.equal(res.headers.get("location"), "/");
      const session = res.headers.getSetCookie().find((c) => c.startsWith("fulcrum_session="))!;
      assert.match(session, /HttpOnly/);
      const me = await app.request(`${ORIGIN}/console/api/session`, { headers: { cookie: session.split(";")[0]! } });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { user: { email: string; role: string } }).user.role, "admin");
    });

    it("refuses an address with no console account: the provider grants no role", async () => {
      provider.nextUser = { email: "stranger@example.com", emailVerified: true };
      const res = await signInThroughProvider();
      assert.equal(res.status, 403);
      assert.match(await res.text(), /no console account/);
      assert.equal(
        res.headers.getSetCookie().some((c) => c.startsWith("fulcrum_session=") && !/Max-Age=0/i.test(c)),
        false,
      );
    });

    it("refuses an e-mail the provider has not verified", async () => {
      provider.nextUser = { email: "admin@example.com", emailVerified: false };
      const res = await signInThroughProvider();
      assert.equal(res.status, 403);
      assert.match(await res.text(), /not verified/);
    });

    it("refuses a callback whose state was changed, and one without the flow cookie", async () => {
      provider.nextUser = { email: "admin@example.com", emailVerified: true };
      const tampered = await signInThroughProvider((u) => u.searchParams.set("state", "forged"));
      assert.equal(tampered.status, 400);
      const noCookie = await app.request(`${ORIGIN}/console/sso/callback?code=x&state=y`);
      assert.equal(noCookie.status, 400);
    });
  });
}
