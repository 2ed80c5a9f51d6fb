// Who may call /_api/admin/graphql: a JWT as Authgear checks it, or a Gatehouse admin key. Every
// failure is Authgear's answer, 403 "Forbidden", and runs nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { adminJwt, adminKeyPair, APP_ID, graphqlServer, KID, type GraphqlFixture } from "./fixture.ts";
import { createAdminKey, revokeAdminKey } from "../../src/admin/keys.ts";
import { loadConfigFile, parseConfig } from "../../src/config/load.ts";

const QUERY = "{ users(first: 1) { edges { node { id } } } }";
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("admin GraphQL authentication", () => {
  let f: GraphqlFixture;
  before(async () => { f = await graphqlServer(); });
  after(async () => { await f.close(); });

  const forbidden = async (auth: string, why: string) => {
    const res = await f.gql(QUERY, undefined, auth);
    assert.equal(res.status, 403, why);
    assert.equal(res.text, "Forbidden\n", why);
  };

  it("accepts a JWT signed as Authgear's docs show (RS256, kid, aud = app ID, exp)", async () => {
    const res = await f.gql(QUERY);
    assert.equal(res.status, 200);
    assert.equal(res.body.data.users.edges.length, 1, "the fixture's one user");
    // aud may be a list holding the app ID, as a JWT audience may.
    assert.equal((await f.gql(QUERY, undefined, `Bearer ${await adminJwt(f.keys.privateKey, { aud: ["other", APP_ID] })}`)).status, 200);
  });

  it("refuses no token, another scheme and garbage", async () => {
    await forbidden("", "no header");
    await forbidden(`Basic ${await adminJwt(f.keys.privateKey)}`, "Basic");
    await forbidden("Bearer not.a.jwt", "garbage");
    await forbidden(`Bearer ${"a".repeat(9000)}`, "oversized");
  });

  it("refuses a wrong or missing kid, a wrong audience, an expired or future token and one without exp", async () => {
    const now = Math.floor(Date.now() / 1000);
    await forbidden(`Bearer ${await adminJwt(f.keys.privateKey, { kid: "other-kid" })}`, "unknown kid");
    await forbidden(`Bearer ${await adminJwt(f.keys.privateKey, { kid: null })}`, "no kid");
    await forbidden(`Bearer ${await adminJwt(f.keys.privateKey, { aud: "otherapp" })}`, "wrong aud");
    await forbidden(`Bearer ${await adminJwt(f.keys.privateKey, { iat: now - 600, exp: now - 1 })}`, "expired");
    await forbidden(`Bearer ${await adminJwt(f.keys.privateKey, { iat: now + 120, exp: now + 400 })}`, "issued in the future");
    await forbidden(`Bearer ${await adminJwt(f.keys.privateKey, { exp: null })}`, "no exp");
  });

  it("refuses alg none, HS256 keyed with the public key, another key's signature and a changed payload", async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { aud: APP_ID, iat: now, exp: now + 300 };
    await forbidden(`Bearer ${b64({ alg: "none", typ: "JWT", kid: KID })}.${b64(payload)}.`, "alg none");
    const hsInput = `${b64({ alg: "HS256", typ: "JWT", kid: KID })}.${b64(payload)}`;
    for (const secret of [JSON.stringify(f.keys.publicJwk), f.keys.publicJwk.n!]) {
      await forbidden(`Bearer ${hsInput}.${createHmac("sha256", secret).update(hsInput).digest("base64url")}`, "HS256 with the public key");
    }
    const other = await adminKeyPair(KID);
    await forbidden(`Bearer ${await adminJwt(other.privateKey)}`, "signed by another key under the same kid");
    const [h, , s] = (await adminJwt(f.keys.privateKey)).split(".");
    await forbidden(`Bearer ${h}.${b64({ ...payload, aud: [APP_ID, "x"], extra: 1 })}.${s}`, "payload changed after signing");
  });

  it("accepts a live Gatehouse admin key and refuses it once revoked", async () => {
    const { id, key } = await createAdminKey(f.server.ctx, "graphql");
    assert.equal((await f.gql(QUERY, undefined, `Bearer ${key}`)).status, 200);
    await revokeAdminKey(f.server.ctx, "test", id);
    await forbidden(`Bearer ${key}`, "revoked admin key");
  });
});

describe("admin GraphQL keys from the secrets file", () => {
  it("takes admin-api.auth's public halves, never the private members", async () => {
    const keys = await adminKeyPair("from-secrets");
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-secrets-"));
    writeFileSync(join(dir, "gatehouse.yaml"), stringify({ id: APP_ID }));
    writeFileSync(join(dir, "authgear.secrets.yaml"), stringify({ secrets: [{ key: "admin-api.auth", data: { keys: [{ ...keys.privateJwk, created_at: 1700000000 }] } }] }));
    const config = loadConfigFile(join(dir, "gatehouse.yaml"), { secretsFile: join(dir, "authgear.secrets.yaml") });
    assert.equal(config.id, APP_ID);
    assert.equal(config.admin_api.public_keys.length, 1);
    const pub = config.admin_api.public_keys[0] as Record<string, unknown>;
    assert.equal(pub.kid, "from-secrets");
    assert.equal(pub.n, keys.publicJwk.n);
    for (const member of ["d", "p", "q", "dp", "dq", "qi", "created_at"]) assert.equal(pub[member], undefined, member);
  });

  it("refuses a private key written in the config itself", async () => {
    const keys = await adminKeyPair();
    assert.throws(() => parseConfig({ admin_api: { public_keys: [keys.privateJwk] } }), /admin_api\.public_keys\[0\]\.d: a private key member/);
  });
});
