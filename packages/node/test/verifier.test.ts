// createVerifier against the real server's tokens and JWKS.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair, SignJWT, decodeJwt, base64url } from "jose";
import { createVerifier, TokenVerificationError, type Verifier, type TokenVerificationErrorCode } from "../src/index.ts";
import { setup, signInTokens, refreshedAt, freePort, type Fixture, type Tokens } from "./support.ts";
import { adminUpdateUser } from "../../server/src/admin/operations.ts";

async function rejects(p: Promise<unknown>, code: TokenVerificationErrorCode): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof TokenVerificationError, `expected TokenVerificationError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

describe("createVerifier", () => {
  let f: Fixture;
  let tokens: Tokens;
  let verifier: Verifier;
  before(async () => {
    f = await setup();
    tokens = await signInTokens(f);
    verifier = createVerifier({ issuer: f.server.url });
  });
  after(async () => { await f.server.close(); });

  it("accepts a real access token and maps its claims", async () => {
    const c = await verifier.verifyAccessToken(tokens.access_token);
    assert.equal(c.userId, f.userId);
    assert.equal(c.issuer, f.server.url);
    assert.deepEqual(c.audience, [f.server.url]);
    assert.equal(c.clientId, "test-spa");
    assert.deepEqual(c.scopes, ["openid", "offline_access", "email"]);
    assert.match(c.sessionId!, /^o\.[0-9a-f]{32}$/);
    assert.ok(c.tokenId);
    assert.deepEqual(c.amr, ["pwd"]);
    assert.equal(c.isAnonymous, false);
    assert.equal(c.isVerified, true);
    assert.equal(c.canReauthenticate, true);
    assert.deepEqual(c.roles, []);
    assert.ok(c.authTime instanceof Date && c.authTime.getTime() <= Date.now());
    assert.ok(c.expiresAt.getTime() > Date.now() + 1700_000);
    assert.equal(c.raw.sub, f.userId);
  });

  it("carries roles", async () => {
    await adminUpdateUser(f.server.ctx, { id: "test" }, f.userId, { roles: ["admin", "editor"] });
    try {
      const t = await signInTokens(f);
      assert.deepEqual((await verifier.verifyAccessToken(t.access_token)).roles, ["admin", "editor"]);
    } finally {
      await adminUpdateUser(f.server.ctx, { id: "test" }, f.userId, { roles: [] });
    }
  });

  it("rejects a tampered token", async () => {
    const [h, , s] = tokens.access_token.split(".");
    const payload = { ...decodeJwt(tokens.access_token), sub: "someone-else" };
    await rejects(verifier.verifyAccessToken(`${h}.${base64url.encode(JSON.stringify(payload))}.${s}`), "invalid_signature");
    await rejects(verifier.verifyAccessToken(`${tokens.access_token.slice(0, -4)}AAAA`), "invalid_signature");
  });

  it("rejects an expired token (minted with the server clock an hour back)", async () => {
    const old = await refreshedAt(f, tokens.refresh_token, -3600);
    await rejects(verifier.verifyAccessToken(old), "expired");
    // A server clock somewhat ahead of ours is not an error: only exp (and nbf) are time checks.
    await verifier.verifyAccessToken(await refreshedAt(f, tokens.refresh_token, 120));
    // With our clock past exp + tolerance, the same token is expired.
    const fresh = await refreshedAt(f, tokens.refresh_token, 0);
    const exp = decodeJwt(fresh).exp! * 1000;
    await createVerifier({ issuer: f.server.url, now: () => exp + 4000 }).verifyAccessToken(fresh);
    await rejects(createVerifier({ issuer: f.server.url, now: () => exp + 6000 }).verifyAccessToken(fresh), "expired");
  });

  it("rejects the wrong issuer and the wrong audience", async () => {
    const jwksUri = `${f.server.url}/oauth2/jwks`;
    await rejects(createVerifier({ issuer: "https://identity.example.com", jwksUri }).verifyAccessToken(tokens.access_token), "wrong_issuer");
    await rejects(createVerifier({ issuer: f.server.url, audience: "https://api.example.com" }).verifyAccessToken(tokens.access_token), "wrong_audience");
  });

  it("rejects an ID token (typ is not at+jwt), even with aud set to the client", async () => {
    await rejects(verifier.verifyAccessToken(tokens.id_token), "wrong_type");
    await rejects(createVerifier({ issuer: f.server.url, audience: "test-spa" }).verifyAccessToken(tokens.id_token), "wrong_type");
  });

  it("rejects alg none, HS256 and garbage", async () => {
    const payload = base64url.encode(JSON.stringify(decodeJwt(tokens.access_token)));
    const none = `${base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt" }))}.${payload}.`;
    await rejects(verifier.verifyAccessToken(none), "unsupported_algorithm");
    const hs = await new SignJWT(decodeJwt(tokens.access_token)).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(new TextEncoder().encode("x".repeat(32)));
    await rejects(verifier.verifyAccessToken(hs), "unsupported_algorithm");
    for (const garbage of ["", "nope", "a.b.c", "x".repeat(20000)]) await rejects(verifier.verifyAccessToken(garbage), "malformed");
  });

  it("rejects a token signed by a key the issuer does not publish", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(decodeJwt(tokens.access_token)).setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: "not-ours" }).sign(privateKey);
    await rejects(verifier.verifyAccessToken(forged), "unknown_key");
  });

  it("picks up a rotated signing key (unknown kid refetches the JWKS)", async () => {
    const v = createVerifier({ issuer: f.server.url, jwks: { cooldownMs: 0 } });
    await v.verifyAccessToken(tokens.access_token);
    await f.server.ctx.keys.rotate(f.server.ctx.now());
    const fresh = (await signInTokens(f)).access_token;
    assert.notEqual(JSON.parse(Buffer.from(fresh.split(".")[0], "base64url").toString()).kid, JSON.parse(Buffer.from(tokens.access_token.split(".")[0], "base64url").toString()).kid);
    assert.equal((await v.verifyAccessToken(fresh)).userId, f.userId);
    assert.equal((await v.verifyAccessToken(tokens.access_token)).userId, f.userId, "the old key stays published");
  });

  it("asks the isRevoked hook last (where a revocation feed plugs in)", async () => {
    const revokedSessions = new Set<string>();
    const v = createVerifier({ issuer: f.server.url, isRevoked: (c) => revokedSessions.has(c.sessionId ?? "") });
    const c = await v.verifyAccessToken(tokens.access_token);
    revokedSessions.add(c.sessionId!);
    await rejects(v.verifyAccessToken(tokens.access_token), "revoked");
    const async = createVerifier({ issuer: f.server.url, isRevoked: async () => true });
    await rejects(async.verifyAccessToken(tokens.access_token), "revoked");
  });

  it("reports an unreachable JWKS as jwks_unavailable", async () => {
    const v = createVerifier({ issuer: f.server.url, jwksUri: `http://127.0.0.1:${await freePort()}/oauth2/jwks`, jwks: { timeoutMs: 1000 } });
    await rejects(v.verifyAccessToken(tokens.access_token), "jwks_unavailable");
  });
});
