// The settings page's "Biometric sign-in" (account/settings/biometric-section.ts), on both databases:
// a key set up as the native SDK sets it up is listed with its device model, removed with the
// page's form (then it signs nobody in), audited; another user's key, a missing CSRF token and a
// malformed id are refused and remove nothing; with identity.biometric.list_enabled off it is hidden.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { TestServer } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { UserAgent } from "../support/user-agent.ts";
import { csrfOf, getPage, post } from "../account/fixture.ts";
import { Device, challenge } from "./device.ts";
import { EMAIL, NATIVE_CLIENT, NATIVE_SCOPES_WITH_DEVICE_SSO, PASSWORD, codeExchange, nativeSignIn, postToken, startNativeServer } from "./fixture.ts";

const GRANT = "urn:authgear:params:oauth:grant-type:biometric-request";
const OTHER = "other@example.com";
const LISTED = { identity: { biometric: { list_enabled: true } } };

/** Signs a browser in (the agent keeps the session cookie), then sets up biometric sign-in on a new device with the app's token. */
async function userWithDevice(server: TestServer, email: string): Promise<{ agent: UserAgent; device: Device }> {
  const agent = new UserAgent();
  const tokens = await codeExchange(server, await nativeSignIn(server, { agent, email }));
  assert.equal(tokens.status, 200);
  const device = new Device();
  const token = await challenge(server.url, "biometric_request");
  const set = await postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: device.biometricJwt(token, "setup") }, { authorization: `Bearer ${tokens.body.access_token}` });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  return { agent, device };
}

async function biometricSignIn(server: TestServer, device: Device): Promise<number> {
  const token = await challenge(server.url, "biometric_request");
  return (await postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: device.biometricJwt(token, "authenticate"), scope: NATIVE_SCOPES_WITH_DEVICE_SSO })).status;
}

const keyIds = (html: string): string[] => [...html.matchAll(/data-device-key="([^"]+)"/g)].map((m) => m[1]);

for (const db of testDatabases()) {
  describe(`settings: biometric sign-in devices (${db.name})`, { skip: db.skip }, () => {
    let server: TestServer;
    let userId: string;
    let otherId: string;
    before(async () => {
      server = await startNativeServer({ databaseUrl: db.url, config: LISTED });
      userId = await server.createUser(EMAIL, PASSWORD);
      otherId = await server.createUser(OTHER, PASSWORD);
    });
    after(async () => { await server?.close(); await db.drop(); });

    it("lists the device by model, removes it with the form, and the key signs nobody in again", async () => {
      const { agent, device } = await userWithDevice(server, EMAIL);
      const page = await getPage(agent, `${server.url}/settings`);
      assert.equal(page.status, 200);
      assert.match(page.html, /<h2 id="biometric-heading">Biometric sign-in<\/h2>/);
      assert.match(page.html, /<strong>Google Pixel 8<\/strong>/);
      assert.match(page.html, /Added /);
      const [id] = keyIds(page.html);
      assert.ok(id);

      // Without the CSRF token: refused, nothing removed.
      const noCsrf = await post(agent, `${server.url}/settings/biometric/remove`, { id });
      assert.ok(noCsrf.status >= 400 && noCsrf.status < 500, String(noCsrf.status));
      assert.equal((await server.ctx.storage.deviceKeys.listByUser(userId)).length, 1);

      const res = await post(agent, `${server.url}/settings/biometric/remove`, { csrf: csrfOf(page.html), id });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/settings?notice=biometric_removed");
      assert.deepEqual(await server.ctx.storage.deviceKeys.listByUser(userId), []);
      const after = await getPage(agent, `${server.url}/settings?notice=biometric_removed`);
      assert.match(after.html, /Biometric sign-in was removed from that device\./);
      assert.match(after.html, /No device is set up for biometric sign-in\./);
      assert.deepEqual(keyIds(after.html), []);
      assert.equal(await biometricSignIn(server, device), 400, "the removed key no longer signs in");

      const audit = await server.ctx.storage.auditLog.list({ limit: 10, targetId: userId, action: "user.device_key.remove" });
      assert.equal(audit.items.length, 1);
      assert.equal(audit.items[0].actor, `user:${userId}`);
      assert.equal(audit.items[0].details.device_key_id, id);

      // The same id again: already gone, a readable 404, not a 500.
      const again = await post(agent, `${server.url}/settings/biometric/remove`, { csrf: csrfOf(after.html), id });
      assert.equal(again.status, 404);
      assert.match(await again.text(), /That device is not set up for biometric sign-in on your account\./);
    });

    it("cannot remove another user's key, nor take a malformed or oversized id", async () => {
      const mine = await userWithDevice(server, EMAIL);
      const theirs = await userWithDevice(server, OTHER);
      const [theirKey] = (await server.ctx.storage.deviceKeys.listByUser(otherId)).map((k) => k.id);
      const page = await getPage(mine.agent, `${server.url}/settings`);
      assert.ok(!keyIds(page.html).includes(theirKey), "only my own devices are listed");
      const csrf = csrfOf(page.html);

      const stolen = await post(mine.agent, `${server.url}/settings/biometric/remove`, { csrf, id: theirKey });
      assert.equal(stolen.status, 404);
      for (const id of ["", "not-a-uuid", "' OR 1=1 --", "x".repeat(65)]) {
        const res = await post(mine.agent, `${server.url}/settings/biometric/remove`, { csrf, id });
        assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(id.slice(0, 12))}: ${res.status}`);
      }
      assert.equal((await server.ctx.storage.deviceKeys.listByUser(otherId)).length, 1);
      assert.equal(await biometricSignIn(server, theirs.device), 200, "their key still signs them in");

      // Signed out: the form leads to the login page and removes nothing.
      const anonymous = await post(new UserAgent(), `${server.url}/settings/biometric/remove`, { csrf, id: theirKey });
      assert.ok([303, 400, 403].includes(anonymous.status), String(anonymous.status));
      assert.equal((await server.ctx.storage.deviceKeys.listByUser(otherId)).length, 1);
    });
  });
}

describe("settings: biometric section hidden without identity.biometric.list_enabled", () => {
  let server: TestServer;
  let userId: string;
  before(async () => {
    server = await startNativeServer();
    userId = await server.createUser(EMAIL, PASSWORD);
  });
  after(async () => { await server.close(); });

  it("shows no section and refuses the remove form", async () => {
    const { agent } = await userWithDevice(server, EMAIL);
    const page = await getPage(agent, `${server.url}/settings`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /biometric-heading|data-device-key/);
    const [key] = await server.ctx.storage.deviceKeys.listByUser(userId);
    const res = await post(agent, `${server.url}/settings/biometric/remove`, { csrf: csrfOf(page.html), id: key.id });
    assert.equal(res.status, 404);
    assert.equal((await server.ctx.storage.deviceKeys.listByUser(userId)).length, 1, "nothing removed");
  });

  it("is hidden with list_enabled but biometric not among authentication.identities", async () => {
    const off = await startNativeServer({ identities: ["login_id"], config: LISTED });
    try {
      await off.createUser(EMAIL, PASSWORD);
      const agent = new UserAgent();
      await nativeSignIn(off, { agent });
      const page = await getPage(agent, `${off.url}/settings`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.html, /biometric-heading/);
    } finally { await off.close(); }
  });
});
