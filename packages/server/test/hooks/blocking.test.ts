// Blocking hooks against a real receiver and real scripts: user.pre_create refuses a sign-up (the
// page shows the hook's title and reason) or times out (refused, generic message, user not created);
// oidc.jwt.pre_create adds a claim to the access token but cannot change `sub`; a TypeScript hook
// runs in a worker thread, and one stuck in an infinite loop is stopped at its limit.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent, csrfOf, errorOf, finishAtApp, openLogin, post, submitLogin } from "../account/fixture.ts";
import { startReceiver, type Receiver } from "./receiver.ts";
import { parseHookResponse } from "../../src/hooks/blocking.ts";
import { runScript, stopScripts } from "../../src/hooks/script-runner.ts";
import { createVerifier } from "../../../node/src/index.ts";

const SECRET = "test-webhook-secret-0123456789";

async function withServer(hook: Record<string, unknown>, fn: (s: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer({ config: { hook: { x_webhook_secret: SECRET, ...hook } } });
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

async function signupPage(s: TestServer, email: string): Promise<{ status: number; html: string }> {
  const agent = new UserAgent();
  const { flow } = await openLogin(s, agent);
  const page = await agent.request(`${s.url}/signup?flow=${flow}`);
  const res = await post(agent, `${s.url}/signup`, { csrf: csrfOf(await page.text()), flow, email, password: "correct horse battery" });
  return { status: res.status, html: await res.text() };
}

describe("blocking hooks", () => {
  it("user.pre_create refuses a sign-up: the page shows the hook's title and reason, nothing is created", async () => {
    const receiver: Receiver = await startReceiver(SECRET, () => ({ status: 200, body: { is_allowed: false, title: "Not allowed", reason: "Sign-up is by invitation only" } }));
    try {
      await withServer({ blocking_handlers: [{ event: "user.pre_create", url: receiver.url }] }, async (s) => {
        const r = await signupPage(s, "nope@example.com");
        assert.equal(r.status, 403);
        assert.equal(errorOf(r.html), "Not allowed: Sign-up is by invitation only");
        assert.equal(await s.ctx.storage.users.findByEmail("nope@example.com"), null);
        const seen = receiver.received[0].event;
        assert.equal(seen.type, "user.pre_create");
        assert.equal(seen.payload.user.standard_attributes.email, "nope@example.com");
        assert.equal(seen.payload.identities[0].claims.email, "nope@example.com");
        assert.equal(seen.context.triggered_by, "user");
        assert.ok(receiver.received[0].signatureOk);
      });
    } finally {
      await receiver.close();
    }
  });

  it("user.pre_create that times out refuses the sign-up with a generic message", async () => {
    const receiver = await startReceiver(SECRET, () => ({ status: 200, delayMs: 2500, body: { is_allowed: true } }));
    try {
      await withServer({ sync_hook_timeout_seconds: 1, blocking_handlers: [{ event: "user.pre_create", url: receiver.url }] }, async (s) => {
        const started = Date.now();
        const r = await signupPage(s, "slow@example.com");
        assert.equal(r.status, 403);
        assert.match(errorOf(r.html) ?? "", /not available right now/);
        assert.ok(Date.now() - started < 2400, "answered at the timeout, not when the hook finished");
        assert.equal(await s.ctx.storage.users.findByEmail("slow@example.com"), null);
      });
    } finally {
      await receiver.close();
    }
  });

  it("user.pre_create mutations set attributes, checked against user_profile", async () => {
    const receiver = await startReceiver(SECRET, () => ({ status: 200, body: { is_allowed: true, mutations: { user: { standard_attributes: { name: "Set By Hook" } } } } }));
    try {
      await withServer({ blocking_handlers: [{ event: "user.pre_create", url: receiver.url }] }, async (s) => {
        const r = await signupPage(s, "mut@example.com");
        assert.ok(r.status === 303 || r.status === 200, `status ${r.status}: ${errorOf(r.html)}`);
        const user = await s.ctx.storage.users.findByEmail("mut@example.com");
        assert.equal(user?.standardAttributes.name, "Set By Hook");
      });
    } finally {
      await receiver.close();
    }
  });

  it("user.pre_create mutations put the new user in groups (with the groups' roles); a group that does not exist refuses the sign-up", async () => {
    let groups = ["staff"];
    const receiver = await startReceiver(SECRET, () => ({ status: 200, body: { is_allowed: true, mutations: { user: { groups } } } }));
    try {
      await withServer({ blocking_handlers: [{ event: "user.pre_create", url: receiver.url }] }, async (s) => {
        const T = s.ctx.now();
        await s.ctx.storage.roles.create({ id: "r1", key: "editor", name: null, description: null, createdAt: T, updatedAt: T });
        await s.ctx.storage.groups.create({ id: "g1", key: "staff", name: null, description: null, createdAt: T, updatedAt: T });
        await s.ctx.storage.assignments.change({ kind: "group_role", groupKey: "staff" }, ["editor"], { at: T, logUntil: T + 60 });
        const r = await signupPage(s, "grouped@example.com");
        assert.ok(r.status === 303 || r.status === 200, `status ${r.status}: ${errorOf(r.html)}`);
        const user = await s.ctx.storage.users.findByEmail("grouped@example.com");
        assert.deepEqual((await s.ctx.storage.assignments.ofUser(user!.id))?.groups, ["staff"]);
        assert.deepEqual(user?.roles, ["editor"], "effective roles come through the group");
        groups = ["no-such-group"];
        const refused = await signupPage(s, "ungrouped@example.com");
        assert.equal(refused.status, 403);
        assert.equal(await s.ctx.storage.users.findByEmail("ungrouped@example.com"), null, "nothing is kept");
      });
    } finally {
      await receiver.close();
    }
  });

  it("oidc.jwt.pre_create adds a claim to the access token; sub and iss keep their values", async () => {
    const receiver = await startReceiver(SECRET, (e) => ({
      status: 200, body: { is_allowed: true, mutations: { jwt: { payload: { ...e.payload.jwt.payload, "https://example.com/tenant": "acme", sub: "someone-else", iss: "evil" } } } },
    }));
    try {
      await withServer({ blocking_handlers: [{ event: "oidc.jwt.pre_create", url: receiver.url }] }, async (s) => {
        const id = await s.createUser("jwt@example.com", "correct horse battery");
        const agent = new UserAgent();
        const tokens = await finishAtApp(s, agent, await submitLogin(s, agent, "jwt@example.com", "correct horse battery"));
        assert.equal(tokens.claims["https://example.com/tenant"], "acme");
        assert.equal(tokens.claims.sub, id);
        assert.equal(tokens.claims.iss, s.url);
        // A backend sees it: the Node SDK verifies the token and keeps the claim; the resolver takes the token.
        const verified = await createVerifier({ issuer: s.url }).verifyAccessToken(tokens.access_token);
        assert.equal(verified.raw["https://example.com/tenant"], "acme");
        assert.equal(verified.userId, id);
        const resolved = await fetch(`${s.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
        assert.equal(resolved.headers.get("x-authgear-session-valid"), "true");
        assert.equal(resolved.headers.get("x-authgear-user-id"), id);
        const seen = receiver.received.at(-1)!.event;
        assert.equal(seen.type, "oidc.jwt.pre_create");
        assert.equal(seen.payload.jwt.payload.sub, id);
        assert.equal(seen.payload.user.id, id);
      });
    } finally {
      await receiver.close();
    }
  });

  it("a TypeScript hook adds a claim; one in an infinite loop is stopped at its limit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-ts-hook-"));
    const good = join(dir, "claims.ts");
    const loop = join(dir, "loop.ts");
    writeFileSync(good, `interface E { payload: { jwt: { payload: Record<string, unknown> } } }
export default async function (e: E): Promise<unknown> {
  return { is_allowed: true, mutations: { jwt: { payload: { ...e.payload.jwt.payload, plan: "gold" as string } } } };
}\n`);
    writeFileSync(loop, "export default function (): never { for (;;) { /* stuck */ } }\n");
    try {
      // A generous limit: the first call waits for the worker to compile the script on a loaded machine.
      await withServer({ sync_hook_timeout_seconds: 30, sync_hook_total_timeout_seconds: 30, blocking_handlers: [{ event: "oidc.jwt.pre_create", url: good }] }, async (s) => {
        await s.createUser("ts@example.com", "correct horse battery");
        const agent = new UserAgent();
        const tokens = await finishAtApp(s, agent, await submitLogin(s, agent, "ts@example.com", "correct horse battery"));
        assert.equal(tokens.claims.plan, "gold");
      });
      const started = Date.now();
      const stuck = await runScript(loop, JSON.stringify({ type: "user.pre_create", payload: {} }), { timeoutMs: 1500, memoryMb: 32 });
      assert.equal(stuck.ok, false);
      assert.match(stuck.error ?? "", /timed out after 1500 ms and was stopped/);
      assert.ok(Date.now() - started < 6000);
      // The server's own thread kept running: a timer set now fires on time.
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(Date.now() - t0 < 1000);
    } finally {
      await stopScripts();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers that are not hook responses are refused with a reason", () => {
    assert.match(parseHookResponse("not json") as string, /not JSON/);
    assert.match(parseHookResponse("{}") as string, /is_allowed/);
    assert.match(parseHookResponse('{"is_allowed":false,"title":5}') as string, /title/);
    assert.match(parseHookResponse('{"is_allowed":true,"mutations":{"jwt":{"payload":[]}}}') as string, /jwt.payload/);
    assert.match(parseHookResponse('{"is_allowed":true,"mutations":{"user":{"roles":[1]}}}') as string, /roles/);
    assert.deepEqual(parseHookResponse('{"is_allowed":true}'), { is_allowed: true, mutations: {} });
  });
});
