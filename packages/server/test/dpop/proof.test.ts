// verifyProof (src/dpop/proof.ts) against every hostile proof we could think of, signed for real
// with node:crypto keys; and the replay cache in memory and in the real Redis.
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { Redis } from "ioredis";
import { accessTokenHash, verifyProof, type ProofTarget } from "../../src/dpop/proof.ts";
import { createMemoryReplayCache, createRedisReplayCache, type ReplayCache } from "../../src/dpop/replay.ts";
import { OAuthError } from "../../src/oauth/errors.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";

const NOW = 1_800_000_000;
const TARGET: ProofTarget = { method: "POST", uri: "https://auth.example.com/oauth2/token" };
const b64 = (v: unknown): string => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherRsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const publicJwk = (k: KeyObject): Record<string, unknown> => k.export({ format: "jwk" }) as Record<string, unknown>;

interface Build {
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  key?: KeyObject;
  /** Overrides the signature (alg none, HMAC…). */
  signature?: (input: string) => string;
}

/** A proof shaped as the React Native SDK makes one (RS256, inline jwk, exp +300). */
function proof(b: Build = {}): string {
  const header = { typ: "dpop+jwt", alg: "RS256", jwk: { ...publicJwk(rsa.publicKey), kid: "k1", alg: "RS256" }, ...b.header };
  const payload = { iat: NOW, exp: NOW + 300, jti: randomUUID(), htm: "POST", htu: TARGET.uri, ...b.payload };
  const input = `${b64(header)}.${b64(payload)}`;
  const key = b.key ?? rsa.privateKey;
  const sig = b.signature
    ? b.signature(input)
    : sign("sha256", Buffer.from(input), key.asymmetricKeyType === "ec" ? { key, dsaEncoding: "ieee-p1363" } : key).toString("base64url");
  return `${input}.${sig}`;
}

const memory = (): ReplayCache => createMemoryReplayCache();

async function refused(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof OAuthError, String(err));
    assert.equal(err.error, "invalid_dpop_proof");
    assert.equal(err.status, 400);
    assert.match(err.description, pattern);
    return true;
  });
}

describe("verifyProof", () => {
  it("accepts an SDK-shaped RS256 proof and an ES256 one, and answers the RFC 7638 thumbprint", async () => {
    const replay = memory();
    const ok = await verifyProof(proof(), TARGET, { now: NOW, replay });
    const n = publicJwk(rsa.publicKey);
    // As the Android module computes it (AuthgearReactNativeModuleImpl.java L948-962): {e,kty,n}.
    const expected = createHash("sha256").update(JSON.stringify({ e: n.e, kty: "RSA", n: n.n })).digest("base64url");
    assert.equal(ok.jkt, expected);
    const ecJwk = { ...publicJwk(ec.publicKey), kid: "k2", alg: "ES256" };
    const es = await verifyProof(proof({ header: { alg: "ES256", jwk: ecJwk }, key: ec.privateKey }), TARGET, { now: NOW, replay });
    assert.equal(es.jkt.length, 43);
  });

  it("ignores the query and fragment of htu (RFC 9449 §4.3), as the SDKs put the full request URL there", async () => {
    await verifyProof(proof({ payload: { htu: `${TARGET.uri}?a=1#frag` } }), TARGET, { now: NOW, replay: memory() });
    // Scheme and host are compared after WHATWG normalisation (case, default port).
    await verifyProof(proof({ payload: { htu: "HTTPS://Auth.Example.com:443/oauth2/token" } }), TARGET, { now: NOW, replay: memory() });
  });

  it("refuses wrong htm and htu", async () => {
    await refused(verifyProof(proof({ payload: { htm: "GET" } }), TARGET, { now: NOW, replay: memory() }), /htm/);
    await refused(verifyProof(proof({ payload: { htm: "post" } }), TARGET, { now: NOW, replay: memory() }), /htm/);
    await refused(verifyProof(proof({ payload: { htu: "https://auth.example.com/oauth2/userinfo" } }), TARGET, { now: NOW, replay: memory() }), /htu/);
    await refused(verifyProof(proof({ payload: { htu: "https://evil.example.com/oauth2/token" } }), TARGET, { now: NOW, replay: memory() }), /htu/);
    await refused(verifyProof(proof({ payload: { htu: "not a url" } }), TARGET, { now: NOW, replay: memory() }), /htu/);
    await refused(verifyProof(proof({ payload: { htu: 42 } }), TARGET, { now: NOW, replay: memory() }), /htu/);
  });

  it("refuses stale, future, missing iat and an expired exp", async () => {
    await refused(verifyProof(proof({ payload: { iat: NOW - 301, exp: NOW + 600 } }), TARGET, { now: NOW, replay: memory() }), /too old/);
    await refused(verifyProof(proof({ payload: { iat: NOW + 61, exp: NOW + 600 } }), TARGET, { now: NOW, replay: memory() }), /future/);
    await refused(verifyProof(proof({ payload: { iat: undefined } }), TARGET, { now: NOW, replay: memory() }), /iat/);
    await refused(verifyProof(proof({ payload: { iat: NOW - 200, exp: NOW - 100 } }), TARGET, { now: NOW, replay: memory() }), /expired/);
    // Within the window and the skew: accepted.
    await verifyProof(proof({ payload: { iat: NOW - 299 } }), TARGET, { now: NOW, replay: memory() });
    await verifyProof(proof({ payload: { iat: NOW + 59 } }), TARGET, { now: NOW, replay: memory() });
  });

  it("refuses a replayed jti for the same key, but not the same jti from another key", async () => {
    const replay = memory();
    const jti = randomUUID();
    const p = proof({ payload: { jti } });
    await verifyProof(p, TARGET, { now: NOW, replay });
    await refused(verifyProof(p, TARGET, { now: NOW + 1, replay }), /already been used/);
    await refused(verifyProof(proof({ payload: { jti } }), TARGET, { now: NOW + 1, replay }), /already been used/);
    const other = proof({ header: { jwk: publicJwk(otherRsa.publicKey) }, key: otherRsa.privateKey, payload: { jti } });
    await verifyProof(other, TARGET, { now: NOW, replay });
    await refused(verifyProof(proof({ payload: { jti: "" } }), TARGET, { now: NOW, replay }), /jti/);
    await refused(verifyProof(proof({ payload: { jti: "x".repeat(129) } }), TARGET, { now: NOW, replay }), /jti/);
  });

  it("a proof failing a check burns nothing: the same jti still works once", async () => {
    const replay = memory();
    const jti = randomUUID();
    await refused(verifyProof(proof({ payload: { jti, htm: "GET" } }), TARGET, { now: NOW, replay }), /htm/);
    await verifyProof(proof({ payload: { jti } }), TARGET, { now: NOW, replay });
  });

  it("refuses a proof signed by another key than its jwk", async () => {
    await refused(verifyProof(proof({ key: otherRsa.privateKey }), TARGET, { now: NOW, replay: memory() }), /signature/);
    const [h, p] = proof().split(".");
    await refused(verifyProof(`${h}.${p}.${b64("garbage")}`, TARGET, { now: NOW, replay: memory() }), /signature/);
  });

  it("refuses alg none, HS256 keyed by anything, and algs outside the asymmetric list", async () => {
    await refused(verifyProof(proof({ header: { alg: "none" }, signature: () => "" }), TARGET, { now: NOW, replay: memory() }), /alg/);
    const hs = (input: string): string => createHmac("sha256", "secret").update(input).digest("base64url");
    await refused(verifyProof(proof({ header: { alg: "HS256" }, signature: hs }), TARGET, { now: NOW, replay: memory() }), /alg/);
    await refused(verifyProof(proof({ header: { alg: "HS256", jwk: { kty: "oct", k: b64("secret") } }, signature: hs }), TARGET, { now: NOW, replay: memory() }), /alg/);
    await refused(verifyProof(proof({ header: { alg: "RS1" } }), TARGET, { now: NOW, replay: memory() }), /alg/);
    // An RS256 header over an EC key: the embedded key does not fit the algorithm.
    await refused(verifyProof(proof({ header: { jwk: publicJwk(ec.publicKey) }, key: ec.privateKey }), TARGET, { now: NOW, replay: memory() }), /signature|alg/);
  });

  it("refuses a jwk with private members, a symmetric jwk, a missing jwk and a weak RSA key", async () => {
    const priv = rsa.privateKey.export({ format: "jwk" });
    await refused(verifyProof(proof({ header: { jwk: priv } }), TARGET, { now: NOW, replay: memory() }), /private/);
    await refused(verifyProof(proof({ header: { jwk: { ...publicJwk(rsa.publicKey), d: "AQAB" } } }), TARGET, { now: NOW, replay: memory() }), /private/);
    await refused(verifyProof(proof({ header: { jwk: { kty: "oct", k: "c2VjcmV0" } } }), TARGET, { now: NOW, replay: memory() }), /asymmetric/);
    await refused(verifyProof(proof({ header: { jwk: undefined } }), TARGET, { now: NOW, replay: memory() }), /jwk/);
    await refused(verifyProof(proof({ header: { jwk: "a string" } }), TARGET, { now: NOW, replay: memory() }), /jwk/);
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    await refused(verifyProof(proof({ header: { jwk: publicJwk(weak.publicKey) }, key: weak.privateKey }), TARGET, { now: NOW, replay: memory() }), /signature/);
  });

  it("refuses a wrong or missing typ, a non-JWT, two proofs in one header and an oversized one", async () => {
    await refused(verifyProof(proof({ header: { typ: "JWT" } }), TARGET, { now: NOW, replay: memory() }), /typ/);
    await refused(verifyProof(proof({ header: { typ: undefined } }), TARGET, { now: NOW, replay: memory() }), /typ/);
    await refused(verifyProof("not-a-jwt", TARGET, { now: NOW, replay: memory() }), /not a JWT/);
    await refused(verifyProof(`${proof()}, ${proof()}`, TARGET, { now: NOW, replay: memory() }), /exactly one/);
    await refused(verifyProof("", TARGET, { now: NOW, replay: memory() }), /exactly one/);
    await refused(verifyProof("a".repeat(9000), TARGET, { now: NOW, replay: memory() }), /exactly one/);
    await refused(verifyProof(proof({ payload: { pad: "x".repeat(9000) } }), TARGET, { now: NOW, replay: memory() }), /exactly one/);
  });

  it("checks ath against the presented access token, and requires it for the DPoP scheme", async () => {
    const token = "header.payload.signature";
    await verifyProof(proof({ payload: { ath: accessTokenHash(token) } }), TARGET, { now: NOW, replay: memory(), accessToken: token, requireAth: true });
    await refused(verifyProof(proof({ payload: { ath: accessTokenHash("another") } }), TARGET, { now: NOW, replay: memory(), accessToken: token }), /ath/);
    await refused(verifyProof(proof(), TARGET, { now: NOW, replay: memory(), accessToken: token, requireAth: true }), /ath/);
    await refused(verifyProof(proof({ payload: { ath: accessTokenHash(token) } }), TARGET, { now: NOW, replay: memory() }), /ath/);
    // The Authgear SDKs send no ath with their Bearer token: accepted without requireAth.
    await verifyProof(proof(), TARGET, { now: NOW, replay: memory(), accessToken: token });
  });
});

describe("replay cache", () => {
  const prefix = `gh-test-dpop-${randomUUID()}:`;
  const redis = new Redis(REDIS_URL);
  after(async () => {
    await redis.quit();
    await dropRedisKeys(prefix);
  });

  for (const [name, make] of [["memory", () => createMemoryReplayCache()], ["redis", () => createRedisReplayCache(redis, { prefix })]] as const) {
    it(`${name}: first use wins once, even when two race; a key is forgotten after it expires`, async () => {
      const cache = make();
      const results = await Promise.all(Array.from({ length: 10 }, () => cache.firstUse("jkt:jti-1", NOW + 360, NOW)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await cache.firstUse("jkt:jti-2", NOW + 360, NOW), true);
    });
  }

  it("memory: bounded, and an expired entry no longer blocks", async () => {
    const cache = createMemoryReplayCache({ maxEntries: 3 });
    assert.equal(await cache.firstUse("a", NOW + 10, NOW), true);
    assert.equal(await cache.firstUse("a", NOW + 20, NOW + 10), true);
    for (const k of ["b", "c", "d", "e"]) assert.equal(await cache.firstUse(k, NOW + 100, NOW + 10), true);
    assert.equal(await cache.firstUse("e", NOW + 100, NOW + 11), false);
  });

  it("redis: two caches on one Redis (two nodes) share what they saw; a broken Redis fails closed", async () => {
    const other = new Redis(REDIS_URL);
    try {
      const a = createRedisReplayCache(redis, { prefix });
      const b = createRedisReplayCache(other, { prefix });
      assert.equal(await a.firstUse("shared", NOW + 360, NOW), true);
      assert.equal(await b.firstUse("shared", NOW + 360, NOW), false);
      assert.equal(await redis.ttl(`${prefix}dpop:${createHash("sha256").update("shared").digest("base64url")}`) > 300, true);
    } finally {
      other.disconnect();
    }
    const dead = new Redis("redis://127.0.0.1:1", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    dead.on("error", () => {});
    await assert.rejects(createRedisReplayCache(dead, { prefix }).firstUse("x", NOW + 10, NOW), { name: "StorageUnavailableError" });
    dead.disconnect();
  });
});
