// /_resolver/resolve answers with x-authgear-* headers only (Authgear's contract): none without a
// credential, only session-valid=false for a dead one, the full set for a live one.
import type { Caller } from "../session/caller.ts";

export type ResolverHeaders = Record<string, string>;

export const INVALID: ResolverHeaders = { "x-authgear-session-valid": "false" };

export function resolverHeaders(caller: Caller): ResolverHeaders {
  const u = caller.user;
  const headers: ResolverHeaders = {
    "x-authgear-session-valid": "true",
    "x-authgear-user-id": u.id,
    "x-authgear-user-anonymous": String(u.isAnonymous),
    "x-authgear-user-verified": String(u.isVerified),
    "x-authgear-user-can-reauthenticate": String(!u.isAnonymous),
    "x-authgear-session-amr": caller.amr.join(" "),
    "x-authgear-session-authenticated-at": String(caller.authenticatedAt),
  };
  if (u.roles.length > 0) headers["x-authgear-user-roles"] = u.roles.join(",");
  return headers;
}
