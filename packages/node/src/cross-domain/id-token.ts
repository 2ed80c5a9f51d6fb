// ID token validation at the callback (OIDC Core §3.1.3.7): RS256 signature from the issuer's
// JWKS, iss, aud = our client_id, exp/iat, and the nonce we sent (replay protection, §15.5.2).
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { timingSafeEqual } from "node:crypto";
import { CrossDomainError } from "./errors.ts";

export interface IdTokenCheck {
  keys: JWTVerifyGetKey;
  issuer: string;
  clientId: string;
  nonce: string;
  nowMs: number;
  clockToleranceSeconds: number;
}

export function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function validateIdToken(idToken: string | undefined, check: IdTokenCheck): Promise<JWTPayload & { sub: string }> {
  if (!idToken) throw new CrossDomainError("invalid_id_token", "the token response has no id_token (is `openid` in the scopes?)");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, check.keys, {
      issuer: check.issuer,
      audience: check.clientId,
      algorithms: ["RS256"],
      requiredClaims: ["sub", "exp", "iat"],
      currentDate: new Date(check.nowMs),
      clockTolerance: check.clockToleranceSeconds,
    }));
  } catch (err) {
    throw new CrossDomainError("invalid_id_token", `the ID token is invalid: ${(err as Error).message}`, { cause: err });
  }
  if (typeof payload.nonce !== "string" || !sameString(payload.nonce, check.nonce)) {
    throw new CrossDomainError("invalid_id_token", "the ID token's nonce does not match the login request");
  }
  // §3.1.3.7 step 4: with several audiences, azp must name us.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== check.clientId) {
    throw new CrossDomainError("invalid_id_token", "the ID token's azp does not name this client");
  }
  return payload as JWTPayload & { sub: string };
}
