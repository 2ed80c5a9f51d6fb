// Rows and ids for the storage contract suites: every case makes its own, so cases never collide.
import { randomUUID } from "node:crypto";
import type { AuthorizationCode, IdpSession, OfflineGrant, User } from "../../src/storage/ports.ts";

export const T = 1_700_000_000;

// PostgreSQL runs on every machine this project uses, so its absence is a failure, not a skip —
// unless someone asks for a SQLite-only run explicitly.
export const skipPostgres = process.env.GATEHOUSE_SKIP_POSTGRES === "1" ? "GATEHOUSE_SKIP_POSTGRES=1" : false;

export const id = (prefix: string): string => `${prefix}_${randomUUID()}`;

export const newUser = (over: Partial<User> = {}): User => ({
  id: randomUUID(), email: `${randomUUID()}@example.com`, isVerified: false, isAnonymous: false, disabled: false,
  disabledReason: null, roles: [], standardAttributes: {}, customAttributes: {}, createdAt: T, updatedAt: T, ...over,
});

export const newSession = (userId: string, over: Partial<IdpSession> = {}): IdpSession => ({
  id: id("s"), userId, tokenHash: id("th"), amr: ["pwd"], authenticatedAt: T, createdAt: T, lastAccessedAt: T,
  expiresAt: T + 3600, ip: "192.0.2.1", userAgent: "test-agent", revokedAt: null, cookieless: false, parentGrantId: null, ...over,
});

export const newGrant = (userId: string, over: Partial<OfflineGrant> = {}): OfflineGrant => ({
  id: id("g"), clientId: "portal", userId, idpSessionId: null, scopes: ["openid", "offline_access"], amr: ["pwd", "otp"],
  authenticatedAt: T, tokenHash: id("gh"), createdAt: T, lastAccessedAt: T, expiresAt: T + 86400, ip: "192.0.2.1",
  userAgent: "test-agent", revokedAt: null, previousTokenHash: null, rotatedAt: null, rotationSalt: null, dpopJkt: null, ...over,
});

export const newCode = (userId: string, over: Partial<AuthorizationCode> = {}): AuthorizationCode => ({
  codeHash: id("c"), clientId: "portal", userId, idpSessionId: id("s"), redirectUri: "https://app.example/cb",
  scopes: ["openid"], nonce: "n-1", codeChallenge: "abc", codeChallengeMethod: "S256", authenticatedAt: T, amr: ["pwd"],
  createdAt: T, expiresAt: T + 600, usedAt: null, issuedGrantId: null, dpopJkt: null, ...over,
});
