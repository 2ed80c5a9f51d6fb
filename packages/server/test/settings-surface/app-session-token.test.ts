// POST /oauth2/app_session_token and the app_session_token login_hint, over HTTP on both databases:
// Authgear's envelope and error shapes, single use, the 5-minute life, and the redirect URIs that
// only look like <issuer>/settings.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, postToken, type Fixture } from "../oauth/fixture.ts";
import { SPA_CLIENT } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { UserAgent } from "../support/user-agent.ts";
import { appSessionToken, openSettingsUrl, postJson } from "./fixture.ts";
import { revokeSession } from "../../src/session/revocation.ts";
import { revokeOtherSessions } from "../../src/session/user-sessions.ts";

const FULL = "openid offline_access https://authgear.com/scopes/full-access";

for (const db of testDatabases()) {
  describe(`app session tokens (${db.name})`, { skip: db.skip }, () => {
    let f: Fixture;
    let refreshToken: string;
    before(async () => {
      f = await setup({ databaseUrl: db.url });
      refreshToken = (await exchange(f, await loginWithPkce(f, { scope: FULL }))).refresh_token!;
    });
    after(async () => {
      await f?.server.close();
      await db.drop();
    });
    const endpoint = (): string => `${f.server.url}/oauth2/app_session_token`;

    it("answers {result: {app_session_token, expire_at}} in five minutes' time, without spending the refresh token", async () => {
      const before = Date.now();
      const r = await postJson(endpoint(), JSON.stringify({ refresh_token: refreshToken }));
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body.result).sort(), ["app_session_token", "expire_at"]);
      assert.match(r.body.result.app_session_token, /^[A-Za-z0-9_-]{43}$/);
      const life = Date.parse(r.body.result.expire_at) - before;
      assert.ok(life > 298_000 && life < 302_000, `life ${life} ms`);
      // Only the hash is stored.
      const { createHash } = await import("node:crypto");
      const hash = createHash("sha256").update(r.body.result.app_session_token).digest("base64url");
      assert.ok(await f.server.ctx.storage.appSessionTokens.take(hash, f.server.ctx.now()), "stored under its SHA-256");
      const refreshed = await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: refreshToken });
      assert.equal(refreshed.status, 200, "the refresh token still works");
    });

    it("answers bad bodies and dead refresh tokens in Authgear's error envelope", async () => {
      const cases: [string, string, number, string, string][] = [
        ["text/plain", JSON.stringify({ refresh_token: refreshToken }), 400, "BadRequest", "BadRequest"],
        ["application/json", "{not json", 400, "Invalid", "ValidationFailed"],
        ["application/json", "[]", 400, "Invalid", "ValidationFailed"],
        ["application/json", "{}", 400, "Invalid", "ValidationFailed"],
        ["application/json", JSON.stringify({ refresh_token: 42 }), 400, "Invalid", "ValidationFailed"],
        ["application/json", JSON.stringify({ refresh_token: refreshToken, extra: 1 }), 400, "Invalid", "ValidationFailed"],
        ["application/json", JSON.stringify({ refresh_token: "nope" }), 403, "Forbidden", "Forbidden"],
        ["application/json", JSON.stringify({ refresh_token: refreshToken.slice(0, -2) + "xx" }), 403, "Forbidden", "Forbidden"],
        ["application/json", JSON.stringify({ refresh_token: "x".repeat(60_000) }), 403, "Forbidden", "Forbidden"],
      ];
      for (const [type, body, status, name, reason] of cases) {
        const r = await postJson(endpoint(), body, type);
        assert.equal(r.status, status, body.slice(0, 60));
        assert.equal(r.body.error.name, name);
        assert.equal(r.body.error.reason, reason);
        assert.equal(r.body.error.code, status);
        assert.equal(r.body.result, undefined);
      }
      const dead = await postJson(endpoint(), JSON.stringify({ refresh_token: "nope" }));
      assert.equal(dead.body.error.message, "invalid_grant: invalid refresh token");
    });

    it("refuses a grant without full access (access_denied), as Authgear does for third-party apps", async () => {
      const narrow = (await exchange(f, await loginWithPkce(f, { scope: "openid offline_access" }))).refresh_token!;
      const r = await postJson(endpoint(), JSON.stringify({ refresh_token: narrow }));
      assert.equal(r.status, 403);
      assert.equal(r.body.error.message, "access_denied: the client is not authorized to have full user access");
    });

    it("turns into a browser session on /settings once, and never after five minutes", async () => {
      const agent = new UserAgent();
      const token = await appSessionToken(f, refreshToken);
      const res = await agent.request(openSettingsUrl(f, token));
      assert.equal(res.status, 302);
      assert.equal(res.headers.get("location"), `${f.server.url}/settings?`);
      assert.ok(agent.cookies.has("session"), "a session cookie");
      const settings = await agent.request(`${f.server.url}/settings`);
      assert.equal(settings.status, 200);
      assert.match(await settings.text(), /alice@example\.com/);

      // Used: the app gets invalid_request at the redirect URI, and no cookie.
      for (const dead of [token, "A".repeat(43), "short", ""]) {
        const other = new UserAgent();
        const again = await other.request(openSettingsUrl(f, dead));
        assert.equal(again.status, 302, dead);
        const to = new URL(again.headers.get("location")!);
        assert.equal(`${to.origin}${to.pathname}`, `${f.server.url}/settings`);
        assert.equal(to.searchParams.get("error"), "invalid_request");
        assert.equal(other.cookies.has("session"), false);
      }

      // Expired: five minutes and a second later.
      const late = await appSessionToken(f, refreshToken);
      f.server.advance(301);
      try {
        const r = await new UserAgent().request(openSettingsUrl(f, late));
        assert.equal(new URL(r.headers.get("location")!).searchParams.get("error"), "invalid_request");
      } finally {
        f.server.advance(-301);
      }
    });

    it("is bound to its client and dies with its grant", async () => {
      const login = await loginWithPkce(f, { scope: FULL });
      const tokens = await exchange(f, login);
      const token = await appSessionToken(f, tokens.refresh_token!);
      await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${tokens.refresh_token}` });
      const r = await new UserAgent().request(openSettingsUrl(f, token));
      assert.equal(new URL(r.headers.get("location")!).searchParams.get("error"), "invalid_request", "the grant was revoked after the token was issued");
      const dead = await postJson(endpoint(), JSON.stringify({ refresh_token: tokens.refresh_token }));
      assert.equal(dead.status, 403);
    });

    it("accepts only the hosted pages themselves as unregistered redirect URIs", async () => {
      const u = f.server.url;
      for (const ok of [`${u}/settings`, `${u}/settings?`, `${u}/settings?ui_locales=ja`, `${u}/settings/identities?ui_locales=zh-TW&x_color_scheme=dark`]) {
        const token = await appSessionToken(f, refreshToken);
        const r = await new UserAgent().request(openSettingsUrl(f, token, ok));
        assert.equal(r.status, 302, ok);
        assert.equal(r.headers.get("location"), ok);
      }
      const hostile = [
        `${u}/settings/../oauth2/token`, `${u}/settings/%2e%2e/oauth2`, `${u}/settingsX`, `${u}/settings/`, `${u}//settings`, `${u}/Settings`,
        `${u}/settings#x`, `${u}/settings?next=https://evil.example/`, `${u}/settings?ui_locales=ja&redirect=x`, `${u}/settings?ui_locales=%0d%0a`,
        `http://evil.example/settings`, `${u.replace("127.0.0.1", "localhost")}/settings`, `${u}@evil.example/settings`, `${u}/settings\\..\\oauth2`,
        `${u.replace("http:", "https:")}/settings`, `${u}:80/settings`, `${u}/settings/delete_account`, `${u}/login`,
      ];
      for (const bad of hostile) {
        const token = await appSessionToken(f, refreshToken);
        const agent = new UserAgent();
        const r = await agent.request(openSettingsUrl(f, token, bad));
        assert.equal(r.status, 400, bad);
        assert.equal(r.headers.get("location"), null, `${bad}: never redirected`);
        assert.match(await r.text(), /redirect_uri is not registered/);
        assert.equal(agent.cookies.has("session"), false, `${bad}: no session`);
        // The token was not spent by a refused request: the app can still use it.
        const ok = await new UserAgent().request(openSettingsUrl(f, token));
        assert.equal(ok.headers.get("location"), `${u}/settings?`, `${bad}: token still good`);
      }
    });

    /** A browser opened on /settings from a new full-access login's refresh token. */
    async function settingsBrowser(): Promise<{ refreshToken: string; agent: UserAgent; sessionId: string; loginSessionId: string }> {
      const refreshToken = (await exchange(f, await loginWithPkce(f, { scope: FULL }))).refresh_token!;
      const agent = new UserAgent();
      await agent.request(openSettingsUrl(f, await appSessionToken(f, refreshToken)));
      const grant = await f.server.ctx.storage.offlineGrants.get(refreshToken.split(".")[0]);
      return { refreshToken, agent, sessionId: agent.cookies.get("session")!.split(".")[0], loginSessionId: grant!.idpSessionId! };
    }
    const resolves = async (agent: UserAgent): Promise<string | null> =>
      (await agent.request(`${f.server.url}/_resolver/resolve`)).headers.get("x-authgear-session-valid");
    const refreshes = async (refreshToken: string): Promise<number> =>
      (await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: refreshToken })).status;

    it("opens a browser session that ends with the app's grant: revoking the refresh token ends it", async () => {
      const b = await settingsBrowser();
      assert.equal(await resolves(b.agent), "true");
      assert.equal((await b.agent.request(`${f.server.url}/settings`)).status, 200);
      const revoked = await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${b.refreshToken}&client_id=${SPA_CLIENT.client_id}` });
      assert.equal(revoked.status, 200);
      assert.equal(await resolves(b.agent), "false", "the settings browser is signed out with the app");
      assert.notEqual((await b.agent.request(`${f.server.url}/settings`)).status, 200);
      assert.notEqual((await f.server.ctx.storage.sessions.get(b.sessionId))?.revokedAt, null);
    });

    it("ends it when the login the app came from ends (session → its grants → their settings sessions)", async () => {
      const b = await settingsBrowser();
      assert.equal(await resolves(b.agent), "true");
      await revokeSession(f.server.ctx, b.loginSessionId);
      assert.equal(await refreshes(b.refreshToken), 400);
      assert.equal(await resolves(b.agent), "false");
    });

    it("keeps the app signed in when its settings browser signs out everywhere else", async () => {
      const b = await settingsBrowser();
      const elsewhere = (await exchange(f, await loginWithPkce(f, { scope: FULL }))).refresh_token!;
      const userId = (await f.server.ctx.storage.sessions.get(b.sessionId))!.userId;
      await revokeOtherSessions(f.server.ctx, userId, { keepSessionId: b.sessionId });
      assert.equal(await resolves(b.agent), "true", "this browser stays");
      assert.equal(await refreshes(b.refreshToken), 200, "and so does the app it was opened from");
      assert.equal(await refreshes(elsewhere), 400, "everything else ends");
    });
  });
}
