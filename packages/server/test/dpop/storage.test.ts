// Migration 14 on both backends: the DPoP key a grant or code is bound to is stored, read back
// (also by the refresh path's getWithUser), kept across rotations, and absent when unbound.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Storage, User } from "../../src/storage/ports.ts";
import { backends } from "../storage/backends.ts";
import { T, id, newCode, newGrant, newUser, skipPostgres } from "../storage/fixtures.ts";

const JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

for (const backend of backends) {
  describe(`dpop storage: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    let s: Storage;
    let drop: () => Promise<void>;
    const user = async (): Promise<User> => (await s.users.create(newUser(), null))!;
    before(async () => {
      ({ storage: s, drop } = await backend.open());
      await s.migrate();
    });
    after(async () => {
      await s?.close();
      await drop?.();
    });

    it("a bound grant keeps its jkt through get, getWithUser and rotation; an unbound one has none", async () => {
      const u = await user();
      const bound = newGrant(u.id, { dpopJkt: JKT });
      await s.offlineGrants.create(bound);
      assert.deepEqual(await s.offlineGrants.get(bound.id), bound);
      assert.equal((await s.offlineGrants.getWithUser(bound.id))?.grant.dpopJkt, JKT);
      assert.equal(await s.offlineGrants.rotate(bound.id, { at: T + 10, ip: "1.2.3.4", userAgent: "ua", expectedTokenHash: bound.tokenHash, newTokenHash: "h2", salt: "salt" }), true);
      assert.equal((await s.offlineGrants.get(bound.id))?.dpopJkt, JKT);

      const unbound = newGrant(u.id);
      await s.offlineGrants.create(unbound);
      const read = await s.offlineGrants.get(unbound.id);
      assert.deepEqual(read, unbound);
      assert.equal(read?.dpopJkt, null);
    });

    it("a code bound by dpop_jkt keeps it through consume", async () => {
      const u = await user();
      const code = newCode(u.id, { dpopJkt: JKT });
      await s.codes.create(code);
      assert.deepEqual(await s.codes.get(code.codeHash), code);
      const result = await s.codes.consume(code.codeHash, { at: T + 1, issuedGrantId: null });
      assert.equal(result.kind, "ok");
      assert.equal(result.kind === "ok" ? result.code.dpopJkt : null, JKT);
      const plain = newCode(u.id);
      await s.codes.create(plain);
      assert.equal((await s.codes.get(plain.codeHash))?.dpopJkt, null);
    });
  });
}
