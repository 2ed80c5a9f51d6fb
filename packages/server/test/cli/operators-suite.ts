// The operators' CLI commands as a subprocess, against a running server on the same database:
// list and revoke admin keys (the key fails its very next request), clear a lockout, remove TOTP
// and recovery codes, and read the audit log with names and filters. One file per database
// (operators-sqlite.test.ts, operators-postgres.test.ts): each spawns the CLI a dozen times.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "../support/server.ts";
import type { TestDatabase } from "../support/databases.ts";
import { lockoutKey } from "../../src/account/limits/guard.ts";
import { createAdminKey } from "../../src/admin/keys.ts";

const BIN = new URL("../../../../bin/gatehouse.mjs", import.meta.url).pathname;

export function operatorsCliSuite(db: TestDatabase): void {
  describe(`operators' CLI on ${db.name}`, { skip: db.skip }, () => {
    let dir: string;
    let server: TestServer;
    let userId: string;
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, "--config", "c.yaml"], { cwd: dir, encoding: "utf8", timeout: 60000 });
    const admin = (key: string) => fetch(`${server.url}/_api/admin/users?limit=1`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "gatehouse-ops-"));
      const url = db.url ?? `sqlite:${join(dir, "db.sqlite")}`;
      writeFileSync(join(dir, "c.yaml"), `database:\n  url: "${url}"\n`);
      server = await startTestServer({ databaseUrl: url });
      userId = await server.createUser("lost.phone@example.com", "lost-phone-password-1");
    });
    after(async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    });

    it("lists admin keys with name, created and last used; revoking by name stops the key at once", async () => {
      // The keys are made in-process: every CLI start costs seconds on a loaded machine.
      const ci = (await createAdminKey(server.ctx, "ci-deploy")).key;
      const other = (await createAdminKey(server.ctx, "laptop")).key;
      assert.equal(await admin(ci), 200);
      const list = run("admin-keys", "list");
      assert.equal(list.status, 0, list.stderr);
      const ciLine = list.stdout.split("\n").find((l) => l.includes("ci-deploy"))!;
      assert.match(ciLine, /^[0-9a-f]{32}\s+ci-deploy\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+active$/, "last used is recorded");
      assert.match(list.stdout.split("\n").find((l) => l.includes("laptop"))!, /\snever\s+active$/);
      assert.doesNotMatch(list.stdout, /gha_/, "secrets are never listed");

      const revoked = run("admin-keys", "revoke", "ci-deploy");
      assert.equal(revoked.status, 0, revoked.stderr);
      assert.match(revoked.stdout, /revoked admin key "ci-deploy"/);
      assert.equal(await admin(ci), 401, "the running server refuses the revoked key on its next request");
      assert.equal(await admin(other), 200);
      const again = run("admin-keys", "revoke", "ci-deploy");
      assert.equal(again.status, 1);
      assert.match(again.stderr, /not found/);
    });

    it("clears a user's lockout", async () => {
      const key = lockoutKey("lost.phone@example.com");
      const now = server.ctx.now();
      await server.ctx.storage.lockouts.update(key, () => ({ total: 12, byContributor: { "203.0.113.9": 12 }, lockedUntil: { "*": now + 3600 }, expiresAt: now + 7200 }));
      const r = run("users", "reset-lockout", "LOST.PHONE@example.com");
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /cleared the lockout of lost\.phone@example\.com/);
      let after: unknown = "unread";
      await server.ctx.storage.lockouts.update(key, (rec) => (after = rec));
      assert.equal(after, null);
      const missing = run("users", "reset-lockout", "nobody@example.com");
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /no user nobody@example\.com/);
    });

    it("removes TOTP and recovery codes, by id", async () => {
      const s = server.ctx.storage;
      await s.totp.putPending({ userId, secret: "JBSWY3DPEHPK3PXP", createdAt: server.ctx.now(), confirmedAt: null, lastUsedStep: 0 });
      assert.ok(await s.totp.confirm(userId, "JBSWY3DPEHPK3PXP", server.ctx.now(), 1));
      await s.recoveryCodes.replace(userId, ["h1", "h2", "h3"], server.ctx.now());
      const r = run("users", "remove-mfa", userId);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /removed TOTP and 3 recovery codes of lost\.phone@example\.com/);
      assert.equal(await s.totp.get(userId), null);
      assert.equal(await s.recoveryCodes.countUnused(userId), 0);
    });

    it("reads the audit log with names, filtered by user and by event type", () => {
      const all = run("audit-log", "--user", "lost.phone@example.com");
      assert.equal(all.status, 0, all.stderr);
      const lines = all.stdout.trim().split("\n");
      assert.match(lines[0], /^WHEN\s+WHO\s+WHAT\s+ABOUT$/);
      assert.match(lines[1], /\scli\s+authenticator\.totp\.removed\s+lost\.phone@example\.com$/);
      assert.match(lines[2], /\scli\s+user\.reset_lockout\s+lost\.phone@example\.com$/);
      const keys = run("audit-log", "--action", "admin_key.revoke");
      assert.match(keys.stdout, /\scli\s+admin_key\.revoke\s+ci-deploy$/m, "the key is named, not an id");
      assert.equal(keys.stdout.trim().split("\n").length, 2);
    });
  });
}
