// Unit tests for the cross-domain building blocks that need no server.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createSealer } from "../src/cross-domain/sealed-cookie.ts";
import { createRefreshCoalescer } from "../src/cross-domain/refresh-coalescer.ts";

const A = "a".repeat(32);
const B = "b".repeat(32);

describe("sealed cookies (AES-256-GCM, HKDF key)", () => {
  let clock = 1_000_000;
  const now = (): number => clock;

  it("round-trips, and hides the content", () => {
    const s = createSealer(A, now);
    const sealed = s.seal("app", { access_token: "eyJhbGciOi", sub: "u1" }, clock + 1000);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes("eyJ") && !Buffer.from(sealed.slice(3), "base64url").toString("latin1").includes("u1"));
    assert.deepEqual(s.unseal("app", sealed), { access_token: "eyJhbGciOi", sub: "u1" });
    assert.notEqual(s.seal("app", 1, clock + 1000), s.seal("app", 1, clock + 1000), "random IV");
  });

  it("refuses tampering, another purpose, another secret and expiry", () => {
    const s = createSealer(A, now);
    const sealed = s.seal("app", { x: 1 }, clock + 1000);
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[20] ^= 1;
    assert.equal(s.unseal("app", `v1.${raw.toString("base64url")}`), null);
    assert.equal(s.unseal("app_tx", sealed), null, "bound to the cookie name");
    assert.equal(createSealer(B, now).unseal("app", sealed), null);
    assert.equal(s.unseal("app", "v2.xyz"), null);
    clock += 1000;
    assert.equal(s.unseal("app", sealed), null, "expired");
  });

  it("rotates secrets: the first seals, all open", () => {
    const old = createSealer(A, now).seal("app", "v", clock + 1000);
    const rotated = createSealer([B, A], now);
    assert.equal(rotated.unseal("app", old), "v");
    assert.equal(createSealer(A, now).unseal("app", rotated.seal("app", "w", clock + 1000)), null);
    assert.equal(createSealer(B, now).unseal("app", rotated.seal("app", "w", clock + 1000)), "w");
  });

  it("wants secrets of at least 32 characters", () => {
    assert.throws(() => createSealer("short", now), /at least 32/);
    assert.throws(() => createSealer([], now), /at least 32/);
  });
});

describe("refresh coalescer", () => {
  it("runs one refresh per key, remembers success for the grace period, forgets failures", async () => {
    let clock = 0;
    const c = createRefreshCoalescer<number>({ graceMs: 1000, maxEntries: 10, now: () => clock });
    let calls = 0;
    const work = async (): Promise<number> => ++calls;
    assert.deepEqual(await Promise.all([c.run("k", work), c.run("k", work), c.run("k", work)]), [1, 1, 1]);
    clock += 999;
    assert.equal(await c.run("k", work), 1);
    clock += 1;
    assert.equal(await c.run("k", work), 2);
    await assert.rejects(c.run("bad", async () => { throw new Error("down"); }));
    assert.equal(await c.run("bad", work), 3, "a failure is retried");
    c.forget("k");
    assert.equal(await c.run("k", work), 4);
  });
});
