// The WebAuthn checks (account/passkeys/ceremony.ts) on real responses from a software
// authenticator, on both storage backends: registration and assertion accepted; a wrong origin,
// a wrong RP ID, a missing user verification, a stranger's user handle, an unknown credential, a
// used or expired challenge and a counter that did not move refused; malformed input refused as such.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestServer, type TestServer } from "../support/server.ts";
import { backends } from "../storage/backends.ts";
import { skipPostgres } from "../storage/fixtures.ts";
import { newChallenge, passkeyRows, verifyAssertion, verifyRegistration } from "../../src/account/passkeys/ceremony.ts";
import { relyingParty } from "../../src/account/passkeys/relying-party.ts";
import { SoftAuthenticator } from "./soft-authenticator.ts";
import { PASSKEYS_ON } from "./fixture.ts";

for (const backend of backends) {
  describe(`passkey ceremonies: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    let server: TestServer;
    let drop: () => Promise<void>;
    let auth: SoftAuthenticator;
    let userId: string;

    before(async () => {
      const opened = await backend.open();
      await opened.storage.close();
      drop = opened.drop;
      server = await startTestServer({ host: "localhost", databaseUrl: opened.url, config: PASSKEYS_ON });
      auth = new SoftAuthenticator("localhost", server.url);
      userId = await server.createUser(`pk.${randomUUID()}@example.com`, "a long enough password");
    });
    after(async () => {
      await server?.close();
      await drop?.();
    });

    /** Registers a passkey for the user through the ceremony, as the settings page does. */
    async function register(): Promise<void> {
      const ch = await newChallenge(server.ctx, "register", userId);
      const r = await verifyRegistration(server.ctx, auth.register(ch, userId), "register");
      assert.ok(r.ok, JSON.stringify(r));
      const rows = passkeyRows(userId, "test", r.credential, server.ctx.now());
      assert.ok(await server.ctx.storage.passkeys.add(rows.identity, rows.credential));
    }

    it("the RP ID is the public host; the origin the issuer's", () => {
      assert.deepEqual(relyingParty(server.ctx.config), { id: "localhost", name: "localhost", origin: server.url });
    });

    it("accepts a registration, then an assertion, and stores the counter", async () => {
      await register();
      const ch = await newChallenge(server.ctx, "authenticate", null);
      const r = await verifyAssertion(server.ctx, auth.assert(ch));
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.passkey.userId, userId);
      assert.equal(r.passkey.signCount, 1);
      assert.equal((await server.ctx.storage.passkeys.findByCredentialId(r.passkey.credentialId))?.signCount, 1);
    });

    it("refuses the same assertion twice: the challenge is gone", async () => {
      const ch = await newChallenge(server.ctx, "authenticate", null);
      const assertion = auth.assert(ch);
      assert.equal((await verifyAssertion(server.ctx, assertion)).ok, true);
      assert.deepEqual(await verifyAssertion(server.ctx, assertion), { ok: false, reason: "expired" });
    });

    it("refuses an assertion whose counter did not move (a cloned authenticator)", async () => {
      const ch = await newChallenge(server.ctx, "authenticate", null);
      assert.deepEqual(await verifyAssertion(server.ctx, auth.assert(ch, { step: 0 })), { ok: false, reason: "replayed" });
    });

    it("refuses an assertion from another origin, or for another RP ID, and spends the challenge", async () => {
      const ch = await newChallenge(server.ctx, "authenticate", null);
      assert.deepEqual(await verifyAssertion(server.ctx, auth.assert(ch, { origin: "http://localhost:1" })), { ok: false, reason: "invalid" });
      assert.deepEqual(await verifyAssertion(server.ctx, auth.assert(ch)), { ok: false, reason: "expired" });
      const ch2 = await newChallenge(server.ctx, "authenticate", null);
      assert.deepEqual(await verifyAssertion(server.ctx, auth.assert(ch2, { rpId: "evil.example" })), { ok: false, reason: "invalid" });
    });

    it("refuses a user handle that names someone else", async () => {
      const ch = await newChallenge(server.ctx, "authenticate", null);
      const stranger = Buffer.from(randomUUID()).toString("base64url");
      assert.deepEqual(await verifyAssertion(server.ctx, auth.assert(ch, { userHandle: stranger })), { ok: false, reason: "invalid" });
    });

    it("refuses a challenge made for another ceremony, and an expired one", async () => {
      const reg = await newChallenge(server.ctx, "register", userId);
      assert.deepEqual(await verifyAssertion(server.ctx, auth.assert(reg)), { ok: false, reason: "expired" });
      const ch = await newChallenge(server.ctx, "authenticate", null);
      server.advance(301);
      assert.deepEqual(await verifyAssertion(server.ctx, auth.assert(ch)), { ok: false, reason: "expired" });
    });

    it("refuses a credential it does not know", async () => {
      const other = new SoftAuthenticator("localhost", server.url);
      other.register("unused", userId);
      const ch = await newChallenge(server.ctx, "authenticate", null);
      assert.deepEqual(await verifyAssertion(server.ctx, other.assert(ch)), { ok: false, reason: "unknown_credential" });
    });

    it("refuses registrations from another origin or without user verification", async () => {
      const a = await newChallenge(server.ctx, "register", userId);
      assert.deepEqual(await verifyRegistration(server.ctx, auth.register(a, userId, { origin: "http://evil.example" }), "register"), { ok: false, reason: "invalid" });
      const b = await newChallenge(server.ctx, "register", userId);
      assert.deepEqual(await verifyRegistration(server.ctx, auth.register(b, userId, { userVerified: false }), "register"), { ok: false, reason: "invalid" });
      const c = await newChallenge(server.ctx, "signup", randomUUID());
      assert.deepEqual(await verifyRegistration(server.ctx, auth.register(c, userId), "register"), { ok: false, reason: "expired" }, "a sign-up challenge");
    });

    it("calls malformed input malformed, without spending anything", async () => {
      const hostile = [
        "", "not json", "null", "[]", "{}", '{"__proto__":{"x":1}}', JSON.stringify({ id: "a", rawId: "b", type: "public-key", response: {} }),
        JSON.stringify({ id: "a", rawId: "a", type: "public-key", response: { clientDataJSON: "!!", authenticatorData: "a", signature: "a" } }),
        JSON.stringify({ id: "a", rawId: "a", type: "public-key", response: { clientDataJSON: Buffer.from("{").toString("base64url"), authenticatorData: "a", signature: "a" } }),
        JSON.stringify({ id: "a", rawId: "a", type: "public-key", response: { clientDataJSON: Buffer.from('{"challenge":7}').toString("base64url"), authenticatorData: "a", signature: "a" } }),
        JSON.stringify({ id: "a".repeat(9000), rawId: "a".repeat(9000), type: "public-key", response: {} }),
      ];
      for (const text of hostile) {
        assert.deepEqual(await verifyAssertion(server.ctx, text), { ok: false, reason: "malformed" }, text.slice(0, 60));
        assert.deepEqual(await verifyRegistration(server.ctx, text, "register"), { ok: false, reason: "malformed" }, text.slice(0, 60));
      }
    });
  });
}
