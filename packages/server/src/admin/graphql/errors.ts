// Errors as Authgear's admin API sends them: a GraphQL error whose extensions carry `errorName`
// (Authgear's apierrors kind: Invalid, NotFound, AlreadyExists…), `reason` and sometimes `info`.
// Operations throw AdminError (../errors.ts); this is the one place that turns them into Authgear's.
import { GraphQLError } from "graphql";
import { AdminError } from "../errors.ts";

export type ErrorName = "BadRequest" | "Invalid" | "NotFound" | "AlreadyExists" | "Forbidden" | "TooManyRequest" | "InternalError";

export function apiError(errorName: ErrorName, reason: string, message: string, info?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { errorName, reason, ...(info ? { info } : {}) } });
}

export const invalid = (message: string, info?: Record<string, unknown>): GraphQLError => apiError("Invalid", "ValidationFailed", message, info);

/** A field of Authgear's admin API that Gatehouse does not offer: said by name, never silently ignored. */
export const notSupported = (what: string): GraphQLError =>
  apiError("BadRequest", "NotSupported", `${what} is part of Authgear's admin API but is not supported by Gatehouse`);

const capitalised = (s: string): string => s.replace(/(^|[\s_])(\w)/g, (_m, _p, c: string) => c.toUpperCase());

/** An operation's AdminError in Authgear's terms; anything else is left to graphql-js (logged, masked). */
export function toGraphQLError(err: unknown): unknown {
  if (!(err instanceof AdminError)) return err;
  const causes = err.errors?.map((e) => ({ field: e.field, kind: e.code, message: e.message }));
  switch (err.code) {
    case "GH_ADMIN_NOT_FOUND": {
      // "user not found" → UserNotFound, as Authgear names its reasons.
      const what = err.detail.replace(/ not found$/, "");
      return apiError("NotFound", `${capitalised(what).replace(/\s/g, "")}NotFound`, err.detail);
    }
    case "GH_ADMIN_CONFLICT": {
      const duplicatedIdentity = err.errors?.some((e) => e.code === "login_id_taken" || e.code === "email_taken") || /another user has/.test(err.detail);
      const reason = duplicatedIdentity ? "DuplicatedIdentity" : /^a role /.test(err.detail) ? "RoleDuplicateKey" : /^a group /.test(err.detail) ? "GroupDuplicateKey" : "Conflict";
      return apiError(duplicatedIdentity ? "AlreadyExists" : "Invalid", reason, err.detail);
    }
    case "GH_ADMIN_INVALID_REQUEST": {
      const password = err.errors?.some((e) => e.code === "password_policy");
      return apiError("Invalid", password ? "PasswordPolicyViolated" : "ValidationFailed", err.detail, causes ? { causes } : undefined);
    }
    case "GH_ADMIN_RATE_LIMITED":
      return apiError("TooManyRequest", "RateLimited", err.detail);
    default:
      return apiError("InternalError", "UnexpectedError", "internal error");
  }
}
