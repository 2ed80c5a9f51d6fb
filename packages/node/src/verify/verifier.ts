// Local verification of Gatehouse access tokens (RFC 9068): RS256 signature against the issuer's
// JWKS, header typ at+jwt, iss, aud, exp/iat. No network call per request once the keys are cached.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { endpoint, normalizeIssuer } from "../issuer.ts";
import { toAccessTokenClaims, type AccessTokenClaims } from "./claims.ts";
import { fromJoseError, TokenVerificationError } from "./errors.ts";
import { startRevocationFeed, type RevocationFeed } from "../revocation/feed.ts";

export interface VerifierOptions {
  /** The Gatehouse public origin, e.g. `https://identity.example.com`. */
  issuer: string;
  /** Accepted `aud` values. Gatehouse sets `aud` to the issuer, which is the default. */
  audience?: string | string[];
  /** Defaults to `${issuer}/oauth2/jwks`. */
  jwksUri?: string;
  /** Allowed clock skew for exp/iat/nbf. Default 5 seconds. */
  clockToleranceSeconds?: number;
  /**
   * Called after every other check passed; return true to refuse the token with code `revoked`.
   * This is where a revocation feed (matching `sessionId` or `userId`) plugs in.
   */
  isRevoked?: (claims: AccessTokenClaims) => boolean | Promise<boolean>;
  /**
   * Follow Gatehouse's revocation feed, so tokens of revoked sessions and disabled users are
   * refused within about a second. On by default; `false` verifies on signatures alone.
   */
  revocationFeed?: boolean;
  /** Where feed problems are reported. Default: console.warn. */
  logger?: { warn(message: string): void };
  jwks?: {
    /** Keys are refetched at most this old. Default 5 minutes, as the JWKS response's max-age. */
    cacheMaxAgeMs?: number;
    /**
     * An unknown `kid` (key rotation) triggers a refetch, but at most once per this window, so
     * garbage tokens cannot make us hammer the issuer. Default 30 seconds.
     */
    cooldownMs?: number;
    /** Default 5 seconds. */
    timeoutMs?: number;
  };
  /** The clock, in milliseconds since the epoch. For tests and simulations. */
  now?: () => number;
}

export interface Verifier {
  readonly issuer: string;
  /** Resolves to the token's claims or rejects with a TokenVerificationError. */
  verifyAccessToken(token: string): Promise<AccessTokenClaims>;
  /** The revocation feed this verifier follows (started on first use), if enabled. */
  readonly feed: RevocationFeed | null;
  /** Stops following the revocation feed. */
  close(): void;
}

const MAX_TOKEN_LENGTH = 16384;

export function createVerifier(options: VerifierOptions): Verifier {
  const issuer = normalizeIssuer(options.issuer);
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(options.jwksUri ?? endpoint(issuer, "/oauth2/jwks")), {
    cacheMaxAge: options.jwks?.cacheMaxAgeMs ?? 5 * 60_000,
    cooldownDuration: options.jwks?.cooldownMs ?? 30_000,
    timeoutDuration: options.jwks?.timeoutMs ?? 5_000,
  });
  const audience = options.audience ?? issuer;
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  let feed: RevocationFeed | null = null;
  // Started lazily, so creating a verifier (e.g. at import time) opens no connection.
  const ensureFeed = (): void => {
    if (options.revocationFeed === false || feed) return;
    feed = startRevocationFeed({ issuer, logger: options.logger, now: options.now });
  };

  return {
    issuer,
    get feed() {
      return feed;
    },
    close() {
      feed?.close();
    },
    async verifyAccessToken(token) {
      ensureFeed();
      if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
        throw new TokenVerificationError("malformed", "the access token is empty or too long");
      }
      let claims: AccessTokenClaims;
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer,
          audience,
          // RFC 9068 §4: the typ check keeps ID tokens and other JWTs from passing as access tokens;
          // a single algorithm rules out `none` and RSA/HMAC key confusion (RFC 8725 §3.1).
          typ: "at+jwt",
          algorithms: ["RS256"],
          requiredClaims: ["sub", "exp", "iat"],
          clockTolerance,
          currentDate: options.now ? new Date(options.now()) : undefined,
        });
        claims = toAccessTokenClaims(payload);
      } catch (err) {
        throw fromJoseError(err);
      }
      const iat = Math.floor(claims.issuedAt.getTime() / 1000);
      if (feed?.isRevoked({ sid: claims.sessionId, sub: claims.userId, iat }) || (options.isRevoked && (await options.isRevoked(claims)))) {
        throw new TokenVerificationError("revoked", "the access token has been revoked");
      }
      return claims;
    },
  };
}
