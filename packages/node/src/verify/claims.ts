// Access-token claims (RFC 9068 §2.2, Authgear's https://authgear.com/claims/user/* claims) mapped
// onto typed, friendly fields. The raw payload stays available for anything not named here.
import type { JWTPayload } from "jose";
import type { GatehouseUser } from "../user.ts";
import { TokenVerificationError } from "./errors.ts";

const USER_CLAIM = "https://authgear.com/claims/user/";

export interface AccessTokenClaims {
  /** `sub` */
  userId: string;
  issuer: string;
  audience: string[];
  /** `client_id`: the app the token was issued to. */
  clientId: string | null;
  /** `scope`, split on spaces. */
  scopes: string[];
  /** `sid`: the refresh-token grant or IdP session that keeps this token alive (Gatehouse). */
  sessionId: string | null;
  /** `jti` */
  tokenId: string | null;
  issuedAt: Date;
  expiresAt: Date;
  /** `auth_time` */
  authTime: Date | null;
  amr: string[];
  isAnonymous: boolean;
  isVerified: boolean;
  canReauthenticate: boolean;
  roles: string[];
  /** The whole payload, for claims this type does not name. */
  raw: JWTPayload;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
// Fail closed: a flag that is absent or not a boolean counts as false.
const flag = (v: unknown): boolean => v === true;
const date = (v: unknown): Date | null => (typeof v === "number" && Number.isFinite(v) ? new Date(v * 1000) : null);

/** Maps a payload whose signature and registered claims were already checked. */
export function toAccessTokenClaims(payload: JWTPayload): AccessTokenClaims {
  const userId = str(payload.sub);
  const issuedAt = date(payload.iat);
  const expiresAt = date(payload.exp);
  if (!userId || !issuedAt || !expiresAt) throw new TokenVerificationError("missing_claim", "the access token lacks sub, iat or exp");
  const scope = str(payload.scope);
  return {
    userId,
    issuer: str(payload.iss) ?? "",
    audience: typeof payload.aud === "string" ? [payload.aud] : strings(payload.aud),
    clientId: str(payload.client_id),
    scopes: scope ? scope.split(" ").filter(Boolean) : [],
    sessionId: str(payload.sid),
    tokenId: str(payload.jti),
    issuedAt,
    expiresAt,
    authTime: date(payload.auth_time),
    amr: strings(payload.amr),
    isAnonymous: flag(payload[`${USER_CLAIM}is_anonymous`]),
    isVerified: flag(payload[`${USER_CLAIM}is_verified`]),
    canReauthenticate: flag(payload[`${USER_CLAIM}can_reauthenticate`]),
    roles: strings(payload[`${USER_CLAIM}roles`]),
    raw: payload,
  };
}

export function userFromClaims(claims: AccessTokenClaims): GatehouseUser {
  return {
    userId: claims.userId,
    isAnonymous: claims.isAnonymous,
    isVerified: claims.isVerified,
    canReauthenticate: claims.canReauthenticate,
    roles: claims.roles,
    amr: claims.amr,
    authenticatedAt: claims.authTime,
  };
}
