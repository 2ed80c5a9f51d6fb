// Refresh-token rotation under concurrency and theft (RFC 9700 §4.14.2), over HTTP on SQLite and
// PostgreSQL: concurrent refreshes of one token converge on one live token; a retry within the
// grace window gets that token; a rotated token presented after the window revokes the grant
// (feed and audit log); a forged secret revokes nothing; with rotation off nothing changes.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { setup, postToken, tokensFor as tokensForClient, SPA_CLIENT, CONFIDENTIAL_CLIENT, type Fixture } from "./fixture.ts";
import { testDatabases } from "../support/databases.ts";

const ROTATING = { ...SPA_CLIENT, client_id: "rotating", refresh_token_rotation_enabled: true };
const STRICT = { ...SPA_CLIENT, client_id: "strict", refresh_token_rotation_enabled: true, refresh_token_rotation_grace_period_seconds: 0 };
const GRACE = 10;

for (const db of testDatabases()) {
  describe(`refresh token reuse on ${db.name}`, { skip: db.skip }, () => {
    let f: Fixture;
    before(async () => { f = await setup({ databaseUrl: db.url, clients: [SPA_CLIENT, CONFIDENTIAL_CLIENT, ROTATING, STRICT] }); });
    after(async () => {
      await f?.server.close();
      await db.drop();
    });

    const tokensFor = (clientId: string) => tokensForClient(f, clientId);
    const refresh = (clientId: string, token: string) => postToken(f, { grant_type: "refresh_token", client_id: clientId, refresh_token: token });
    const userinfo = async (accessToken: string) => (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
    const grantId = (token: string) => token.split(".")[0];

    it("a burst of 10 concurrent refreshes of one token all succeed and converge on one live token", async () => {
      const first = await tokensFor("rotating");
      const burst = await Promise.all(Array.from({ length: 10 }, () => refresh("rotating", first.refresh_token)));
      assert.deepEqual(burst.map((r) => r.status), Array(10).fill(200), JSON.stringify(burst.map((r) => r.body)));
      const issued = new Set(burst.map((r) => r.body.refresh_token as string));
      assert.equal(issued.size, 1, "every refresh got the same new token");
      const [next] = issued;
      assert.notEqual(next, first.refresh_token);
      for (const r of burst) assert.equal(await userinfo(r.body.access_token as string), 200);
      // The converged token is the live one: it rotates in turn.
      const after = await refresh("rotating", next);
      assert.equal(after.status, 200);
      assert.notEqual(after.body.refresh_token, next);
    });

    it("a retry of the rotated token within the window gets the same token (the first response was lost)", async () => {
      const first = await tokensFor("rotating");
      const lost = await refresh("rotating", first.refresh_token);
      assert.equal(lost.status, 200);
      f.server.advance(GRACE - 1);
      const retry = await refresh("rotating", first.refresh_token);
      assert.equal(retry.status, 200);
      assert.equal(retry.body.refresh_token, lost.body.refresh_token);
      assert.equal((await refresh("rotating", retry.body.refresh_token as string)).status, 200);
    });

    it("a rotated token presented after the window revokes the grant: the live token dies, the feed and the audit log say so", async () => {
      const first = await tokensFor("rotating");
      const rotated = await refresh("rotating", first.refresh_token);
      assert.equal(rotated.status, 200);
      const seq = await f.server.ctx.storage.revocations.latestSeq();
      f.server.advance(GRACE + 1);
      const reuse = await refresh("rotating", first.refresh_token);
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error, "invalid_grant");
      // The thief (or the victim) holding the live token is cut off too, and so are its access tokens.
      assert.equal((await refresh("rotating", rotated.body.refresh_token as string)).body.error, "invalid_grant");
      assert.equal(await userinfo(rotated.body.access_token as string), 401);
      const events = await f.server.ctx.storage.revocations.since(seq, 100);
      assert.deepEqual(events.map((e) => [e.kind, e.id]), [["grant", `o.${grantId(first.refresh_token)}`]]);
      const audit = await f.server.ctx.storage.auditLog.list({ limit: 10, targetId: f.userId });
      const entry = audit.items.find((e) => e.details.sid === `o.${grantId(first.refresh_token)}`);
      assert.deepEqual(entry && { actor: entry.actor, action: entry.action, details: entry.details }, {
        actor: "system", action: "token.reuse_detected", details: { sid: `o.${grantId(first.refresh_token)}`, reason: "refresh_token_reuse", client_id: "rotating" },
      });
      // Presenting it again changes nothing more: one event, one entry.
      assert.equal((await refresh("rotating", first.refresh_token)).body.error, "invalid_grant");
      assert.equal((await f.server.ctx.storage.revocations.since(seq, 100)).length, 1);
    });

    it("a forged secret for a real grant is invalid_grant and revokes nothing", async () => {
      const first = await tokensFor("rotating");
      const forged = `${grantId(first.refresh_token)}.${randomBytes(32).toString("base64url")}`;
      const seq = await f.server.ctx.storage.revocations.latestSeq();
      assert.equal((await refresh("rotating", forged)).body.error, "invalid_grant");
      const rotated = await refresh("rotating", first.refresh_token);
      assert.equal(rotated.status, 200);
      f.server.advance(GRACE + 1);
      assert.equal((await refresh("rotating", forged)).body.error, "invalid_grant");
      assert.equal((await refresh("rotating", rotated.body.refresh_token as string)).status, 200);
      assert.equal(await f.server.ctx.storage.revocations.latestSeq(), seq);
    });

    it("with a grace period of 0 any reuse revokes, even at once", async () => {
      const first = await tokensFor("strict");
      const rotated = await refresh("strict", first.refresh_token);
      assert.equal(rotated.status, 200);
      assert.equal((await refresh("strict", first.refresh_token)).body.error, "invalid_grant");
      assert.equal((await refresh("strict", rotated.body.refresh_token as string)).body.error, "invalid_grant");
    });

    it("revoking with the token a rotation just replaced ends the grant (a tab logging out)", async () => {
      const first = await tokensFor("rotating");
      const rotated = await refresh("rotating", first.refresh_token);
      const res = await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${first.refresh_token}` });
      assert.equal(res.status, 200);
      assert.equal((await refresh("rotating", rotated.body.refresh_token as string)).body.error, "invalid_grant");
    });

    it("with rotation off the token stays the same and concurrent refreshes all succeed", async () => {
      const first = await tokensFor(SPA_CLIENT.client_id);
      const burst = await Promise.all(Array.from({ length: 10 }, () => refresh(SPA_CLIENT.client_id, first.refresh_token)));
      assert.deepEqual(burst.map((r) => r.status), Array(10).fill(200));
      for (const r of burst) assert.equal(r.body.refresh_token, undefined);
      f.server.advance(GRACE + 1);
      assert.equal((await refresh(SPA_CLIENT.client_id, first.refresh_token)).status, 200);
    });
  });
}
