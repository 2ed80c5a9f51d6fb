// Parallel guesses against every guarded secret, over real HTTP, on SQLite (limits in memory) and
// on PostgreSQL with the limits in Redis. A burst of wrong guesses is sent at once, with the right
// one at its end: the number of guesses actually checked never exceeds the cap, and the right one
// does not get in once the cap is reached. (Before the guard reserved attempts up front, a burst
// of 40 was checked in full and the right password at its end signed in: CVE-2024-4629's bug.)
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { generate } from "otplib";
import { sha256 } from "../../src/crypto/secrets.ts";
import { issueRecoveryCodes } from "../../src/account/mfa/recovery-codes.ts";
import { newTotpSecret } from "../../src/account/mfa/totp.ts";
import { createUser } from "../../src/users/users.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";
import { UserAgent, csrfOf, getPage, openLogin, post, submitLogin, finishAtApp } from "./fixture.ts";

const BURST = 40;
const LOCKOUT = 6; // authentication.lockout.max_attempts (the default)
const CODE_CAP = 5; // MAX_CODE_FAILURES for emailed codes

interface Variant {
  name: string;
  start(config?: Record<string, unknown>): Promise<TestServer>;
  cleanup(): Promise<void>;
}

function sqliteVariant(): Variant {
  return { name: "SQLite, limits in memory", start: (config = {}) => startTestServer({ config }), cleanup: async () => undefined };
}

function postgresVariant(): Variant {
  const schemas: string[] = [];
  const prefix = `gh-test-${randomBytes(6).toString("hex")}:`;
  return {
    name: "PostgreSQL, limits in Redis",
    start(config = {}) {
      const schema = `gh_test_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      return startTestServer({ databaseUrl: `${POSTGRES_URL}?schema=${schema}`, config: { redis: { url: REDIS_URL, key_prefix: `${prefix}${schema}:` }, ...config } });
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.end();
      await dropRedisKeys(prefix);
    },
  };
}

/**
 * Sends the wrong guesses at once and the right one at the end of the burst: once `capReached`
 * says the cap is reached (or every wrong guess has been answered). Waiting for that, rather than
 * for a fixed moment, matters: the right guess may find an idle keep-alive connection while the
 * others are still connecting, and overtake them all.
 */
async function burst(
  send: (guess: string) => Promise<Response>, wrong: string[], right: string, capReached: (answered: Response[]) => Promise<boolean>,
): Promise<{ wrong: Response[]; right: Response }> {
  const answered: Response[] = [];
  const w = wrong.map((g) => send(g).then((res) => { answered.push(res); return res; }));
  while (answered.length < w.length && !(await capReached(answered))) await new Promise((resolve) => setTimeout(resolve, 5));
  const r = await send(right);
  return { wrong: await Promise.all(w), right: r };
}

/** For the lockout and the rate limits: the first 429 says the cap is reached. */
const refused = async (answered: Response[]): Promise<boolean> => answered.some((r) => r.status === 429);

const statuses = (rs: Response[]): Record<number, number> => rs.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
const drain = async (rs: Response[]): Promise<void> => { await Promise.all(rs.map((r) => r.arrayBuffer())); };

/** Six-digit codes that are none of the TOTP codes valid around `now` (one step of drift either way). */
async function wrongTotpCodes(secret: string, now: number, n: number): Promise<string[]> {
  const valid = new Set(await Promise.all([-30, 0, 30].map((d) => generate({ secret, epoch: now + d }))));
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const c = String(100000 + i * 7919).slice(-6);
    if (!valid.has(c)) out.push(c);
  }
  return out;
}

for (const variant of [sqliteVariant(), postgresVariant()]) {
  describe(`parallel guesses (${variant.name})`, () => {
    let s: TestServer;
    /** Argon2 verifications run (real and dummy): the checks that actually happened. */
    let checks = 0;
    before(async () => {
      s = await variant.start();
      const hasher = s.ctx.passwords;
      const verify = hasher.verify.bind(hasher);
      const verifyDummy = hasher.verifyDummy.bind(hasher);
      hasher.verify = async (...a) => { checks++; return verify(...a); };
      hasher.verifyDummy = async (...a) => { checks++; return verifyDummy(...a); };
    });
    after(async () => {
      await s?.close();
      await variant.cleanup();
    });

    /** A fresh account and a refilled per-IP bucket (all the requests come from 127.0.0.1). */
    async function account(password: string, options: { verified?: boolean } = {}): Promise<{ id: string; email: string }> {
      s.advance(61);
      const email = `u-${randomBytes(4).toString("hex")}@example.com`;
      const r = await createUser(s.ctx, { email, password, verified: options.verified ?? true });
      if (!r.ok) throw new Error(r.reason);
      return { id: r.user.id, email };
    }

    async function withTotp(userId: string): Promise<{ secret: string; recovery: string[] }> {
      const secret = newTotpSecret();
      await s.ctx.storage.totp.putPending({ userId, secret, createdAt: s.ctx.now(), confirmedAt: null, lastUsedStep: 0 });
      assert.ok(await s.ctx.storage.totp.confirm(userId, secret, s.ctx.now(), 0));
      return { secret, recovery: await issueRecoveryCodes(s.ctx, userId) };
    }

    it("password: a burst is checked at most max_attempts times, and the right password at its end is locked out", async () => {
      const password = "the-right-password-1";
      const { email } = await account(password);
      const agent = new UserAgent();
      const { html, flow } = await openLogin(s, agent);
      const csrf = csrfOf(html);
      checks = 0;
      const wrong = Array.from({ length: BURST - 1 }, (_, i) => `wrong-password-${i}`);
      const r = await burst((pw) => post(agent, `${s.url}/login`, { csrf, flow, email, password: pw }), wrong, password, refused);
      await drain([...r.wrong, r.right]);
      const counts = statuses(r.wrong);
      assert.ok(checks <= LOCKOUT, `${checks} passwords checked (cap ${LOCKOUT}); answers ${JSON.stringify(counts)}`);
      assert.ok((counts[401] ?? 0) <= LOCKOUT, JSON.stringify(counts));
      assert.equal(r.right.status, 429, "the right password at the end of the burst is locked out");
      assert.equal(r.right.headers.get("location"), null);
      const later = await submitLogin(s, new UserAgent(), email, password);
      assert.equal(later.status, 429, "and so is it after the burst");
    });

    it("password: the owner's right password on the last allowed attempt signs in and does not lock the account", async () => {
      const password = "the-right-password-2";
      const { email } = await account(password);
      for (let i = 0; i < LOCKOUT - 1; i++) assert.equal((await submitLogin(s, new UserAgent(), email, `nope-${i}`)).status, 401);
      const agent = new UserAgent();
      await finishAtApp(s, agent, await submitLogin(s, agent, email, password));
      assert.equal((await submitLogin(s, new UserAgent(), email, "nope-again")).status, 401, "not locked: the success forgave the failures");
    });

    it("TOTP: a burst of codes is checked at most max_attempts times; the right code at its end is locked out", async () => {
      const password = "the-right-password-3";
      const { id, email } = await account(password);
      const { secret } = await withTotp(id);
      const agent = new UserAgent();
      const first = await submitLogin(s, agent, email, password);
      assert.equal(first.headers.get("location"), "/login/totp");
      const page = await getPage(agent, `${s.url}/login/totp`);
      const csrf = csrfOf(page.html);
      const now = s.ctx.now();
      const r = await burst((code) => post(agent, `${s.url}/login/totp`, { csrf, code }), await wrongTotpCodes(secret, now, BURST - 1), await generate({ secret, epoch: now }), refused);
      await drain([...r.wrong, r.right]);
      const counts = statuses(r.wrong);
      assert.ok((counts[401] ?? 0) <= LOCKOUT, `codes checked and refused: ${JSON.stringify(counts)}`);
      assert.equal(r.right.status, 429, "the right code at the end of the burst is locked out");
      assert.equal(agent.cookies.has("session"), false);
    });

    it("recovery codes: a burst is checked at most max_attempts times; the right code at its end is locked out", async () => {
      const password = "the-right-password-4";
      const { id, email } = await account(password);
      const { recovery } = await withTotp(id);
      const agent = new UserAgent();
      await submitLogin(s, agent, email, password);
      const page = await getPage(agent, `${s.url}/login/recovery`);
      const csrf = csrfOf(page.html);
      const wrong = Array.from({ length: BURST - 1 }, (_, i) => `AAAAA-${String(i).padStart(5, "0")}`);
      const r = await burst((recovery_code) => post(agent, `${s.url}/login/recovery`, { csrf, recovery_code }), wrong, recovery[0], refused);
      await drain([...r.wrong, r.right]);
      const counts = statuses(r.wrong);
      assert.ok((counts[401] ?? 0) <= LOCKOUT, `codes checked and refused: ${JSON.stringify(counts)}`);
      assert.equal(r.right.status, 429);
      assert.equal(await s.ctx.storage.recoveryCodes.countUnused(id), 10, "the right code was not spent");
    });

    it("reset codes: a burst counts at most 5 guesses and the right code at its end is refused", async () => {
      const { id, email } = await account("the-right-password-5");
      const code = "314159";
      const now = s.ctx.now();
      await s.ctx.storage.oneTimeCodes.put({
        purpose: "reset_password", userId: id, target: email, codeHash: sha256(code), linkTokenHash: sha256(randomBytes(32).toString("base64url")),
        failedAttempts: 0, createdAt: now, expiresAt: now + 900, consumedAt: null,
      });
      const agent = new UserAgent();
      const page = await getPage(agent, `${s.url}/forgot`);
      const csrf = csrfOf(page.html);
      const wrong = Array.from({ length: BURST - 1 }, (_, i) => String(200000 + i));
      const used = async (): Promise<boolean> => (await s.ctx.storage.oneTimeCodes.get("reset_password", id))!.failedAttempts >= CODE_CAP;
      const r = await burst((guess) => post(agent, `${s.url}/reset/code`, { csrf, email, code: guess }), wrong, code, used);
      await drain(r.wrong);
      const row = await s.ctx.storage.oneTimeCodes.get("reset_password", id);
      assert.ok(row!.failedAttempts <= CODE_CAP, `failed_attempts ${row!.failedAttempts} (cap ${CODE_CAP})`);
      assert.equal(r.right.status, 400, "the right code at the end of the burst is refused");
      assert.doesNotMatch(await r.right.text(), /name="token"/);
      assert.equal(row!.codeHash, sha256(code), "and was not spent");
    });

    it("verification codes: a burst counts at most 5 guesses and the right code at its end does not verify", async () => {
      const password = "the-right-password-6";
      const { id, email } = await account(password, { verified: false });
      const agent = new UserAgent();
      await finishAtApp(s, agent, await submitLogin(s, agent, email, password));
      const code = "271828";
      const now = s.ctx.now();
      await s.ctx.storage.oneTimeCodes.put({
        purpose: "verify_email", userId: id, target: email, codeHash: sha256(code), linkTokenHash: null,
        failedAttempts: 0, createdAt: now, expiresAt: now + 300, consumedAt: null,
      });
      const page = await getPage(agent, `${s.url}/verify`);
      const csrf = csrfOf(page.html);
      const wrong = Array.from({ length: BURST - 1 }, (_, i) => String(300000 + i));
      const used = async (): Promise<boolean> => (await s.ctx.storage.oneTimeCodes.get("verify_email", id))!.failedAttempts >= CODE_CAP;
      const r = await burst((guess) => post(agent, `${s.url}/verify`, { csrf, code: guess }), wrong, code, used);
      await drain([...r.wrong, r.right]);
      const row = await s.ctx.storage.oneTimeCodes.get("verify_email", id);
      assert.ok(row!.failedAttempts <= CODE_CAP, `failed_attempts ${row!.failedAttempts} (cap ${CODE_CAP})`);
      assert.equal(r.right.status, 400);
      assert.equal((await s.ctx.storage.users.get(id))!.isVerified, false, "the right code at the end of the burst did not verify");
    });
  });

  describe(`parallel guesses under a rate limit tighter than the lockout (${variant.name})`, () => {
    const PER_USER_PER_IP = 4;
    let s: TestServer;
    let checks = 0;
    before(async () => {
      s = await variant.start({
        authentication: {
          password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 },
          lockout: { max_attempts: 100 },
          rate_limits: { general: { per_user_per_ip: { burst: PER_USER_PER_IP, period: "1m" } } },
        },
      });
      const hasher = s.ctx.passwords;
      const verify = hasher.verify.bind(hasher);
      hasher.verify = async (...a) => { checks++; return verify(...a); };
    });
    after(async () => {
      await s?.close();
      await variant.cleanup();
    });

    it("takes the rate-limit token before the check: a burst is checked at most `burst` times", async () => {
      const password = "the-right-password-7";
      await s.createUser("rl@example.com", password);
      const agent = new UserAgent();
      const { html, flow } = await openLogin(s, agent);
      const csrf = csrfOf(html);
      checks = 0;
      const wrong = Array.from({ length: BURST - 1 }, (_, i) => `wrong-password-${i}`);
      const r = await burst((pw) => post(agent, `${s.url}/login`, { csrf, flow, email: "rl@example.com", password: pw }), wrong, password, refused);
      await drain([...r.wrong, r.right]);
      assert.ok(checks <= PER_USER_PER_IP, `${checks} passwords checked (burst ${PER_USER_PER_IP}); answers ${JSON.stringify(statuses(r.wrong))}`);
      assert.equal(r.right.status, 429);
      s.advance(61);
      const agent2 = new UserAgent();
      await finishAtApp(s, agent2, await submitLogin(s, agent2, "rl@example.com", password));
    });
  });
}
