// DPoP (RFC 9449) end to end: the real server over HTTP, driven by a client that builds each request
// exactly as Authgear's React Native, iOS and Android SDKs do (sdk-client.ts cites the source lines).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { startTestServer, freePort, type TestServer } from "../../packages/server/test/support/server.ts";
import { testDatabases } from "../../packages/server/test/support/databases.ts";
import { UserAgent } from "../../packages/server/test/support/user-agent.ts";
import { REDIS_URL, dropRedisKeys } from "../../packages/server/test/support/redis.ts";
import { EMAIL, PASSWORD } from "../../packages/server/test/oauth/fixture.ts";
import { NativeSdk, deviceInfo, type Platform } from "./sdk-client.ts";

const NATIVE = { client_id: "test-native", name: "Native app", x_application_type: "native", redirect_uris: ["com.example.app://host/after-authentication"] };
const WEB = { client_id: "test-spa", name: "Web app", x_application_type: "spa", redirect_uris: ["http://127.0.0.1:9/callback"] };

const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()) as Record<string, unknown>;

interface Tokens { access_token: string; refresh_token: string; token_type: string }

/** Signs in through the login page as the SDK's authenticate() would, and exchanges the code. */
async function signIn(server: TestServer, sdk: NativeSdk, options: { dpop?: boolean; client?: typeof NATIVE } = {}): Promise<Tokens> {
  const client = options.client ?? NATIVE;
  const { code, verifier } = await authorize(server, sdk, options);
  const r = await sdk.token(`${server.url}/oauth2/token`, {
    grant_type: "authorization_code", client_id: client.client_id, code, redirect_uri: client.redirect_uris[0], code_verifier: verifier, x_device_info: deviceInfo(sdk.platform),
  }, { proof: options.dpop === false ? null : undefined });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as unknown as Tokens;
}

async function authorize(server: TestServer, sdk: NativeSdk, options: { dpop?: boolean; client?: typeof NATIVE } = {}): Promise<{ code: string; verifier: string }> {
  const client = options.client ?? NATIVE;
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const url = sdk.authorizeUrl(`${server.url}/oauth2/authorize`, { clientId: client.client_id, redirectUri: client.redirect_uris[0], challenge, state: randomUUID(), dpop: options.dpop });
  const callback = new URL(await new UserAgent().signIn(url, server.url, EMAIL, PASSWORD));
  const code = callback.searchParams.get("code");
  assert.ok(code, `no code in ${callback}`);
  return { code, verifier };
}

const refresh = (server: TestServer, sdk: NativeSdk, refreshToken: string, proof?: string | null) =>
  sdk.token(`${server.url}/oauth2/token`, { grant_type: "refresh_token", client_id: NATIVE.client_id, refresh_token: refreshToken, x_device_info: deviceInfo(sdk.platform) }, { proof });

for (const db of testDatabases()) {
  describe(`DPoP with the native SDKs on ${db.name}`, { skip: db.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ clients: [NATIVE, WEB], databaseUrl: db.url });
      await server.createUser(EMAIL, PASSWORD);
    });
    after(async () => {
      await server?.close();
      await db.drop();
    });

    it("react-native: sign-in binds refresh and access tokens; a bound refresh is refused without a proof, with another key's, with a replayed one", async () => {
      const sdk = new NativeSdk("react-native");
      const tokens = await signIn(server, sdk);
      assert.equal(tokens.token_type, "DPoP");
      assert.deepEqual(claims(tokens.access_token).cnf, { jkt: sdk.jkt() });

      const tokenUrl = `${server.url}/oauth2/token`;
      const noProof = await refresh(server, sdk, tokens.refresh_token, null);
      assert.equal(noProof.status, 400);
      assert.equal(noProof.body.error, "invalid_dpop_proof");
      const thief = new NativeSdk("react-native");
      const otherKey = await refresh(server, thief, tokens.refresh_token);
      assert.equal(otherKey.status, 400);
      assert.equal(otherKey.body.error, "invalid_dpop_proof");
      assert.match(String(otherKey.body.error_description), /another key/);

      const proof = sdk.proof("POST", tokenUrl);
      const first = await refresh(server, sdk, tokens.refresh_token, proof);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.token_type, "DPoP");
      assert.deepEqual(claims(String(first.body.access_token)).cnf, { jkt: sdk.jkt() });
      const replayed = await refresh(server, sdk, String(first.body.refresh_token ?? tokens.refresh_token), proof);
      assert.equal(replayed.status, 400);
      assert.equal(replayed.body.error, "invalid_dpop_proof");
      assert.match(String(replayed.body.error_description), /already been used/);

      // None of the refused attempts spent or revoked anything: the holder refreshes again.
      const again = await refresh(server, sdk, String(first.body.refresh_token ?? tokens.refresh_token));
      assert.equal(again.status, 200, JSON.stringify(again.body));
    });

    it("app_session_token (open(Page.Settings)) takes a bound refresh token only with its key's proof", async () => {
      const sdk = new NativeSdk("android");
      const tokens = await signIn(server, sdk);
      const url = `${server.url}/oauth2/app_session_token`;
      // AuthgearCore.kt's appSessionToken: JSON {refresh_token}, through the SDK's DPoP-attaching fetch.
      const ask = (proof?: string | null) => sdk.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refresh_token: tokens.refresh_token }), proof });
      const without = await ask(null);
      assert.equal(without.status, 403);
      assert.match(((await without.json()) as { error: { message: string } }).error.message, /^invalid_dpop_proof:/);
      const other = await ask(new NativeSdk("android").proof("POST", url));
      assert.equal(other.status, 403);
      const stale = await ask(sdk.proof("POST", `${server.url}/oauth2/token`));
      assert.equal(stale.status, 400, "a proof for another URI is refused");
      const ok = await ask();
      assert.equal(ok.status, 200);
      assert.ok(((await ok.json()) as { result: { app_session_token: string } }).result.app_session_token);
    });

    it("a code bound by dpop_jkt is exchanged only with that key's proof, and is not burned by refused attempts", async () => {
      const sdk = new NativeSdk("react-native");
      const { code, verifier } = await authorize(server, sdk);
      const form = { grant_type: "authorization_code", client_id: NATIVE.client_id, code, redirect_uri: NATIVE.redirect_uris[0], code_verifier: verifier };
      const url = `${server.url}/oauth2/token`;
      for (const attempt of [await sdk.token(url, form, { proof: null }), await new NativeSdk("android").token(url, form)]) {
        assert.equal(attempt.status, 400);
        assert.equal(attempt.body.error, "invalid_dpop_proof");
      }
      const ok = await sdk.token(url, form);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });
  });
}

describe("DPoP with each native SDK's keys, and clients without DPoP", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ clients: [NATIVE, WEB] });
    await server.createUser(EMAIL, PASSWORD);
  });
  after(async () => server?.close());

  for (const platform of ["ios", "android", "react-native"] as Platform[]) {
    it(`${platform}: sign-in, refresh and userinfo (Bearer token + proof, as the SDK sends them)`, async () => {
      const sdk = new NativeSdk(platform);
      const tokens = await signIn(server, sdk);
      assert.deepEqual(claims(tokens.access_token).cnf, { jkt: sdk.jkt() });
      const r = await refresh(server, sdk, tokens.refresh_token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const userinfo = await sdk.fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${String(r.body.access_token)}` } });
      assert.equal(userinfo.status, 200, await userinfo.clone().text());
      assert.equal(((await userinfo.json()) as { email: string }).email, EMAIL);
      // refreshIDToken: the id-token grant with the bound access token and the request's proof.
      const idToken = await sdk.token(`${server.url}/oauth2/token`, { grant_type: "urn:authgear:params:oauth:grant-type:id-token", client_id: NATIVE.client_id }, {});
      assert.equal(idToken.status, 400); // no access token sent: refused before anything else
      const res = await sdk.fetch(`${server.url}/oauth2/token`, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${String(r.body.access_token)}` },
        body: new URLSearchParams({ grant_type: "urn:authgear:params:oauth:grant-type:id-token", client_id: NATIVE.client_id }).toString(),
      });
      assert.equal(res.status, 200, await res.clone().text());
    });
  }

  it("a client without DPoP keeps working: Bearer tokens, no cnf, refresh and userinfo without proofs", async () => {
    const sdk = new NativeSdk("react-native");
    const tokens = await signIn(server, sdk, { dpop: false, client: WEB });
    assert.equal(tokens.token_type, "Bearer");
    assert.equal(claims(tokens.access_token).cnf, undefined);
    const r = await sdk.token(`${server.url}/oauth2/token`, { grant_type: "refresh_token", client_id: WEB.client_id, refresh_token: tokens.refresh_token }, { proof: null });
    assert.equal(r.status, 200);
    assert.equal(r.body.token_type, "Bearer");
    const userinfo = await fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${String(r.body.access_token)}` } });
    assert.equal(userinfo.status, 200);
  });

  it("refuses a malformed dpop_jkt on authorize and a bad or doubled DPoP header at the token endpoint, even for unbound tokens", async () => {
    const sdk = new NativeSdk("react-native");
    const url = new URL(sdk.authorizeUrl(`${server.url}/oauth2/authorize`, { clientId: NATIVE.client_id, redirectUri: NATIVE.redirect_uris[0], challenge: "x".repeat(43), state: "s" }));
    url.searchParams.set("dpop_jkt", "not-a-thumbprint");
    const res = await fetch(url, { redirect: "manual" });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get("location")!);
    assert.equal(back.searchParams.get("error"), "invalid_request");
    assert.match(back.searchParams.get("error_description") ?? "", /dpop_jkt/);

    const web = await signIn(server, sdk, { dpop: false, client: WEB });
    const form = { grant_type: "refresh_token", client_id: WEB.client_id, refresh_token: web.refresh_token };
    const tokenUrl = `${server.url}/oauth2/token`;
    const [h, payload] = sdk.proof("POST", tokenUrl).split(".");
    const algNone = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(h, "base64url").toString()), alg: "none" })).toString("base64url")}.${payload}.`;
    const stripped = `${h}.${payload}.`;
    for (const proof of ["garbage", `${sdk.proof("POST", tokenUrl)}, ${sdk.proof("POST", tokenUrl)}`, algNone, stripped]) {
      const r = await sdk.token(tokenUrl, form, { proof });
      assert.equal(r.status, 400);
      assert.equal(r.body.error, "invalid_dpop_proof");
    }
    // The refused requests spent nothing: the unbound refresh token still works without DPoP.
    assert.equal((await sdk.token(tokenUrl, form, { proof: null })).status, 200);
  });

  it("userinfo refuses a bound token without a proof, with a proof for another URI, and takes the DPoP scheme only with ath", async () => {
    const sdk = new NativeSdk("react-native");
    const { access_token: at } = await signIn(server, sdk);
    const url = `${server.url}/oauth2/userinfo`;
    const bare = await fetch(url, { headers: { authorization: `Bearer ${at}` } });
    assert.equal(bare.status, 401);
    assert.match(bare.headers.get("www-authenticate") ?? "", /^DPoP error="invalid_token"/);
    const wrongUri = await sdk.fetch(url, { headers: { authorization: `Bearer ${at}` }, proof: sdk.proof("GET", `${server.url}/oauth2/token`) });
    assert.equal(wrongUri.status, 401);
    assert.match(wrongUri.headers.get("www-authenticate") ?? "", /^DPoP error="invalid_dpop_proof"/);
    assert.equal(((await wrongUri.json()) as { error: string }).error, "invalid_dpop_proof");
    const ath = createHash("sha256").update(at).digest("base64url");
    const rfc = await sdk.fetch(url, { headers: { authorization: `DPoP ${at}` }, proof: sdk.proof("GET", url, { ath }) });
    assert.equal(rfc.status, 200);
    const noAth = await sdk.fetch(url, { headers: { authorization: `DPoP ${at}` } });
    assert.equal(noAth.status, 401);
    const noProof = await fetch(url, { headers: { authorization: `DPoP ${at}` } });
    assert.equal(noProof.status, 401);
    // An unbound token may come with a proof; the DPoP scheme, though, is for bound tokens only.
    const web = await signIn(server, sdk, { dpop: false, client: WEB });
    assert.equal((await sdk.fetch(url, { headers: { authorization: `Bearer ${web.access_token}` } })).status, 200);
    const webAth = createHash("sha256").update(web.access_token).digest("base64url");
    const unboundScheme = await sdk.fetch(url, { headers: { authorization: `DPoP ${web.access_token}` }, proof: sdk.proof("GET", url, { ath: webAth }) });
    assert.equal(unboundScheme.status, 401);
  });

  it("the resolver (no trusted proxy) checks a bound token's proof against its own URL", async () => {
    const sdk = new NativeSdk("android");
    const { access_token: at } = await signIn(server, sdk);
    const url = `${server.url}/_resolver/resolve`;
    const valid = async (res: Response): Promise<string | null> => res.headers.get("x-authgear-session-valid");
    assert.equal(await valid(await fetch(url, { headers: { authorization: `Bearer ${at}` } })), "false");
    assert.equal(await valid(await sdk.fetch(url, { headers: { authorization: `Bearer ${at}` } })), "true");
    // The proxy's headers are not trusted here: a proof for the app's URL does not pass.
    const forwarded = { authorization: `Bearer ${at}`, "x-original-uri": "/api/me", "x-original-method": "GET", "x-forwarded-proto": "https", "x-forwarded-host": "app.example.com" };
    assert.equal(await valid(await sdk.fetch(url, { headers: forwarded, proof: sdk.proof("GET", "https://app.example.com/api/me") })), "false");
  });
});

describe("DPoP across two nodes sharing a database and Redis", () => {
  const prefix = `gh-test-dpop-e2e-${randomUUID()}:`;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startTestServer({ clients: [NATIVE], config: { redis: { url: REDIS_URL, key_prefix: prefix } } });
    await a.createUser(EMAIL, PASSWORD);
    // Node B: the same public origin (behind one load balancer), the same SQLite file and Redis.
    const port = await freePort();
    b = await startTestServer({
      clients: [NATIVE], port, databaseUrl: a.ctx.config.database.url,
      config: { http: { public_origin: a.url, listen: `127.0.0.1:${port}`, trust_proxy: true }, redis: { url: REDIS_URL, key_prefix: prefix } },
    });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await dropRedisKeys(prefix);
  });

  it("a proof spent on one node is refused on the other; the resolver there reads the trusted proxy's headers", async () => {
    const sdk = new NativeSdk("react-native");
    const tokens = await signIn(a, sdk);
    const proof = sdk.proof("POST", `${a.url}/oauth2/token`);
    const form = { grant_type: "refresh_token", client_id: NATIVE.client_id, refresh_token: tokens.refresh_token };
    const onA = await sdk.token(`${a.url}/oauth2/token`, form, { proof });
    assert.equal(onA.status, 200, JSON.stringify(onA.body));
    const onB = await sdk.token(`${b.url}/oauth2/token`, { ...form, refresh_token: String(onA.body.refresh_token ?? tokens.refresh_token) }, { proof });
    assert.equal(onB.status, 400);
    assert.match(String(onB.body.error_description), /already been used/);
    const fresh = await sdk.token(`${b.url}/oauth2/token`, { ...form, refresh_token: String(onA.body.refresh_token ?? tokens.refresh_token) }, { proof: sdk.proof("POST", `${a.url}/oauth2/token`) });
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));

    const at = String(fresh.body.access_token);
    const headers = { authorization: `Bearer ${at}`, "x-original-uri": "/api/me?x=1", "x-original-method": "PATCH", "x-forwarded-proto": "https", "x-forwarded-host": "app.example.com" };
    const resolve = async (proofFor: [string, string]): Promise<string | null> =>
      (await sdk.fetch(`${b.url}/_resolver/resolve`, { headers, proof: sdk.proof(...proofFor) })).headers.get("x-authgear-session-valid");
    assert.equal(await resolve(["PATCH", "https://app.example.com/api/me?x=1"]), "true");
    assert.equal(await resolve(["GET", "https://app.example.com/api/me"]), "false");
    assert.equal(await resolve(["PATCH", "https://evil.example.com/api/me"]), "false");
  });
});
