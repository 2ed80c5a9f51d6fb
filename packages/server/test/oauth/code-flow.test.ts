// The happy path, driven by openid-client against the real server over HTTP.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from "jose";
import { setup, loginWithPkce, exchange, oidc, SPA_CLIENT, EMAIL, type Fixture } from "./fixture.ts";

describe("authorization code flow with PKCE", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });

  it("publishes discovery on both well-known paths", async () => {
    const meta = f.spa.serverMetadata();
    assert.equal(meta.issuer, f.server.url);
    assert.deepEqual(meta.code_challenge_methods_supported, ["S256"]);
    assert.ok(meta.response_types_supported?.includes("none"));
    assert.ok(meta.scopes_supported?.includes("https://authgear.com/scopes/full-access"));
    const other = await (await fetch(`${f.server.url}/.well-known/oauth-authorization-server`)).json();
    assert.equal(other.token_endpoint, `${f.server.url}/oauth2/token`);
  });

  it("signs in, validates the ID token, calls userinfo, refreshes, revokes and ends the session", async () => {
    const login = await loginWithPkce(f);
    assert.equal(login.callback.searchParams.get("iss"), f.server.url);
    const tokens = await exchange(f, login);
    assert.equal(tokens.token_type.toLowerCase(), "bearer");
    assert.equal(tokens.expires_in, 1800);
    assert.ok(tokens.refresh_token && /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/.test(tokens.refresh_token));
    const idClaims = tokens.claims()!;
    assert.equal(idClaims.aud, SPA_CLIENT.client_id);
    assert.equal(idClaims.exp - idClaims.iat, 300);
    assert.deepEqual(idClaims.amr, ["pwd"]);
    assert.equal(typeof idClaims.sid, "string");
    assert.equal(idClaims["https://authgear.com/claims/user/is_verified"], true);

    // The access token is a JWT an app backend verifies locally with JWKS.
    assert.equal(decodeProtectedHeader(tokens.access_token).typ, "at+jwt");
    const jwks = createRemoteJWKSet(new URL(`${f.server.url}/oauth2/jwks`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: f.server.url, audience: f.server.url, typ: "at+jwt" });
    assert.equal(payload.sub, f.userId);
    assert.equal(payload.client_id, SPA_CLIENT.client_id);
    assert.equal(payload.exp! - payload.iat!, 1800);
    for (const claim of ["auth_time", "amr", "jti", "sid", "scope"]) assert.ok(claim in payload, claim);
    assert.deepEqual(payload["https://authgear.com/claims/user/roles"], []);

    const info = await oidc.fetchUserInfo(f.spa, tokens.access_token, f.userId);
    assert.equal(info.email, EMAIL);
    assert.equal(info["https://authgear.com/claims/user/is_anonymous"], false);

    const refreshed = await oidc.refreshTokenGrant(f.spa, tokens.refresh_token!);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.ok(refreshed.id_token);
    await oidc.fetchUserInfo(f.spa, refreshed.access_token, f.userId);

    await oidc.tokenRevocation(f.spa, tokens.refresh_token!);
    await assert.rejects(oidc.refreshTokenGrant(f.spa, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === "invalid_grant");
    // Access tokens of a revoked grant die at once, server-side.
    await assert.rejects(oidc.fetchUserInfo(f.spa, refreshed.access_token, f.userId));

    // end_session clears the IdP session: the next prompt=none request needs a login.
    const end = oidc.buildEndSessionUrl(f.spa, { post_logout_redirect_uri: SPA_CLIENT.post_logout_redirect_uris[0], id_token_hint: tokens.id_token!, state: "bye" });
    const out = await login.agent.follow(end.toString(), f.server.url);
    assert.equal(out.url, `${SPA_CLIENT.post_logout_redirect_uris[0]}?state=bye`);
    assert.equal(login.agent.cookies.has("session"), false);
    const again = oidc.buildAuthorizationUrl(f.spa, {
      redirect_uri: SPA_CLIENT.redirect_uris[0], scope: "openid", prompt: "none",
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: "S256",
    });
    const res = await login.agent.follow(again.toString(), f.server.url);
    assert.equal(new URL(res.url).searchParams.get("error"), "login_required");
  });

  it("reuses the IdP session: a second authorization completes without the login page (SSO)", async () => {
    const first = await loginWithPkce(f);
    await exchange(f, first);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(f.spa, {
      redirect_uri: SPA_CLIENT.redirect_uris[0], scope: "openid", prompt: "none", state: "s2",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    });
    const res = await first.agent.follow(url.toString(), f.server.url);
    const callback = new URL(res.url);
    assert.ok(callback.searchParams.get("code"));
    const tokens = await oidc.authorizationCodeGrant(f.spa, callback, { pkceCodeVerifier: verifier, expectedState: "s2" });
    assert.equal(tokens.refresh_token, undefined, "no offline_access, no refresh token");
    await oidc.fetchUserInfo(f.spa, tokens.access_token, f.userId);
  });

  it("refreshes an ID token with Authgear's id-token grant", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const res = await fetch(`${f.server.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${tokens.access_token}` },
      body: new URLSearchParams({ grant_type: "urn:authgear:params:oauth:grant-type:id-token", client_id: SPA_CLIENT.client_id }),
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    const jwks = createRemoteJWKSet(new URL(`${f.server.url}/oauth2/jwks`));
    const { payload } = await jwtVerify(body.id_token, jwks, { issuer: f.server.url, audience: SPA_CLIENT.client_id });
    assert.equal(payload.sub, f.userId);
  });

  it("lets a confidential client authenticate with client_secret_basic", async () => {
    const { CONFIDENTIAL_CLIENT } = await import("./fixture.ts");
    const login = await loginWithPkce(f, { config: f.backend, redirectUri: CONFIDENTIAL_CLIENT.redirect_uris[0] });
    const tokens = await oidc.authorizationCodeGrant(f.backend, login.callback, { pkceCodeVerifier: login.verifier, expectedNonce: login.nonce, expectedState: login.state });
    assert.ok(tokens.refresh_token);
    const refreshed = await oidc.refreshTokenGrant(f.backend, tokens.refresh_token!);
    assert.ok(refreshed.access_token);
  });
});
