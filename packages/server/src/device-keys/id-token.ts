// An ID token we signed, as Authgear's IDTokenIssuer.VerifyIDToken reads one: the signature with one
// of our published keys and our issuer; not its `aud` (device SSO shares one ID token between
// clients) nor its `exp` (apps keep the last ID token and present it later).
import type { Context } from "../context.ts";
import { decodeJwt, verifyRs256 } from "../crypto/jwt.ts";
import { decodeSid, type SessionRef } from "../tokens/sid.ts";

export function verifyOwnIdToken(ctx: Context, token: string): { payload: Record<string, unknown>; sid: SessionRef | null } | null {
  if (token.length > 16_384) return null;
  const jwt = decodeJwt(token);
  const key = jwt && typeof jwt.header.kid === "string" ? ctx.keys.byKid(jwt.header.kid) : undefined;
  if (!jwt || !key || !verifyRs256(jwt, key.publicKey) || jwt.payload.iss !== ctx.issuer) return null;
  return { payload: jwt.payload as Record<string, unknown>, sid: decodeSid(jwt.payload.sid) };
}
