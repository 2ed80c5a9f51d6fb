// user.pre_create on a first social sign-in, as on the sign-up page: a hook that says no stops the
// account (its title and reason on the page, nothing stored); one that says yes may put the user in groups.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../support/server.ts";
import { fixture, startProviderApi, type ProviderApi } from "../sso/provider-api.ts";
import { comeBack, pressButton, UserAgent } from "../sso/sign-in-steps.ts";
import { startReceiver, type Receiver } from "./receiver.ts";

const SECRET = "test-webhook-secret-0123456789";
const github = fixture("github");

describe("user.pre_create on a first social sign-in", () => {
  let api: ProviderApi;
  let s: TestServer;
  let receiver: Receiver;
  let answer: Record<string, unknown> = { is_allowed: false, title: "Closed", reason: "Sign-ups are closed this week" };

  before(async () => {
    receiver = await startReceiver(SECRET, () => ({ status: 200, body: answer }));
    api = await startProviderApi();
    api.on("github.com/login/oauth/access_token", github.token);
    s = await startTestServer({
      upstreamFetch: api.fetch,
      config: {
        identity: { oauth: { providers: [{ alias: "github", type: "github", client_id: "gh", client_secret: "gh-secret" }] } },
        hook: { x_webhook_secret: SECRET, blocking_handlers: [{ event: "user.pre_create", url: receiver.url }] },
      },
    });
  });
  after(async () => {
    await s?.close();
    await api?.close();
    await receiver?.close();
  });

  async function signInAs(id: number): Promise<{ status: number; html: string }> {
    api.on("api.github.com/user", { status: 200, body: { ...(github.user.body as object), id, login: `user${id}` } });
    api.on("api.github.com/user/emails", { status: 200, body: [{ email: `user${id}@example.com`, primary: true, verified: true }] });
    const agent = new UserAgent();
    const state = (await pressButton(s, agent, "github")).searchParams.get("state")!;
    return comeBack(s, agent, "github", { code: `code-${id}`, state });
  }

  it("a refusal shows the hook's title and reason and stores nothing", async () => {
    answer = { is_allowed: false, title: "Closed", reason: "Sign-ups are closed this week" };
    const r = await signInAs(301);
    assert.equal(r.status, 403);
    assert.match(r.html, /Closed: Sign-ups are closed this week/);
    assert.equal(await s.ctx.storage.identities.findByProvider("github", "301"), null);
    assert.equal(receiver.received.at(-1)?.event.payload.identities[0].type, "oauth");
  });

  it("an allowed sign-up joins the hook's groups; a group that does not exist refuses it", async () => {
    const T = s.ctx.now();
    await s.ctx.storage.groups.create({ id: "g-beta", key: "beta", name: null, description: null, createdAt: T, updatedAt: T });
    answer = { is_allowed: true, mutations: { user: { groups: ["beta"] } } };
    assert.equal((await signInAs(302)).status, 200);
    const identity = await s.ctx.storage.identities.findByProvider("github", "302");
    assert.deepEqual((await s.ctx.storage.assignments.ofUser(identity!.userId))?.groups, ["beta"]);
    answer = { is_allowed: true, mutations: { user: { groups: ["nope"] } } };
    assert.equal((await signInAs(303)).status, 403);
    assert.equal(await s.ctx.storage.identities.findByProvider("github", "303"), null);
  });
});
