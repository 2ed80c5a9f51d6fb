// Bad requests get GraphQL errors (400 when nothing ran, Authgear's errorName/reason when an
// operation refused), unsupported parts of Authgear's API are named, and REST and GraphQL agree:
// what one writes the other reads.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAdminKey } from "../../src/admin/keys.ts";
import { graphqlServer, userNodeId, type GraphqlFixture } from "./fixture.ts";
import { EMAIL } from "../oauth/fixture.ts";

describe("admin GraphQL: errors, limits and agreement with REST", () => {
  let f: GraphqlFixture;
  let rest: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
  before(async () => {
    f = await graphqlServer();
    const { key } = await createAdminKey(f.server.ctx, "rest");
    rest = async (method, path, body) => {
      const res = await fetch(`${f.server.url}/_api/admin${path}`, {
        method, headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.json() };
    };
  });
  after(async () => { await f.close(); });

  const raw = async (body: string, contentType = "application/json") => {
    const { adminJwt } = await import("./fixture.ts");
    const res = await fetch(`${f.server.url}/_api/admin/graphql`, {
      method: "POST", headers: { "content-type": contentType, authorization: `Bearer ${await adminJwt(f.keys.privateKey)}` }, body,
    });
    return { status: res.status, text: await res.text() };
  };

  it("names the parts of Authgear's API Gatehouse does not offer", async () => {
    for (const [query, name] of [
      [`mutation { anonymizeUser(input: {userID: "x"}) { user { id } } }`, "Mutation.anonymizeUser"],
      [`mutation { updateIdentity(input: {}) { identity { id } } }`, "Mutation.updateIdentity"],
      [`{ users { edges { node { id web3 } } } }`, "User.web3"],
    ]) {
      const res = await f.gql(query);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.errors[0].message, `${name} is part of Authgear's admin API but is not supported by Gatehouse`);
      assert.equal(res.body.errors[0].extensions.reason, "NotSupported");
    }
    const reset = await f.gql(`mutation { resetPassword(input: {userID: "${userNodeId(f.oauth.userId)}", password: "x-long-password-1", sendPassword: true}) { user { id } } }`);
    assert.equal(reset.status, 200);
    assert.match(reset.body.errors[0].message, /resetPassword\(sendPassword, setPasswordExpired\) is part of Authgear's admin API but is not supported/);
    const unknown = await f.gql(`{ nothingLikeThis }`);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.errors[0].message, /Cannot query field "nothingLikeThis" on type "Query"/);
  });

  it("answers malformed, oversized, too deep and alias-heavy queries with 400 and GraphQL errors", async () => {
    for (const body of ["not json", "[]", '{"query": 1}', '{"query": "{ users { edges { node { id } } } }", "variables": [1]}']) {
      const res = await raw(body);
      assert.equal(res.status, 400, body);
      assert.equal(JSON.parse(res.text).errors[0].extensions.errorName, "BadRequest", body);
    }
    assert.equal((await f.gql("{ users { ")).status, 400);
    const deep = `{ users { edges { node { roles { edges { node { users { edges { node { groups { edges { node { users { edges { node { id } } } } } } } } } } } } } } } }`;
    const tooDeep = await f.gql(deep);
    assert.equal(tooDeep.status, 400);
    assert.equal(tooDeep.body.errors[0].extensions.reason, "QueryTooDeep");
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: users(first: 1) { totalCount }`).join(" ")} }`;
    assert.equal((await f.gql(aliases)).body.errors[0].extensions.reason, "TooManyAliases");
    const long = await f.gql(`{ users { edges { node { id } } } } # ${"x".repeat(40_000)}`);
    assert.equal(long.status, 400);
    const manyTokens = await f.gql(`{ ${"a ".repeat(5100)} }`);
    assert.equal(manyTokens.status, 400);
    assert.match(manyTokens.body.errors[0].message, /more that 5000 tokens/);
    // A variable of the wrong type: refused before anything runs.
    const badVar = await f.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: { nested: true } });
    assert.equal(badVar.status, 400);
    // The standard introspection query is allowed (GraphiQL, codegen).
    const { getIntrospectionQuery } = await import("graphql");
    const intro = await f.gql(getIntrospectionQuery());
    assert.equal(intro.status, 200, intro.text.slice(0, 300));
    assert.ok(intro.body.data.__schema.types.some((t: any) => t.name === "User"));
  });

  it("refuses bad input with Authgear's errorName and reason, changing nothing", async () => {
    const before = (await rest("GET", "/users?limit=200")).body.items.length;
    const weak = await f.gql(`mutation { createUser(input: {definition: {loginID: {key: "email", value: "weak@example.com"}}, password: "short"}) { user { id } } }`);
    assert.equal(weak.status, 200);
    assert.deepEqual(weak.body.errors[0].extensions.errorName, "Invalid");
    assert.equal(weak.body.errors[0].extensions.reason, "PasswordPolicyViolated");
    assert.equal(weak.body.data, null);
    const dup = await f.gql(`mutation { createUser(input: {definition: {loginID: {key: "email", value: "${EMAIL.toUpperCase()}"}}, password: "long-enough-pw-1"}) { user { id } } }`);
    assert.deepEqual([dup.body.errors[0].extensions.errorName, dup.body.errors[0].extensions.reason], ["AlreadyExists", "DuplicatedIdentity"]);
    const missing = await f.gql(`mutation { deleteUser(input: {userID: "${userNodeId("00000000-0000-4000-8000-000000000000")}"}) { deletedUserID } }`);
    assert.deepEqual([missing.body.errors[0].extensions.errorName, missing.body.errors[0].extensions.reason], ["NotFound", "UserNotFound"]);
    const wrongType = await f.gql(`mutation { deleteUser(input: {userID: "${Buffer.from("Role:1").toString("base64url")}"}) { deletedUserID } }`);
    assert.equal(wrongType.body.errors[0].message, "invalid user ID");
    const badKey = await f.gql(`mutation { createRole(input: {key: "Bad Key!"}) { role { id } } }`);
    assert.equal(badKey.body.errors[0].extensions.errorName, "Invalid");
    const hostileReason = await f.gql(`mutation ($r: String) { setDisabledStatus(input: {userID: "${userNodeId(f.oauth.userId)}", isDisabled: true, reason: $r}) { user { isDisabled } } }`, { r: "a\u0000b" });
    assert.equal(hostileReason.body.errors[0].extensions.errorName, "Invalid", "the REST schema's text rules apply");
    assert.equal((await rest("GET", `/users/${f.oauth.userId}`)).body.is_disabled, false);
    const badCursor = await f.gql(`{ users(first: 1, after: "garbage") { edges { cursor } } }`);
    assert.equal(badCursor.body.errors[0].extensions.errorName, "Invalid");
    assert.equal((await f.gql(`{ users(first: 1000) { totalCount } }`)).body.errors[0].extensions.errorName, "Invalid");
    assert.equal((await rest("GET", "/users?limit=200")).body.items.length, before, "nothing was created");
  });

  it("REST and GraphQL agree: created by one, read and changed by the other", async () => {
    const viaRest = await rest("POST", "/users", { email: "rest@example.com", password: "long-enough-pw-1", verified: true });
    assert.equal(viaRest.status, 201);
    const read = await f.gql(`{ getUserByLoginID(loginIDKey: "email", loginIDValue: "rest@example.com") { id isDisabled verifiedClaims { name value } createdAt } }`);
    assert.equal(read.body.data.getUserByLoginID.id, userNodeId(viaRest.body.id));
    assert.equal(read.body.data.getUserByLoginID.createdAt, viaRest.body.created_at);
    assert.deepEqual(read.body.data.getUserByLoginID.verifiedClaims, [{ name: "email", value: "rest@example.com" }]);

    const viaGql = await f.gql(`mutation { createUser(input: {definition: {loginID: {key: "email", value: "gql@example.com"}}, password: "long-enough-pw-1"}) { user { id createdAt } } }`);
    const id = Buffer.from(viaGql.body.data.createUser.user.id, "base64url").toString().slice("User:".length);
    const got = await rest("GET", `/users/${id}`);
    assert.equal(got.body.email, "gql@example.com");
    assert.equal(got.body.created_at, viaGql.body.data.createUser.user.createdAt);
    await f.gql(`mutation { setDisabledStatus(input: {userID: "${userNodeId(id)}", isDisabled: true, reason: "via graphql"}) { user { id } } }`);
    assert.deepEqual([(await rest("GET", `/users/${id}`)).body.is_disabled, (await rest("GET", `/users/${id}`)).body.disable_reason], [true, "via graphql"]);
    await rest("POST", "/roles", { key: "from_rest" });
    await rest("POST", `/users/${id}/roles`, { roles: ["from_rest"] });
    const roles = await f.gql(`query ($id: ID!) { node(id: $id) { ... on User { roles { edges { node { key } } } } } }`, { id: userNodeId(id) });
    assert.deepEqual(roles.body.data.node.roles.edges, [{ node: { key: "from_rest" } }]);
    // The audit log records both, under the actor each came as.
    const log = (await rest("GET", `/audit-log?user_id=${id}`)).body.items.map((e: any) => [e.action, e.actor.split(":")[0]]);
    assert.deepEqual(log.reverse().slice(0, 3), [["user.create", "admin_api_jwt"], ["user.disable", "admin_api_jwt"], ["user_role.add", "key"]]);
  });
});
