// The passkey pages and endpoints over real HTTP (no browser: a software authenticator answers the
// options the pages carry): switched off, nothing shows and every endpoint is a 404; switched on,
// a passkey is added in settings, signs in (past the TOTP step a password needs, amr x_passkey),
// shows in userinfo and the admin API, and hostile posts get readable 4xx pages that change nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";
import { csrfOf } from "../account/fixture.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { SoftAuthenticator } from "./soft-authenticator.ts";
import { PASSKEYS_ON } from "./fixture.ts";

const EMAIL = "routes@example.com";
const PASSWORD = "a long enough password";
const optionsOf = (html: string, kind: string): { challenge: string; user?: { id: string } } => {
  const m = new RegExp(`data-passkey="${kind}"[^>]*data-passkey-options="([^"]+)"`).exec(html);
  assert.ok(m, `a ${kind} form`);
  return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as { challenge: string };
};

describe("passkeys switched off", () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ host: "localhost" }); });
  after(async () => { await server?.close(); });

  it("shows nothing of them, and their endpoints are 404", async () => {
    for (const path of ["/login", "/signup"]) assert.doesNotMatch(await (await fetch(`${server.url}${path}`)).text(), /passkey/i, path);
    assert.equal((await fetch(`${server.url}/_gatehouse/passkey.js`)).status, 404);
    for (const path of ["/login/passkey", "/signup/passkey", "/settings/passkeys", "/settings/passkeys/remove"]) {
      assert.equal((await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "credential=x" })).status, 404, path);
    }
  });
});

describe("passkeys over HTTP", () => {
  let server: TestServer;
  let userId: string;
  let auth: SoftAuthenticator;
  const origin = (): string => server.url;

  before(async () => {
    server = await startTestServer({ host: "localhost", config: PASSKEYS_ON });
    userId = await server.createUser(EMAIL, PASSWORD);
    auth = new SoftAuthenticator("localhost", server.url);
  });
  after(async () => { await server?.close(); });

  const post = (ua: UserAgent, path: string, fields: Record<string, string>) =>
    ua.request(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: origin() }, body: new URLSearchParams(fields) });

  async function signedIn(): Promise<UserAgent> {
    const ua = new UserAgent();
    const html = await (await ua.request(`${server.url}/login`)).text();
    const res = await post(ua, "/login", { csrf: csrfOf(html), email: EMAIL, password: PASSWORD });
    assert.equal(res.status, 303);
    return ua;
  }

  it("serves its script as a static file, and the pages carry no inline script", async () => {
    const js = await fetch(`${server.url}/_gatehouse/passkey.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /^text\/javascript/);
    const page = await fetch(`${server.url}/login`);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self';/);
    const html = await page.text();
    assert.match(html, /<script src="\/_gatehouse\/passkey\.js" defer><\/script>/);
    assert.deepEqual([...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)].map((m) => m[0]), [], "no inline script");
    assert.match(html, /<button type="button" class="secondary" data-passkey-start hidden>Sign in with a passkey<\/button>/, "hidden until the script shows it");
  });

  it("adds a passkey from settings; it shows in userinfo and the admin API", async () => {
    const ua = await signedIn();
    const html = await (await ua.request(`${server.url}/settings`)).text();
    const options = optionsOf(html, "register");
    assert.equal(Buffer.from(options.user!.id, "base64url").toString(), userId, "the WebAuthn user handle is the user id");
    const res = await post(ua, "/settings/passkeys", { csrf: csrfOf(html), credential: auth.register(options.challenge, userId) });
    assert.equal(res.headers.get("location"), "/settings?notice=passkey_added");
    assert.equal((await server.ctx.storage.passkeys.listByUser(userId)).length, 1);
    assert.equal((await server.ctx.storage.auditLog.list({ limit: 5, targetId: userId, action: "identity.passkey.added" })).items.length, 1, "audited");

    const info = await (await ua.request(`${server.url}/oauth2/userinfo`)).json() as Record<string, Record<string, unknown>[]>;
    const passkeyIdentity = info["https://authgear.com/claims/user/identities"].find((i) => i.type === "passkey");
    assert.deepEqual(Object.keys(passkeyIdentity ?? {}).sort(), ["created_at", "type", "updated_at"], "Authgear shows only type and times for a passkey identity");
    assert.ok(info["https://authgear.com/claims/user/authenticators"].some((a) => a.type === "passkey" && a.kind === "primary"));

    const key = (await createAdminKey(server.ctx, "test")).key;
    const listed = await (await fetch(`${server.url}/_api/admin/users/${userId}/identities`, { headers: { authorization: `Bearer ${key}` } })).json() as { items: { type: string; claims: Record<string, unknown> }[] };
    assert.deepEqual(listed.items.filter((i) => i.type === "passkey").map((i) => i.claims), [{ display_name: EMAIL }]);
  });

  it("signs in with the passkey, past the TOTP step, amr x_passkey; the flow resumes", async () => {
    await server.ctx.storage.totp.putPending({ userId, secret: "JBSWY3DPEHPK3PXP", createdAt: server.ctx.now(), confirmedAt: null, lastUsedStep: 0 });
    await server.ctx.storage.totp.confirm(userId, "JBSWY3DPEHPK3PXP", server.ctx.now(), 1);
    const ua = new UserAgent();
    const html = await (await ua.request(`${server.url}/login`)).text();
    const res = await post(ua, "/login/passkey", { csrf: csrfOf(html), credential: auth.assert(optionsOf(html, "login").challenge) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/", "no /login/totp step");
    const resolved = await ua.request(`${server.url}/_resolver/resolve`);
    assert.equal(resolved.headers.get("x-authgear-session-valid"), "true");
    assert.equal(resolved.headers.get("x-authgear-session-amr"), "x_passkey");
    assert.equal(resolved.headers.get("x-authgear-user-id"), userId);
  });

  it("answers hostile posts with 4xx pages, never a session", async () => {
    const ua = new UserAgent();
    const html = await (await ua.request(`${server.url}/login`)).text();
    const csrf = csrfOf(html);
    const cases: [Record<string, string>, number][] = [
      [{ credential: "x" }, 403], // no CSRF token
      [{ csrf, credential: "not json" }, 400],
      [{ csrf, credential: "{}".padEnd(20_000, " ") }, 400], // over the field limit
      [{ csrf, credential: JSON.stringify({ id: "a", rawId: "a", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "a", signature: "a" } }) }, 400],
      [{ csrf, flow: "nope", credential: "{}" }, 400],
      [{ csrf, credential: auth.assert("bm90LWEtY2hhbGxlbmdl") }, 401], // a challenge we never made
    ];
    for (const [fields, status] of cases) {
      const res = await post(ua, "/login/passkey", fields);
      assert.equal(res.status, status, JSON.stringify(fields).slice(0, 80));
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
      assert.equal(ua.cookies.has("session"), false);
    }
    assert.ok((await server.ctx.storage.auditLog.list({ limit: 5, action: "authentication.failed.identity.passkey" })).items.length >= 1, "refusals are audited");
    for (const path of ["/settings/passkeys", "/settings/passkeys/remove"]) {
      const res = await post(ua, path, { csrf, credential: "x", identity: "x" });
      assert.equal(res.headers.get("location"), "/login", `${path} needs a session`);
    }
  });

  it("keeps the last way in: a passkey-only account cannot remove its passkey", async () => {
    const ua = new UserAgent();
    const page = await (await ua.request(`${server.url}/signup`)).text();
    const options = optionsOf(page, "signup");
    const newId = Buffer.from(options.user!.id, "base64url").toString();
    const signup = await post(ua, "/signup/passkey", { csrf: csrfOf(page), email: "only-passkey@example.com", credential: auth.register(options.challenge, newId) });
    assert.equal(signup.status, 303);
    assert.equal(signup.headers.get("location"), "/verify", "a new email is verified next, as after password sign-up");
    const created = await server.ctx.storage.identities.findByLoginId("email", "only-passkey@example.com");
    assert.equal(created?.userId, newId, "the user got the id the passkey's user handle holds");
    assert.equal(await server.ctx.storage.passwords.get(newId), null);

    // Signed in with that passkey, the settings page offers to remove it; removing is refused.
    const in2 = new UserAgent();
    const login = await (await in2.request(`${server.url}/login`)).text();
    const idx = auth.credentials.findIndex((c) => c.userHandle === newId);
    const res = await post(in2, "/login/passkey", { csrf: csrfOf(login), credential: auth.assert(optionsOf(login, "login").challenge, { index: idx }) });
    assert.equal(res.status, 303);
    const settings = await (await in2.request(`${server.url}/settings`)).text();
    const identity = /name="identity" value="([^"]+)"/.exec(settings)?.[1];
    assert.ok(identity);
    const removed = await post(in2, "/settings/passkeys/remove", { csrf: csrfOf(settings), identity });
    assert.equal(removed.headers.get("location"), "/settings?notice=passkey_last_way");
    assert.equal((await server.ctx.storage.passkeys.listByUser(newId)).length, 1);
  });
});
