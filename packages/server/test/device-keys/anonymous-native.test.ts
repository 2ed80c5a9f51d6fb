// Native anonymous users: POST /oauth2/challenge, then the anonymous-request grant with a device-key
// JWT, built as the React Native / Android SDK builds them (device.ts), and the hostile JWTs a
// server must refuse with a clean OAuth error.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import type { TestServer } from "../support/server.ts";
import { Device, challenge, signJwt } from "./device.ts";
import { NATIVE_CLIENT, postToken, startNativeServer } from "./fixture.ts";

const GRANT = "urn:authgear:params:oauth:grant-type:anonymous-request";
const b64u = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");

/** authenticateAnonymously: packages/authgear-react-native/src/index.ts L814-841. */
async function authenticateAnonymously(server: TestServer, device: Device, jwt?: string) {
  const token = await challenge(server.url, "anonymous_request");
  return postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: jwt ?? device.anonymousJwt(token, "auth") });
}

async function userinfo(server: TestServer, accessToken: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

describe("POST /oauth2/challenge", () => {
  let server: TestServer;
  before(async () => { server = await startNativeServer(); });
  after(async () => { await server.close(); });

  it("answers {result: {token, expire_at}} for each purpose", async () => {
    for (const purpose of ["anonymous_request", "biometric_request", "app2app_request"]) {
      const res = await fetch(`${server.url}/oauth2/challenge`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ purpose }) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { result: { token: string; expire_at: string } };
      assert.match(body.result.token, /^[A-Z2-7]{32}$/);
      const ttl = Date.parse(body.result.expire_at) / 1000 - Date.now() / 1000;
      assert.ok(ttl > 290 && ttl <= 301, String(ttl));
    }
  });

  it("refuses an unknown purpose, a non-JSON body and junk with Authgear's error envelope", async () => {
    const cases: [string, string, number, string][] = [
      ["application/json", JSON.stringify({ purpose: "nope" }), 400, "ValidationFailed"],
      ["application/json", JSON.stringify({}), 400, "ValidationFailed"],
      ["application/json", "[1,2]", 400, "ValidationFailed"],
      ["application/json", "{not json", 400, "RequestBody"],
      ["application/x-www-form-urlencoded", "purpose=anonymous_request", 400, "RequestBody"],
      ["application/json", JSON.stringify({ purpose: "anonymous_request", pad: "x".repeat(4000) }), 400, "RequestBody"],
      ["application/json", JSON.stringify({ purpose: 7 }), 400, "ValidationFailed"],
    ];
    for (const [type, body, status, reason] of cases) {
      const res = await fetch(`${server.url}/oauth2/challenge`, { method: "POST", headers: { "content-type": type }, body });
      assert.equal(res.status, status, body);
      const json = (await res.json()) as { error: { name: string; reason: string; message: string } };
      assert.equal(json.error.reason, reason, body);
      assert.equal(typeof json.error.message, "string");
    }
  });
});

describe("anonymous-request grant", () => {
  let server: TestServer;
  before(async () => { server = await startNativeServer(); });
  after(async () => { await server.close(); });

  it("signs up a new anonymous user, then signs the same key in as the same user", async () => {
    const device = new Device();
    const first = await authenticateAnonymously(server, device);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(typeof first.body.refresh_token, "string");
    assert.equal(typeof first.body.id_token, "string");
    const info = await userinfo(server, String(first.body.access_token));
    assert.equal(info["https://authgear.com/claims/user/is_anonymous"], true);
    device.anonymousKeyKnown = true;
    const second = await authenticateAnonymously(server, device);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal((await userinfo(server, String(second.body.access_token))).sub, info.sub);
    // The refresh token works like any other.
    const refreshed = await postToken(server, { grant_type: "refresh_token", client_id: NATIVE_CLIENT.client_id, refresh_token: String(first.body.refresh_token) });
    assert.equal(refreshed.status, 200);
  });

  async function refused(jwt: string, expected = "invalid_grant"): Promise<void> {
    const res = await postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error, expected);
  }

  it("refuses a wrong typ, alg none, an HMAC alg and a malformed JWT", async () => {
    const device = new Device();
    const token = await challenge(server.url, "anonymous_request");
    const now = Math.floor(Date.now() / 1000);
    const payload = { iat: now, exp: now + 60, challenge: token, action: "auth" };
    await refused(signJwt(device.privateKey, { typ: "vnd.authgear.biometric-request", kid: device.kid, alg: "RS256", jwk: device.jwk() }, payload));
    await refused(`${b64u({ typ: "vnd.authgear.anonymous-request", kid: device.kid, alg: "none", jwk: device.jwk() })}.${b64u(payload)}.`);
    await refused(`${b64u({ typ: "vnd.authgear.anonymous-request", kid: device.kid, alg: "HS256", jwk: { kty: "oct", k: "c2VjcmV0", kid: device.kid } })}.${b64u(payload)}.AAAA`);
    await refused("not-a-jwt");
    await refused("a.b.c");
    // None of these spent the challenge: a good JWT with it still works.
    const ok = await postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: device.anonymousJwt(token, "auth") });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it("refuses a jwk that did not sign the JWT, so no user is made for a key nobody holds", async () => {
    const device = new Device();
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const token = await challenge(server.url, "anonymous_request");
    const now = Math.floor(Date.now() / 1000);
    await refused(signJwt(other, { typ: "vnd.authgear.anonymous-request", kid: device.kid, alg: "RS256", jwk: device.jwk() }, { iat: now, exp: now + 60, challenge: token, action: "auth" }));
    assert.equal(await server.ctx.storage.deviceKeys.findByKeyId("anonymous", device.kid), null);
  });

  it("refuses another key claiming a bound kid", async () => {
    const owner = new Device();
    assert.equal((await authenticateAnonymously(server, owner)).status, 200);
    const thief = new Device();
    (thief as { kid: string }).kid = owner.kid;
    await refused(thief.anonymousJwt(await challenge(server.url, "anonymous_request"), "auth", { withJwk: true }));
    await refused(thief.anonymousJwt(await challenge(server.url, "anonymous_request"), "auth", { withJwk: false }));
  });

  it("refuses a reused, expired, unknown or other-purpose challenge", async () => {
    const device = new Device();
    const token = await challenge(server.url, "anonymous_request");
    assert.equal((await authenticateAnonymously(server, device, device.anonymousJwt(token, "auth"))).status, 200);
    device.anonymousKeyKnown = true;
    await refused(device.anonymousJwt(token, "auth"));
    await refused(device.anonymousJwt("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "auth"));
    await refused(device.anonymousJwt(await challenge(server.url, "biometric_request"), "auth"));
    const old = await challenge(server.url, "anonymous_request");
    server.advance(301);
    try {
      await refused(device.anonymousJwt(old, "auth", { now: Math.floor(Date.now() / 1000) + 301 }));
    } finally {
      server.advance(-301);
    }
  });

  it("refuses an expired JWT, one issued in the future, one living too long, and the promote action", async () => {
    const device = new Device();
    const now = Math.floor(Date.now() / 1000);
    await refused(device.anonymousJwt(await challenge(server.url, "anonymous_request"), "auth", { now: now - 400 }));
    await refused(device.anonymousJwt(await challenge(server.url, "anonymous_request"), "auth", { now: now + 400 }));
    const token = await challenge(server.url, "anonymous_request");
    await refused(signJwt(device.privateKey, { typ: "vnd.authgear.anonymous-request", kid: device.kid, alg: "RS256", jwk: device.jwk() }, { iat: now, exp: now + 86400, challenge: token, action: "auth" }));
    await refused(device.anonymousJwt(await challenge(server.url, "anonymous_request"), "promote"));
  });

  it("answers invalid_request without a jwt", async () => {
    const res = await postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id });
    assert.equal(res.body.error, "invalid_request");
  });
});

describe("anonymous-request grant when anonymous users are off", () => {
  let server: TestServer;
  before(async () => { server = await startNativeServer({ identities: ["login_id"] }); });
  after(async () => { await server.close(); });

  it("answers unauthorized_client AnonymousUserDisallowed", async () => {
    const res = await authenticateAnonymously(server, new Device());
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: "unauthorized_client", error_description: "AnonymousUserDisallowed" });
  });
});
