#!/usr/bin/env node
// `gatehouse import authgear` at scale (issue 17): builds an Authgear database from Authgear's own
// migrations (packages/server/test/import/fixtures) in a PostgreSQL schema of its own, fills it with N
// users (default 1,000,000) generated inside the database, then times the import into a fresh Gatehouse
// database (PostgreSQL schema and/or SQLite file) and prints users/s.
//
//   node bench/import-authgear.mjs [--users 1000000] [--batch 1000] [--postgres postgres://postgres@127.0.0.1:5432/test] [--no-postgres] [--no-sqlite]
//
// Each user has an email login ID (as Authgear writes it: original and normalised form, claims,
// unique_key), a password authenticator, standard attributes; every 10th a TOTP authenticator and two
// recovery codes, every 5th the role `editor`, every 50th the group `staff`. The password hash is one
// real `$bcrypt-sha512$` hash shared by all users: the import copies hashes without verifying them, so
// hashing a million passwords at bcrypt cost 10 (about 17 CPU-hours) would measure nothing it does.
import { register } from "tsx/esm/api";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { stringify } from "yaml";

register();
const { createAuthgearSchema } = await import("../packages/server/test/import/authgear-schema.ts");
const { bcryptSha512 } = await import("../packages/server/test/import/authgear-fill.ts");
const { importAuthgear } = await import("../packages/server/src/import/authgear/command.ts");

const { values: opts } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    batch: { type: "string", default: "1000" },
    postgres: { type: "string", default: "postgres://postgres@127.0.0.1:5432/test" },
    "no-postgres": { type: "boolean", default: false },
    "no-sqlite": { type: "boolean", default: false },
  },
});
const N = Number(opts.users);
const APP = "bench-app";
const suffix = randomBytes(4).toString("hex");
const source = `ag_bench_${suffix}`;
const dir = mkdtempSync(join(tmpdir(), "gatehouse-import-bench-"));
const admin = new pg.Client({ connectionString: opts.postgres });
await admin.connect();

try {
  let t = Date.now();
  await createAuthgearSchema(opts.postgres, source);
  const hash = bcryptSha512("the-same-password-for-everyone");
  await admin.query(`SET search_path TO ${source}`);
  const uid = "md5('u' || i)::uuid::text";
  const iid = (kind) => `md5('${kind}' || i)::uuid::text`;
  const series = `generate_series(1, ${N}) AS i`;
  const at = "TIMESTAMP '2025-01-01 00:00:00' + i * INTERVAL '1 second'";
  for (const sql of [
    `INSERT INTO _auth_role (id, app_id, created_at, updated_at, key) VALUES ('00000000-0000-4000-8000-000000000001', '${APP}', now(), now(), 'editor'), ('00000000-0000-4000-8000-000000000002', '${APP}', now(), now(), 'viewer')`,
    `INSERT INTO _auth_group (id, app_id, created_at, updated_at, key) VALUES ('00000000-0000-4000-8000-000000000003', '${APP}', now(), now(), 'staff')`,
    `INSERT INTO _auth_group_role (id, app_id, created_at, updated_at, group_id, role_id) VALUES (gen_random_uuid()::text, '${APP}', now(), now(), '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002')`,
    `INSERT INTO _auth_user (id, app_id, created_at, updated_at, is_disabled, standard_attributes, custom_attributes)
      SELECT ${uid}, '${APP}', ${at}, ${at}, false, jsonb_build_object('email', 'user' || i || '@example.test', 'given_name', 'User ' || i), '{}' FROM ${series}`,
    `INSERT INTO _auth_identity (id, app_id, type, user_id, created_at, updated_at) SELECT ${iid("i")}, '${APP}', 'login_id', ${uid}, ${at}, ${at} FROM ${series}`,
    `INSERT INTO _auth_identity_login_id (id, app_id, login_id_key, login_id, claims, original_login_id, unique_key, login_id_type)
      SELECT ${iid("i")}, '${APP}', 'email', 'user' || i || '@example.test', jsonb_build_object('email', 'user' || i || '@example.test'), 'User' || i || '@Example.test', 'user' || i || '@example.test', 'email' FROM ${series}`,
    `INSERT INTO _auth_authenticator (id, app_id, type, user_id, created_at, updated_at, is_default, kind) SELECT ${iid("p")}, '${APP}', 'password', ${uid}, ${at}, ${at}, true, 'primary' FROM ${series}`,
    `INSERT INTO _auth_authenticator_password (id, app_id, password_hash) SELECT ${iid("p")}, '${APP}', '${hash}' FROM ${series}`,
    `INSERT INTO _auth_authenticator (id, app_id, type, user_id, created_at, updated_at, is_default, kind) SELECT ${iid("t")}, '${APP}', 'totp', ${uid}, ${at}, ${at}, false, 'secondary' FROM ${series} WHERE i % 10 = 0`,
    `INSERT INTO _auth_authenticator_totp (id, app_id, secret, display_name) SELECT ${iid("t")}, '${APP}', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'phone' FROM ${series} WHERE i % 10 = 0`,
    `INSERT INTO _auth_recovery_code (id, app_id, user_id, code, created_at, consumed, updated_at) SELECT gen_random_uuid()::text, '${APP}', ${uid}, upper(substr(md5('r' || i || k), 1, 10)), ${at}, false, ${at} FROM ${series}, generate_series(1, 2) AS k WHERE i % 10 = 0`,
    `INSERT INTO _auth_verified_claim (id, app_id, user_id, name, value, created_at) SELECT gen_random_uuid()::text, '${APP}', ${uid}, 'email', 'user' || i || '@example.test', ${at} FROM ${series} WHERE i % 2 = 0`,
    `INSERT INTO _auth_user_role (id, app_id, created_at, updated_at, user_id, role_id) SELECT gen_random_uuid()::text, '${APP}', ${at}, ${at}, ${uid}, '00000000-0000-4000-8000-000000000001' FROM ${series} WHERE i % 5 = 0`,
    `INSERT INTO _auth_user_group (id, app_id, created_at, updated_at, user_id, group_id) SELECT gen_random_uuid()::text, '${APP}', ${at}, ${at}, ${uid}, '00000000-0000-4000-8000-000000000003' FROM ${series} WHERE i % 50 = 0`,
    "ANALYZE",
  ]) await admin.query(sql);
  console.log(`Authgear database with ${N.toLocaleString("en")} users built in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  writeFileSync(join(dir, "authgear.yaml"), stringify({ id: APP, http: { public_origin: "https://auth.example.test" }, oauth: { clients: [{ client_id: "web", x_application_type: "spa", redirect_uris: ["https://app.example.test/cb"] }] } }));
  writeFileSync(join(dir, "authgear.secrets.yaml"), stringify({ secrets: [] }));

  const targets = [];
  if (!opts["no-postgres"]) targets.push({ name: "postgres", url: `${opts.postgres}?schema=gh_bench_${suffix}` });
  if (!opts["no-sqlite"]) targets.push({ name: "sqlite", url: `sqlite:${join(dir, "gatehouse.db")}` });
  for (const target of targets) {
    const configFile = join(dir, `gatehouse-${target.name}.yaml`);
    writeFileSync(configFile, stringify({ database: { url: target.url }, oauth: { clients: [{ client_id: "web", x_application_type: "spa", redirect_uris: ["https://app.example.test/cb"] }] } }));
    t = Date.now();
    const { tally } = await importAuthgear({
      configFile, authgearConfig: join(dir, "authgear.yaml"), authgearSecrets: join(dir, "authgear.secrets.yaml"),
      databaseUrl: `${opts.postgres}?schema=${source}`, dryRun: false, batchSize: Number(opts.batch), log: () => undefined,
    });
    const seconds = (Date.now() - t) / 1000;
    console.log(`${target.name}: ${(tally.written.get("users") ?? 0).toLocaleString("en")} users, ${(tally.written.get("identities") ?? 0).toLocaleString("en")} identities in ${seconds.toFixed(1)} s = ${Math.round(N / seconds).toLocaleString("en")} users/s`);
    t = Date.now();
    const again = await importAuthgear({
      configFile, authgearConfig: join(dir, "authgear.yaml"), authgearSecrets: join(dir, "authgear.secrets.yaml"),
      databaseUrl: `${opts.postgres}?schema=${source}`, dryRun: false, batchSize: Number(opts.batch), log: () => undefined,
    });
    console.log(`${target.name}, second run (nothing to do): ${(again.tally.skipReasons.get("already imported") ?? 0).toLocaleString("en")} users found in place in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${source} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS gh_bench_${suffix} CASCADE`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
