// Issue 4's promise, end to end: a token accepted locally; an operator revokes the session with the
// admin API; within a second the same token is refused by the SDK's local verifier (through the
// revocation feed), by the resolver and by userinfo, and the refresh token no longer works.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createVerifier, TokenVerificationError, type Verifier } from "../src/index.ts";
import { createAdminKey } from "../../server/src/admin/keys.ts";
import { setup, signInTokens, postToken, SPA_CLIENT, type Fixture } from "./support.ts";

async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not within ${ms} ms`);
}

const refused = (v: Verifier, token: string) => async (): Promise<boolean> => {
  try {
    await v.verifyAccessToken(token);
    return false;
  } catch (err) {
    return err instanceof TokenVerificationError && err.code === "revoked";
  }
};

describe("revocation reaches locally verifying backends within a second", () => {
  let f: Fixture;
  let key: string;
  let verifier: Verifier;
  const warnings: string[] = [];
  before(async () => {
    f = await setup();
    key = (await createAdminKey(f.server.ctx, "feed-test")).key;
    verifier = createVerifier({ issuer: f.server.url, logger: { warn: (m) => warnings.push(m) } });
  });
  after(async () => {
    verifier.close();
    await f.server.close();
  });

  const admin = (method: string, path: string, body?: unknown) => fetch(`${f.server.url}/_api/admin${path}`, {
    method, headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });

  it("refuses a token of a session the operator revoked", async () => {
    const tokens = await signInTokens(f);
    const claims = await verifier.verifyAccessToken(tokens.access_token);
    await verifier.feed!.ready;
    const res = await admin("DELETE", `/users/${claims.userId}/sessions/${claims.sessionId}`);
    assert.equal(res.status, 200);
    const ms = await within(1000, refused(verifier, tokens.access_token));
    assert.ok(ms < 1000, `${ms} ms`);
    const resolve = await fetch(`${f.server.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(resolve.headers.get("x-authgear-session-valid"), "false");
    assert.equal((await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status, 401);
    const refresh = await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: tokens.refresh_token });
    assert.equal(refresh.body.error, "invalid_grant");
  });

  it("refuses every token of a disabled user, and accepts new ones after enabling", async () => {
    const a = await signInTokens(f);
    const claims = await verifier.verifyAccessToken(a.access_token);
    await admin("POST", `/users/${claims.userId}/disable`, { reason: "test" });
    await within(1000, refused(verifier, a.access_token));
    await admin("POST", `/users/${claims.userId}/enable`);
    await new Promise((r) => setTimeout(r, 1100));
    const b = await signInTokens(f);
    assert.equal((await verifier.verifyAccessToken(b.access_token)).userId, claims.userId);
  });

  it("says so in its logs and keeps verifying signatures when the feed is unreachable", async () => {
    // A second server that goes away after the verifier has its keys: the feed breaks, JWKS is cached.
    const g = await setup();
    const tokens = await signInTokens(g);
    const logs: string[] = [];
    const lonely = createVerifier({ issuer: g.server.url, logger: { warn: (m) => logs.push(m) } });
    try {
      const before = await lonely.verifyAccessToken(tokens.access_token);
      await lonely.feed!.ready;
      await g.server.close();
      await within(3000, async () => logs.some((m) => /revocation feed .* unreachable/.test(m)));
      assert.equal(lonely.feed!.connected, false);
      assert.equal((await lonely.verifyAccessToken(tokens.access_token)).userId, before.userId);
    } finally {
      lonely.close();
    }
    assert.deepEqual(warnings, [], "the healthy verifier logged nothing");
  });
});
