// Issue 11 item 7: NUL bytes, controls, direction marks and lone surrogates are refused (4xx) by
// shape and text checks before storage, on SQLite and PostgreSQL, and nothing is stored.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startTestServer, type TestServer } from "../support/server.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { createIdpSession } from "../../src/session/idp-sessions.ts";
import { textProblem } from "../../src/input/text.ts";
import { UnstorableTextError } from "../../src/storage/postgres/nul-guard.ts";

describe("the shared text validator", () => {
  it("refuses NUL, C0 controls, lone surrogates, and direction controls in identifiers", () => {
    for (const bad of ["a\u0000b", "a\u0007", "\ud800x", "x\udc00", "a\u007f"]) {
      for (const kind of ["text", "line", "identifier"] as const) assert.ok(textProblem(bad, kind), `${JSON.stringify(bad)} as ${kind}`);
    }
    for (const c of ["\u202a", "\u202e", "\u2066", "\u2069", "\u200f", "\u0085"]) assert.ok(textProblem(`a${c}b@example.com`, "identifier"), `U+${c.charCodeAt(0).toString(16)}`);
    assert.equal(textProblem("line one\nline two\ttab", "text"), null);
    assert.ok(textProblem("line one\nline two", "line"));
    assert.equal(textProblem("Zoë 😀 مرحبا", "identifier"), null, "letters and paired surrogates are fine");
  });
});

for (const backend of ["sqlite", "postgres"] as const) {
  describe(`hostile text never reaches storage (${backend})`, () => {
    let server: TestServer;
    let key: string;
    let userId: string;
    let cookie: string;
    const schema = `gh_test_${randomBytes(6).toString("hex")}`;
    before(async () => {
      server = await startTestServer(backend === "postgres" ? { databaseUrl: `${POSTGRES_URL}?schema=${schema}` } : {});
      key = (await createAdminKey(server.ctx, "test")).key;
      userId = await server.createUser("nul@example.com", "nul-password-1");
      const user = (await server.ctx.storage.users.get(userId))!;
      cookie = `session=${(await createIdpSession(server.ctx, user, ["pwd"], { ip: "127.0.0.1", userAgent: "test" })).cookieValue}`;
    });
    after(async () => {
      await server.close();
      if (backend === "postgres") {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: "manual" });
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/_api/admin${path}`, {
        method, body: body === undefined ? undefined : JSON.stringify(body),
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      });
      return { status: res.status, body: await res.json() };
    };
    const userCount = async (): Promise<number> => (await server.ctx.storage.userDirectory.list({ limit: 200 })).items.length;

    it("answers flow ids with NUL on the login, sign-up and resume pages with a 400 page", async () => {
      for (const path of ["/login?flow=%00", "/signup?flow=a%00", "/login?flow=%00%00%00", "/oauth2/authorize/resume?flow=%00"]) {
        const res = await get(path, { cookie });
        assert.equal(res.status, 400, path);
        assert.match(res.headers.get("content-type") ?? "", /^text\/html/, path);
      }
    });

    it("answers admin lookups by malformed id, NUL search, NUL target id and forged cursors with 4xx", async () => {
      assert.equal((await admin("GET", "/users/%00")).status, 404);
      assert.equal((await admin("GET", "/users/a%00b/sessions")).status, 404);
      assert.equal((await admin("PATCH", `/users/%00`, { is_verified: true })).status, 404);
      assert.equal((await admin("GET", "/users?query=%00")).status, 400);
      assert.equal((await admin("GET", "/audit-log?target_id=%00")).status, 400);
      assert.equal((await admin("GET", "/audit-log?cursor=1%00")).status, 400);
      const forged = Buffer.from(JSON.stringify([1e400, "\u0000"])).toString("base64url");
      assert.ok((await admin("GET", `/users?cursor=${forged}`)).status < 500);
      assert.equal((await admin("GET", `/users/${userId}`)).status, 200, "a real id still works");
      assert.equal((await admin("GET", `/users?query=nul%40`)).body.items.length, 1, "a real search still works");
    });

    it("refuses emails with NUL, controls, direction marks or lone surrogates, and passwords with NUL", async () => {
      const before = await userCount();
      const emails = ["a\u0000@example.com", "a\u0007b@example.com", "ad\u202Enimda@example.com", "a\u2066b@example.com", "\ud800a@example.com", "a\u200Fb@example.com"];
      for (const email of emails) {
        const created = await admin("POST", "/users", { email, password: "long-enough-1" });
        assert.equal(created.status, 400, JSON.stringify(email));
        assert.equal(created.body.code, "GH_ADMIN_INVALID_REQUEST");
        assert.equal((await admin("PATCH", `/users/${userId}`, { email })).status, 400, `PATCH ${JSON.stringify(email)}`);
      }
      assert.equal((await admin("POST", "/users", { email: "ok@example.com", password: "long\u0000enough" })).status, 400);
      assert.equal((await admin("POST", `/users/${userId}/password`, { password: "long\u0000enough" })).status, 400);
      assert.equal((await admin("POST", `/users/${userId}/disable`, { reason: "x\u0000" })).status, 400);
      assert.equal(await userCount(), before);
      assert.equal((await server.ctx.storage.users.get(userId))!.email, "nul@example.com");
      assert.equal((await server.ctx.storage.users.get(userId))!.disabled, false);
    });

    it("treats prototype names in lookups as unknown names", async () => {
      for (const notice of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        const res = await get(`/settings?notice=${notice}`, { cookie });
        assert.equal(res.status, 200, notice);
        assert.doesNotMatch(await res.text(), /class="notice"/, notice);
      }
      assert.equal((await get("/oauth2/authorize?client_id=test-spa&response_type=code&scope=openid&__proto__=x&constructor=y&code_challenge_method=S256&code_challenge=" + "a".repeat(43), { cookie })).status, 302);
    });

    it("refuses OAuth parameters with NUL or controls before anything is stored", async () => {
      const base = "/oauth2/authorize?client_id=test-spa&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&response_type=code&scope=openid&code_challenge_method=S256&code_challenge=" + "a".repeat(43);
      for (const extra of ["&nonce=%00", "&state=a%00", "&login_hint=%01", "&x_page=%0D%0A", "&%00=x"]) {
        const res = await get(base + extra, { cookie });
        assert.equal(res.status, 400, extra);
      }
      const res = await fetch(`${server.url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=authorization_code&code=%00&client_id=test-spa" });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, "invalid_request");
    });

    if (backend === "postgres") {
      it("the adapter answers NUL lookups with no rows and refuses NUL writes with a 400-class error", async () => {
        const s = server.ctx.storage;
        assert.equal(await s.users.get("\u0000"), null);
        assert.equal(await s.users.findByEmail("a\u0000@example.com"), null);
        assert.equal(await s.authFlows.get("x\u0000"), null);
        assert.equal(await s.sessions.get("\u0000"), null);
        await assert.rejects(s.auditLog.append({ at: 1, actor: "test", action: "x", targetType: "user", targetId: "\u0000", details: {} }), (err: unknown) => err instanceof UnstorableTextError && err.statusCode === 400);
        await assert.rejects(s.lockouts.update("login:\u0000", () => ({ total: 1, byContributor: {}, lockedUntil: {}, expiresAt: 9 })), UnstorableTextError);
      });
    }
  });
}
