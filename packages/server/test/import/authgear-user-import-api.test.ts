// Authgear's user-import API over real HTTP on both databases: POST /_api/admin/users/import with its
// import JSON answers `{result: {id, created_at, status: "pending"}}`, GET /_api/admin/users/import/:id the
// finished job's summary and per-record details (secrets redacted). Then the imported bcrypt password
// signs in through the login page (and becomes argon2id); upsert updates; duplicates are skipped; bad
// bodies get the admin API's problem answers and write nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { bcryptPlain } from "./authgear-fill.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { running } from "../../src/admin/user-import.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent, post, csrfOf, finishAtApp, openLogin, getPage, totpNow } from "../account/fixture.ts";

const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const CONFIG = {
  identity: { login_id: { keys: [{ key: "email", type: "email" }, { key: "username", type: "username" }] } },
  user_profile: { custom_attributes: { attributes: [{ id: "0f3a7c1e-1111-4222-8333-944445555666", pointer: "/hobby", type: "string" }] } },
};

async function signIn(s: TestServer, agent: UserAgent, loginId: string, password: string): Promise<Response> {
  const { html, flow } = await openLogin(s, agent);
  return post(agent, `${s.url}/login`, { csrf: csrfOf(html), flow, login_id: loginId, password });
}

for (const backend of ["sqlite", "postgres"] as const) {
  describe(`Authgear user-import API → ${backend}`, () => {
    const schema = `gh_uimp_${randomBytes(5).toString("hex")}`;
    let s: TestServer;
    let key: string;
    const alicePassword = "alice-authgear-pw";
    let aliceHash: string;

    before(async () => {
      aliceHash = bcryptPlain(alicePassword);
      s = await startTestServer({ config: CONFIG, ...(backend === "postgres" ? { databaseUrl: `${POSTGRES_URL}?schema=${schema}` } : {}) });
      key = (await createAdminKey(s.ctx, "import-test")).key;
    });
    after(async () => {
      await Promise.allSettled([...running]);
      await s.close();
      if (backend === "postgres") {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      }
    });

    const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${s.url}/_api/admin${path}`, {
        method, body, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      });
      const text = await res.text();
      return { status: res.status, type: res.headers.get("content-type") ?? "", body: text ? JSON.parse(text) : null };
    };
    /** Posts an import and waits for its job; the job's GET answer. */
    const importJob = async (request: unknown) => {
      const created = await send("POST", "/users/import", JSON.stringify(request));
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const job = created.body.result;
      assert.match(job.id, /^userimport_[0-9a-f]{32}$/);
      assert.ok(!Number.isNaN(Date.parse(job.created_at)));
      assert.equal(job.status, "pending");
      await Promise.allSettled([...running]);
      const got = await send("GET", `/users/import/${job.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.result.status, "completed");
      assert.equal(got.body.result.id, job.id);
      return got.body.result;
    };

    it("imports bcrypt hashes, attributes, usernames and a TOTP secret; answers Authgear's summary and details", async () => {
      const r = await importJob({
        identifier: "email",
        records: [
          { email: "Alice@Example.test", email_verified: true, name: "Alice Liddell", custom_attributes: { hobby: "croquet" }, password: { type: "bcrypt", password_hash: aliceHash } },
          { email: "carol@example.test", preferred_username: "carol_c", password: { type: "bcrypt", password_hash: bcryptPlain("carol-pw-123") }, mfa: { totp: { secret: TOTP_SECRET } } },
          { email: "not an email" },
          { name: "no identifier" },
        ],
      });
      assert.deepEqual(r.summary, { total: 4, inserted: 2, updated: 0, skipped: 0, failed: 2 });
      assert.deepEqual(r.details.map((d: { index: number; outcome: string }) => [d.index, d.outcome]), [[0, "inserted"], [1, "inserted"], [2, "failed"], [3, "failed"]]);
      assert.equal(r.details[0].record.password.password_hash, "REDACTED", "a hash never goes back out");
      assert.equal(r.details[1].record.mfa.totp.secret, "REDACTED");
      assert.equal(r.details[3].errors[0].reason, "ValidationFailed");
      const alice = (await s.ctx.storage.users.get(r.details[0].user_id))!;
      assert.equal(alice.email, "alice@example.test");
      assert.equal(alice.isVerified, true);
      assert.equal(alice.standardAttributes.name, "Alice Liddell");
      assert.deepEqual(alice.customAttributes, { "0f3a7c1e-1111-4222-8333-944445555666": "croquet" });
      assert.equal(await s.ctx.storage.passwords.get(alice.id), aliceHash);
      assert.ok(await s.ctx.storage.identities.findByLoginId("username", "carol_c"));
    });

    it("assigns roles and groups that exist (users.roles holds the effective ones) and warns of the others", async () => {
      assert.equal((await send("POST", "/roles", JSON.stringify({ key: "editor" }))).status, 201);
      assert.equal((await send("POST", "/roles", JSON.stringify({ key: "viewer" }))).status, 201);
      assert.equal((await send("POST", "/groups", JSON.stringify({ key: "staff" }))).status, 201);
      assert.equal((await send("POST", "/groups/staff/roles", JSON.stringify({ roles: ["viewer"] }))).status, 200);
      const r = await importJob({ identifier: "email", records: [{ email: "grace@example.test", roles: ["editor", "ghost"], groups: ["staff", "nogroup"] }] });
      assert.equal(r.details[0].outcome, "inserted");
      assert.deepEqual(r.details[0].warnings.map((w: { message: string }) => w.message).sort(), [
        "group nogroup does not exist: not assigned (create it first)", "role ghost does not exist: not assigned (create it first)"]);
      const id = r.details[0].user_id;
      assert.deepEqual((await s.ctx.storage.users.get(id))!.roles, ["editor", "viewer"]);
      assert.deepEqual(await s.ctx.storage.assignments.ofUser(id), { roles: ["editor"], groups: ["staff"] });
    });

    it("signs in with the imported bcrypt password, which then becomes argon2id; TOTP is asked for where imported", async () => {
      const wrong = await signIn(s, new UserAgent(), "alice@example.test", "not-the-password");
      assert.notEqual(wrong.status, 303);
      const agent = new UserAgent();
      const tokens = await finishAtApp(s, agent, await signIn(s, agent, "alice@example.test", alicePassword));
      const aliceId = (await s.ctx.storage.identities.findByLoginId("email", "alice@example.test"))!.userId;
      assert.equal(tokens.claims.sub, aliceId);
      assert.match((await s.ctx.storage.passwords.get(aliceId))!, /^\$argon2id\$/);

      s.advance(31);
      const carol = new UserAgent();
      const first = await signIn(s, carol, "carol_c", "carol-pw-123");
      assert.equal(first.status, 303);
      assert.equal(first.headers.get("location"), "/login/totp");
      const page = await getPage(carol, `${s.url}/login/totp`);
      const done = await finishAtApp(s, carol, await post(carol, `${s.url}/login/totp`, { csrf: csrfOf(page.html), code: await totpNow(TOTP_SECRET, s.ctx.now()) }));
      assert.ok(done.claims.sub);
    });

    it("skips a user that exists (and a duplicate within one request) unless upsert", async () => {
      const aliceId = (await s.ctx.storage.identities.findByLoginId("email", "alice@example.test"))!.userId;
      const before = await s.ctx.storage.passwords.get(aliceId);
      const r = await importJob({ identifier: "email", records: [
        { email: "ALICE@example.test", name: "Overwritten?", password: { type: "bcrypt", password_hash: bcryptPlain("other") } },
        { email: "dave@example.test", name: "Dave" },
        { email: "Dave@example.test", name: "Dave again" },
      ] });
      assert.deepEqual(r.summary, { total: 3, inserted: 1, updated: 0, skipped: 2, failed: 0 });
      assert.equal(r.details[0].outcome, "skipped");
      assert.equal(r.details[0].user_id, aliceId);
      assert.equal(r.details[2].user_id, r.details[1].user_id, "the second record finds the first");
      assert.equal((await s.ctx.storage.users.get(aliceId))!.standardAttributes.name, "Alice Liddell");
      assert.equal(await s.ctx.storage.passwords.get(aliceId), before);
    });

    it("updates with upsert: attributes and the password hash replaced, the rest kept", async () => {
      const newHash = bcryptPlain("alice-new-pw");
      const r = await importJob({ identifier: "preferred_username", upsert: true, records: [
        { preferred_username: "carol_c", name: "Carol C.", disabled: true, custom_attributes: { hobby: "chess" } },
        { preferred_username: "nobody_yet", email: "erin@example.test" },
      ] });
      assert.deepEqual(r.summary, { total: 2, inserted: 1, updated: 1, skipped: 0, failed: 0 });
      const carolId = r.details[0].user_id;
      const carol = (await s.ctx.storage.users.get(carolId))!;
      assert.equal(carol.standardAttributes.name, "Carol C.");
      assert.equal(carol.disabled, true);
      assert.deepEqual(carol.customAttributes, { "0f3a7c1e-1111-4222-8333-944445555666": "chess" });
      const cleared = await importJob({ identifier: "preferred_username", upsert: true, records: [{ preferred_username: "carol_c", name: null, custom_attributes: { hobby: null } }] });
      assert.equal(cleared.details[0].outcome, "updated");
      const after = (await s.ctx.storage.users.get(carolId))!;
      assert.equal(after.standardAttributes.name, undefined, "a null removes the attribute");
      assert.deepEqual(after.customAttributes, {});
      const r2 = await importJob({ identifier: "email", upsert: true, records: [{ email: "alice@example.test", password: { type: "bcrypt", password_hash: newHash } }] });
      assert.equal(r2.details[0].outcome, "updated");
      const aliceId = r2.details[0].user_id;
      assert.equal(await s.ctx.storage.passwords.get(aliceId), newHash);
      assert.equal((await s.ctx.storage.users.get(aliceId))!.standardAttributes.name, "Alice Liddell", "fields the record leaves out are kept");
      s.advance(31);
      const agent = new UserAgent();
      assert.equal((await finishAtApp(s, agent, await signIn(s, agent, "alice@example.test", "alice-new-pw"))).claims.sub, aliceId);
    });

    it("answers malformed and hostile bodies with the admin API's problems, writing nothing", async () => {
      const count = async () => (await send("GET", "/users?limit=100")).body.items.length;
      const users = await count();
      const cases: [string, string | undefined][] = [
        ["not json", "{"],
        ["array", "[]"],
        ["no identifier", JSON.stringify({ records: [{ email: "x@example.test" }] })],
        ["unknown identifier", JSON.stringify({ identifier: "sub", records: [{ email: "x@example.test" }] })],
        ["empty records", JSON.stringify({ identifier: "email", records: [] })],
        ["record not an object", JSON.stringify({ identifier: "email", records: ["x@example.test"] })],
        ["upsert not boolean", JSON.stringify({ identifier: "email", upsert: "yes", records: [{ email: "x@example.test" }] })],
        ["unknown field", JSON.stringify({ identifier: "email", records: [{ email: "x@example.test" }], extra: 1 })],
      ];
      for (const [what, body] of cases) {
        const res = await send("POST", "/users/import", body);
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
        assert.match(res.type, /problem\+json/, what);
        assert.equal(res.body.code, "GH_ADMIN_INVALID_REQUEST", what);
      }
      const text = await send("POST", "/users/import", "identifier=email", { "content-type": "text/plain" });
      assert.ok(text.status === 400 || text.status === 415, String(text.status));
      const noKey = await fetch(`${s.url}/_api/admin/users/import`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identifier: "email", records: [{ email: "y@example.test" }] }) });
      assert.equal(noKey.status, 401);
      assert.equal((await send("GET", "/users/import/userimport_00000000000000000000000000000000")).status, 404);
      assert.equal((await send("GET", "/users/import/..%2F..%2Fetc")).status, 404);
      // A bad password record fails alone; the hash must be bcrypt, as Authgear's schema says.
      const r = await importJob({ identifier: "email", records: [{ email: "frank@example.test", password: { type: "bcrypt", password_hash: "$argon2id$v=19$m=1,t=1,p=1$x$y" } }] });
      assert.equal(r.details[0].outcome, "failed");
      assert.equal(await count(), users);
    });

    it("takes bodies up to Authgear's 500 KB and refuses larger ones", async () => {
      const records = Array.from({ length: 200 }, (_, i) => ({ email: `bulk${i}@example.test`, nickname: "n".repeat(400) }));
      const big = { identifier: "email", records };
      assert.ok(JSON.stringify(big).length > 64 * 1024);
      const r = await importJob(big);
      assert.equal(r.summary.inserted, 200);
      const huge = JSON.stringify({ identifier: "email", records: [{ email: "huge@example.test", nickname: "x".repeat(600 * 1000) }] });
      const res = await send("POST", "/users/import", huge);
      // Declared too large: refused by the edge before reading, as every endpoint's oversized body is.
      assert.equal(res.status, 413);
      assert.equal(res.body.error, "invalid_request");
      // Sent chunked (no length declared): Fastify stops reading at the route's limit; the admin API's problem.
      const chunked = await fetch(`${s.url}/_api/admin/users/import`, {
        method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(huge)); c.close(); } }), duplex: "half",
      } as RequestInit);
      assert.equal(chunked.status, 400);
      assert.match(chunked.headers.get("content-type") ?? "", /problem\+json/);
      assert.match(((await chunked.json()) as { detail: string }).detail, /too large/);
      assert.equal(await s.ctx.storage.identities.findByLoginId("email", "huge@example.test"), null);
    });
  });
}

describe("Authgear user-import API on two nodes sharing PostgreSQL and Redis", () => {
  const suffix = randomBytes(5).toString("hex");
  const schema = `gh_uimp2_${suffix}`;
  const prefix = `gh-uimp-${suffix}:`;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    const shared = { databaseUrl: `${POSTGRES_URL}?schema=${schema}`, config: { ...CONFIG, redis: { url: REDIS_URL, key_prefix: prefix } } };
    a = await startTestServer(shared);
    b = await startTestServer(shared);
  });
  after(async () => {
    await Promise.allSettled([...running]);
    await Promise.allSettled([a.close(), b.close()]);
    await dropRedisKeys(prefix);
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it("a job posted to one node is answered by the other (jobs live in Redis under redis.key_prefix)", async () => {
    const key = (await createAdminKey(a.ctx, "two-nodes")).key;
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const created = await fetch(`${a.url}/_api/admin/users/import`, { method: "POST", headers, body: JSON.stringify({ identifier: "email", records: [{ email: "zoe@example.test" }] }) });
    assert.equal(created.status, 200);
    const { result } = (await created.json()) as { result: { id: string } };
    await Promise.allSettled([...running]);
    const got = await fetch(`${b.url}/_api/admin/users/import/${result.id}`, { headers });
    assert.equal(got.status, 200);
    const job = ((await got.json()) as { result: { status: string; summary: unknown } }).result;
    assert.equal(job.status, "completed");
    assert.deepEqual(job.summary, { total: 1, inserted: 1, updated: 0, skipped: 0, failed: 0 });
    assert.ok(await a.ctx.redis!.exists(`${prefix}user-import:${result.id}`));
  });
});
