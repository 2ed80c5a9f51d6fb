// Authorization-code exchange edge cases, over HTTP on SQLite and PostgreSQL: a failed exchange
// (another client, a missing or wrong verifier, a wrong redirect_uri) must not spend the code, and
// a replay (RFC 6749 §4.1.2, RFC 9700 §4.5) must kill what the first exchange issued, even when
// the two race, and even without offline_access (the access token then names the IdP session).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, postToken, oidc, SPA_CLIENT, CONFIDENTIAL_CLIENT, type Fixture, type PkceLogin } from "./fixture.ts";
import { testDatabases } from "../support/databases.ts";

const BACKEND_AUTH = { authorization: `Basic ${Buffer.from(`${CONFIDENTIAL_CLIENT.client_id}:${CONFIDENTIAL_CLIENT.client_secret}`).toString("base64")}` };

for (const db of testDatabases()) {
  describe(`authorization code exchange on ${db.name}`, { skip: db.skip }, () => {
    let f: Fixture;
    before(async () => { f = await setup({ databaseUrl: db.url }); });
    after(async () => {
      await f?.server.close();
      await db.drop();
    });

    const form = (login: PkceLogin, over: Record<string, string | undefined> = {}): Record<string, string> => {
      const all: Record<string, string | undefined> = {
        grant_type: "authorization_code", client_id: SPA_CLIENT.client_id, code: login.callback.searchParams.get("code")!,
        redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: login.verifier, ...over,
      };
      return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
    };
    const userinfo = async (accessToken: string) => (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
    const refresh = (token: string) => postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: token });

    it("a code presented by another client first still works for its own client", async () => {
      const login = await loginWithPkce(f);
      const other = await postToken(f, form(login, { client_id: undefined }), BACKEND_AUTH);
      assert.equal(other.body.error, "invalid_grant");
      const own = await postToken(f, form(login));
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.equal(await userinfo(own.body.access_token as string), 200);
    });

    it("a missing or wrong verifier, or a wrong redirect_uri, does not spend the code", async () => {
      const login = await loginWithPkce(f);
      for (const over of [{ code_verifier: undefined }, { code_verifier: oidc.randomPKCECodeVerifier() }, { code_verifier: "short" }, { redirect_uri: "http://127.0.0.1:9/other" }]) {
        const res = await postToken(f, form(login, over));
        assert.equal(res.body.error, "invalid_grant", JSON.stringify(over));
      }
      const own = await postToken(f, form(login));
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.equal((await refresh(own.body.refresh_token as string)).status, 200, "nothing was revoked");
    });

    it("a replay that fails the client or PKCE check revokes nothing", async () => {
      const login = await loginWithPkce(f);
      const own = await postToken(f, form(login));
      assert.equal(own.status, 200);
      assert.equal((await postToken(f, form(login, { client_id: undefined }), BACKEND_AUTH)).body.error, "invalid_grant");
      assert.equal((await postToken(f, form(login, { code_verifier: oidc.randomPKCECodeVerifier() }))).body.error, "invalid_grant");
      assert.equal(await userinfo(own.body.access_token as string), 200);
      assert.equal((await refresh(own.body.refresh_token as string)).status, 200);
    });

    /** Rounds of parallel exchanges of one code: exactly one wins, and its tokens end up dead. */
    async function raceRounds(rounds: number, scope: string): Promise<void> {
      for (let round = 0; round < rounds; round++) {
        const login = await loginWithPkce(f, { scope });
        const results = await Promise.all(Array.from({ length: 5 }, () => postToken(f, form(login))));
        const winners = results.filter((r) => r.status === 200);
        assert.equal(winners.length, 1, `round ${round}: ${results.map((r) => r.status)}`);
        for (const r of results) if (r.status !== 200) assert.equal(r.body.error, "invalid_grant");
        const won = winners[0].body;
        assert.equal(await userinfo(won.access_token as string), 401, `round ${round}: the winner's access token still works`);
        if (won.refresh_token) assert.equal((await refresh(won.refresh_token as string)).body.error, "invalid_grant", `round ${round}`);
      }
    }

    it("concurrent replays always leave the winner's tokens dead (10 rounds of 5, offline_access: its grant is revoked)", async () => {
      // Before the fix, PostgreSQL let the winner's grant live in most rounds: the losers read the
      // code before the winner had recorded the grant it issued.
      await raceRounds(10, "openid offline_access email");
    });

    it("concurrent replays without offline_access kill the winner's access token (5 rounds of 5: the IdP session ends)", async () => {
      await raceRounds(5, "openid email");
    });

    it("a replayed code kills an access token issued without offline_access, and says so in the feed and audit log", async () => {
      const login = await loginWithPkce(f, { scope: "openid email" });
      const own = await postToken(f, form(login));
      assert.equal(own.status, 200);
      assert.equal(own.body.refresh_token, undefined);
      assert.equal(await userinfo(own.body.access_token as string), 200);
      const seq = await f.server.ctx.storage.revocations.latestSeq();
      const replay = await postToken(f, form(login));
      assert.equal(replay.body.error, "invalid_grant");
      assert.equal(await userinfo(own.body.access_token as string), 401);
      const events = await f.server.ctx.storage.revocations.since(seq, 100);
      assert.deepEqual(events.map((e) => e.kind), ["session"]);
      const audit = await f.server.ctx.storage.auditLog.list({ limit: 10, targetId: f.userId });
      assert.ok(audit.items.some((e) => e.details.sid === events[0].id && e.details.reason === "authorization_code_replay"), JSON.stringify(audit.items));
    });
  });
}
