// http.trust_proxy reaches the pages behind the edge: a session made by Fastify's /login records the
// client address from X-Forwarded-For, as the protocol endpoints see it. (The pages read what the
// edge worked out; before the edge stashed it ahead of Fastify, the first page to ask got the proxy's
// own address.)
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent, csrfOf, getPage } from "../account/fixture.ts";

for (const trustProxy of [true, false]) describe(`client address behind a proxy (trust_proxy ${trustProxy})`, () => {
  let s: TestServer;
  let userId: string;
  before(async () => {
    s = await startTestServer({ config: { http: { trust_proxy: trustProxy }, authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } } } });
    userId = await s.createUser("pat@example.com", "pats-password-1");
  });
  after(async () => { await s?.close(); });

  it(trustProxy ? "records the X-Forwarded-For address on the session the login page makes" : "ignores X-Forwarded-For and records the peer", async () => {
    const agent = new UserAgent();
    const page = await getPage(agent, `${s.url}/login`);
    const res = await agent.request(`${s.url}/login`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "203.0.113.9, 10.0.0.1" },
      body: new URLSearchParams({ csrf: csrfOf(page.html), email: "pat@example.com", password: "pats-password-1" }),
    });
    await res.arrayBuffer();
    const sessions = await s.ctx.storage.sessions.listByUser(userId);
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].ip, trustProxy ? "203.0.113.9" : "127.0.0.1");
  });
});
