// The framework-neutral core of the middleware: request headers in, an identity or a 401
// challenge out. The Express and Fastify adapters only translate.
import type { IncomingHttpHeaders } from "node:http";
import { createResolverClient, type ResolverClient, type ResolverClientOptions } from "../resolve/client.ts";
import { userFromClaims, type AccessTokenClaims } from "../verify/claims.ts";
import { TokenVerificationError } from "../verify/errors.ts";
import { createVerifier, type Verifier, type VerifierOptions } from "../verify/verifier.ts";
import type { GatehouseUser } from "../user.ts";
import { bearerChallenge, type Challenge } from "./challenge.ts";

interface Common {
  /** Answer 401 when there is no valid credential. Default false: attach null and continue. */
  required?: boolean;
}

/**
 * `verify`: the Bearer access token is checked locally against the JWKS (no call per request).
 * `resolve`: Gatehouse's /_resolver/resolve is asked, which also accepts the IdP session cookie
 * and sees revocations at once.
 */
export type AuthenticateOptions =
  | (Common & { mode: "verify" } & ({ verifier: Verifier } | VerifierOptions))
  | (Common & { mode: "resolve" } & ({ resolver: ResolverClient } | ResolverClientOptions));

/** What the middleware attaches as `req.gatehouse`; null when the caller is anonymous. */
export interface GatehouseAuth {
  user: GatehouseUser;
  /** The verified access token's claims (verify mode); null in resolve mode. */
  claims: AccessTokenClaims | null;
}

export type AuthOutcome = { ok: true; auth: GatehouseAuth | null } | { ok: false; challenge: Challenge };

export type Authenticator = (headers: IncomingHttpHeaders) => Promise<AuthOutcome>;

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function createAuthenticator(options: AuthenticateOptions): Authenticator {
  const required = options.required === true;
  const anonymous = (reason: "missing" | "invalid", description: string): AuthOutcome =>
    required ? { ok: false, challenge: bearerChallenge(reason, description) } : { ok: true, auth: null };

  if (options.mode === "verify") {
    const verifier = "verifier" in options ? options.verifier : createVerifier(options);
    return async (headers) => {
      const header = headers.authorization;
      if (!header || !/^Bearer\s/i.test(header)) return anonymous("missing", "an access token is required");
      const token = BEARER.exec(header)?.[1];
      if (!token) return anonymous("invalid", "the Authorization header is malformed");
      try {
        const claims = await verifier.verifyAccessToken(token);
        return { ok: true, auth: { user: userFromClaims(claims), claims } };
      } catch (err) {
        // Our own failure to fetch keys is not the caller's fault: surface it as an error (5xx).
        if (!(err instanceof TokenVerificationError) || err.code === "jwks_unavailable") throw err;
        return anonymous("invalid", DESCRIPTIONS[err.code] ?? "the access token is invalid");
      }
    };
  }

  const resolver = "resolver" in options ? options.resolver : createResolverClient(options);
  return async (headers) => {
    const header = headers.authorization;
    const authorization = header && /^Bearer\s/i.test(header) ? header : undefined;
    if (!authorization && !headers.cookie) return anonymous("missing", "authentication is required");
    // ResolverError (Gatehouse unreachable) propagates: fail closed with a 5xx, not a 401.
    const session = await resolver.resolve({ authorization, cookie: headers.cookie });
    if (!session) return anonymous(authorization ? "invalid" : "missing", authorization ? "the access token is invalid or its session has ended" : "authentication is required");
    return { ok: true, auth: { user: session, claims: null } };
  };
}

// Fixed texts: they go into a quoted header parameter, so they must not echo token content.
const DESCRIPTIONS: Partial<Record<TokenVerificationError["code"], string>> = {
  expired: "the access token has expired",
  revoked: "the access token has been revoked",
  wrong_issuer: "the access token was issued by another issuer",
  wrong_audience: "the access token is not meant for this audience",
  wrong_type: "the token is not an access token",
};
