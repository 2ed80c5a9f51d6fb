// Validation before execution: fields of Authgear's schema that Gatehouse does not serve are named
// as such (not just "cannot query field"), and a query's depth and aliases are bounded so one
// request cannot fan out into unbounded work.
import { GraphQLError, Kind, isObjectType, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from "graphql";
import { notSupported } from "./errors.ts";

/** Authgear's fields (portal/src/graphql/adminapi/schema.graphql) that the SDL here leaves out. */
const UNSUPPORTED: Record<string, readonly string[]> = {
  Query: ["resources", "resource", "scopes"],
  Mutation: [
    "anonymizeUser", "createAuthenticator", "createSession", "deleteAuthenticator", "deleteAuthorization", "generateOOBOTPCode", "scheduleAccountAnonymization", "sendResetPasswordMessage",
    "unscheduleAccountAnonymization", "updateIdentity", "setPasswordExpired", "createResource",
    "updateResource", "deleteResource", "addResourceToClientID", "removeResourceFromClientID", "createScope", "updateScope", "deleteScope",
  ],
  User: [
    "authorizations", "biometricRegistrations", "primaryOOBOTPEmailAuthenticator", "primaryOOBOTPSMSAuthenticator",
    "secondaryOOBOTPEmailAuthenticators", "secondaryOOBOTPSMSAuthenticators", "secondaryPassword", "web3",
  ],
};

export function unsupportedFieldsRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const parent = context.getParentType();
      if (!parent || !isObjectType(parent) || parent.getFields()[node.name.value]) return;
      if (UNSUPPORTED[parent.name]?.includes(node.name.value)) {
        const err = notSupported(`${parent.name}.${node.name.value}`);
        context.reportError(new GraphQLError(err.message, { nodes: [node], extensions: err.extensions }));
      }
    },
  };
}

export const MAX_DEPTH = 12;
export const MAX_ALIASES = 30;

/** Depth (introspection's `__schema`/`__type` subtrees not counted) and the number of aliases. */
export function limitsRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let aliases = 0;
  const depthOf = (set: SelectionSetNode, seen: Set<string>): number => {
    let deepest = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.alias) aliases++;
        if (s.selectionSet && !s.name.value.startsWith("__")) deepest = Math.max(deepest, 1 + depthOf(s.selectionSet, seen));
        else deepest = Math.max(deepest, 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(s.selectionSet, seen));
      } else {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) deepest = Math.max(deepest, depthOf(f.selectionSet, new Set([...seen, f.name.value])));
      }
    }
    return deepest;
  };
  return {
    OperationDefinition(op) {
      aliases = 0;
      const depth = depthOf(op.selectionSet, new Set());
      if (depth > MAX_DEPTH) context.reportError(new GraphQLError(`the query is ${depth} levels deep; at most ${MAX_DEPTH} are allowed`, { nodes: [op], extensions: { errorName: "BadRequest", reason: "QueryTooDeep" } }));
      if (aliases > MAX_ALIASES) context.reportError(new GraphQLError(`the query has ${aliases} aliases; at most ${MAX_ALIASES} are allowed`, { nodes: [op], extensions: { errorName: "BadRequest", reason: "TooManyAliases" } }));
    },
  };
}
