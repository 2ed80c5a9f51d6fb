// `gatehouse import authgear --ndjson FILE` from the command line, into SQLite and PostgreSQL: Authgear's
// user export (pkg/lib/userexport Record per line) becomes users with the same sub, their login IDs,
// OAuth accounts, TOTP secret, attributes and scheduled deletion, and no password (the export has none, and says so).
// Bad lines are skipped with their reason; a second run changes nothing; a dry run writes nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { stringify } from "yaml";
import { runCli } from "../cli/run-cli.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { openStorage } from "../../src/storage/open.ts";

const alice = randomUUID();
const bob = randomUUID();
const line = (r: unknown) => JSON.stringify(r);
const EXPORT = [
  line({
    sub: alice, preferred_username: "alice", email: "Alice@Example.test", email_verified: true, phone_number_verified: false, name: "Alice Liddell",
    custom_attributes: { hobby: "croquet" }, roles: [], groups: [], disabled: false,
    identities: [
      { type: "login_id", login_id: { key: "email", type: "email", value: "alice@example.test", original_value: "Alice@Example.test" }, claims: { email: "alice@example.test" } },
      { type: "login_id", login_id: { key: "username", type: "username", value: "alice", original_value: "alice" }, claims: {} },
      { type: "oauth", login_id: { provider_alias: "google", provider_type: "google", provider_subject_id: "g-123", user_profile: {} }, claims: { email: "alice@gmail.test" } },
    ],
    mfa: { emails: [], phone_numbers: [], totps: [{ secret: "JBSWY3DPEHPK3PXP", uri: "otpauth://totp/x" }] }, biometric_count: 1, passkey_count: 0,
  }),
  "",
  line({ sub: bob, email: "bob@example.test", email_verified: false, disabled: true, delete_at: "2030-01-02T03:04:05Z", identities: [{ type: "login_id", login_id: { key: "email", type: "email", value: "bob@example.test" } }], biometric_count: 0, passkey_count: 0 }),
  "{not json",
  line({ sub: "not-a-uuid", email: "eve@example.test", identities: [] }),
  line({ sub: randomUUID(), identities: [], email_verified: false }),
].join("\n");

for (const backend of ["sqlite", "postgres"] as const) {
  describe(`gatehouse import authgear --ndjson → ${backend}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-ndjson-"));
    const schema = `gh_ndj_${randomBytes(5).toString("hex")}`;
    const dbUrl = backend === "sqlite" ? `sqlite:${join(dir, "gh.db")}` : `${POSTGRES_URL}?schema=${schema}`;
    const config = (url: string) => stringify({
      http: { public_origin: "http://127.0.0.1:3999" }, database: { url },
      identity: { login_id: { keys: [{ key: "email", type: "email" }, { key: "username", type: "username" }] }, oauth: { providers: [{ alias: "google", type: "google", client_id: "gid", client_secret: "gsecret" }] } },
      user_profile: { custom_attributes: { attributes: [{ id: "attr-hobby-id", pointer: "/hobby", type: "string" }] } },
    });
    before(() => {
      writeFileSync(join(dir, "gatehouse.yaml"), config(dbUrl));
      writeFileSync(join(dir, "dry.yaml"), config(backend === "sqlite" ? `sqlite:${join(dir, "dry.db")}` : `${POSTGRES_URL}?schema=${schema}_dry`));
      writeFileSync(join(dir, "export.ndjson"), EXPORT);
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      if (backend === "postgres") {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.query(`DROP SCHEMA IF EXISTS ${schema}_dry CASCADE`);
        await c.end();
      }
    });

    it("a dry run reports and writes no user", async () => {
      const r = await runCli(["import", "authgear", "--ndjson", "export.ndjson", "--config", "dry.yaml", "--dry-run"], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Dry run: nothing was written/);
      assert.match(r.stdout, /users: 2/);
      const s = await openStorage(backend === "sqlite" ? `sqlite:${join(dir, "dry.db")}` : `${POSTGRES_URL}?schema=${schema}_dry`);
      try {
        assert.equal(await s.users.get(alice), null);
      } finally {
        await s.close();
      }
    });

    it("imports the export's users with their sub, login IDs, OAuth account, TOTP and attributes; no passwords, and says so", async () => {
      const r = await runCli(["import", "authgear", "--ndjson", "export.ndjson", "--config", "gatehouse.yaml"], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /users: 2\n/);
      assert.match(r.stdout, /identities: 4/);
      assert.match(r.stdout, /TOTP authenticators: 1/);
      assert.match(r.stdout, /scheduled deletions: 1/);
      assert.match(r.stdout, /line 4: not a JSON object/);
      assert.match(r.stdout, /line 5: sub is not a UUID/);
      assert.match(r.stdout, /has no email, phone_number or preferred_username/);
      assert.match(r.stdout, /no password hashes/);
      assert.match(r.stdout, /biometric and passkey identities/);
      const s = await openStorage(dbUrl);
      try {
        const a = (await s.users.get(alice))!;
        assert.equal(a.email, "alice@example.test");
        assert.equal(a.isVerified, true);
        assert.equal(a.standardAttributes.name, "Alice Liddell");
        assert.deepEqual(a.customAttributes, { "attr-hobby-id": "croquet" });
        assert.equal((await s.identities.findByLoginId("username", "alice"))?.userId, alice);
        assert.equal((await s.identities.findByProvider("google", "g-123"))?.userId, alice);
        assert.equal(await s.passwords.get(alice), null, "the export has no hashes");
        const b = (await s.users.get(bob))!;
        assert.equal(b.disabled, true);
        assert.equal(b.isVerified, false);
        assert.equal((await s.accountDeletions.get(bob))?.deleteAt, Date.UTC(2030, 0, 2, 3, 4, 5) / 1000, "the export's delete_at is the schedule");
      } finally {
        await s.close();
      }
      const again = await runCli(["import", "authgear", "--ndjson", "export.ndjson", "--config", "gatehouse.yaml"], { cwd: dir });
      assert.equal(again.status, 0, again.stderr);
      assert.doesNotMatch(again.stdout, /users: [1-9]/);
      assert.match(again.stdout, /2 × already imported/);
    });

    it("refuses a missing file and the database flags alongside --ndjson, in one line", async () => {
      const missing = await runCli(["import", "authgear", "--ndjson", "nope.ndjson", "--config", "gatehouse.yaml"], { cwd: dir });
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /cannot read the Authgear export nope\.ndjson/);
      const mixed = await runCli(["import", "authgear", "--ndjson", "export.ndjson", "--config", "gatehouse.yaml", "--database-url", "postgres://x"], { cwd: dir });
      assert.equal(mixed.status, 1);
      assert.match(mixed.stderr, /does not take --database-url/);
    });
  });
}
