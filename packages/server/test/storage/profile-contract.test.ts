// The contract suite for the profile ports (roles, groups, assignments, user search), run against
// every backend in backends.ts like contract.test.ts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import type { User } from "../../src/storage/ports.ts";
import type { Role } from "../../src/domain/roles.ts";
import { backends, existingUser, suiteStorage } from "./backends.ts";
import { T, skipPostgres } from "./fixtures.ts";
import { loginIdIdentity } from "../../src/domain/identity.ts";

const o = { at: T + 10, logUntil: T + 1000 };

for (const backend of backends) {
  describe(`profile storage contract: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    const s = suiteStorage(backend);
    const user = existingUser(s);
    const tag = (): string => `t${randomBytes(4).toString("hex")}`;
    const item = (key: string, over: Partial<Role> = {}): Role => ({ id: randomUUID(), key, name: null, description: null, createdAt: T, updatedAt: T, ...over });
    const rolesOf = async (id: string): Promise<string[]> => (await s.users.get(id))!.roles;

    it("roles: create once per key, get, list by key prefix in pages, update, refuse a taken key", async () => {
      const t = tag();
      const a = item(`${t}_a`, { name: "A", description: "first" });
      assert.deepEqual(await s.roles.create(a), a);
      assert.equal(await s.roles.create(item(`${t}_a`)), null);
      await s.roles.create(item(`${t}_b`));
      await s.roles.create(item(`${t}_c`));
      assert.deepEqual(await s.roles.get(a.key), a);
      const first = await s.roles.list({ query: t, limit: 2 });
      assert.deepEqual(first.items.map((r) => r.key), [`${t}_a`, `${t}_b`]);
      const second = await s.roles.list({ query: t, cursor: first.nextCursor!, limit: 2 });
      assert.deepEqual(second, { items: [(await s.roles.get(`${t}_c`))!], nextCursor: null });
      assert.deepEqual(await s.roles.update(`${t}_a`, { key: `${t}_b` }, o), { ok: false, reason: "key_taken" });
      assert.deepEqual(await s.roles.update(`${t}_zz`, { name: "x" }, o), { ok: false, reason: "not_found" });
      const updated = await s.roles.update(`${t}_a`, { name: null, description: "changed" }, o);
      assert.ok(updated.ok);
      assert.deepEqual(updated.item, { ...a, name: null, description: "changed", updatedAt: o.at });
    });

    it("effective roles = direct + through groups, rewritten with every change, each affected user logged", async () => {
      const t = tag();
      for (const k of ["reader", "writer", "admin"]) await s.roles.create(item(`${t}_${k}`));
      await s.groups.create(item(`${t}_staff`));
      const [ann, bob] = [await user(), await user()];
      const since = await s.revocations.latestSeq();
      const r1 = await s.assignments.change({ kind: "user_role", userId: ann.id }, [`${t}_reader`], o);
      assert.deepEqual(r1, { ok: true, changed: [{ kind: "user_changed", id: ann.id }] });
      assert.deepEqual(await rolesOf(ann.id), [`${t}_reader`]);
      await s.assignments.change({ kind: "group_role", groupKey: `${t}_staff` }, [`${t}_writer`, `${t}_reader`], o);
      await s.assignments.change({ kind: "user_group", userId: ann.id }, [`${t}_staff`], o);
      await s.assignments.change({ kind: "user_group", userId: bob.id }, [`${t}_staff`], o);
      assert.deepEqual(await rolesOf(ann.id), [`${t}_reader`, `${t}_writer`]);
      assert.deepEqual(await rolesOf(bob.id), [`${t}_reader`, `${t}_writer`]);
      assert.deepEqual(await s.assignments.ofUser(ann.id), { roles: [`${t}_reader`], groups: [`${t}_staff`] });
      assert.deepEqual(await s.assignments.ofGroup(`${t}_staff`), [`${t}_reader`, `${t}_writer`]);
      // A group's role change reaches every member, and every member is logged.
      const r2 = await s.assignments.change({ kind: "group_role", groupKey: `${t}_staff` }, [`${t}_admin`], o);
      assert.ok(r2.ok);
      assert.deepEqual(r2.changed.map((e) => e.id).sort(), [ann.id, bob.id].sort());
      assert.deepEqual(await rolesOf(bob.id), [`${t}_admin`, `${t}_reader`, `${t}_writer`]);
      // Removing the group's reader leaves Ann's direct one.
      await s.assignments.change({ kind: "group_role", groupKey: `${t}_staff` }, [`${t}_reader`], { ...o, remove: true });
      assert.deepEqual(await rolesOf(ann.id), [`${t}_admin`, `${t}_reader`, `${t}_writer`]);
      assert.deepEqual(await rolesOf(bob.id), [`${t}_admin`, `${t}_writer`]);
      // Renaming a role renames it in every token; deleting a group takes its roles away.
      const renamed = await s.roles.update(`${t}_writer`, { key: `${t}_editor` }, o);
      assert.ok(renamed.ok && renamed.changed.length === 2);
      assert.deepEqual(await rolesOf(bob.id), [`${t}_admin`, `${t}_editor`]);
      assert.equal((await s.groups.delete(`${t}_staff`, o))!.length, 2);
      assert.deepEqual(await rolesOf(bob.id), []);
      assert.deepEqual(await rolesOf(ann.id), [`${t}_reader`]);
      assert.equal(await s.roles.delete(`${t}_reader`, o).then((c) => c!.length), 1);
      assert.deepEqual(await rolesOf(ann.id), []);
      assert.equal(await s.roles.delete(`${t}_reader`, o), null);
      const logged = (await s.revocations.since(since, 1000)).filter((e) => e.kind === "user_changed");
      assert.ok(logged.length >= 9 && logged.every((e) => e.id === ann.id || e.id === bob.id));
    });

    it("an assignment naming a missing role, group or user changes nothing and says what is missing", async () => {
      const t = tag();
      await s.roles.create(item(`${t}_r`));
      const u = await user();
      assert.deepEqual(await s.assignments.change({ kind: "user_role", userId: u.id }, [`${t}_r`, `${t}_nope`], o), { ok: false, missing: [`${t}_nope`] });
      assert.deepEqual(await rolesOf(u.id), []);
      assert.deepEqual(await s.assignments.change({ kind: "user_group", userId: "no-such-user" }, [], o), { ok: false, missing: ["no-such-user"] });
      assert.deepEqual(await s.assignments.change({ kind: "group_role", groupKey: `${t}_g` }, [`${t}_r`], o), { ok: false, missing: [`${t}_g`, ] });
      assert.equal(await s.assignments.ofUser("no-such-user"), null);
      assert.equal(await s.assignments.ofGroup(`${t}_g`), null);
    });

    it("search finds every login ID (identities' triggers keep the terms), and keeps them through attribute edits", async () => {
      const t = tag();
      const u = await user();
      const phone = loginIdIdentity({ id: randomUUID(), userId: u.id, key: "phone", type: "phone", loginId: `+8529${t.slice(1, 8)}`, originalLoginId: "x", at: T });
      const name = loginIdIdentity({ id: randomUUID(), userId: u.id, key: "username", type: "username", loginId: `${t}_user`, originalLoginId: `${t}_User`, at: T });
      assert.ok(await s.identities.create(phone));
      assert.ok(await s.identities.create(name));
      const ids = async (query: string): Promise<string[]> => (await s.userSearch.search({ query, limit: 10 })).items.map((x) => x.id);
      assert.deepEqual(await ids(phone.loginId!), [u.id]);
      assert.deepEqual(await ids(`${t}_US`), [u.id]);
      // The login IDs are the user's phone_number and preferred_username standard attributes.
      assert.deepEqual((await s.users.get(u.id))!.standardAttributes, { phone_number: phone.loginId, preferred_username: `${t}_user` });
      await s.users.update(u.id, { standardAttributes: { ...(await s.users.get(u.id))!.standardAttributes, nickname: `${t}nick` } }, T + 1);
      assert.deepEqual(await ids(phone.loginId!), [u.id], "an attribute edit rewrites the value terms, login IDs included");
      assert.deepEqual(await ids(`${t}nick`), [u.id]);
      assert.ok(await s.identities.delete(phone.id));
      assert.deepEqual(await ids(phone.loginId!), []);
      assert.deepEqual((await s.users.get(u.id))!.standardAttributes, { preferred_username: `${t}_user`, nickname: `${t}nick` });
      assert.deepEqual(await ids(`${t}_user`), [u.id]);
    });

    it("users.update roles sets the direct roles, creating missing ones, and keeps group roles", async () => {
      const t = tag();
      await s.groups.create(item(`${t}_g`));
      await s.roles.create(item(`${t}_via_group`));
      await s.assignments.change({ kind: "group_role", groupKey: `${t}_g` }, [`${t}_via_group`], o);
      const u = await user({ roles: [`${t}_first`] });
      assert.ok(await s.roles.get(`${t}_first`), "created with the user");
      await s.assignments.change({ kind: "user_group", userId: u.id }, [`${t}_g`], o);
      const patched = await s.users.update(u.id, { roles: [`${t}_second`] }, T + 5);
      assert.deepEqual(patched!.roles, [`${t}_second`, `${t}_via_group`]);
      assert.deepEqual((await s.assignments.ofUser(u.id))!.roles, [`${t}_second`]);
    });

    it("search: exact and prefix of email or attribute values, case-insensitive; role and group filters; pages", async () => {
      const t = tag();
      await s.roles.create(item(`${t}_r`));
      await s.groups.create(item(`${t}_g`));
      const made: User[] = [];
      for (let i = 0; i < 5; i++) made.push(await user({ email: `${t}.${i}@example.com` }));
      await s.users.update(made[1].id, { standardAttributes: { name: `Zoë ${t}`, address: { locality: `Town${t}` } }, customAttributes: { id1: `Gold${t}` } }, T + 1);
      for (const u of made.slice(0, 3)) await s.assignments.change({ kind: "user_role", userId: u.id }, [`${t}_r`], o);
      await s.assignments.change({ kind: "user_group", userId: made[2].id }, [`${t}_g`], o);
      const ids = (p: { items: User[] }): string[] => p.items.map((u) => u.id);
      assert.deepEqual(ids(await s.userSearch.search({ query: `${t}.3@EXAMPLE.com`, limit: 10 })), [made[3].id]);
      assert.deepEqual(ids(await s.userSearch.search({ query: `zoë ${t}`, limit: 10 })), [made[1].id]);
      assert.deepEqual(ids(await s.userSearch.search({ query: `town${t}`, limit: 10 })), [made[1].id]);
      assert.deepEqual(ids(await s.userSearch.search({ query: `GOLD${t}`, limit: 10 })), [made[1].id]);
      assert.deepEqual(ids(await s.userSearch.search({ query: made[4].id, limit: 10 })), [made[4].id]);
      const first = await s.userSearch.search({ query: `${t}.`, limit: 3 });
      assert.deepEqual(ids(first), made.slice(0, 3).map((u) => u.id));
      const second = await s.userSearch.search({ query: `${t}.`, cursor: first.nextCursor!, limit: 3 });
      assert.deepEqual(ids(second), made.slice(3).map((u) => u.id));
      assert.equal(second.nextCursor, null);
      assert.deepEqual(ids(await s.userSearch.search({ role: `${t}_r`, limit: 10 })).sort(), made.slice(0, 3).map((u) => u.id).sort());
      assert.deepEqual(ids(await s.userSearch.search({ group: `${t}_g`, limit: 10 })), [made[2].id]);
      assert.deepEqual(ids(await s.userSearch.search({ query: `${t}.1`, role: `${t}_r`, limit: 10 })), [made[1].id]);
      assert.deepEqual(ids(await s.userSearch.search({ query: `${t}.4`, role: `${t}_r`, limit: 10 })), []);
      // Here the role is the smaller set and drives the scan; the answer is the same.
      assert.deepEqual(ids(await s.userSearch.search({ query: `${t}.`, role: `${t}_r`, limit: 10 })).sort(), made.slice(0, 3).map((u) => u.id).sort());
      const paged = await s.userSearch.search({ query: `${t}.`, role: `${t}_r`, limit: 2 });
      const rest = await s.userSearch.search({ query: `${t}.`, role: `${t}_r`, cursor: paged.nextCursor!, limit: 2 });
      assert.deepEqual([...ids(paged), ...ids(rest)].sort(), made.slice(0, 3).map((u) => u.id).sort());
      assert.deepEqual(ids(await s.userSearch.search({ role: `${t}_r`, group: `${t}_g`, limit: 10 })), [made[2].id]);
      // An attribute change replaces the old values' terms; a deleted user leaves none.
      await s.users.update(made[1].id, { standardAttributes: {} }, T + 2);
      assert.deepEqual(ids(await s.userSearch.search({ query: `zoë ${t}`, limit: 10 })), []);
      await s.cascades.deleteUser(made[2].id, o);
      assert.deepEqual(ids(await s.userSearch.search({ group: `${t}_g`, limit: 10 })), []);
      // LIKE wildcards mean nothing here; a forged cursor is ignored.
      assert.deepEqual(ids(await s.userSearch.search({ query: `%${t}`, limit: 10 })), []);
      assert.deepEqual(ids(await s.userSearch.search({ query: `${t}.0`, cursor: "bm9wZQ", limit: 10 })), [made[0].id]);
    });
  });
}
