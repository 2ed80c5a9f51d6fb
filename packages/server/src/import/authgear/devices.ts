// An Authgear user's passkeys and device keys as Gatehouse's, keeping Authgear's ids.
//
// Passkeys: Authgear keeps, per passkey, an identity (`_auth_identity_passkey`) and an authenticator
// (`_auth_authenticator_passkey`), both with the WebAuthn creation options it made and the attestation
// response the browser posted (JSON, base64url fields). It never stores the public key: at each sign-in
// it parses the attestation again and takes the key from its authenticator data
// (pkg/lib/feature/passkey/service.go PeekAssertionResponse); the signature counter it keeps up to date
// on the authenticator row. So: credential id and public key from the attestation object's
// authenticator data (WebAuthn §6.5.1), the counter from the authenticator row.
//
// Device keys: `_auth_identity_biometric` and `_auth_identity_anonymous` keep the key's `kid` (`key_id`)
// and the public JWK the device sent (`key`); biometric ones the device's `device_info` too. A web
// anonymous user has no key (both null since Authgear's 2021 migration).
import { createPublicKey } from "node:crypto";
import type { JWK } from "jose";
import { convertAAGUIDToString, decodeAttestationObject, parseAuthenticatorData } from "@simplewebauthn/server/helpers";
import type { Identity } from "../../domain/identity.ts";
import type { PasskeyCredential } from "../../storage/passkey-ports.ts";
import type { DeviceKey, DeviceKeyType } from "../../storage/device-key-ports.ts";
import { storableJwk } from "../../device-keys/jwt.ts";
import { storableDeviceInfo } from "../../device-keys/device-info.ts";
import type { Tally } from "./tally.ts";
import { epoch } from "./database.ts";

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => {
  // jsonb reads as an object; a column written as a JSON string reads as that string.
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return {};
    }
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {};
};
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");

export interface PasskeyContext {
  /** Gatehouse's WebAuthn relying party id: a passkey made for another one cannot sign in here. */
  rpId: string | null;
  now: number;
}

export type ImportedPasskey = { identity: Identity; credential: PasskeyCredential };

/** The attested credential in an attestation response: its id, COSE public key, counter and AAGUID. */
function attestedCredential(attestationResponse: unknown): { id: string; publicKey: Uint8Array; counter: number; aaguid: string; transports: string[] } | null {
  const response = asObject(asObject(attestationResponse).response);
  const object = str(response.attestationObject);
  if (!object) return null;
  try {
    const authData = decodeAttestationObject(new Uint8Array(Buffer.from(object, "base64url"))).get("authData");
    const parsed = parseAuthenticatorData(authData);
    if (!parsed.credentialID || !parsed.credentialPublicKey || !parsed.aaguid) return null;
    const transports = Array.isArray(response.transports) ? response.transports.filter((t): t is string => typeof t === "string") : [];
    return { id: b64u(parsed.credentialID), publicKey: parsed.credentialPublicKey, counter: parsed.counter, aaguid: convertAAGUIDToString(parsed.aaguid), transports };
  } catch {
    return null;
  }
}

/**
 * One passkey identity row (with `passkey`: its `_auth_identity_passkey` row) and the user's passkey
 * authenticators; null, noted in the tally, when it cannot sign in at Gatehouse.
 */
export function mapPasskey(userId: string, row: Json, authenticators: Json[], c: PasskeyContext, tally: Tally): ImportedPasskey | null {
  const p = asObject(row.passkey);
  const credentialId = str(p.credential_id);
  const attested = attestedCredential(p.attestation_response);
  if (!credentialId || !attested) {
    tally.note("passkeys whose attestation response could not be read (no credential public key in it)");
    return null;
  }
  if (attested.id !== credentialId) {
    tally.note("passkeys whose credential_id is not the attested credential's");
    return null;
  }
  const options = asObject(asObject(p.creation_options).publicKey);
  const user = asObject(options.user);
  // Gatehouse checks the user handle an authenticator returns against the user id, as the WebAuthn user
  // id Authgear sets is the user id's bytes (creation_options_service.go: ID: []byte(user.ID)).
  const handle = str(user.id);
  if (handle !== null && Buffer.from(handle, "base64url").toString("utf8") !== userId) {
    tally.note("passkeys whose WebAuthn user handle is not the user id (they could not sign in)");
    return null;
  }
  const rp = str(asObject(options.rp).id);
  if (rp && c.rpId && rp !== c.rpId) {
    tally.note(`passkeys made for the relying party ${rp}, not ${c.rpId}: imported, they sign in once http.public_origin (or the cookie domain) is ${rp}`);
  }
  // The counter Authgear moved at every sign-in is on the authenticator row with the same credential id.
  const authenticator = authenticators.find((a) => asObject(a.passkey).credential_id === credentialId);
  const signCount = authenticator ? Number(asObject(authenticator.passkey).sign_count) : attested.counter;
  const createdAt = epoch(row.created_at) ?? c.now;
  const updatedAt = epoch(row.updated_at) ?? createdAt;
  const identityId = String(row.id);
  return {
    identity: {
      id: identityId, userId, type: "passkey", loginIdKey: null, loginIdType: null, loginId: null, originalLoginId: null,
      providerAlias: null, providerSubject: null, claims: { display_name: str(user.displayName) ?? str(user.name) ?? "" }, createdAt, updatedAt,
    },
    credential: {
      // The authenticator's id where Authgear has one (what its admin API lists); else the identity's.
      id: authenticator ? String(authenticator.id) : identityId, userId, identityId, credentialId, publicKey: b64u(attested.publicKey),
      signCount: Number.isSafeInteger(signCount) && signCount >= 0 ? signCount : attested.counter, transports: attested.transports,
      aaguid: attested.aaguid, createdAt, updatedAt, lastUsedAt: null,
    },
  };
}

/** The public JWK as Gatehouse stores it, or null if it is not an RSA or EC public key node can load. */
function publicKey(value: unknown, keyId: string): JWK | null {
  const jwk = asObject(value);
  if (jwk.kty !== "RSA" && jwk.kty !== "EC") return null;
  if (["d", "p", "q", "dp", "dq", "qi", "k"].some((part) => part in jwk)) return null;
  const stored = storableJwk(jwk as JWK, keyId);
  try {
    createPublicKey({ key: stored as never, format: "jwk" });
  } catch {
    return null;
  }
  return stored;
}

/**
 * A biometric or anonymous identity row (with its kind's row under `biometric` / `anonymous`) as a
 * device key; null, noted, if its key is unusable. `lastSeen`: Authgear keeps no use time per key.
 */
export function mapDeviceKey(userId: string, type: DeviceKeyType, row: Json, lastSeen: number, tally: Tally): DeviceKey | null {
  const k = asObject(row[type]);
  const keyId = str(k.key_id);
  const createdAt = epoch(row.created_at) ?? lastSeen;
  const base = { id: String(row.id), userId, type, createdAt, lastUsedAt: Math.max(createdAt, lastSeen) };
  if (type === "anonymous" && keyId === null) return { ...base, keyId: null, jwk: null, deviceInfo: {} };
  const jwk = keyId ? publicKey(k.key, keyId) : null;
  if (!keyId || !jwk) {
    tally.note(`${type} keys whose public key is not an RSA or EC public JWK (the device must set up again)`);
    return null;
  }
  return { ...base, keyId, jwk, deviceInfo: type === "biometric" ? storableDeviceInfo(asObject(k.device_info)) : {} };
}
