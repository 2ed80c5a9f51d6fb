// @gatehouse/node: what a Node backend needs to trust Gatehouse (or Authgear) identities.
export type { GatehouseUser } from "./user.ts";

export { createVerifier, type Verifier, type VerifierOptions } from "./verify/verifier.ts";
export { toAccessTokenClaims, userFromClaims, type AccessTokenClaims } from "./verify/claims.ts";
export { TokenVerificationError, type TokenVerificationErrorCode } from "./verify/errors.ts";
export { startRevocationFeed, type RevocationFeed, type RevocationFeedOptions } from "./revocation/feed.ts";

export { createResolverClient, type ResolverClient, type ResolverClientOptions, type ResolveCredentials } from "./resolve/client.ts";
export { ResolverError, sessionFromHeaders, type Session } from "./resolve/session.ts";

export { createAuthenticator, type AuthenticateOptions, type AuthOutcome, type Authenticator, type GatehouseAuth } from "./middleware/authenticate.ts";
export { expressMiddleware, type ExpressMiddleware, type GatehouseRequest } from "./middleware/express.ts";
export { fastifyHook, fastifyPlugin, type FastifyHook, type FastifyLikeInstance, type FastifyLikeReply, type FastifyLikeRequest } from "./middleware/fastify.ts";

export { createCrossDomainSession, type CrossDomainOptions, type CrossDomainSession, type CrossDomainSessions } from "./cross-domain/session.ts";
export { CrossDomainError, TokenEndpointError, type CrossDomainErrorCode } from "./cross-domain/errors.ts";
