// Row ↔ passkey mapping shared by both SQL adapters.
import type { PasskeyChallenge, PasskeyChallengePurpose, PasskeyCredential } from "./passkey-ports.ts";
import type { Row } from "./rows.ts";

export const PASSKEY_COLUMNS = [
  "id", "user_id", "identity_id", "credential_id", "public_key", "sign_count", "transports", "aaguid", "created_at", "updated_at", "last_used_at",
] as const;

export function toPasskey(r: Row): PasskeyCredential {
  return {
    id: String(r.id), userId: String(r.user_id), identityId: String(r.identity_id), credentialId: String(r.credential_id),
    publicKey: String(r.public_key), signCount: Number(r.sign_count), transports: JSON.parse(String(r.transports)) as string[],
    aaguid: String(r.aaguid), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
    lastUsedAt: r.last_used_at === null || r.last_used_at === undefined ? null : Number(r.last_used_at),
  };
}

export function passkeyValues(p: PasskeyCredential): unknown[] {
  return [p.id, p.userId, p.identityId, p.credentialId, p.publicKey, p.signCount, JSON.stringify(p.transports), p.aaguid, p.createdAt, p.updatedAt, p.lastUsedAt];
}

export function toChallenge(r: Row): PasskeyChallenge {
  return {
    challengeHash: String(r.challenge_hash), purpose: String(r.purpose) as PasskeyChallengePurpose,
    userId: r.user_id === null || r.user_id === undefined ? null : String(r.user_id), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at),
  };
}
