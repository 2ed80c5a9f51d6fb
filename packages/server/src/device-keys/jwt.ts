// Device-key JWTs: what the native SDKs sign with a key kept on the device (anonymous users,
// biometric sign-in, app2app). One verifier for all of them, checking what Authgear checks
// (pkg/lib/authn/identity/{anonymous,biometric}/provider.go: `typ`, the key ID format, the
// `iat`/`exp` window with 5 minutes of skew) and what it leaves out: a key seen for the first time
// must have signed the JWT (Authgear stores an unseen anonymous key without checking its signature),
// `alg: none` and symmetric algorithms are refused, and an inline key must be the stored one.
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";

export const DEVICE_KEY_TYPES = {
  anonymous: "vnd.authgear.anonymous-request",
  biometric: "vnd.authgear.biometric-request",
  app2app: "vnd.authgear.app2app-request",
} as const;
export type DeviceKeyPurpose = keyof typeof DEVICE_KEY_TYPES;

/** The SDKs sign with RS256 (authgear-sdk-android getJWK, authgear-sdk-ios JWK.swift); other asymmetric ones are harmless. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
/** Authgear's KeyIDFormat: the SDKs use a UUID. */
const KEY_ID = /^[-\w]{8,64}$/;
/** Authgear's duration.ClockSkew. */
const SKEW_SECONDS = 300;
/** The SDKs ask for 60 s (anonymous) or 300 s (biometric); a longer-lived request is refused. */
const MAX_LIFETIME_SECONDS = 600;
const MAX_JWT_LENGTH = 16_384;

export class DeviceKeyJwtError extends Error {}

export interface DeviceKeyRequest {
  keyId: string;
  /** The public key in the header, if the device sent one (first use, or biometric). */
  inlineKey: JWK | null;
  challenge: string;
  action: string;
  deviceInfo: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const fail = (why: string): never => { throw new DeviceKeyJwtError(why); };

function publicJwk(value: unknown): JWK {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail("jwk is not an object");
  const jwk = value as JWK;
  if (jwk.kty !== "RSA" && jwk.kty !== "EC") fail("jwk must be an RSA or EC public key");
  // A private part in the header would be a leaked key; storing it would keep the leak.
  for (const part of ["d", "p", "q", "dp", "dq", "qi", "k"]) if (part in jwk) fail("jwk must be a public key");
  return jwk;
}

/**
 * Reads the request without trusting it: the header's type and key, and the payload's claims and
 * time window. The caller then finds the key (stored, or inline for a first use) and calls verify().
 */
export function parseDeviceKeyJwt(jwt: string, purpose: DeviceKeyPurpose, now: number): DeviceKeyRequest {
  if (jwt.length > MAX_JWT_LENGTH || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(jwt)) fail("not a compact JWS");
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return fail("not a compact JWS");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) fail("payload is not an object");
  if (header.typ !== DEVICE_KEY_TYPES[purpose]) fail("invalid JWT type");
  if (typeof header.alg !== "string" || !ALGORITHMS.includes(header.alg)) fail("unsupported alg");
  const inlineKey = header.jwk === undefined ? null : publicJwk(header.jwk);
  const keyId = inlineKey?.kid ?? header.kid;
  if (typeof keyId !== "string" || !KEY_ID.test(keyId)) fail("invalid key ID format");
  // Android and iOS put the key's kid in the header as well: the two must name the same key.
  if (inlineKey && header.kid !== undefined && header.kid !== keyId) fail("kid does not match the jwk");

  const { iat, exp, nbf } = payload;
  if (typeof iat !== "number" || typeof exp !== "number") fail("iat and exp are required");
  if ((iat as number) > now + SKEW_SECONDS) fail("issued in the future");
  if ((exp as number) <= now - SKEW_SECONDS) fail("expired");
  if ((exp as number) - (iat as number) > MAX_LIFETIME_SECONDS || (exp as number) < (iat as number)) fail("lifetime too long");
  if (typeof nbf === "number" && nbf > now + SKEW_SECONDS) fail("not yet valid");
  if (typeof payload.challenge !== "string" || payload.challenge === "") fail("challenge is required");
  if (typeof payload.action !== "string") fail("action is required");
  const deviceInfo = payload.device_info;
  if (deviceInfo !== undefined && (typeof deviceInfo !== "object" || deviceInfo === null || Array.isArray(deviceInfo))) fail("device_info must be an object");
  return {
    keyId: keyId as string, inlineKey, challenge: payload.challenge as string, action: payload.action as string,
    deviceInfo: (deviceInfo as Record<string, unknown> | undefined) ?? {}, payload,
  };
}

/**
 * Checks the signature with `key` (the stored key, or the inline one on first use). If the JWT also
 * carries an inline key, it must be that same key (RFC 7638 thumbprints): a device cannot swap the
 * key bound to a kid.
 */
export async function verifyDeviceKeyJwt(jwt: string, request: DeviceKeyRequest, key: JWK): Promise<void> {
  const stored = publicJwk(key);
  if (request.inlineKey && (await calculateJwkThumbprint(request.inlineKey)) !== (await calculateJwkThumbprint(stored))) {
    fail("jwk does not match the key bound to this kid");
  }
  const alg = decodeProtectedHeader(jwt).alg as string;
  try {
    const imported = await importJWK({ ...stored, alg }, alg);
    await compactVerify(jwt, imported, { algorithms: ALGORITHMS });
  } catch {
    fail("signature does not verify");
  }
}

/** The key as stored: its public members only, with its kid. */
export function storableJwk(jwk: JWK, keyId: string): JWK {
  const { kty, n, e, crv, x, y } = jwk;
  const out: JWK = { kty, kid: keyId };
  for (const [k, v] of Object.entries({ n, e, crv, x, y })) if (typeof v === "string") (out as Record<string, unknown>)[k] = v;
  return out;
}
