// The pieces an import depends on, on their own: Authgear's password-hash formats (checked against the
// vectors in Authgear's own tests, pkg/util/password/bcrypt_sha512_test.go), its refresh-token shape,
// its offline-grant record, and the config conversion's report of what it leaves behind.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createPasswordHasher, isSupportedPasswordHash } from "../../src/users/password-hash.ts";
import { parseRefreshToken } from "../../src/oauth/token/refresh-token-format.ts";
import { sha256 } from "../../src/crypto/secrets.ts";
import { mapGrant } from "../../src/import/authgear/redis-grants.ts";
import { convertProject } from "../../src/import/authgear/config.ts";
import { providerAlias } from "../../src/import/authgear/users.ts";
import { Tally } from "../../src/import/authgear/tally.ts";

const hasher = createPasswordHasher({ memoryKib: 8192, iterations: 1, parallelism: 1 });

describe("Authgear password hashes", () => {
  it("verifies Authgear's own bcrypt-sha512 test vectors, without truncating long passwords", async () => {
    const h = "$bcrypt-sha512$$2a$10$qQybX3kAJNT2YqYRVmbfjO5EhgWm6vV4cWmXo2ZATAuBmCyJM2fKu";
    assert.equal(await hasher.verify(h, "password"), true);
    assert.equal(await hasher.verify(h, "Password"), false);
    const long = "$bcrypt-sha512$$2a$10$zDrD87PynMMSNjLGHu0y.uBZ8qf8j75xiBYmAK9QPqk7zqFvLigQi";
    const p = "password12345678".repeat(5);
    assert.equal(await hasher.verify(long, p), true);
    assert.equal(await hasher.verify(long, `${p.slice(0, -1)}0`), false, "bcrypt alone would match: SHA-512 first means no truncation");
    assert.equal(hasher.needsRehash(h), true);
  });

  it("verifies plain bcrypt ($2a$, $2b$) and asks for a re-hash; argon2id needs none", async () => {
    const { hashSync } = await import("@node-rs/bcrypt");
    const b = hashSync("correct horse", 4).replace(/^\$2b\$/, "$2a$");
    assert.equal(await hasher.verify(b, "correct horse"), true);
    assert.equal(await hasher.verify(b, "correct horsE"), false);
    assert.equal(hasher.needsRehash(b), true);
    assert.equal(hasher.needsRehash(await hasher.hash("x-long-password")), false);
  });

  it("refuses malformed and unknown hashes without throwing", async () => {
    for (const bad of ["", "$bcrypt-sha512$", "$bcrypt-sha512$garbage", "$2a$10$short", "$md5$abc", "plaintext", "$argon2id$nonsense", "$2a$10$" + "a".repeat(53) + "\u0000"]) {
      assert.equal(await hasher.verify(bad, "password"), false, JSON.stringify(bad));
    }
    assert.equal(isSupportedPasswordHash("$md5$abc"), false);
    assert.equal(isSupportedPasswordHash("$bcrypt-sha512$$2a$10$qQybX3kAJNT2YqYRVmbfjO5EhgWm6vV4cWmXo2ZATAuBmCyJM2fKu"), true);
  });
});

describe("refresh tokens in Authgear's shape", () => {
  it("parses <uuid>.<32 letters and digits> to the dashless grant id; ours as before", () => {
    assert.deepEqual(parseRefreshToken("0f8fad5b-d9cb-469f-a165-70867728950e.AbCdEfGhIjKlMnOpQrStUvWxYz012345"),
      { grantId: "0f8fad5bd9cb469fa16570867728950e", secret: "AbCdEfGhIjKlMnOpQrStUvWxYz012345" });
    const ours = `${"a".repeat(32)}.${"B".repeat(43)}`;
    assert.deepEqual(parseRefreshToken(ours), { grantId: "a".repeat(32), secret: "B".repeat(43) });
  });

  it("refuses near misses", () => {
    for (const bad of [
      "0F8FAD5B-D9CB-469F-A165-70867728950E.AbCdEfGhIjKlMnOpQrStUvWxYz012345", // upper-case UUID: Authgear writes lower case
      "0f8fad5b-d9cb-469f-a165-70867728950e.AbCdEfGhIjKlMnOpQrStUvWxYz01234", // 31
      "0f8fad5b-d9cb-469f-a165-70867728950e.AbCdEfGhIjKlMnOpQrStUvWxYz0123_-", // not alnum
      "0f8fad5bd9cb469fa16570867728950e.AbCdEfGhIjKlMnOpQrStUvWxYz012345", // dashless id with Authgear's secret
      "0f8fad5b-d9cb-469f-a165-70867728950e.AbCdEfGhIjKlMnOpQrStUvWxYz012345\n",
    ]) assert.equal(parseRefreshToken(bad), null, bad);
  });
});

describe("Authgear offline grants", () => {
  const now = 1_800_000_000;
  const secret = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  const hex = createHash("sha256").update(secret).digest("hex");
  const grant = (over: Record<string, unknown> = {}, token: Record<string, unknown> = {}) => ({
    id: "0f8fad5b-d9cb-469f-a165-70867728950e", client_id: "app", created_at: "2027-01-01T00:00:00Z", authenticated_at: "2027-01-01T00:00:00Z",
    attrs: { user_id: "u1", claims: { amr: ["pwd"] } }, access_info: { last_access: { time: "2027-01-02T00:00:00Z", ip: "198.51.100.1", user_agent: "UA" } },
    refresh_tokens: [{ token_hash: hex, client_id: "app", created_at: "2027-01-01T00:00:00Z", scopes: ["openid", "offline_access"], dpop_jkt: "", ...token }], ...over,
  });

  it("stores the token hash as Gatehouse hashes the secret, expiring with the key's TTL", () => {
    const g = mapGrant(grant(), 3_600_000, now, new Tally());
    assert.ok(!("skip" in g));
    assert.equal(g.id, "0f8fad5bd9cb469fa16570867728950e");
    assert.equal(g.tokenHash, sha256(secret));
    assert.equal(g.expiresAt, now + 3600);
    assert.deepEqual(g.scopes, ["openid", "offline_access"]);
    assert.equal(g.lastAccessedAt, Date.parse("2027-01-02T00:00:00Z") / 1000);
  });

  it("takes the rotated token's hash when there is one; skips DPoP-bound, expired and malformed grants", () => {
    const rotated = createHash("sha256").update("other").digest("hex");
    const g = mapGrant(grant({}, { rotated_token_hash: rotated }), 1000, now, new Tally());
    assert.ok(!("skip" in g) && g.tokenHash === Buffer.from(rotated, "hex").toString("base64url"));
    assert.deepEqual(mapGrant(grant({}, { dpop_jkt: "abc" }), 1000, now, new Tally()), { skip: "the refresh token is bound to a DPoP key" });
    assert.ok("skip" in mapGrant(grant(), -2, now, new Tally()));
    assert.ok("skip" in mapGrant(grant({ id: "../../etc" }), 1000, now, new Tally()));
    assert.ok("skip" in mapGrant(grant({}, { token_hash: "zz" }), 1000, now, new Tally()));
    assert.ok("skip" in mapGrant(grant({ refresh_tokens: [] }), 1000, now, new Tally()));
  });
});

describe("authgear.yaml conversion", () => {
  it("keeps what Gatehouse's schema takes, reports the rest by path, takes client secrets from the secrets file", () => {
    const p = convertProject({
      id: "app1",
      http: { public_origin: "https://auth.example.test", allowed_origins: ["x"] },
      oauth: { clients: [
        { client_id: "web", x_application_type: "spa", redirect_uris: ["https://app.example.test/cb", "com.example:/cb"], refresh_token_lifetime_seconds: 86400 },
        { client_id: "api", x_application_type: "confidential", redirect_uris: ["https://api.example.test/cb"], access_token_lifetime_seconds: 3600 },
      ] },
      authentication: { identities: ["login_id"], primary_authenticators: ["password"] },
      ui: { signup_login_flow_enabled: true },
    }, { secrets: [{ key: "oauth.client_secrets", data: { items: [{ client_id: "api", keys: [{ kty: "oct", kid: "k1", k: Buffer.from("a-confidential-secret-123").toString("base64url") }] }] } },
      { key: "mail.smtp", data: { host: "smtp" } }] });
    const clients = (p.config.oauth as { clients: Record<string, unknown>[] }).clients;
    assert.equal(p.config.id, "app1");
    assert.deepEqual(clients[0].redirect_uris, ["https://app.example.test/cb"], "a custom scheme is not for an spa: dropped, reported");
    assert.equal(clients[0].refresh_token_lifetime_seconds, 86400);
    assert.equal(clients[1].client_secret, "a-confidential-secret-123");
    assert.equal(p.longestAccessTokenSeconds, 3600);
    assert.ok(p.notCarried.some((n) => n.startsWith("http.allowed_origins: Gatehouse has no such setting")));
    assert.ok(p.notCarried.some((n) => n.startsWith("ui.signup_login_flow_enabled")));
    assert.ok(p.notCarried.some((n) => n.startsWith("oauth.clients[0].redirect_uris[1]: not accepted")));
    assert.ok(p.notCarried.some((n) => n.startsWith("secrets: mail.smtp")));
  });

  it("refuses a config without an app id", () => {
    assert.throws(() => convertProject({ http: {} }, {}), /needs the app's `id`/);
    assert.throws(() => convertProject("not a map", {}), /needs the app's `id`/);
  });

  it("matches an OAuth identity to its provider by type and Authgear's provider keys", () => {
    const providers = [
      { alias: "azure-a", type: "azureadv2", config: { tenant: "a" } },
      { alias: "azure-b", type: "azureadv2", config: { tenant: "b" } },
      { alias: "google", type: "google", config: {} },
    ];
    assert.equal(providerAlias(providers, "azureadv2", { tenant: "b" }), "azure-b");
    assert.equal(providerAlias(providers, "google", {}), "google");
    assert.equal(providerAlias(providers, "azureadv2", {}), null, "ambiguous");
    assert.equal(providerAlias(providers, "facebook", { client_id: "x" }), null);
  });
});
