// Lockout arithmetic (account/limits/lockout.ts) with the defaults: 6 attempts, 300 s history,
// 300 s first lock doubling up to 3600 s.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { addFailure, clearContributor, lockDuration, lockedUntil, reserveAttempt, type LockoutPolicy } from "../../src/account/limits/lockout.ts";
import type { LockoutRecord } from "../../src/storage/account-ports.ts";

const policy: LockoutPolicy = { maxAttempts: 6, historyDuration: 300, minimumDuration: 300, maximumDuration: 3600, backoffFactor: 2, perUserPerIp: false };

function fail(times: number, record: LockoutRecord | null, at: number, ip = "1.1.1.1", p = policy): LockoutRecord | null {
  let r = record;
  for (let i = 0; i < times; i++) r = addFailure(r, p, ip, at);
  return r;
}

describe("lockout arithmetic", () => {
  it("locks at the max_attempts-th failure, for minimum_duration, doubling up to maximum_duration", () => {
    assert.deepEqual([5, 6, 7, 8, 9, 10, 11, 20].map((n) => lockDuration(policy, n)), [0, 300, 600, 1200, 2400, 3600, 3600, 3600]);
  });

  it("counts failures within history_duration and forgets them after it", () => {
    const r = fail(5, null, 1000);
    assert.equal(r!.total, 5);
    assert.equal(lockedUntil(r, policy, "1.1.1.1", 1000), null);
    const later = addFailure(r, policy, "1.1.1.1", 1000 + 301);
    assert.equal(later.total, 1, "history expired: counting starts again");
  });

  it("does not count failures while locked, and backs off when failures go on after the lock", () => {
    const locked = fail(6, null, 1000)!;
    assert.equal(lockedUntil(locked, policy, "1.1.1.1", 1000), 1300);
    assert.deepEqual(addFailure(locked, policy, "1.1.1.1", 1100), locked, "a blocked attempt is not a failure");
    assert.equal(lockedUntil(locked, policy, "1.1.1.1", 1300), null, "the lock ends on time");
    const again = addFailure(locked, policy, "1.1.1.1", 1301);
    assert.equal(again.total, 7);
    assert.equal(lockedUntil(again, policy, "1.1.1.1", 1301), 1301 + 600, "the 7th failure locks for twice as long");
  });

  it("per_user locks the account for every IP; per_user_per_ip only for the failing IP", () => {
    const shared = fail(6, null, 0, "1.1.1.1");
    assert.ok(lockedUntil(shared, policy, "2.2.2.2", 1));
    const perIp = { ...policy, perUserPerIp: true };
    const r = fail(6, null, 0, "1.1.1.1", perIp);
    assert.ok(lockedUntil(r, perIp, "1.1.1.1", 1));
    assert.equal(lockedUntil(r, perIp, "2.2.2.2", 1), null);
    // Per IP the count is per contributor: 5 failures each from two IPs lock neither.
    const spread = fail(5, fail(5, null, 0, "1.1.1.1", perIp), 0, "2.2.2.2", perIp);
    assert.equal(spread!.total, 10);
    assert.equal(lockedUntil(spread, perIp, "1.1.1.1", 1), null);
  });

  it("a success forgives that IP's failures only", () => {
    const r = fail(3, fail(2, null, 0, "2.2.2.2"), 0, "1.1.1.1");
    const cleared = clearContributor(r, "1.1.1.1", 1)!;
    assert.equal(cleared.total, 2);
    assert.deepEqual(cleared.byContributor, { "2.2.2.2": 2 });
    assert.equal(clearContributor(fail(1, null, 0, "1.1.1.1"), "1.1.1.1", 1), null, "nothing left: the record goes");
  });

  it("reserves an attempt before the check: counted at once, refused once locked, the max_attempts-th still tried", () => {
    let r: LockoutRecord | null = null;
    const outcomes: (number | null)[] = [];
    for (let i = 0; i < 8; i++) {
      const res = reserveAttempt(r, policy, "1.1.1.1", 1000);
      outcomes.push(res.lockedUntil);
      r = res.record;
    }
    assert.deepEqual(outcomes, [null, null, null, null, null, null, 1300, 1300], "six tried, then refused");
    assert.equal(r!.total, 6, "refused attempts are not counted");
  });

  it("a success on the attempt that set the lock lifts that lock (the owner is not locked out by their own success)", () => {
    const five = fail(5, null, 1000)!;
    const res = reserveAttempt(five, policy, "1.1.1.1", 1000);
    assert.deepEqual(res.setLock, { key: "*", until: 1300 });
    assert.equal(clearContributor(res.record, "1.1.1.1", 1000, res.setLock), null);
    // A lock someone else's failures set stays.
    const mixed = reserveAttempt(fail(5, null, 1000, "2.2.2.2"), policy, "1.1.1.1", 1000);
    const cleared = clearContributor(mixed.record, "1.1.1.1", 1000)!;
    assert.equal(lockedUntil(cleared, policy, "3.3.3.3", 1000), 1300);
  });

  it("treats contributors named like Object.prototype members as plain keys (X-Forwarded-For is the client's)", () => {
    const perIp = { ...policy, perUserPerIp: true };
    for (const ip of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const r = fail(6, null, 0, ip, perIp)!;
      assert.equal(r.byContributor[ip], 6, ip);
      assert.equal(lockedUntil(r, perIp, ip, 1), 300, `${ip} is locked`);
      assert.equal(lockedUntil(r, perIp, "1.1.1.1", 1), null);
      assert.equal(Object.getPrototypeOf(r.byContributor), Object.prototype);
      const stored = JSON.parse(JSON.stringify(r)) as LockoutRecord;
      assert.equal(lockedUntil(stored, perIp, ip, 1), 300, `${ip} is still locked after a round trip through JSON`);
      assert.equal(clearContributor(addFailure(null, perIp, ip, 0), ip, 1), null);
    }
    assert.equal(lockedUntil(fail(1, null, 0), perIpPolicy(), "constructor", 1), null, "a key never stored is not a lock");
  });
});

function perIpPolicy(): LockoutPolicy {
  return { ...policy, perUserPerIp: true };
}

