// The contract suite for the identity port (storage/identity-ports.ts) and how UserStore keeps the
// primary email (users.email) and its email login ID in step, on every backend in backends.ts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { loginIdIdentity, type Identity, type LoginIdType } from "../../src/domain/identity.ts";
import { backends, existingUser, suiteStorage } from "./backends.ts";
import { T, newUser, skipPostgres } from "./fixtures.ts";

const loginId = (userId: string, type: LoginIdType, value: string, at = T): Identity =>
  loginIdIdentity({ id: randomUUID(), userId, key: type, type, loginId: value, originalLoginId: value.toUpperCase(), at });

const oauth = (userId: string, alias: string, subject: string): Identity => ({
  id: randomUUID(), userId, type: "oauth", loginIdKey: null, loginIdType: null, loginId: null, originalLoginId: null,
  providerAlias: alias, providerSubject: subject, claims: { email: "x@example.com", email_verified: true }, createdAt: T, updatedAt: T,
});

for (const backend of backends) {
  describe(`identity storage contract: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    const s = suiteStorage(backend);
    const user = existingUser(s);

    it("a new user with an email gets its email login ID, in the same write", async () => {
      const u = await user({ email: `Ann.${randomUUID()}@Example.com` });
      const [only, ...rest] = await s.identities.listByUser(u.id);
      assert.deepEqual(rest, []);
      assert.equal(only.type, "login_id");
      assert.equal(only.loginIdKey, "email");
      assert.equal(only.loginIdType, "email");
      assert.equal(only.loginId, u.email);
      assert.deepEqual(only.claims, { email: u.email });
      assert.deepEqual(await s.identities.findByLoginId("email", u.email!), only);
    });

    it("a user may have no email: a username-only user, created with its login ID", async () => {
      const name = `user_${randomUUID().slice(0, 8)}`;
      const u = newUser({ email: null });
      const created = await s.users.create(u, "hash", [loginId(u.id, "username", name)]);
      assert.deepEqual(created, u);
      // The username is the user's preferred_username standard attribute (schema-profile.ts triggers).
      assert.deepEqual(await s.users.get(u.id), { ...u, standardAttributes: { preferred_username: name } });
      const [only, ...rest] = await s.identities.listByUser(u.id);
      assert.deepEqual(rest, []);
      assert.deepEqual(only.claims, { preferred_username: name });
      assert.equal(only.originalLoginId, name.toUpperCase());
      assert.equal((await s.identities.findByLoginId("username", name))?.userId, u.id);
    });

    it("a taken login ID refuses the whole new user: no user, no password, no identity left behind", async () => {
      const phone = `+8526${Math.floor(Math.random() * 1e7).toString().padStart(7, "0")}`;
      const first = newUser({ email: null });
      assert.ok(await s.users.create(first, null, [loginId(first.id, "phone", phone)]));
      const second = newUser();
      assert.equal(await s.users.create(second, "hash", [loginId(second.id, "phone", phone)]), null);
      assert.equal(await s.users.get(second.id), null);
      assert.equal(await s.passwords.get(second.id), null);
      assert.deepEqual(await s.identities.listByUser(second.id), []);
      assert.equal(await s.users.findByEmail(second.email!), null);
    });

    it("create refuses a login ID taken under the same key, and allows it under another key", async () => {
      const [a, b] = [await user(), await user()];
      const name = `shared_${randomUUID().slice(0, 8)}`;
      assert.ok(await s.identities.create(loginId(a.id, "username", name)));
      assert.equal(await s.identities.create(loginId(b.id, "username", name)), null);
      const other = { ...loginId(b.id, "username", name), loginIdKey: "nickname" };
      assert.deepEqual(await s.identities.create(other), other);
    });

    it("of 5 concurrent creates of one login ID exactly one wins", async () => {
      const users = await Promise.all(Array.from({ length: 5 }, () => user()));
      const name = `race_${randomUUID().slice(0, 8)}`;
      const results = await Promise.all(users.map((u) => s.identities.create(loginId(u.id, "username", name))));
      assert.equal(results.filter((r) => r !== null).length, 1);
    });

    it("OAuth identities: subject unique per provider alias, found by alias and subject", async () => {
      const [a, b] = [await user(), await user()];
      const subject = randomUUID();
      const made = oauth(a.id, "google", subject);
      assert.deepEqual(await s.identities.create(made), made);
      assert.equal(await s.identities.create(oauth(b.id, "google", subject)), null);
      assert.ok(await s.identities.create(oauth(b.id, "corp", subject)));
      assert.deepEqual(await s.identities.findByProvider("google", subject), made);
      assert.equal(await s.identities.findByProvider("google", randomUUID()), null);
      assert.equal(await s.identities.findByLoginId("email", `nobody-${randomUUID()}@example.com`), null);
    });

    it("listByUser is oldest first and the user's only", async () => {
      const [a, b] = [await user({ createdAt: T - 10 }), await user()];
      const late = { ...oauth(a.id, "github", randomUUID()), createdAt: T + 5, updatedAt: T + 5 };
      const early = loginId(a.id, "username", `early_${randomUUID().slice(0, 8)}`, T + 1);
      await s.identities.create(late);
      await s.identities.create(early);
      await s.identities.create(oauth(b.id, "github", randomUUID()));
      assert.deepEqual((await s.identities.listByUser(a.id)).map((i) => i.loginIdType ?? i.providerAlias), ["email", "username", "github"]);
    });

    it("an email login ID becomes the primary email of a user who has none", async () => {
      const u = newUser({ email: null });
      await s.users.create(u, null, [loginId(u.id, "phone", `+4420${Math.floor(Math.random() * 1e8).toString().padStart(8, "0")}`)]);
      const email = `late.${randomUUID()}@example.com`;
      await s.identities.create(loginId(u.id, "email", email, T + 3));
      const after = (await s.users.get(u.id))!;
      assert.equal(after.email, email);
      assert.equal(after.updatedAt, T + 3);
      assert.equal((await s.users.findByEmail(email))?.id, u.id);
    });

    it("deleting the primary email's login ID moves users.email to the next email, then to null", async () => {
      const u = await user({ isVerified: true });
      const second = `second.${randomUUID()}@example.com`;
      await s.identities.create(loginId(u.id, "email", second, T + 1));
      assert.equal((await s.users.get(u.id))!.email, u.email, "a second email does not replace the primary");
      const [primary] = await s.identities.listByUser(u.id);
      assert.equal(await s.identities.delete(primary.id, T + 2), true);
      const moved = (await s.users.get(u.id))!;
      assert.equal(moved.email, second);
      assert.equal(moved.isVerified, false, "the next email is not known to be verified");
      assert.equal(await s.users.findByEmail(u.email!), null);
      const [next] = await s.identities.listByUser(u.id);
      assert.equal(await s.identities.delete(next.id, T + 3), true);
      assert.equal((await s.users.get(u.id))!.email, null);
      assert.equal(await s.identities.delete(next.id, T + 4), false);
    });

    it("deleting another identity leaves the primary email alone", async () => {
      const u = await user();
      const made = await s.identities.create(oauth(u.id, "apple", randomUUID()));
      assert.equal(await s.identities.delete(made!.id), true);
      assert.equal((await s.users.get(u.id))!.email, u.email);
      assert.equal((await s.identities.listByUser(u.id)).length, 1);
    });

    it("changing users.email moves its login ID; clearing it deletes the login ID; setting it again makes one", async () => {
      const u = await user();
      const [before] = await s.identities.listByUser(u.id);
      const next = `Moved.${randomUUID()}@Example.com`;
      await s.users.update(u.id, { email: next }, T + 1);
      const [moved, ...rest] = await s.identities.listByUser(u.id);
      assert.deepEqual(rest, []);
      assert.equal(moved.id, before.id);
      assert.equal(moved.loginId, next.toLowerCase());
      assert.deepEqual(moved.claims, { email: next.toLowerCase() });
      await s.users.update(u.id, { email: null }, T + 2);
      assert.deepEqual(await s.identities.listByUser(u.id), []);
      await s.users.update(u.id, { email: next }, T + 3);
      assert.deepEqual((await s.identities.listByUser(u.id)).map((i) => i.loginId), [next.toLowerCase()]);
    });

    it("deleting the user deletes its identities", async () => {
      const u = await user();
      const subject = randomUUID();
      await s.identities.create(oauth(u.id, "facebook", subject));
      await s.cascades.deleteUser(u.id, { at: T, logUntil: T + 60 });
      assert.deepEqual(await s.identities.listByUser(u.id), []);
      assert.equal(await s.identities.findByProvider("facebook", subject), null);
      assert.equal(await s.identities.findByLoginId("email", u.email!), null);
    });
  });
}
