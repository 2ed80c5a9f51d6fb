// Signing keys: generated once, shared through the store, rotated with overlap.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "../../src/storage/sqlite/index.ts";
import { openKeyRing } from "../../src/crypto/keys.ts";
import { signRs256, decodeJwt, verifyRs256 } from "../../src/crypto/jwt.ts";

describe("key ring", () => {
  it("generates one key, shares it, rotates with the old key still published, and finds new kids by reloading", async () => {
    const storage = openSqlite(join(mkdtempSync(join(tmpdir(), "gatehouse-keys-")), "db.sqlite"));
    await storage.migrate();
    const now = () => 1000;
    const a = await openKeyRing(storage.signingKeys, now);
    const b = await openKeyRing(storage.signingKeys, now);
    assert.equal(a.current().kid, b.current().kid, "two nodes, one key");
    const old = a.current();
    const token = signRs256({ kid: old.kid }, { sub: "x" }, old.privateKey);
    await a.rotate(2000);
    assert.notEqual(a.current().kid, old.kid);
    assert.equal(JSON.parse(a.jwksJson()).keys.length, 2, "the rotated key stays published");
    const jwt = decodeJwt(token)!;
    assert.ok(verifyRs256(jwt, a.byKid(old.kid)!.publicKey));
    // Node b has not reloaded: a token signed with the new key makes it look the kid up.
    assert.equal(b.byKid(a.current().kid), undefined);
    assert.ok(await b.findOrReload(a.current().kid, 0));
    assert.equal(b.current().kid, a.current().kid, "b now signs with the new key too");
    assert.equal(await b.findOrReload("nope", 60_000), undefined);
    await storage.close();
  });
});

describe("retired signing keys", () => {
  it("leave the JWKS once the longest token lifetime has passed since their rotation", async () => {
    const storage = openSqlite(join(mkdtempSync(join(tmpdir(), "gatehouse-keys-")), "db.sqlite"));
    await storage.migrate();
    let t = 1000;
    const ring = await openKeyRing(storage.signingKeys, () => t, { retireAfterSeconds: () => 2100 });
    const old = ring.current().kid;
    await ring.rotate(2000);
    t = 2000 + 2099;
    await ring.reload();
    assert.deepEqual(JSON.parse(ring.jwksJson()).keys.map((k: { kid: string }) => k.kid).sort(), [old, ring.current().kid].sort(), "still needed");
    t = 2000 + 2100;
    await ring.reload();
    assert.deepEqual(JSON.parse(ring.jwksJson()).keys.map((k: { kid: string }) => k.kid), [ring.current().kid]);
    assert.equal(ring.byKid(old), undefined);
    await storage.close();
  });
});
