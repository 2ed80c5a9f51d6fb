// `gatehouse import authgear` end to end: an Authgear database built from Authgear's own migrations and
// filled as Authgear fills it, offline grants in Redis as Authgear stores them, its config and secrets
// files; imported into Gatehouse on SQLite (config written by the import) and PostgreSQL (an existing
// config). Then the real server: the old password signs in (and its hash becomes argon2id), TOTP with
// the imported secret, the `sub` is Authgear's, an Authgear-format refresh token refreshes, an access
// token Authgear signed before the move verifies against Gatehouse's JWKS. A second run changes nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { createLocalJWKSet, jwtVerify, SignJWT, importJWK } from "jose";
import { stringify, parse } from "yaml";
import { createAuthgearSchema } from "./authgear-schema.ts";
import { bcryptPlain, bcryptSha512, grantRole, insertOfflineGrant, insertRoleOrGroup, insertUser } from "./authgear-fill.ts";
import { importAuthgear, loadImportedConfig } from "../../src/import/authgear/command.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";
import { SPA_CLIENT, startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent, post, csrfOf, finishAtApp, getPage, openLogin, totpNow } from "../account/fixture.ts";

const APP = "myapp";
const SPA = { client_id: "authgear-spa", name: "Web app", x_application_type: "spa", redirect_uris: ["http://127.0.0.1:9/callback"], post_logout_redirect_uris: [] };
const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const now = Math.floor(Date.now() / 1000);

async function buildAuthgearProject(dir: string, schema: string, redisPrefix: string) {
  await createAuthgearSchema(POSTGRES_URL, schema);
  const db = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
  await db.connect();
  const t = now - 86400 * 30;
  const editor = await insertRoleOrGroup(db, "_auth_role", APP, "editor", t);
  const viewer = await insertRoleOrGroup(db, "_auth_role", APP, "viewer", t);
  const staff = await insertRoleOrGroup(db, "_auth_group", APP, "staff", t);
  await grantRole(db, APP, staff, viewer, t);
  const alice = await insertUser(db, {
    appId: APP, createdAt: t, passwordHash: bcryptSha512("alice-old-password"), totpSecret: TOTP_SECRET,
    loginIds: [{ key: "email", type: "email", value: "Alice@Example.test", normalized: "alice@example.test" }],
    recoveryCodes: [{ code: "ABCDE12345", consumed: false }, { code: "FGHJK67890", consumed: true }],
    verified: [{ name: "email", value: "alice@example.test" }], standardAttributes: { given_name: "Alice", family_name: "Liddell" },
    customAttributes: { "8f2e1c9a-0000-4000-8000-000000000001": "gold" }, roleIds: [editor], groupIds: [staff],
  });
  const bob = await insertUser(db, {
    appId: APP, createdAt: t, passwordHash: bcryptPlain("bobs-old-password"),
    loginIds: [{ key: "email", type: "email", value: "bob@example.test", normalized: "bob@example.test" },
      { key: "username", type: "username", value: "Bob_Builder", normalized: "bob_builder" }],
    verified: [{ name: "phone_number", value: "+85291234567" }],
  });
  const carol = await insertUser(db, {
    appId: APP, createdAt: t, disabled: { reason: "chargeback" },
    oauth: [{ providerType: "google", subject: "google-sub-carol", claims: { email: "carol@gmail.test" } }, { providerType: "wechat", providerKeys: { app_type: "mobile" }, subject: "wx-1" }],
  });
  await insertUser(db, { appId: "another-app", createdAt: t, passwordHash: bcryptPlain("not-ours-password"),
    loginIds: [{ key: "email", type: "email", value: "zed@example.test", normalized: "zed@example.test" }] });
  await db.end();

  const redis = new Redis(REDIS_URL);
  const aliceToken = await insertOfflineGrant(redis, redisPrefix, { appId: APP, userId: alice, clientId: SPA.client_id, scopes: ["openid", "offline_access"], createdAt: now - 3600, ttlSeconds: 86400, amr: ["pwd", "otp", "mfa"] });
  await redis.set(`${redisPrefix}app:${APP}:offline-grant:not-json`, "{", "EX", 600);
  await redis.quit();

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signing = { ...privateKey.export({ format: "jwk" }), kid: "authgear-signing-1", alg: "RS256", use: "sig" };
  const adminKey = { ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid: "admin-1" };
  writeFileSync(join(dir, "authgear.yaml"), stringify({
    id: APP,
    http: { public_origin: "https://auth.example.test" },
    oauth: { clients: [{ ...SPA, access_token_lifetime_seconds: 1800, grant_types: ["authorization_code", "refresh_token"], x_max_concurrent_session: 1 }] },
    identity: {
      login_id: { keys: [{ key: "email", type: "email" }, { key: "username", type: "username" }] },
      oauth: { providers: [{ alias: "google", type: "google", client_id: "google-client-id" }] },
    },
    authentication: { identities: ["login_id", "oauth"], primary_authenticators: ["password"], secondary_authenticators: ["totp"], secondary_authentication_mode: "if_exists" },
    messaging: { sms_provider: "twilio" },
  }));
  writeFileSync(join(dir, "authgear.secrets.yaml"), stringify({
    secrets: [
      { key: "db", data: { database_url: "postgres://authgear", database_schema: "public" } },
      { key: "oauth", data: { keys: [signing] } },
      { key: "admin-api.auth", data: { keys: [adminKey] } },
      { key: "webhook", data: { keys: [{ kty: "oct", kid: "wh-1", k: randomBytes(32).toString("base64url") }] } },
      { key: "sso.oauth.client", data: { items: [{ alias: "google", client_secret: "google-secret" }] } },
    ],
  }));
  return { alice, bob, carol, aliceToken, signing };
}

/** The sign-in form with two login-ID keys has one `login_id` field (authui/login-id-fields.ts). */
async function submitLogin(s: TestServer, agent: UserAgent, loginId: string, password: string): Promise<Response> {
  const { html, flow } = await openLogin(s, agent);
  return post(agent, `${s.url}/login`, { csrf: csrfOf(html), flow, login_id: loginId, password });
}

for (const backend of ["sqlite", "postgres"] as const) {
  describe(`gatehouse import authgear → ${backend}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-import-"));
    const suffix = randomBytes(5).toString("hex");
    const agSchema = `ag_src_${suffix}`;
    const ghSchema = `gh_imp_${suffix}`;
    const prefix = `gh-import-${suffix}:`;
    const configFile = join(dir, "gatehouse.yaml");
    let project: Awaited<ReturnType<typeof buildAuthgearProject>>;
    let server: TestServer;
    let firstLog = "";
    const run = (o: { dryRun?: boolean; configFile?: string } = {}) => {
      let log = "";
      return importAuthgear({
        configFile: o.configFile ?? configFile, authgearConfig: join(dir, "authgear.yaml"), authgearSecrets: join(dir, "authgear.secrets.yaml"),
        databaseUrl: `${POSTGRES_URL}?schema=${agSchema}`, redisUrl: REDIS_URL, redisPrefix: prefix, dryRun: o.dryRun ?? false, batchSize: 2,
        log: (t) => { log += t; },
      }).then((r) => ({ ...r, log }));
    };

    before(async () => {
      project = await buildAuthgearProject(dir, agSchema, prefix);
      if (backend === "postgres") {
        // An existing config is the operator's: used as it is, nothing written over it.
        writeFileSync(configFile, stringify({ database: { url: `${POSTGRES_URL}?schema=${ghSchema}` }, oauth: { clients: [SPA] },
          identity: { login_id: { keys: [{ key: "email", type: "email" }, { key: "username", type: "username" }] }, oauth: { providers: [{ alias: "google", type: "google", client_id: "google-client-id" }] } } }));
      }
      const first = await run();
      firstLog = first.log;
      const config = loadImportedConfig(parse(readFileSync(configFile, "utf8")), parse(readFileSync(join(dir, "authgear.secrets.yaml"), "utf8")));
      server = await startTestServer({
        databaseUrl: config.database.url, clients: [...config.oauth.clients as unknown as Record<string, unknown>[], SPA_CLIENT],
        config: { identity: { login_id: { keys: [{ key: "email", type: "email" }, { key: "username", type: "username" }] }, oauth: { providers: [{ alias: "google", type: "google", client_id: "google-client-id", client_secret: "x" }] } } },
      });
    });
    after(async () => {
      await server?.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${agSchema} CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS ${ghSchema} CASCADE`);
      await c.end();
      await dropRedisKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
    });

    it("writes the converted config and secrets (when there was none) and reports what it left behind", () => {
      assert.match(firstLog, /users: 3\b/);
      assert.match(firstLog, /sessions \(offline grants\): 1\b/);
      assert.match(firstLog, /signing keys \(verify only\): 1\b/);
      assert.match(firstLog, /OAuth identities of provider wechat/);
      assert.match(firstLog, /verified phone numbers/);
      assert.match(firstLog, /the grant is not JSON/);
      if (backend === "sqlite") {
        const written = parse(readFileSync(configFile, "utf8"));
        assert.equal(written.id, APP);
        assert.equal(written.oauth.clients[0].client_id, SPA.client_id);
        assert.equal(written.oauth.clients[0].grant_types, undefined);
        // Gatehouse has messaging.sms_provider, but Twilio's credentials live in Authgear's secrets (sms.twilio), which this project lacks.
        assert.match(firstLog, /messaging: not accepted \(sms_provider is twilio: account_sid, auth_token/);
        assert.match(firstLog, /oauth\.clients\[0\]\.x_max_concurrent_session: Gatehouse has no such setting/);
        const secrets = parse(readFileSync(join(dir, "gatehouse.secrets.yaml"), "utf8"));
        assert.deepEqual(secrets.secrets.map((s: { key: string }) => s.key), ["sso.oauth.client", "admin-api.auth", "webhook"]);
        assert.equal(secrets.secrets[1].data.keys[0].kid, "admin-1");
      } else {
        assert.equal(existsSync(join(dir, "gatehouse.secrets.yaml")), false);
      }
    });

    it("keeps every user's id (the sub), login IDs, attributes, roles through groups, disabled state; other apps' users stay out", async () => {
      const s = server.ctx.storage;
      const alice = (await s.users.get(project.alice))!;
      assert.equal(alice.email, "alice@example.test");
      assert.equal(alice.isVerified, true);
      assert.deepEqual(alice.roles, ["editor", "viewer"]);
      assert.deepEqual(alice.standardAttributes, { given_name: "Alice", family_name: "Liddell" });
      assert.deepEqual(alice.customAttributes, { "8f2e1c9a-0000-4000-8000-000000000001": "gold" });
      const bob = (await s.users.get(project.bob))!;
      assert.equal(bob.standardAttributes.preferred_username, "bob_builder");
      const ids = await s.identities.listByUser(project.bob);
      assert.deepEqual(ids.map((i) => i.originalLoginId).sort(), ["Bob_Builder", "bob@example.test"]);
      const carol = (await s.users.get(project.carol))!;
      assert.equal(carol.disabled, true);
      assert.equal(carol.disabledReason, "chargeback");
      const social = await s.identities.listByUser(project.carol);
      assert.deepEqual(social.map((i) => [i.providerAlias, i.providerSubject]), [["google", "google-sub-carol"]]);
      assert.equal(await s.users.findByEmail("zed@example.test"), null);
      const found = await s.userSearch.search({ query: "liddell", limit: 10 });
      assert.deepEqual(found.items.map((u) => u.id), [project.alice], "attribute values are searchable");
      const byRole = await s.userSearch.search({ role: "viewer", limit: 10 });
      assert.deepEqual(byRole.items.map((u) => u.id), [project.alice], "roles through groups are searchable");
    });

    it("signs Alice in with her Authgear password and TOTP secret; the sub is hers; the hash becomes argon2id", async () => {
      assert.match((await server.ctx.storage.passwords.get(project.alice))!, /^\$bcrypt-sha512\$/);
      const wrong = new UserAgent();
      const refused = await submitLogin(server, wrong, "alice@example.test", "not-her-password");
      assert.notEqual(refused.status, 303);
      assert.match((await server.ctx.storage.passwords.get(project.alice))!, /^\$bcrypt-sha512\$/, "a wrong password upgrades nothing");

      const agent = new UserAgent();
      const first = await submitLogin(server, agent, "Alice@Example.test", "alice-old-password");
      assert.equal(first.status, 303, await first.clone().text());
      assert.equal(first.headers.get("location"), "/login/totp");
      const page = await getPage(agent, `${server.url}/login/totp`);
      const tokens = await finishAtApp(server, agent, await post(agent, `${server.url}/login/totp`, { csrf: csrfOf(page.html), code: await totpNow(TOTP_SECRET, server.ctx.now()) }));
      assert.equal(tokens.claims.sub, project.alice);
      assert.match((await server.ctx.storage.passwords.get(project.alice))!, /^\$argon2id\$/);
    });

    it("signs Bob in with a plain $2a$ bcrypt hash, upgraded too", async () => {
      server.advance(31);
      const agent = new UserAgent();
      const tokens = await finishAtApp(server, agent, await submitLogin(server, agent, "Bob_Builder", "bobs-old-password"));
      assert.equal(tokens.claims.sub, project.bob);
      assert.match((await server.ctx.storage.passwords.get(project.bob))!, /^\$argon2id\$/);
    });

    it("refreshes with the refresh token Authgear issued", async () => {
      assert.match(project.aliceToken, /^[0-9a-f-]{36}\.[A-Za-z0-9]{32}$/);
      const res = await fetch(`${server.url}/oauth2/token`, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: project.aliceToken, client_id: SPA.client_id }),
      });
      const body = (await res.json()) as { access_token: string };
      assert.equal(res.status, 200, JSON.stringify(body));
      const claims = JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString());
      assert.equal(claims.sub, project.alice);
      assert.deepEqual(claims.amr, ["pwd", "otp", "mfa"]);
      const forged = project.aliceToken.slice(0, -1) + (project.aliceToken.endsWith("a") ? "b" : "a");
      const bad = await fetch(`${server.url}/oauth2/token`, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: forged, client_id: SPA.client_id }),
      });
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { error: string }).error, "invalid_grant");
    });

    it("publishes Authgear's signing key: a token it signed before the move verifies; it never signs", async () => {
      const key = await importJWK(project.signing, "RS256");
      const old = await new SignJWT({ client_id: SPA.client_id }).setProtectedHeader({ alg: "RS256", kid: "authgear-signing-1", typ: "JWT" })
        .setSubject(project.alice).setIssuer("https://auth.example.test").setAudience("https://auth.example.test").setIssuedAt().setExpirationTime("30m").sign(key);
      const jwks = await (await fetch(`${server.url}/oauth2/jwks`)).json() as { keys: { kid: string }[] };
      assert.ok(jwks.keys.some((k) => k.kid === "authgear-signing-1"));
      const { payload } = await jwtVerify(old, createLocalJWKSet(jwks as never));
      assert.equal(payload.sub, project.alice);
      assert.notEqual(server.ctx.keys.current().kid, "authgear-signing-1");
    });

    it("a second run changes nothing; a dry run into a new place writes nothing", async () => {
      const count = async (): Promise<string> => {
        const s = server.ctx.storage;
        return JSON.stringify(await Promise.all([project.alice, project.bob, project.carol].map(async (id) => [await s.users.get(id), await s.identities.listByUser(id), await s.passwords.get(id), await s.offlineGrants.listByUser(id)])));
      };
      const before = await count();
      const again = await run();
      assert.equal(again.tally.written.get("users") ?? 0, 0);
      assert.equal(again.tally.skipReasons.get("already imported"), 4, "3 users and 1 grant");
      assert.equal(await count(), before);
      const fresh = join(dir, "elsewhere", "gatehouse.yaml");
      const dry = await run({ dryRun: true, configFile: fresh });
      assert.equal(dry.tally.written.get("users"), 3);
      assert.match(dry.log, /Dry run: nothing was written/);
      assert.equal(existsSync(fresh), false);
    });
  });
}
