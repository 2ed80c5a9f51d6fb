// The refresh grant reads a non-rotating grant and its user through the validity cache
// (oauth/token/presented-grant.ts). A cached answer may only let a refresh go on: revocations and
// disabling on this node refuse at once, another node's revocation once the revocation log reaches
// this one, and anything the cache would refuse (bar a revocation) is asked of storage again first.
// Over HTTP on SQLite and PostgreSQL.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, postToken, tokensFor as tokensForClient, SPA_CLIENT, type Fixture } from "./fixture.ts";
import { testDatabases } from "../support/databases.ts";
import { logOptions, disableUser } from "../../src/session/revocation.ts";
import { adminSetDisabled } from "../../src/admin/operations.ts";

const IDLE = { ...SPA_CLIENT, client_id: "idle", refresh_token_idle_timeout_enabled: true, refresh_token_idle_timeout_seconds: 300 };

for (const db of testDatabases()) {
  describe(`refresh from the validity cache on ${db.name}`, { skip: db.skip }, () => {
    let f: Fixture;
    before(async () => { f = await setup({ databaseUrl: db.url, clients: [SPA_CLIENT, IDLE], revocationPollMs: 50 }); });
    after(async () => {
      await f?.server.close();
      await db.drop();
    });

    const tokensFor = (clientId: string) => tokensForClient(f, clientId);
    const refresh = (clientId: string, token: string) => postToken(f, { grant_type: "refresh_token", client_id: clientId, refresh_token: token });
    const grantId = (token: string) => token.split(".")[0];

    it("a grant revoked on this node is refused at the next refresh, though its row was cached", async () => {
      const t = await tokensFor(SPA_CLIENT.client_id);
      assert.equal((await refresh(SPA_CLIENT.client_id, t.refresh_token)).status, 200);
      const revoked = await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", body: new URLSearchParams({ token: t.refresh_token, client_id: SPA_CLIENT.client_id }) });
      assert.equal(revoked.status, 200);
      const after = await refresh(SPA_CLIENT.client_id, t.refresh_token);
      assert.equal(after.status, 400);
      assert.equal(after.body.error, "invalid_grant");
    });

    it("a grant revoked by another node is refused once the revocation log reaches this one", async () => {
      const t = await tokensFor(SPA_CLIENT.client_id);
      assert.equal((await refresh(SPA_CLIENT.client_id, t.refresh_token)).status, 200);
      // Another node's revocation: the row and the log are written, this node's listeners are not told.
      await f.server.ctx.storage.cascades.revokeByGrant(grantId(t.refresh_token), logOptions(f.server.ctx));
      const deadline = Date.now() + 5_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        status = (await refresh(SPA_CLIENT.client_id, t.refresh_token)).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 400, "the revocation never reached this node's cache");
    });

    it("disabling the user refuses at once; enabling again lets the next refresh through at once", async () => {
      const t = await tokensFor(SPA_CLIENT.client_id);
      assert.equal((await refresh(SPA_CLIENT.client_id, t.refresh_token)).status, 200);
      const userId = JSON.parse(Buffer.from(t.access_token.split(".")[1], "base64url").toString()).sub as string;
      await disableUser(f.server.ctx, userId, "test");
      const refused = await refresh(SPA_CLIENT.client_id, t.refresh_token);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, "invalid_grant");
      // The cache now holds the disabled user: the refusal it would give is checked against storage.
      await adminSetDisabled(f.server.ctx, { id: "test" }, userId, false, "");
      assert.equal((await refresh(SPA_CLIENT.client_id, t.refresh_token)).status, 200);
    });

    it("a cached row that looks idle is read again: another node's later use keeps the grant alive", async () => {
      const t = await tokensFor(IDLE.client_id);
      assert.equal((await refresh(IDLE.client_id, t.refresh_token)).status, 200);
      const at = f.server.ctx.now();
      // Another node refreshed 200 s later: its last-access write is in storage, not in this node's cache.
      f.server.advance(200);
      assert.ok(await f.server.ctx.storage.offlineGrants.touch(grantId(t.refresh_token), { at: at + 200, ip: "192.0.2.1", userAgent: "other node" }));
      // 350 s after the cached last use (idle timeout 300 s) but 150 s after the real one.
      f.server.advance(150);
      const r = await refresh(IDLE.client_id, t.refresh_token);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      // And truly idle 301 s after that: refused.
      f.server.advance(301);
      assert.equal((await refresh(IDLE.client_id, t.refresh_token)).status, 400);
    });
  });
}
