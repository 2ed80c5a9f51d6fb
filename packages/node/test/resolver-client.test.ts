// createResolverClient against the real /_resolver/resolve.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createResolverClient, ResolverError } from "../src/index.ts";
import { setup, loginWithPkce, exchange, revokeRefreshToken, freePort, UserAgent, type Fixture } from "./support.ts";
import { adminUpdateUser } from "../../server/src/admin/operations.ts";

describe("createResolverClient", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });

  /** A fetch that records what was sent to the resolver. */
  function recordingFetch(): { fetch: typeof fetch; calls: Headers[] } {
    const calls: Headers[] = [];
    return { calls, fetch: (input, init) => { calls.push(new Headers(init?.headers)); return fetch(input, init); } };
  }

  it("resolves a bearer token to a typed session", async () => {
    await adminUpdateUser(f.server.ctx, { id: "test" }, f.userId, { roles: ["admin", "editor"] });
    try {
      const tokens = await exchange(f, await loginWithPkce(f));
      const client = createResolverClient({ endpoint: f.server.url, cacheTtlMs: 0 });
      const s = await client.resolve({ authorization: `Bearer ${tokens.access_token}` });
      assert.ok(s);
      assert.equal(s.userId, f.userId);
      assert.equal(s.isAnonymous, false);
      assert.equal(s.isVerified, true);
      assert.equal(s.canReauthenticate, true);
      assert.deepEqual(s.roles, ["admin", "editor"]);
      assert.deepEqual(s.amr, ["pwd"]);
      assert.ok(s.authenticatedAt instanceof Date);
      assert.ok(Math.abs(s.authenticatedAt.getTime() - Date.now()) < 60_000);
    } finally {
      await adminUpdateUser(f.server.ctx, { id: "test" }, f.userId, { roles: [] });
    }
  });

  it("resolves the IdP session cookie, forwarding only that cookie", async () => {
    const login = await loginWithPkce(f, { agent: new UserAgent() });
    const rec = recordingFetch();
    const client = createResolverClient({ endpoint: f.server.url, cacheTtlMs: 0, fetch: rec.fetch });
    const s = await client.resolve({ cookie: `theme=dark; session=${login.agent.cookies.get("session")}; app_csrf=secret` });
    assert.equal(s?.userId, f.userId);
    assert.deepEqual(s?.roles, []);
    assert.equal(rec.calls[0].get("cookie"), `session=${login.agent.cookies.get("session")}`);
    assert.equal(rec.calls[0].get("authorization"), null);
  });

  it("answers null without asking when there is no credential, and null for a bad one", async () => {
    const rec = recordingFetch();
    const client = createResolverClient({ endpoint: f.server.url, cacheTtlMs: 0, fetch: rec.fetch });
    assert.equal(await client.resolve({}), null);
    assert.equal(await client.resolve({ cookie: "theme=dark" }), null);
    assert.equal(rec.calls.length, 0);
    assert.equal(await client.resolve({ authorization: "Bearer a.b.c" }), null);
    assert.equal(await client.resolve({ cookie: "session=0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }), null);
  });

  it("is null right after the grant is revoked when the cache is off", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const client = createResolverClient({ endpoint: f.server.url, cacheTtlMs: 0 });
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    assert.ok(await client.resolve(auth));
    await revokeRefreshToken(f, tokens.refresh_token!);
    assert.equal(await client.resolve(auth), null);
  });

  it("with a TTL, reuses an answer until it expires (a revoked session is seen up to the TTL late)", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    let clock = 1_000_000;
    const rec = recordingFetch();
    const client = createResolverClient({ endpoint: f.server.url, cacheTtlMs: 5000, fetch: rec.fetch, now: () => clock });
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    assert.ok(await client.resolve(auth));
    await revokeRefreshToken(f, tokens.refresh_token!);
    clock += 4000;
    assert.equal((await client.resolve(auth))?.userId, f.userId, "still cached");
    assert.equal(rec.calls.length, 1);
    clock += 1001;
    assert.equal(await client.resolve(auth), null, "the TTL passed: asked again");
    assert.equal(rec.calls.length, 2);
  });

  it("sends one request for concurrent resolves of the same credential", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const rec = recordingFetch();
    const client = createResolverClient({ endpoint: f.server.url, cacheTtlMs: 0, fetch: rec.fetch });
    const results = await Promise.all(Array.from({ length: 8 }, () => client.resolve({ authorization: `Bearer ${tokens.access_token}` })));
    assert.ok(results.every((s) => s?.userId === f.userId));
    assert.equal(rec.calls.length, 1);
  });

  it("keeps the cache bounded", async () => {
    const rec = recordingFetch();
    const client = createResolverClient({ endpoint: f.server.url, cacheMaxEntries: 2, fetch: rec.fetch });
    for (const t of ["a", "b", "c", "a"]) await client.resolve({ authorization: `Bearer ${t}` });
    assert.equal(rec.calls.length, 4, "a was evicted by c");
    await client.resolve({ authorization: "Bearer c" });
    assert.equal(rec.calls.length, 4, "c is still cached");
  });

  it("throws ResolverError when Gatehouse is unreachable (fail closed)", async () => {
    const client = createResolverClient({ endpoint: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1000 });
    await assert.rejects(client.resolve({ authorization: "Bearer x" }), ResolverError);
  });
});
