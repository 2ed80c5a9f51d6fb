// `gatehouse import authgear` carries over what hangs off devices and the calendar: passkeys (made here
// with a software authenticator whose key the test holds, stored as Authgear stores them: the creation
// options and the attestation response JSON, the counter on the authenticator row), biometric and
// anonymous device keys (RSA keys the test holds, as the native SDKs make them), and a scheduled
// deletion. Then the real server, over HTTP, on SQLite and PostgreSQL: the passkey signs in through the
// passkey endpoint, the biometric key through the biometric-request grant, the anonymous key through
// the anonymous-request grant, each as the same `sub`; the scheduled user is disabled with the same
// delete-at and the sweeper deletes them after it. A second run changes nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { decodeJwt } from "jose";
import { stringify } from "yaml";
import { createAuthgearSchema } from "./authgear-schema.ts";
import { bcryptPlain, insertUser } from "./authgear-fill.ts";
import { importAuthgear } from "../../src/import/authgear/command.ts";
import { sweepExpired } from "../../src/maintenance/sweeper.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { SPA_CLIENT, startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent, csrfOf, finishAtApp, openLogin, post, submitLogin } from "../account/fixture.ts";
import { SoftAuthenticator } from "../passkeys/soft-authenticator.ts";
import { DEVICE_INFO, Device, challenge } from "../device-keys/device.ts";
import { NATIVE_CLIENT, postToken } from "../device-keys/fixture.ts";

const APP = "devices-app";
const RP_ID = "127.0.0.1";
const now = Math.floor(Date.now() / 1000);
const DELETE_AT = now + 3 * 86400 + 17;
const b64u = (s: string): string => Buffer.from(s).toString("base64url");
const IDENTITIES = ["login_id", "passkey", "biometric", "anonymous"];
const AUTHENTICATION = { identities: IDENTITIES, primary_authenticators: ["password", "passkey"], password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } };

/** What Authgear's CreationOptionsService.MakeCreationOptions stores (pkg/lib/feature/passkey/creation_options_service.go). */
function creationOptions(challengeValue: string, userId: string, name: string): unknown {
  return {
    publicKey: {
      challenge: challengeValue, rp: { id: RP_ID, name: "My App" }, user: { id: b64u(userId), name, displayName: name },
      pubKeyCredParams: [{ type: "public-key", alg: -7 }, { type: "public-key", alg: -257 }], timeout: 300000,
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
      attestation: "direct", extensions: { uvm: true, credProps: true },
    },
  };
}

async function buildAuthgearProject(dir: string, schema: string) {
  await createAuthgearSchema(POSTGRES_URL, schema);
  const db = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
  await db.connect();
  const t = now - 86400 * 30;
  const email = (v: string) => [{ key: "email", type: "email" as const, value: v, normalized: v }];

  // A passkey made on Authgear's sign-up page; signed in with 3 times since (the counter Authgear kept).
  const authenticator = new SoftAuthenticator(RP_ID, `http://${RP_ID}`);
  const pat = randomUUID();
  const registrationChallenge = randomBytes(32).toString("base64url");
  const attestationResponse = authenticator.register(registrationChallenge, pat);
  authenticator.credentials[0].counter = 3;
  await insertUser(db, {
    id: pat, appId: APP, createdAt: t, loginIds: email("pat@example.test"),
    passkeys: [{ credentialId: JSON.parse(attestationResponse).id, creationOptions: creationOptions(registrationChallenge, pat, "pat@example.test"), attestationResponse, signCount: 3 }],
  });
  // An attestation response with nothing in it: counted, not imported.
  await insertUser(db, {
    appId: APP, createdAt: t, loginIds: email("quinn@example.test"), passwordHash: bcryptPlain("quinns-password"),
    passkeys: [{ credentialId: "AAAA", creationOptions: {}, attestationResponse: JSON.stringify({ id: "AAAA", rawId: "AAAA", type: "public-key", response: {} }), signCount: 0 }],
  });

  const phone = new Device();
  const bea = await insertUser(db, {
    appId: APP, createdAt: t, loginIds: email("bea@example.test"), passwordHash: bcryptPlain("beas-password"),
    biometric: [{ keyId: phone.kid, jwk: phone.jwk(), deviceInfo: DEVICE_INFO }],
  });
  const game = new Device();
  const anon = await insertUser(db, { appId: APP, createdAt: t, lastLoginAt: now - 3600, anonymous: { keyId: game.kid, jwk: game.jwk() } });
  const webAnon = await insertUser(db, { appId: APP, createdAt: t, anonymous: { keyId: null, jwk: null } });
  // Scheduled by the user themselves (Authgear's ScheduleDeletionByEndUser: disabled, deactivated, delete_at).
  const dan = await insertUser(db, {
    appId: APP, createdAt: t, loginIds: email("dan@example.test"), passwordHash: bcryptPlain("dans-password"),
    disabled: { reason: null }, deactivated: true, deleteAt: DELETE_AT,
  });
  await db.end();

  writeFileSync(join(dir, "authgear.yaml"), stringify({
    id: APP, http: { public_origin: `http://${RP_ID}` },
    identity: { login_id: { keys: [{ key: "email", type: "email" }] } },
    authentication: { identities: IDENTITIES, primary_authenticators: ["password", "passkey"] },
  }));
  writeFileSync(join(dir, "authgear.secrets.yaml"), stringify({ secrets: [] }));
  return { pat, bea, anon, webAnon, dan, authenticator, phone, game };
}

const optionsOf = (html: string): { challenge: string } => {
  const m = /data-passkey="login"[^>]*data-passkey-options="([^"]+)"/.exec(html);
  assert.ok(m, "the login page offers passkeys");
  return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as { challenge: string };
};

for (const backend of ["sqlite", "postgres"] as const) {
  describe(`gatehouse import authgear: passkeys, device keys, scheduled deletions → ${backend}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-import-devices-"));
    const suffix = randomBytes(5).toString("hex");
    const agSchema = `ag_dev_${suffix}`;
    const ghSchema = `gh_dev_${suffix}`;
    const configFile = join(dir, "gatehouse.yaml");
    const databaseUrl = backend === "sqlite" ? `sqlite:${join(dir, "gatehouse.db")}` : `${POSTGRES_URL}?schema=${ghSchema}`;
    let project: Awaited<ReturnType<typeof buildAuthgearProject>>;
    let server: TestServer;
    let firstLog = "";
    const run = () => {
      let log = "";
      return importAuthgear({
        configFile, authgearConfig: join(dir, "authgear.yaml"), authgearSecrets: join(dir, "authgear.secrets.yaml"),
        databaseUrl: `${POSTGRES_URL}?schema=${agSchema}`, dryRun: false, batchSize: 2, log: (text) => { log += text; },
      }).then((r) => ({ ...r, log }));
    };

    before(async () => {
      project = await buildAuthgearProject(dir, agSchema);
      writeFileSync(configFile, stringify({
        database: { url: databaseUrl }, http: { public_origin: `http://${RP_ID}:9` },
        identity: { login_id: { keys: [{ key: "email", type: "email" }] } }, authentication: AUTHENTICATION,
      }));
      firstLog = (await run()).log;
      server = await startTestServer({
        databaseUrl, clients: [NATIVE_CLIENT, SPA_CLIENT],
        config: { identity: { login_id: { keys: [{ key: "email", type: "email" }] } }, authentication: AUTHENTICATION },
      });
    });
    after(async () => {
      await server?.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${agSchema} CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS ${ghSchema} CASCADE`);
      await c.end();
      rmSync(dir, { recursive: true, force: true });
    });

    it("counts what it carried over, and the passkey it could not read", () => {
      assert.match(firstLog, /users: 6\b/);
      assert.match(firstLog, /passkeys: 1\b/);
      assert.match(firstLog, /biometric keys: 1\b/);
      assert.match(firstLog, /anonymous users: 2\b/);
      assert.match(firstLog, /scheduled deletions: 1\b/);
      assert.match(firstLog, /passkeys whose attestation response could not be read/);
      assert.doesNotMatch(firstLog, /not carried over yet/);
    });

    it("the passkey keeps Authgear's ids, the attested public key and Authgear's counter", async () => {
      const [p] = await server.ctx.storage.passkeys.listByUser(project.pat);
      assert.equal(p.credentialId, project.authenticator.credentials[0].id.toString("base64url"));
      assert.equal(p.signCount, 3, "the counter of _auth_authenticator_passkey, not the attestation's 0");
      assert.deepEqual(p.transports, ["internal"]);
      const identities = await server.ctx.storage.identities.listByUser(project.pat);
      assert.deepEqual(identities.filter((i) => i.type === "passkey").map((i) => [i.id, i.claims.display_name]), [[p.identityId, "pat@example.test"]]);
    });

    it("(a) the passkey signs in through POST /login/passkey as the same sub", async () => {
      const agent = new UserAgent();
      const { html, flow } = await openLogin(server, agent);
      const credential = project.authenticator.assert(optionsOf(html).challenge, { origin: server.url });
      const tokens = await finishAtApp(server, agent, await post(agent, `${server.url}/login/passkey`, { csrf: csrfOf(html), flow, credential }));
      assert.equal(tokens.claims.sub, project.pat);
      assert.deepEqual(tokens.claims.amr, ["x_passkey"]);
      assert.equal((await server.ctx.storage.passkeys.listByUser(project.pat))[0].signCount, 4);
    });

    it("(b) the biometric key signs in through the biometric-request grant as the same sub", async () => {
      const [key] = await server.ctx.storage.deviceKeys.listByUser(project.bea);
      assert.deepEqual([key.type, key.keyId, key.deviceInfo], ["biometric", project.phone.kid, DEVICE_INFO]);
      const token = await challenge(server.url, "biometric_request");
      const res = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:biometric-request", client_id: NATIVE_CLIENT.client_id, jwt: project.phone.biometricJwt(token, "authenticate") });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const at = decodeJwt(String(res.body.access_token));
      assert.equal(at.sub, project.bea);
      assert.deepEqual(at.amr, ["x_biometric"]);
    });

    it("(c) the anonymous key signs in through the anonymous-request grant as the same anonymous user", async () => {
      assert.equal((await server.ctx.storage.users.get(project.anon))?.isAnonymous, true);
      const web = await server.ctx.storage.deviceKeys.listByUser(project.webAnon);
      assert.deepEqual(web.map((k) => [k.type, k.keyId, k.jwk]), [["anonymous", null, null]], "a web anonymous user has no key");
      assert.equal((await server.ctx.storage.users.get(project.webAnon))?.isAnonymous, true);
      project.game.anonymousKeyKnown = true;
      const token = await challenge(server.url, "anonymous_request");
      const res = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:anonymous-request", client_id: NATIVE_CLIENT.client_id, jwt: project.game.anonymousJwt(token, "auth") });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(decodeJwt(String(res.body.access_token)).sub, project.anon);
    });

    it("(d) the scheduled user is disabled with the same delete-at, scheduled by themselves", async () => {
      const dan = (await server.ctx.storage.users.get(project.dan))!;
      assert.equal(dan.disabled, true);
      const d = (await server.ctx.storage.accountDeletions.get(project.dan))!;
      assert.deepEqual([d.deleteAt, d.byAdmin, d.reason], [DELETE_AT, false, "end user request"]);
      const refused = await submitLogin(server, new UserAgent(), "dan@example.test", "dans-password");
      assert.equal(refused.status, 403, "the right password, and still no way in");
    });

    it("(e) a second run changes nothing", async () => {
      const s = server.ctx.storage;
      const ids = [project.pat, project.bea, project.anon, project.webAnon, project.dan];
      const snapshot = async (): Promise<string> => JSON.stringify(await Promise.all(ids.map(async (id) => [
        await s.users.get(id), await s.identities.listByUser(id), await s.passkeys.listByUser(id), await s.deviceKeys.listByUser(id), await s.accountDeletions.get(id),
      ])));
      const before = await snapshot();
      const again = await run();
      assert.equal(again.tally.written.get("users") ?? 0, 0);
      assert.equal(again.tally.written.get("passkeys") ?? 0, 0);
      assert.equal(again.tally.skipReasons.get("already imported"), 6);
      assert.equal(await snapshot(), before);
    });

    it("(d) the sweeper deletes the scheduled user once delete-at has passed, and no one else", async () => {
      await sweepExpired(server.ctx);
      assert.ok(await server.ctx.storage.users.get(project.dan), "not before its time");
      server.advance(DELETE_AT - server.ctx.now() + 1);
      await sweepExpired(server.ctx);
      assert.equal(await server.ctx.storage.users.get(project.dan), null);
      assert.ok(await server.ctx.storage.users.get(project.pat));
    });
  });
}
