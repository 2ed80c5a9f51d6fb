// The CSRF check's Origin rule on every form: `Origin: null` (a sandboxed iframe, a data: URL, a
// cross-origin redirect) is refused even with a valid double-submit token; our own origin and
// a missing Origin pass.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { UserAgent, csrfOf, finishAtApp, getPage, openLogin, setupAccounts, submitLogin, type AccountFixture } from "../account/fixture.ts";

const FORMS = ["/login", "/signup", "/verify", "/verify/resend", "/verify/skip", "/forgot", "/reset/code", "/reset", "/login/totp", "/login/recovery",
  "/settings/password", "/settings/totp", "/settings/totp/disable", "/settings/recovery-codes", "/settings/sessions/revoke", "/settings/verify"];

describe("CSRF: Origin null", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts();
    await f.server.createUser("nell@example.com", "nells-password-1");
  });
  after(async () => { await f.close(); });

  const send = (agent: UserAgent, path: string, body: Record<string, string>, origin?: string): Promise<Response> =>
    agent.request(`${f.server.url}${path}`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(origin === undefined ? {} : { origin }) }, body: new URLSearchParams(body),
    });

  it("refuses Origin: null on every form, even with a valid token", async () => {
    const agent = new UserAgent();
    await finishAtApp(f.server, agent, await submitLogin(f.server, agent, "nell@example.com", "nells-password-1"));
    const csrf = csrfOf((await getPage(agent, `${f.server.url}/settings`)).html);
    for (const path of FORMS) {
      const res = await send(agent, path, { csrf, email: "x@example.com", password: "whatever-password" }, "null");
      assert.equal(res.status, 403, path);
      assert.match(await res.text(), /Your form expired/, path);
    }
  });

  it("a login posted from an opaque origin does not sign in; the same form from our origin or without Origin does", async () => {
    const results: [string | undefined, number, boolean][] = [];
    for (const origin of ["null", f.server.url, undefined]) {
      const agent = new UserAgent();
      const { html, flow } = await openLogin(f.server, agent);
      const res = await send(agent, "/login", { csrf: csrfOf(html), flow, email: "nell@example.com", password: "nells-password-1" }, origin);
      await res.arrayBuffer();
      results.push([origin, res.status, agent.cookies.has("session")]);
    }
    assert.deepEqual(results, [["null", 403, false], [f.server.url, 303, true], [undefined, 303, true]]);
  });
});
