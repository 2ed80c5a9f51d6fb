// Roles, groups and attributes through the admin API, seen where apps read them: the access token,
// the ID token, userinfo and the resolver's headers. A change shows in the next answer.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, postToken, type Fixture, SPA_CLIENT } from "../oauth/fixture.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { decodeJwt } from "../../src/crypto/jwt.ts";

const ROLES = "https://authgear.com/claims/user/roles";
const USER_PROFILE = {
  standard_attributes: { access_control: [{ pointer: "/gender", access_control: { end_user: "hidden", bearer: "hidden", portal_ui: "readwrite" } }] },
  custom_attributes: {
    attributes: [
      { id: "c1", pointer: "/tier", type: "enum", enum: ["gold", "silver"], access_control: { end_user: "readonly", bearer: "readonly", portal_ui: "readwrite" } },
      { id: "c2", pointer: "/score", type: "integer", minimum: 0, maximum: 100 },
      { id: "c3", pointer: "/home", type: "country_code", access_control: { end_user: "readwrite", bearer: "readonly", portal_ui: "readwrite" } },
    ],
  },
};

describe("admin API: roles, groups and attributes in tokens, userinfo and the resolver", () => {
  let f: Fixture;
  let key: string;
  before(async () => {
    f = await setup({ config: { user_profile: USER_PROFILE } });
    key = (await createAdminKey(f.server.ctx, "test")).key;
  });
  after(async () => { await f.server.close(); });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${f.server.url}/_api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const userinfo = async (token: string) => (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } })).json();
  const resolverRoles = async (token: string) => (await fetch(`${f.server.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${token}` } })).headers.get("x-authgear-user-roles");

  it("effective roles (direct + through groups) reach userinfo and the resolver at once, and the next tokens", async () => {
    assert.equal((await api("POST", "/roles", { key: "store_manager", name: "Store manager" })).status, 201);
    assert.equal((await api("POST", "/roles", { key: "salesperson" })).status, 201);
    assert.equal((await api("POST", "/roles", { key: "salesperson" })).status, 409);
    for (const bad of ["store-manager", "authgear:admin", "", "9lives"]) assert.equal((await api("POST", "/roles", { key: bad })).status, 400, bad);
    assert.equal((await api("POST", "/groups", { key: "manager" })).status, 201);
    const group = await api("POST", "/groups/manager/roles", { roles: ["store_manager", "salesperson"] });
    assert.deepEqual(group.body.roles, ["salesperson", "store_manager"]);
    assert.equal((await api("POST", "/groups/manager/roles", { roles: ["nope"] })).status, 400);
    assert.equal((await api("POST", "/groups/nope/roles", { roles: ["salesperson"] })).status, 404);

    const tokens = await exchange(f, await loginWithPkce(f));
    assert.deepEqual(decodeJwt(tokens.access_token)!.payload[ROLES], []);
    assert.equal(await resolverRoles(tokens.access_token), null);

    const held = await api("POST", `/users/${f.userId}/groups`, { groups: ["manager"] });
    assert.deepEqual(held.body, { roles: [], groups: ["manager"], effective_roles: ["salesperson", "store_manager"] });
    // The same access token: userinfo and the resolver read the user, so they see it now.
    assert.deepEqual((await userinfo(tokens.access_token))[ROLES], ["salesperson", "store_manager"]);
    assert.equal(await resolverRoles(tokens.access_token), "salesperson,store_manager");
    const refreshed = await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: tokens.refresh_token! });
    const at = refreshed.body.access_token as string;
    assert.deepEqual(decodeJwt(at)!.payload[ROLES], ["salesperson", "store_manager"]);
    assert.deepEqual(decodeJwt(refreshed.body.id_token as string)!.payload[ROLES], ["salesperson", "store_manager"]);

    // Taking a role from the group, renaming one, giving one directly: each shows on the next request.
    await api("DELETE", "/groups/manager/roles/store_manager");
    assert.deepEqual((await userinfo(at))[ROLES], ["salesperson"]);
    assert.equal((await api("PATCH", "/roles/salesperson", { key: "sales" })).status, 200);
    assert.equal(await resolverRoles(at), "sales");
    await api("POST", `/users/${f.userId}/roles`, { roles: ["store_manager"] });
    assert.deepEqual((await api("GET", `/users/${f.userId}/roles`)).body, { roles: ["store_manager"], groups: ["manager"], effective_roles: ["sales", "store_manager"] });
    assert.deepEqual((await api("GET", "/users?role=sales")).body.items.map((u: { id: string }) => u.id), [f.userId]);
    assert.deepEqual((await api("GET", "/users?group=manager")).body.items.map((u: { id: string }) => u.id), [f.userId]);
    assert.equal((await api("DELETE", "/groups/manager")).status, 200);
    assert.equal(await resolverRoles(at), "store_manager");
    await api("DELETE", `/users/${f.userId}/roles/store_manager`);
    assert.equal(await resolverRoles(at), null);
    assert.deepEqual((await api("GET", "/users?role=sales")).body.items, []);
    const audit = await api("GET", `/audit-log?target_id=${f.userId}`);
    assert.ok(audit.body.items.some((e: { action: string }) => e.action === "user_group.add"));
  });

  it("attributes: checked per attribute against user_profile; the bearer reads what it may, per scope", async () => {
    const bad = await api("PATCH", `/users/${f.userId}/attributes`, {
      standard_attributes: { birthdate: "1990-02-30", zoneinfo: "Mars/Base", email: "x@example.com", shoe_size: 9 },
      custom_attributes: { tier: "platinum", score: 101, nope: 1 },
    });
    assert.equal(bad.status, 400);
    for (const part of ["birthdate: must be a real date", "zoneinfo: must be an IANA time zone", "email: comes from the user's login IDs", "shoe_size: not a standard attribute",
      "tier: must be one of gold, silver", "score: must be at most 100", "nope: not a custom attribute"]) assert.ok(bad.body.detail.includes(part), `${part} in ${bad.body.detail}`);
    assert.deepEqual((await api("GET", `/users/${f.userId}/attributes`)).body.custom_attributes, {}, "nothing applied");

    const ok = await api("PATCH", `/users/${f.userId}/attributes`, {
      standard_attributes: { given_name: "Alice", birthdate: "1990-02-28", gender: "female", address: { locality: "Hong Kong", country: "HK" } },
      custom_attributes: { tier: "gold", score: 42, home: "HK" },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.standard_attributes.gender, "female", "the admin API sees hidden ones");
    const tokens = await exchange(f, await loginWithPkce(f, { scope: "openid offline_access email profile" }));
    const info = await userinfo(tokens.access_token);
    assert.equal(info.given_name, "Alice");
    assert.equal(info.birthdate, "1990-02-28");
    assert.equal(info.email, "alice@example.com");
    assert.equal(info.gender, undefined, "bearer: hidden");
    assert.equal(info.address, undefined, "address is hidden by default and needs the address scope");
    assert.deepEqual(info.custom_attributes, { tier: "gold", home: "HK" }, "score is bearer-hidden by default");
    const idToken = decodeJwt(tokens.id_token!)!.payload;
    assert.equal(idToken.given_name, "Alice");
    assert.deepEqual(idToken.custom_attributes, { tier: "gold", home: "HK" });
    // Without the profile scope, no profile claims.
    const narrow = await exchange(f, await loginWithPkce(f, { scope: "openid email" }));
    assert.equal((await userinfo(narrow.access_token)).given_name, undefined);
    // Search by an attribute value; removing it removes it from search.
    assert.deepEqual((await api("GET", "/users?query=alice")).body.items.map((u: { id: string }) => u.id), [f.userId]);
    await api("PATCH", `/users/${f.userId}/attributes`, { standard_attributes: { given_name: null } });
    assert.equal((await userinfo(tokens.access_token)).given_name, undefined);
  });
});
