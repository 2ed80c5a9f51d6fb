// Authgear's resolver contract: the answer is in x-authgear-* response headers. No headers means
// no credential was presented; `x-authgear-session-valid: false` means a dead one.
import type { GatehouseUser } from "../user.ts";

export interface Session extends GatehouseUser {
  authenticatedAt: Date;
}

export class ResolverError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ResolverError";
  }
}

const bool = (v: string | null): boolean => v === "true";
const list = (v: string | null, sep: string): string[] => (v ? v.split(sep).map((s) => s.trim()).filter(Boolean) : []);

/** A live session, or null when the resolver said the credential is absent or invalid. */
export function sessionFromHeaders(headers: Headers): Session | null {
  if (headers.get("x-authgear-session-valid") !== "true") return null;
  const userId = headers.get("x-authgear-user-id");
  const at = Number(headers.get("x-authgear-session-authenticated-at"));
  if (!userId || !Number.isFinite(at) || at <= 0) throw new ResolverError("the resolver said valid but sent no user id or authenticated-at");
  return {
    userId,
    isAnonymous: bool(headers.get("x-authgear-user-anonymous")),
    isVerified: bool(headers.get("x-authgear-user-verified")),
    canReauthenticate: bool(headers.get("x-authgear-user-can-reauthenticate")),
    roles: list(headers.get("x-authgear-user-roles"), ","),
    amr: list(headers.get("x-authgear-session-amr"), " "),
    authenticatedAt: new Date(at * 1000),
  };
}
