// Migration 14 (DPoP, RFC 9449): the key thumbprint (RFC 7638, base64url SHA-256) a refresh token's
// grant and an authorization code are bound to. NULL: not bound (clients without DPoP keep working).
export const dpopMigration = `
ALTER TABLE offline_grants ADD COLUMN dpop_jkt TEXT;
ALTER TABLE authorization_codes ADD COLUMN dpop_jkt TEXT;
`;
