// Logout CSRF: a cross-site navigation to /oauth2/end_session must not end the session by itself.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, type Fixture, SPA_CLIENT } from "./fixture.ts";
import { rawRequest } from "../support/raw-http.ts";

describe("end_session and logout CSRF", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => f.server.close());

  const endSession = (extra = ""): string => `${f.server.url}/oauth2/end_session?post_logout_redirect_uri=${encodeURIComponent(SPA_CLIENT.post_logout_redirect_uris[0])}${extra}`;
  const valid = async (cookie: string): Promise<string | undefined> => (await rawRequest(`${f.server.url}/_resolver/resolve`, { headers: { cookie } })).headers["x-authgear-session-valid"] as string | undefined;

  it("asks before ending the session on a cross-site navigation without an ID token hint", async () => {
    const login = await loginWithPkce(f);
    const cookie = `session=${login.agent.cookies.get("session")}`;
    for (const headers of <Record<string, string>[]>[{ "sec-fetch-site": "cross-site" }, { origin: "null" }, { referer: "https://evil.example/page" }, {}]) {
      const r = await rawRequest(endSession(), { headers: { cookie, ...headers } });
      assert.equal(r.status, 200, JSON.stringify(headers));
      assert.match(r.body, /Sign out\?/);
      assert.match(r.body, /<form method="post" action="\/oauth2\/end_session">/);
      assert.equal(await valid(cookie), "true", `still signed in after ${JSON.stringify(headers)}`);
    }
    // A cross-site POST of that form is asked about again; a same-origin one ends the session.
    const form = { "content-type": "application/x-www-form-urlencoded", cookie };
    const body = `post_logout_redirect_uri=${encodeURIComponent(SPA_CLIENT.post_logout_redirect_uris[0])}`;
    assert.equal((await rawRequest(`${f.server.url}/oauth2/end_session`, { method: "POST", headers: { ...form, "sec-fetch-site": "cross-site", origin: "https://evil.example" }, body })).status, 200);
    assert.equal(await valid(cookie), "true");
    // A browser without Fetch Metadata that sends no usable Origin or Referer (privacy settings,
    // older browsers): the page's confirm token is what proves the POST came from it.
    const page = await rawRequest(endSession(), { headers: { cookie } });
    const confirm = /name="confirm" value="([^"]+)"/.exec(page.body)![1];
    assert.match(String(page.headers["content-security-policy"]), /form-action 'self' http:\/\/127\.0\.0\.1:9/);
    const forged = await rawRequest(`${f.server.url}/oauth2/end_session`, { method: "POST", headers: { ...form, origin: "null" }, body: `${body}&confirm=${"0".repeat(43)}` });
    assert.equal(forged.status, 200);
    assert.equal(await valid(cookie), "true");
    const done = await rawRequest(`${f.server.url}/oauth2/end_session`, { method: "POST", headers: { ...form, origin: "null" }, body: `${body}&confirm=${confirm}` });
    assert.equal(done.status, 302);
    assert.equal(done.headers.location, SPA_CLIENT.post_logout_redirect_uris[0]);
    assert.equal(await valid(cookie), "false");
  });

  it("ends the session at once for same-site navigations and for a hint naming this user", async () => {
    for (const headers of <Record<string, string>[]>[{ "sec-fetch-site": "same-site" }, { "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }, { referer: `${f.server.url}/settings` }]) {
      const login = await loginWithPkce(f);
      const cookie = `session=${login.agent.cookies.get("session")}`;
      const r = await rawRequest(endSession(), { headers: { cookie, ...headers } });
      assert.equal(r.status, 302, JSON.stringify(headers));
      assert.equal(await valid(cookie), "false");
    }
    const login = await loginWithPkce(f);
    const tokens = await exchange(f, login);
    const cookie = `session=${login.agent.cookies.get("session")}`;
    const r = await rawRequest(endSession(`&id_token_hint=${tokens.id_token}`), { headers: { cookie, "sec-fetch-site": "cross-site" } });
    assert.equal(r.status, 302);
    assert.equal(await valid(cookie), "false");
  });

  it("does not take a forged or mangled hint as proof", async () => {
    const login = await loginWithPkce(f);
    const tokens = await exchange(f, login);
    const cookie = `session=${login.agent.cookies.get("session")}`;
    const [h, p] = tokens.id_token!.split(".");
    for (const hint of [`${h}.${p}.forged`, "garbage", ""]) {
      const r = await rawRequest(endSession(`&id_token_hint=${encodeURIComponent(hint)}`), { headers: { cookie, "sec-fetch-site": "cross-site" } });
      assert.equal(r.status, 200, hint);
      assert.equal(await valid(cookie), "true");
    }
  });
});
