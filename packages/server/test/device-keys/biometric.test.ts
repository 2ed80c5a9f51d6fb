// Biometric sign-in as the native SDKs drive it: setup with a Bearer access token
// (authgear-core/src/client.ts _setupBiometricRequest L326-344), then authenticate
// (authgear-react-native/src/index.ts authenticateBiometric L1117-1127), and the hostile cases.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { createAdminKey } from "../../src/admin/keys.ts";
import type { TestServer } from "../support/server.ts";
import { Device, challenge, signJwt } from "./device.ts";
import { EMAIL, NATIVE_CLIENT, NATIVE_SCOPES_WITH_DEVICE_SSO, PASSWORD, codeExchange, nativeSignIn, postToken, startNativeServer } from "./fixture.ts";

const GRANT = "urn:authgear:params:oauth:grant-type:biometric-request";

async function signedIn(server: TestServer, email = EMAIL): Promise<Record<string, unknown>> {
  const tokens = await codeExchange(server, await nativeSignIn(server, { email }));
  assert.equal(tokens.status, 200);
  return tokens.body;
}

async function enableBiometric(server: TestServer, device: Device, accessToken: string, jwt?: string) {
  const token = await challenge(server.url, "biometric_request");
  return postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: jwt ?? device.biometricJwt(token, "setup") }, { authorization: `Bearer ${accessToken}` });
}

async function authenticateBiometric(server: TestServer, device: Device, o: { jwt?: string; scope?: string } = {}) {
  const token = await challenge(server.url, "biometric_request");
  return postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: o.jwt ?? device.biometricJwt(token, "authenticate"), scope: o.scope ?? NATIVE_SCOPES_WITH_DEVICE_SSO });
}

describe("biometric-request grant", () => {
  let server: TestServer;
  let userId: string;
  before(async () => {
    server = await startNativeServer();
    userId = await server.createUser(EMAIL, PASSWORD);
    await server.createUser("other@example.com", PASSWORD);
  });
  after(async () => { await server.close(); });

  it("sets up with a Bearer access token (200 {}), then signs in with amr x_biometric", async () => {
    const device = new Device();
    const tokens = await signedIn(server);
    const set = await enableBiometric(server, device, String(tokens.access_token));
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body, {});
    const keys = await server.ctx.storage.deviceKeys.listByUser(userId);
    assert.equal(keys.length, 1);
    assert.equal(keys[0].type, "biometric");

    const auth = await authenticateBiometric(server, device);
    assert.equal(auth.status, 200, JSON.stringify(auth.body));
    const at = decodeJwt(String(auth.body.access_token));
    assert.equal(at.sub, userId);
    assert.deepEqual(at.amr, ["x_biometric"]);
    assert.equal(typeof auth.body.refresh_token, "string");
  });

  it("refuses setup without a valid access token (401 invalid_grant), and does not spend the challenge", async () => {
    const device = new Device();
    const token = await challenge(server.url, "biometric_request");
    const res = await postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: device.biometricJwt(token, "setup") });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, "invalid_grant");
    const bad = await postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: device.biometricJwt(token, "setup") }, { authorization: "Bearer nonsense" });
    assert.equal(bad.status, 401);
  });

  it("refuses another user's key, a key never set up, and a swapped jwk", async () => {
    const mine = new Device();
    assert.equal((await enableBiometric(server, mine, String((await signedIn(server)).access_token))).status, 200);
    // Another user's session cannot bind the same kid to itself.
    const theirs = await signedIn(server, "other@example.com");
    const stolen = new Device();
    (stolen as { kid: string }).kid = mine.kid;
    const rebinding = await enableBiometric(server, stolen, String(theirs.access_token));
    assert.equal(rebinding.body.error, "invalid_grant");
    // A different key claiming my kid cannot sign in as me.
    const impostor = await authenticateBiometric(server, stolen);
    assert.deepEqual(impostor.body, { error: "invalid_grant", error_description: "InvalidCredentials" });
    // A key nobody set up.
    assert.equal((await authenticateBiometric(server, new Device())).body.error, "invalid_grant");
  });

  it("refuses wrong typ, alg none, expired JWTs, reused challenges and unknown actions", async () => {
    const device = new Device();
    assert.equal((await enableBiometric(server, device, String((await signedIn(server)).access_token))).status, 200);
    const now = Math.floor(Date.now() / 1000);
    const token = await challenge(server.url, "biometric_request");
    const payload = { iat: now, exp: now + 300, challenge: token, action: "authenticate", device_info: {} };
    const anonTyp = signJwt(device.privateKey, { typ: "vnd.authgear.anonymous-request", kid: device.kid, alg: "RS256", jwk: device.jwk() }, payload);
    assert.equal((await authenticateBiometric(server, device, { jwt: anonTyp })).body.error, "invalid_grant");
    const none = `${Buffer.from(JSON.stringify({ typ: "vnd.authgear.biometric-request", kid: device.kid, alg: "none", jwk: device.jwk() })).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;
    assert.equal((await authenticateBiometric(server, device, { jwt: none })).body.error, "invalid_grant");
    assert.equal((await authenticateBiometric(server, device, { jwt: device.biometricJwt(await challenge(server.url, "biometric_request"), "authenticate", { now: now - 1000 }) })).body.error, "invalid_grant");
    const once = device.biometricJwt(await challenge(server.url, "biometric_request"), "authenticate");
    assert.equal((await authenticateBiometric(server, device, { jwt: once })).status, 200);
    assert.equal((await authenticateBiometric(server, device, { jwt: once })).body.error, "invalid_grant");
    const weird = signJwt(device.privateKey, { typ: "vnd.authgear.biometric-request", kid: device.kid, alg: "RS256", jwk: device.jwk() }, { ...payload, action: "delete" });
    assert.equal((await authenticateBiometric(server, device, { jwt: weird })).body.error, "invalid_request");
  });

  it("refuses scopes without offline_access and full-access", async () => {
    const device = new Device();
    assert.equal((await enableBiometric(server, device, String((await signedIn(server)).access_token))).status, 200);
    const res = await authenticateBiometric(server, device, { scope: "openid" });
    assert.equal(res.body.error, "invalid_scope");
  });

  it("lists a user's biometric keys in the admin API and removes one, after which it signs nobody in", async () => {
    const device = new Device();
    assert.equal((await enableBiometric(server, device, String((await signedIn(server)).access_token))).status, 200);
    const key = (await createAdminKey(server.ctx, "device-keys-test")).key;
    const admin = (method: string, path: string) => fetch(`${server.url}/_api/admin${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    const listed = (await (await admin("GET", `/users/${userId}/device-keys`)).json()) as { items: { id: string; key_id: string; type: string; device_model: string }[] };
    const mine = listed.items.find((k) => k.key_id === device.kid)!;
    assert.equal(mine.type, "biometric");
    assert.equal(mine.device_model, "Google Pixel 8");
    assert.equal((await admin("DELETE", `/users/${userId}/device-keys/${mine.id}`)).status, 200);
    assert.equal((await admin("DELETE", `/users/${userId}/device-keys/${mine.id}`)).status, 404);
    assert.equal((await admin("DELETE", `/users/${userId}/device-keys/not-an-id`)).status, 404);
    assert.deepEqual((await authenticateBiometric(server, device)).body, { error: "invalid_grant", error_description: "InvalidCredentials" });
  });

  it("refuses setup for an anonymous user (AnonymousUserAddIdentity)", async () => {
    const anon = new Device();
    const token = await challenge(server.url, "anonymous_request");
    const anonTokens = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:anonymous-request", client_id: NATIVE_CLIENT.client_id, jwt: anon.anonymousJwt(token, "auth") });
    const res = await enableBiometric(server, new Device(), String(anonTokens.body.access_token));
    assert.deepEqual(res.body, { error: "unauthorized_client", error_description: "AnonymousUserAddIdentity" });
  });
});

describe("biometric-request grant when biometric is off", () => {
  let server: TestServer;
  before(async () => { server = await startNativeServer({ identities: ["login_id"] }); });
  after(async () => { await server.close(); });

  it("answers unauthorized_client BiometricDisallowed", async () => {
    const res = await authenticateBiometric(server, new Device());
    assert.deepEqual(res.body, { error: "unauthorized_client", error_description: "BiometricDisallowed" });
  });
});
