// An Authgear database from before passkeys (July 2022) and roles and groups (2024) — built from the
// migration files up to then — still imports: its biometric key and anonymous user come over, and the
// tables it lacks are not read.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { stringify } from "yaml";
import { createAuthgearSchema } from "./authgear-schema.ts";
import { bcryptPlain, insertUser } from "./authgear-fill.ts";
import { importAuthgear } from "../../src/import/authgear/command.ts";
import { openStorage } from "../../src/storage/open.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { DEVICE_INFO, Device } from "../device-keys/device.ts";

const APP = "old-app";

describe("gatehouse import authgear from a 2022 Authgear database (no passkey, role or group tables)", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-import-old-"));
  const schema = `ag_old_${randomBytes(5).toString("hex")}`;
  const phone = new Device();
  const game = new Device();
  let bea = "";
  let anon = "";
  before(async () => {
    await createAuthgearSchema(POSTGRES_URL, schema, { before: "20220721144317-add_passkey.sql" });
    const db = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
    await db.connect();
    const t = Math.floor(Date.now() / 1000) - 86400;
    bea = await insertUser(db, {
      appId: APP, createdAt: t, passwordHash: bcryptPlain("beas-password"), loginIds: [{ key: "email", type: "email", value: "bea@example.test", normalized: "bea@example.test" }],
      biometric: [{ keyId: phone.kid, jwk: phone.jwk(), deviceInfo: DEVICE_INFO }],
    });
    anon = await insertUser(db, { appId: APP, createdAt: t, anonymous: { keyId: game.kid, jwk: game.jwk() } });
    await db.end();
    writeFileSync(join(dir, "authgear.yaml"), stringify({ id: APP, identity: { login_id: { keys: [{ key: "email", type: "email" }] } } }));
    writeFileSync(join(dir, "authgear.secrets.yaml"), stringify({ secrets: [] }));
    writeFileSync(join(dir, "gatehouse.yaml"), stringify({ database: { url: `sqlite:${join(dir, "gh.db")}` }, identity: { login_id: { keys: [{ key: "email", type: "email" }] } } }));
  });
  after(async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it("imports the users with their device keys", async () => {
    const r = await importAuthgear({
      configFile: join(dir, "gatehouse.yaml"), authgearConfig: join(dir, "authgear.yaml"), authgearSecrets: join(dir, "authgear.secrets.yaml"),
      databaseUrl: `${POSTGRES_URL}?schema=${schema}`, dryRun: false, log: () => undefined,
    });
    assert.equal(r.tally.written.get("users"), 2);
    const s = await openStorage(`sqlite:${join(dir, "gh.db")}`);
    try {
      assert.deepEqual((await s.deviceKeys.listByUser(bea)).map((k) => [k.type, k.keyId]), [["biometric", phone.kid]]);
      assert.deepEqual((await s.deviceKeys.listByUser(anon)).map((k) => [k.type, k.keyId]), [["anonymous", game.kid]]);
      assert.equal((await s.users.get(anon))?.isAnonymous, true);
    } finally {
      await s.close();
    }
  });
});
