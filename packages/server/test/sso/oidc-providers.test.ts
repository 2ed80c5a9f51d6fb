// Google, Microsoft (Azure AD v2, multi-tenant) and Apple through the OpenID Connect path, against a
// local stand-in serving their discovery documents (fixtures/) and ID tokens signed by a test key:
// Google's two issuer spellings, Azure's {tenantid} issuer template checked against `tid` with `oid`
// as the subject, and Apple's form_post callback with the ES256 client-secret JWT it requires.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { exportJWK, exportPKCS8, generateKeyPair, jwtVerify, SignJWT, decodeProtectedHeader, type CryptoKey, type JWK } from "jose";
import { startTestServer, type TestServer } from "../support/server.ts";
import { parseConfig } from "../../src/config/load.ts";
import { appleClientSecret } from "../../src/sso/providers/apple.ts";
import { fixture, fixtureAnswer, startProviderApi, type ProviderApi, type Recorded } from "./provider-api.ts";
import { comeBack, pressButton, UserAgent } from "./sign-in-steps.ts";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OTHER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

describe("OpenID Connect providers: Google, Microsoft (multi-tenant), Apple", () => {
  let api: ProviderApi;
  let s: TestServer;
  let signing: CryptoKey;
  let jwk: JWK;
  let appleKey: { privateKey: CryptoKey; publicKey: CryptoKey };
  /** The next token response's ID token claims (the nonce is added from the authorization URL). */
  let nextClaims: Record<string, unknown> = {};
  let nonce = "";

  const idToken = async (claims: Record<string, unknown>): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test-key" }).sign(signing);
  const tokenAnswer = (extra: Record<string, unknown> = {}) => async (): Promise<{ status: number; body: unknown }> => ({
    status: 200,
    body: { access_token: "at", token_type: "Bearer", expires_in: 3600, ...extra, id_token: await idToken({ nonce, iat: now(), exp: now() + 300, ...nextClaims }) },
  });
  const now = (): number => Math.floor(Date.now() / 1000);

  before(async () => {
    const pair = await generateKeyPair("RS256");
    signing = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
    appleKey = await generateKeyPair("ES256", { extractable: true });
    api = await startProviderApi();
    api.on("accounts.google.com/.well-known/openid-configuration", fixtureAnswer("google-discovery"));
    api.on("login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", fixtureAnswer("azure-common-discovery"));
    for (const jwks of ["www.googleapis.com/oauth2/v3/certs", "login.microsoftonline.com/common/discovery/v2.0/keys", "appleid.apple.com/auth/keys"]) {
      api.on(jwks, { status: 200, body: { keys: [jwk] } });
    }
    api.on("oauth2.googleapis.com/token", tokenAnswer());
    api.on("login.microsoftonline.com/common/oauth2/v2.0/token", tokenAnswer());
    api.on("appleid.apple.com/auth/token", tokenAnswer(fixture("apple").token.body as Record<string, unknown>));
    s = await startTestServer({
      upstreamFetch: api.fetch,
      config: {
        identity: {
          oauth: {
            providers: [
              { alias: "google", type: "google", client_id: "123-abc.apps.googleusercontent.com", client_secret: "google-secret" },
              { alias: "ms", type: "azureadv2", tenant: "common", client_id: "6731de76-14a6-49ae-97bc-6eba6914391e", client_secret: "ms-secret" },
              { alias: "apple", type: "apple", client_id: "com.example.web", key_id: "ABC123DEFG", team_id: "TEAM123456", client_secret: await exportPKCS8(appleKey.privateKey) },
            ],
          },
        },
      },
    });
  });

  after(async () => {
    await s?.close();
    await api?.close();
  });

  /** Presses the button, remembers the nonce the ID token must carry, and returns the state. */
  async function begin(agent: UserAgent, alias: string): Promise<URL> {
    const authorize = await pressButton(s, agent, alias);
    nonce = authorize.searchParams.get("nonce") ?? "";
    assert.ok(nonce, "OpenID providers are sent a nonce");
    return authorize;
  }

  const lastTokenRequest = (target: string): Recorded => api.requests.filter((r) => r.target === target).at(-1)!;

  it("Google: discovery, PKCE, client_secret_basic, and either spelling of its issuer", async () => {
    const aud = "123-abc.apps.googleusercontent.com";
    for (const [i, iss] of ["https://accounts.google.com", "accounts.google.com"].entries()) {
      const agent = new UserAgent();
      const authorize = await begin(agent, "google");
      assert.equal(authorize.origin + authorize.pathname, "https://accounts.google.com/o/oauth2/v2/auth");
      assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
      assert.equal(authorize.searchParams.get("prompt"), "select_account");
      nextClaims = { iss, aud, sub: `10769150350006150715113082367${i}`, email: `jane${i}@gmail.com`, email_verified: true, name: "Jane" };
      const page = await comeBack(s, agent, "google", { code: "g-code", state: authorize.searchParams.get("state")! });
      assert.match(page.html, new RegExp(`Signed in as jane${i}@gmail\\.com`));
      const token = lastTokenRequest("oauth2.googleapis.com/token");
      assert.equal(token.headers.authorization, `Basic ${Buffer.from(`${aud}:google-secret`).toString("base64")}`);
      assert.ok(token.form.get("code_verifier"));
    }
  });

  it("Google: an authorization response naming another issuer (RFC 9207 iss) is refused before the code is spent", async () => {
    const agent = new UserAgent();
    const state = (await begin(agent, "google")).searchParams.get("state")!;
    const before = api.requests.filter((r) => r.target === "oauth2.googleapis.com/token").length;
    const page = await comeBack(s, agent, "google", { code: "g-code", state, iss: "https://attacker.example" });
    assert.equal(page.status, 400);
    assert.match(page.html, /Google&#39;s answer could not be verified/);
    assert.equal(api.requests.filter((r) => r.target === "oauth2.googleapis.com/token").length, before, "the code never went to the token endpoint");
  });

  it("Google: an expired ID token, or one for another client, is refused on a readable page", async () => {
    for (const claims of [
      { iss: "https://accounts.google.com", aud: "123-abc.apps.googleusercontent.com", sub: "1", email: "x@gmail.com", iat: now() - 900, exp: now() - 600 },
      { iss: "https://accounts.google.com", aud: "someone-else.apps.googleusercontent.com", sub: "1", email: "x@gmail.com" },
    ]) {
      const agent = new UserAgent();
      const state = (await begin(agent, "google")).searchParams.get("state")!;
      nextClaims = claims;
      const page = await comeBack(s, agent, "google", { code: "g-code", state });
      assert.equal(page.status, 400);
      assert.match(page.html, /Google&#39;s answer could not be verified/);
    }
    assert.equal(await s.ctx.storage.identities.findByProvider("google", "1"), null);
  });

  it("Microsoft (tenant common): the issuer template is filled with the token's tid, and oid is the subject", async () => {
    const aud = "6731de76-14a6-49ae-97bc-6eba6914391e";
    const agent = new UserAgent();
    const authorize = await begin(agent, "ms");
    assert.equal(authorize.origin + authorize.pathname, "https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
    nextClaims = {
      iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud, tid: TENANT, sub: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
      oid: "00000000-0000-0000-66f3-3332eca7ea81", email: "abeli@microsoft.com", name: "Abe Lincoln", preferred_username: "abeli@microsoft.com", ver: "2.0",
    };
    const page = await comeBack(s, agent, "ms", { code: "ms-code", state: authorize.searchParams.get("state")! });
    assert.match(page.html, /Signed in as abeli@microsoft\.com/);
    assert.ok(await s.ctx.storage.identities.findByProvider("ms", "00000000-0000-0000-66f3-3332eca7ea81"));

    // A token whose issuer names another tenant than its tid is not this issuer's.
    const agent2 = new UserAgent();
    const state = (await begin(agent2, "ms")).searchParams.get("state")!;
    nextClaims = { ...nextClaims, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, oid: "other-oid" };
    const refused = await comeBack(s, agent2, "ms", { code: "ms-code", state });
    assert.equal(refused.status, 400);
    assert.match(refused.html, /Microsoft&#39;s answer could not be verified/);
  });

  it("Apple: form_post callback, the ES256 client-secret JWT, email_verified as a string, the name posted once", async () => {
    const agent = new UserAgent();
    const authorize = await begin(agent, "apple");
    assert.equal(authorize.origin + authorize.pathname, "https://appleid.apple.com/auth/authorize");
    assert.equal(authorize.searchParams.get("response_mode"), "form_post");
    assert.equal(authorize.searchParams.get("scope"), "name email");
    nextClaims = { iss: "https://appleid.apple.com", aud: "com.example.web", sub: "001234.abcdef0123456789.1234", email: "jane@privaterelay.appleid.com", email_verified: "true", is_private_email: "true" };
    const user = JSON.stringify(fixture("apple").posted_user.value);
    // Apple POSTs cross-site; Gatehouse turns it into a GET of the same callback.
    const posted = await agent.request(`${s.url}/sso/oauth2/callback/apple`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://appleid.apple.com" },
      body: new URLSearchParams({ code: "apple-code", state: authorize.searchParams.get("state")!, user }),
    });
    assert.equal(posted.status, 303);
    const page = await agent.follow(new URL(posted.headers.get("location")!, s.url).toString(), s.url);
    assert.match(await page.response.text(), /Signed in as jane@privaterelay\.appleid\.com/);

    const secret = lastTokenRequest("appleid.apple.com/auth/token").form.get("client_secret")!;
    assert.deepEqual(decodeProtectedHeader(secret), { alg: "ES256", kid: "ABC123DEFG" });
    const { payload } = await jwtVerify(secret, appleKey.publicKey, { issuer: "TEAM123456", subject: "com.example.web", audience: "https://appleid.apple.com" });
    assert.ok(payload.exp! - payload.iat! <= 300);
    const identity = await s.ctx.storage.identities.findByProvider("apple", "001234.abcdef0123456789.1234");
    assert.equal(identity?.claims.email_verified, true);
    assert.equal(identity?.claims.given_name, "Jane");
    assert.equal(identity?.claims.family_name, "Appleseed");
  });

  it("Apple: the client secret is signed with the configured key and dated by the clock it is given", async () => {
    const config = parseConfig({
      identity: { oauth: { providers: [{ alias: "apple", type: "apple", client_id: "com.example.web", key_id: "KEY1", team_id: "TEAM1", client_secret: await exportPKCS8(appleKey.privateKey) }] } },
    });
    const at = 1_700_000_000;
    const secret = await appleClientSecret(config.identity.oauth.providers[0], at);
    const { payload, protectedHeader } = await jwtVerify(secret, appleKey.publicKey, { currentDate: new Date((at + 10) * 1000) });
    assert.deepEqual(protectedHeader, { alg: "ES256", kid: "KEY1" });
    assert.deepEqual(payload, { iss: "TEAM1", sub: "com.example.web", aud: "https://appleid.apple.com", iat: at, exp: at + 300 });
    // Another key does not verify it.
    const other = await generateKeyPair("ES256");
    await assert.rejects(jwtVerify(secret, other.publicKey, { currentDate: new Date((at + 10) * 1000) }));
  });
});
