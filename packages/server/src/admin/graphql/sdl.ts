// The part of Authgear's admin API schema (portal/src/graphql/adminapi/schema.graphql) that Gatehouse
// serves: the same type, field and argument names, so queries written for Authgear run unchanged.
// Resolvers are ours (queries.ts, mutations.ts, present.ts); fields of Authgear's schema left out
// here are named as unsupported by unsupported.ts.
import { ACTIVITY_TYPES } from "./audit-types.ts";

export const SDL = /* GraphQL */ `
scalar DateTime
scalar UserStandardAttributes
scalar UserCustomAttributes
scalar IdentityClaims
scalar AuthenticatorClaims
scalar AuditLogData

interface Node { id: ID! }
interface Entity { id: ID! createdAt: DateTime! updatedAt: DateTime! }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

enum SortDirection { ASC DESC }
enum UserSortBy { CREATED_AT LAST_LOGIN_AT }
enum IdentityType { ANONYMOUS BIOMETRIC LOGIN_ID OAUTH PASSKEY SIWE }
enum AuthenticatorKind { PRIMARY SECONDARY }
enum AuthenticatorType { OOB_OTP_EMAIL OOB_OTP_SMS PASSKEY PASSWORD TOTP }
enum SessionType { IDP OFFLINE_GRANT }

type Claim { name: String! value: String! }

type User implements Entity & Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime!
  lastLoginAt: DateTime
  isAnonymous: Boolean!
  isAnonymized: Boolean!
  isDisabled: Boolean!
  isDeactivated: Boolean!
  disableReason: String
  deleteAt: DateTime
  anonymizeAt: DateTime
  standardAttributes: UserStandardAttributes!
  customAttributes: UserCustomAttributes!
  formattedName: String
  endUserAccountID: String
  verifiedClaims: [Claim!]!
  identities(after: String, before: String, first: Int, identityType: IdentityType, last: Int): IdentityConnection
  loginIDs: [Identity!]!
  oauthConnections: [Identity!]!
  passkeys: [Identity!]!
  authenticators(after: String, authenticatorKind: AuthenticatorKind, authenticatorType: AuthenticatorType, before: String, first: Int, last: Int): AuthenticatorConnection
  primaryPassword: Authenticator
  secondaryTOTPAuthenticators: [Authenticator!]!
  sessions(after: String, before: String, first: Int, last: Int): SessionConnection
  roles(after: String, before: String, first: Int, last: Int): RoleConnection
  groups(after: String, before: String, first: Int, last: Int): GroupConnection
  effectiveRoles(after: String, before: String, first: Int, last: Int): RoleConnection
}
type UserEdge { cursor: String! node: User }
type UserConnection { edges: [UserEdge] pageInfo: PageInfo! totalCount: Int }

type Identity implements Entity & Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime!
  type: IdentityType!
  claims(names: [String!]): IdentityClaims!
}
type IdentityEdge { cursor: String! node: Identity }
type IdentityConnection { edges: [IdentityEdge] pageInfo: PageInfo! totalCount: Int }

type Authenticator implements Entity & Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime!
  type: AuthenticatorType!
  kind: AuthenticatorKind!
  isDefault: Boolean!
  claims(names: [String!]): AuthenticatorClaims!
}
type AuthenticatorEdge { cursor: String! node: Authenticator }
type AuthenticatorConnection { edges: [AuthenticatorEdge] pageInfo: PageInfo! totalCount: Int }

type Session implements Entity & Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime!
  type: SessionType!
  acr: String!
  amr: [String!]!
  clientID: String
  createdByIP: String!
  lastAccessedAt: DateTime!
  lastAccessedByIP: String!
  displayName: String!
  userAgent: String
}
type SessionEdge { cursor: String! node: Session }
type SessionConnection { edges: [SessionEdge] pageInfo: PageInfo! totalCount: Int }

type Role implements Entity & Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime!
  key: String!
  name: String
  description: String
  groups(after: String, before: String, first: Int, last: Int): GroupConnection
  users(after: String, before: String, first: Int, last: Int): UserConnection
}
type RoleEdge { cursor: String! node: Role }
type RoleConnection { edges: [RoleEdge] pageInfo: PageInfo! totalCount: Int }

type Group implements Entity & Node {
  id: ID!
  createdAt: DateTime!
  updatedAt: DateTime!
  key: String!
  name: String
  description: String
  roles(after: String, before: String, first: Int, last: Int): RoleConnection
  users(after: String, before: String, first: Int, last: Int): UserConnection
}
type GroupEdge { cursor: String! node: Group }
type GroupConnection { edges: [GroupEdge] pageInfo: PageInfo! totalCount: Int }

enum AuditLogActivityType {
  ${ACTIVITY_TYPES.join("\n  ")}
}
type AuditLog implements Node {
  id: ID!
  activityType: AuditLogActivityType!
  createdAt: DateTime!
  clientID: String
  ipAddress: String
  userAgent: String
  user: User
  data: AuditLogData
}
type AuditLogEdge { cursor: String! node: AuditLog }
type AuditLogConnection { edges: [AuditLogEdge] pageInfo: PageInfo! totalCount: Int }

type Query {
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  users(after: String, before: String, first: Int, groupKeys: [String!], last: Int, roleKeys: [String!], searchKeyword: String, sortBy: UserSortBy, sortDirection: SortDirection): UserConnection
  getUserByLoginID(loginIDKey: String!, loginIDValue: String!): User
  getUserByOAuth(oauthProviderAlias: String!, oauthProviderUserID: String!): User
  getUsersByStandardAttribute(attributeName: String!, attributeValue: String!): [User!]!
  roles(after: String, before: String, excludedIDs: [ID!], first: Int, last: Int, searchKeyword: String): RoleConnection
  groups(after: String, before: String, excludedIDs: [ID!], first: Int, last: Int, searchKeyword: String): GroupConnection
  auditLogs(activityTypes: [AuditLogActivityType!], after: String, before: String, first: Int, last: Int, rangeFrom: DateTime, rangeTo: DateTime, sortDirection: SortDirection, userIDs: [ID!]): AuditLogConnection
}

input IdentityDefinitionLoginID { key: String! value: String! }
input IdentityDefinition { loginID: IdentityDefinitionLoginID }
input CreateUserInput { definition: IdentityDefinition! password: String }
type CreateUserPayload { user: User! }
input UpdateUserInput { userID: ID! standardAttributes: UserStandardAttributes customAttributes: UserCustomAttributes }
type UpdateUserPayload { user: User! }
input DeleteUserInput { userID: ID! }
type DeleteUserPayload { deletedUserID: ID! }
input ScheduleAccountDeletionInput { userID: ID! }
type ScheduleAccountDeletionPayload { user: User! }
input UnscheduleAccountDeletionInput { userID: ID! }
type UnscheduleAccountDeletionPayload { user: User! }
input SetDisabledStatusInput { userID: ID! isDisabled: Boolean! reason: String }
type SetDisabledStatusPayload { user: User! }
input ResetPasswordInput { userID: ID! password: String! sendPassword: Boolean setPasswordExpired: Boolean }
type ResetPasswordPayload { user: User! }
input SetVerifiedStatusInput { userID: ID! claimName: String! claimValue: String! isVerified: Boolean! }
type SetVerifiedStatusPayload { user: User! }
input RevokeSessionInput { sessionID: ID! }
type RevokeSessionPayload { user: User! }
input RevokeAllSessionsInput { userID: ID! }
type RevokeAllSessionsPayload { user: User! }

input CreateIdentityInput { userID: ID! definition: IdentityDefinition! password: String }
type CreateIdentityPayload { identity: Identity! user: User! }
input DeleteIdentityInput { identityID: ID! }
type DeleteIdentityPayload { user: User! }

input CreateRoleInput { key: String! name: String description: String }
type CreateRolePayload { role: Role! }
input UpdateRoleInput { id: ID! key: String name: String description: String }
type UpdateRolePayload { role: Role! }
input DeleteRoleInput { id: ID! }
type DeleteRolePayload { ok: Boolean }
input CreateGroupInput { key: String! name: String description: String }
type CreateGroupPayload { group: Group! }
input UpdateGroupInput { id: ID! key: String name: String description: String }
type UpdateGroupPayload { group: Group! }
input DeleteGroupInput { id: ID! }
type DeleteGroupPayload { ok: Boolean }

input AddRoleToUsersInput { roleKey: String! userIDs: [ID!] }
type AddRoleToUsersPayload { role: Role! }
input RemoveRoleFromUsersInput { roleKey: String! userIDs: [ID!] }
type RemoveRoleFromUsersPayload { role: Role! }
input AddUserToRolesInput { userID: ID! roleKeys: [String!] }
type AddUserToRolesPayload { user: User! }
input RemoveUserFromRolesInput { userID: ID! roleKeys: [String!] }
type RemoveUserFromRolesPayload { user: User! }
input AddUserToGroupsInput { userID: ID! groupKeys: [String!] }
type AddUserToGroupsPayload { user: User! }
input RemoveUserFromGroupsInput { userID: ID! groupKeys: [String!] }
type RemoveUserFromGroupsPayload { user: User! }
input AddGroupToUsersInput { groupKey: String! userIDs: [ID!] }
type AddGroupToUsersPayload { group: Group! }
input RemoveGroupFromUsersInput { groupKey: String! userIDs: [ID!] }
type RemoveGroupToUsersPayload { group: Group! }
input AddRoleToGroupsInput { roleKey: String! groupKeys: [String!]! }
type AddRoleToGroupsPayload { role: Role! }
input RemoveRoleFromGroupsInput { roleKey: String! groupKeys: [String!]! }
type RemoveRoleFromGroupsPayload { role: Role! }
input AddGroupToRolesInput { groupKey: String! roleKeys: [String!]! }
type AddGroupToRolesPayload { group: Group! }
input RemoveGroupFromRolesInput { groupKey: String! roleKeys: [String!]! }
type RemoveGroupFromRolesPayload { group: Group! }

type Mutation {
  createUser(input: CreateUserInput!): CreateUserPayload!
  updateUser(input: UpdateUserInput!): UpdateUserPayload!
  deleteUser(input: DeleteUserInput!): DeleteUserPayload!
  setDisabledStatus(input: SetDisabledStatusInput!): SetDisabledStatusPayload!
  scheduleAccountDeletion(input: ScheduleAccountDeletionInput!): ScheduleAccountDeletionPayload!
  unscheduleAccountDeletion(input: UnscheduleAccountDeletionInput!): UnscheduleAccountDeletionPayload!
  resetPassword(input: ResetPasswordInput!): ResetPasswordPayload!
  setVerifiedStatus(input: SetVerifiedStatusInput!): SetVerifiedStatusPayload!
  revokeSession(input: RevokeSessionInput!): RevokeSessionPayload!
  revokeAllSessions(input: RevokeAllSessionsInput!): RevokeAllSessionsPayload!
  createIdentity(input: CreateIdentityInput!): CreateIdentityPayload!
  deleteIdentity(input: DeleteIdentityInput!): DeleteIdentityPayload!
  createRole(input: CreateRoleInput!): CreateRolePayload!
  updateRole(input: UpdateRoleInput!): UpdateRolePayload!
  deleteRole(input: DeleteRoleInput!): DeleteRolePayload!
  createGroup(input: CreateGroupInput!): CreateGroupPayload!
  updateGroup(input: UpdateGroupInput!): UpdateGroupPayload!
  deleteGroup(input: DeleteGroupInput!): DeleteGroupPayload!
  addRoleToUsers(input: AddRoleToUsersInput!): AddRoleToUsersPayload!
  removeRoleFromUsers(input: RemoveRoleFromUsersInput!): RemoveRoleFromUsersPayload!
  addUserToRoles(input: AddUserToRolesInput!): AddUserToRolesPayload!
  removeUserFromRoles(input: RemoveUserFromRolesInput!): RemoveUserFromRolesPayload!
  addUserToGroups(input: AddUserToGroupsInput!): AddUserToGroupsPayload!
  removeUserFromGroups(input: RemoveUserFromGroupsInput!): RemoveUserFromGroupsPayload!
  addGroupToUsers(input: AddGroupToUsersInput!): AddGroupToUsersPayload!
  removeGroupFromUsers(input: RemoveGroupFromUsersInput!): RemoveGroupToUsersPayload!
  addRoleToGroups(input: AddRoleToGroupsInput!): AddRoleToGroupsPayload!
  removeRoleFromGroups(input: RemoveRoleFromGroupsInput!): RemoveRoleFromGroupsPayload!
  addGroupToRoles(input: AddGroupToRolesInput!): AddGroupToRolesPayload!
  removeGroupFromRoles(input: RemoveGroupFromRolesInput!): RemoveGroupFromRolesPayload!
}
`;
