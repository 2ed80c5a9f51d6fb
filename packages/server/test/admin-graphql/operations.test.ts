// The operations backends script most, driven by a plain GraphQL client with queries copied from
// Authgear's admin API docs (docs.authgear.com, "Admin API Examples"), on SQLite and PostgreSQL.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { testDatabases } from "../support/databases.ts";
import { exchange, loginWithPkce, EMAIL } from "../oauth/fixture.ts";
import { graphqlServer, userNodeId, type GraphqlFixture } from "./fixture.ts";

const PROFILE = {
  custom_attributes: { attributes: [{ id: "c1", pointer: "/town", type: "string", access_control: { end_user: "readonly", bearer: "readonly", portal_ui: "readwrite" } }] },
};

for (const db of testDatabases()) {
  describe(`admin GraphQL operations (${db.name})`, { skip: db.skip }, () => {
    let f: GraphqlFixture;
    let userId: string;
    before(async () => { f = await graphqlServer({ databaseUrl: db.url, config: { user_profile: PROFILE } }); });
    after(async () => { await f?.close(); await db.drop(); });

    const ok = async (query: string, variables?: Record<string, unknown>) => {
      const res = await f.gql(query, variables);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.errors, undefined, res.text);
      return res.body.data;
    };

    it("createUser, then getUserByLoginID and node find the user (docs' queries)", async () => {
      const created = await ok(`mutation {
  createUser(input: {definition: {loginID: {key: "email", value: "user@gmail.com"}}, password:"my$ecurepa55"}) {
    user{
      id
      standardAttributes
    }
  }
}`);
      const user = created.createUser.user;
      assert.equal(user.standardAttributes.email, "user@gmail.com");
      assert.equal(user.standardAttributes.email_verified, false);
      assert.equal(typeof user.standardAttributes.updated_at, "number");
      userId = Buffer.from(user.id, "base64url").toString().replace(/^User:/, "");
      assert.equal(user.id, userNodeId(userId), "Relay global ID: base64url(User:<id>), no padding");
      assert.doesNotMatch(user.id, /=/);

      const byLoginId = await ok(`query { getUserByLoginID(loginIDKey: "email", loginIDValue: "USER@gmail.com") { id isDisabled loginIDs { type claims } } }`);
      assert.equal(byLoginId.getUserByLoginID.id, user.id, "normalised like sign-in");
      assert.equal(byLoginId.getUserByLoginID.loginIDs[0].type, "LOGIN_ID");
      assert.equal(byLoginId.getUserByLoginID.loginIDs[0].claims["https://authgear.com/claims/login_id/key"], "email");
      assert.equal((await ok(`{ getUserByLoginID(loginIDKey: "email", loginIDValue: "nobody@gmail.com") { id } }`)).getUserByLoginID, null);
      assert.equal((await ok(`{ getUserByOAuth(oauthProviderAlias: "google", oauthProviderUserID: "123") { id } }`)).getUserByOAuth, null);
      const byAttr = await ok(`{ getUsersByStandardAttribute(attributeName: "email", attributeValue: "user@gmail.com") { id } }`);
      assert.deepEqual(byAttr.getUsersByStandardAttribute, [{ id: user.id }]);

      const node = await ok(`query ($id: ID!) { node(id: $id) { id ... on User { createdAt isAnonymous standardAttributes } } }`, { id: user.id });
      assert.equal(node.node.id, user.id);
      assert.equal(node.node.isAnonymous, false);
      const nodes = await ok(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [user.id, userNodeId("00000000-0000-4000-8000-000000000000")] });
      assert.deepEqual(nodes.nodes, [{ id: user.id }, null]);
    });

    it("users(first: 2) pages with after: every edge's cursor continues right after it", async () => {
      for (const name of ["pa", "pb", "pc", "pd", "pe"]) await ok(`mutation { createUser(input: {definition: {loginID: {key: "email", value: "${name}@page.example"}}, password: "long-enough-pw-1"}) { user { id } } }`);
      const all: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await ok(`query ($after: String) { users(first: 2, after: $after) { edges { cursor node { id standardAttributes } } pageInfo { hasNextPage endCursor } } }`, { after })).users;
        all.push(...page.edges.map((e: any) => e.node.standardAttributes.email));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      // By creation, then id (users made within one second follow their ids): every user once.
      assert.deepEqual([...all].sort(), [EMAIL, "pa@page.example", "pb@page.example", "pc@page.example", "pd@page.example", "pe@page.example", "user@gmail.com"]);
      const listed = (await ok(`{ users(first: 10) { edges { node { standardAttributes } } } }`)).users.edges.map((e: any) => e.node.standardAttributes.email);
      assert.deepEqual(all, listed, "pages of 2 give the same order as one page");
      // A middle edge's cursor (not the page's end) continues right after that edge.
      const first3 = (await ok(`{ users(first: 3) { edges { cursor } } }`)).users.edges;
      const next = (await ok(`query ($a: String) { users(first: 2, after: $a) { edges { node { standardAttributes } } } }`, { a: first3[0].cursor })).users.edges;
      assert.deepEqual(next.map((e: any) => e.node.standardAttributes.email), listed.slice(1, 3));
      // searchKeyword is the REST search.
      const found = (await ok(`{ users(first: 10, searchKeyword: "pc@page") { edges { node { standardAttributes } } } }`)).users.edges;
      assert.deepEqual(found.map((e: any) => e.node.standardAttributes.email), ["pc@page.example"]);
    });

    it("updateUser sets the whole attribute set given (docs' example with variables)", async () => {
      const id = userNodeId(userId);
      const std = await ok(`mutation ($standardAttributes: UserStandardAttributes) {
  updateUser(input: {userID: "${id}", standardAttributes: $standardAttributes}) {
    user {
      id
      standardAttributes
    }
  }
}`, { standardAttributes: { family_name: "John", given_name: "Doe", gender: "male" } });
      assert.equal(std.updateUser.user.standardAttributes.family_name, "John");
      assert.equal(std.updateUser.user.standardAttributes.gender, "male");
      const again = await ok(`mutation ($s: UserStandardAttributes) { updateUser(input: {userID: "${id}", standardAttributes: $s}) { user { standardAttributes formattedName } } }`,
        { s: { given_name: "Doe", email: "ignored@x.example" } });
      assert.equal(again.updateUser.user.standardAttributes.family_name, undefined, "omitted attributes are removed, as Authgear does");
      assert.equal(again.updateUser.user.standardAttributes.email, "user@gmail.com", "email comes from the login ID");
      const custom = await ok(`mutation ($customAttributes: UserCustomAttributes) {
  updateUser(input: {userID: "${id}", customAttributes: $customAttributes}) {
    user {
      id
      customAttributes
    }
  }
}`, { customAttributes: { town: "Lagos" } });
      assert.deepEqual(custom.updateUser.user.customAttributes, { town: "Lagos" });
    });

    it("scheduleAccountDeletion and unscheduleAccountDeletion: deleteAt, disabled meanwhile, one row for every API", async () => {
      const id = userNodeId(userId);
      const scheduled = await ok(`mutation { scheduleAccountDeletion(input: {userID: "${id}"}) { user { id isDisabled deleteAt } } }`);
      assert.equal(scheduled.scheduleAccountDeletion.user.isDisabled, true);
      const deleteAt = Date.parse(scheduled.scheduleAccountDeletion.user.deleteAt);
      assert.ok(deleteAt > Date.now() + 29 * 86400_000, "the default grace period is 30 days");
      const again = await f.gql(`mutation { scheduleAccountDeletion(input: {userID: "${id}"}) { user { id } } }`);
      assert.match(again.text, /already scheduled/);
      // The same row the REST admin API, the portal and the sweeper read.
      assert.equal((await f.server.ctx.storage.accountDeletions.get(userId))?.deleteAt, deleteAt / 1000);
      const cancelled = await ok(`mutation { unscheduleAccountDeletion(input: {userID: "${id}"}) { user { isDisabled deleteAt } } }`);
      assert.deepEqual(cancelled.unscheduleAccountDeletion.user, { isDisabled: false, deleteAt: null });
      const none = await f.gql(`mutation { unscheduleAccountDeletion(input: {userID: "${id}"}) { user { id } } }`);
      assert.match(none.text, /not scheduled/);
    });

    it("setDisabledStatus, resetPassword and setVerifiedStatus (docs' mutations)", async () => {
      const id = userNodeId(userId);
      const disabled = await ok(`mutation { setDisabledStatus(input: {userID: "${id}", isDisabled: true, reason: "Test"}) { user { id isDeactivated isDisabled disableReason } } }`);
      assert.deepEqual(disabled.setDisabledStatus.user, { id, isDeactivated: false, isDisabled: true, disableReason: "Test" });
      assert.equal((await ok(`mutation { setDisabledStatus(input: {userID: "${id}", isDisabled: false}) { user { isDisabled } } }`)).setDisabledStatus.user.isDisabled, false);
      const reset = await ok(`mutation { resetPassword(input: {userID: "${id}", password: "n3w-p4$s-long-enough"}) { user { id standardAttributes } } }`);
      assert.equal(reset.resetPassword.user.id, id);
      const verified = await ok(`mutation {
  setVerifiedStatus(input: {userID: "${id}", claimName: "email", claimValue: "user@gmail.com", isVerified: true}) {
    user {
      id
      verifiedClaims {
        name
        value
      }
    }
  }
}`);
      assert.deepEqual(verified.setVerifiedStatus.user.verifiedClaims, [{ name: "email", value: "user@gmail.com" }]);
    });

    it("roles and groups: create, assign, list (docs' queries), effective roles in the user", async () => {
      const role = await ok(`mutation { createRole(input: {key: "test_role", name: "Test role", description: "This is a test role created using the Admin API"}) { role { id } } }`);
      await ok(`mutation { createRole(input: {key: "another_role"}) { role { id } } }`);
      await ok(`mutation { createGroup(input: {key: "test_group", name: "Test group", description: "This is a test group created using the Admin API"}) { group { id } } }`);
      await ok(`mutation { createGroup(input: {key: "another_group"}) { group { id } } }`);
      await ok(`mutation { addRoleToGroups(input: {roleKey: "test_role", groupKeys: ["test_group", "another_group"]}) { role { id } } }`);
      const id = userNodeId(userId);
      const withRoles = await ok(`mutation { addUserToRoles(input: {userID: "${id}", roleKeys: ["another_role"]}) { user { id roles { edges { node { key } } } } } }`);
      assert.deepEqual(withRoles.addUserToRoles.user.roles.edges.map((e: any) => e.node.key), ["another_role"]);
      const inGroup = await ok(`mutation { addUserToGroups(input: {userID: "${id}", groupKeys: ["test_group"]}) { user { groups { edges { node { key } } } effectiveRoles { edges { node { key } } } } } }`);
      assert.deepEqual(inGroup.addUserToGroups.user.groups.edges.map((e: any) => e.node.key), ["test_group"]);
      assert.deepEqual(inGroup.addUserToGroups.user.effectiveRoles.edges.map((e: any) => e.node.key).sort(), ["another_role", "test_role"]);

      const roles = await ok(`query {
  roles(first: 10) {
    edges {
      cursor
      node {
        id
        key
        description
        groups {
          edges{
            node {
              key
            }
          }
        }
      }
    }
  }
}`);
      const testRole = roles.roles.edges.find((e: any) => e.node.key === "test_role").node;
      assert.equal(testRole.id, role.createRole.role.id);
      assert.deepEqual(testRole.groups.edges.map((e: any) => e.node.key).sort(), ["another_group", "test_group"]);
      const groups = await ok(`query { groups(first: 10) { edges { cursor node { id key description } } } }`);
      assert.deepEqual(groups.groups.edges.map((e: any) => e.node.key), ["another_group", "test_group"]);

      const renamed = await ok(`mutation ($id: ID!) { updateRole(input: {id: $id, key: "renamed_role", description: ""}) { role { key description name } } }`, { id: testRole.id });
      assert.deepEqual(renamed.updateRole.role, { key: "renamed_role", description: null, name: "Test role" });
      const holders = await ok(`mutation { addRoleToUsers(input: {roleKey: "renamed_role", userIDs: ["${id}"]}) { role { users { edges { node { id } } } } } }`);
      assert.deepEqual(holders.addRoleToUsers.role.users.edges.map((e: any) => e.node.id), [id]);
      assert.deepEqual((await ok(`mutation ($id: ID!) { deleteRole(input: {id: $id}) { ok } }`, { id: testRole.id })).deleteRole, { ok: true });
      assert.equal((await ok(`query ($id: ID!) { node(id: $id) { id } }`, { id: testRole.id })).node, null);
    });

    it("sessions: lists them, revokeSession ends one, revokeAllSessions the rest; the resolver sees it", async () => {
      const a = await exchange(f.oauth, await loginWithPkce(f.oauth));
      await exchange(f.oauth, await loginWithPkce(f.oauth));
      const id = userNodeId(f.oauth.userId);
      const sessions = (await ok(`query ($id: ID!) { node(id: $id) { ... on User { sessions { totalCount edges { node { id type clientID amr } } } } } }`, { id })).node.sessions;
      assert.ok(sessions.totalCount >= 2);
      const grant = sessions.edges.find((e: any) => e.node.type === "OFFLINE_GRANT").node;
      assert.equal(grant.clientID, "test-spa");
      const revoked = await ok(`mutation { revokeSession(input: {sessionID: "${grant.id}"}) { user { id sessions { totalCount } } } }`);
      assert.equal(revoked.revokeSession.user.sessions.totalCount, sessions.totalCount - 1);
      await ok(`mutation { revokeAllSessions(input: {userID: "${id}"}) { user { id standardAttributes } } }`);
      assert.equal((await ok(`query ($id: ID!) { node(id: $id) { ... on User { sessions { totalCount } } } }`, { id })).node.sessions.totalCount, 0);
      const resolved = await fetch(`${f.server.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${a.access_token}` } });
      assert.equal(resolved.headers.get("x-authgear-session-valid"), "false");
    });

    it("auditLogs (docs' query) shows operators' actions as Authgear's activity types, filtered by user", async () => {
      const logs = await ok(`query {
  auditLogs(first: 4) {
    edges {
      node {
        id
        activityType
        createdAt
      }
    }
  }
}`);
      assert.equal(logs.auditLogs.edges.length, 4);
      const first = logs.auditLogs.edges[0].node;
      const again = await ok(`query ($id: ID!) { node(id: $id) { id ... on AuditLog { id activityType createdAt } } }`, { id: first.id });
      assert.deepEqual(again.node, first);
      const created = await ok(`query ($u: [ID!]) { auditLogs(first: 50, userIDs: $u, activityTypes: [ADMIN_API_MUTATION_CREATE_USER_EXECUTED]) { edges { node { activityType user { id } data } } } }`,
        { u: [userNodeId(userId)] });
      assert.equal(created.auditLogs.edges.length, 1);
      assert.equal(created.auditLogs.edges[0].node.user.id, userNodeId(userId));
      assert.equal(created.auditLogs.edges[0].node.data.action, "user.create");
    });

    it("createIdentity adds a login ID, deleteIdentity removes it (docs' mutations); REST sees both", async () => {
      const id = userNodeId(userId);
      const added = await ok(`mutation {
  createIdentity(input: {userID: "${id}", definition: {loginID: {key: "email", value: "second@gmail.com"}}, password: "@x1ujD-9$-long"}) {
    identity {
      id
      claims
    }
  }
}`);
      const identity = added.createIdentity.identity;
      assert.equal(identity.claims.email, "second@gmail.com");
      assert.equal(identity.claims["https://authgear.com/claims/login_id/original_value"], "second@gmail.com");
      const key = (await import("../../src/admin/keys.ts")).createAdminKey;
      const restKey = (await key(f.server.ctx, "rest")).key;
      const restIdentities = async () => (await (await fetch(`${f.server.url}/_api/admin/users/${userId}/identities`, { headers: { authorization: `Bearer ${restKey}` } })).json()).items.map((i: any) => i.login_id);
      assert.deepEqual((await restIdentities()).sort(), ["second@gmail.com", "user@gmail.com"]);
      const removed = await ok(`mutation {
  deleteIdentity(
    input: {identityID: "${identity.id}"}) {
    user {
      identities {
        edges {
          node {
            id
          }
        }
      }
    }
  }
}`);
      assert.equal(removed.deleteIdentity.user.identities.edges.length, 1);
      assert.deepEqual(await restIdentities(), ["user@gmail.com"]);
      const last = removed.deleteIdentity.user.identities.edges[0].node.id;
      const refused = await f.gql(`mutation { deleteIdentity(input: {identityID: "${last}"}) { user { id } } }`);
      assert.equal(refused.body.errors[0].extensions.errorName, "Invalid", "never the user's last identity");
    });

    it("deleteUser answers the deleted ID; the user is gone (docs' mutation)", async () => {
      const id = userNodeId(userId);
      assert.deepEqual((await ok(`mutation { deleteUser(input: { userID: "${id}"}) { deletedUserID } }`)).deleteUser, { deletedUserID: id });
      assert.equal((await ok(`query ($id: ID!) { node(id: $id) { id } }`, { id })).node, null);
    });
  });
}
