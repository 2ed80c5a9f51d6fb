// The two WebAuthn ceremonies (W3C WebAuthn Level 3 §7.1 registration, §7.2 authentication),
// checked by @simplewebauthn/server: plain functions of a context and plain data, no HTTP here.
// A challenge is made server-side, stored only as its SHA-256 and taken out (single use) before the
// response is checked, so a replayed or a second submit finds nothing; the signature counter is
// moved by compare-and-set, so an assertion that does not advance it (a cloned authenticator) fails.
import { randomBytes, randomUUID } from "node:crypto";
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Context } from "../../context.ts";
import { sha256 } from "../../crypto/secrets.ts";
import type { Identity } from "../../domain/identity.ts";
import type { PasskeyChallenge, PasskeyChallengePurpose, PasskeyCredential } from "../../storage/passkey-ports.ts";
import { relyingParty } from "./relying-party.ts";

/** How long a challenge lives: the WebAuthn timeout we ask browsers for, plus a little for the POST. */
export const CHALLENGE_TTL_SECONDS = 300;
const TIMEOUT_MS = 240_000;

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url");
const B64U = /^[A-Za-z0-9_-]{1,8192}$/;
// The library base64url-encodes a string challenge's UTF-8 again: it gets the bytes, so the page's
// challenge is the one stored.
const challengeBytes = (challenge: string): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.from(challenge, "base64url"));

/** A new challenge for `purpose`, stored (hashed) server-side; the caller puts it in the page. */
export async function newChallenge(ctx: Context, purpose: PasskeyChallengePurpose, userId: string | null): Promise<string> {
  const challenge = b64u(randomBytes(32));
  const now = ctx.now();
  await ctx.storage.passkeyChallenges.put({ challengeHash: sha256(challenge), purpose, userId, createdAt: now, expiresAt: now + CHALLENGE_TTL_SECONDS });
  return challenge;
}

/** Options for navigator.credentials.create(): a discoverable credential, user verification required. */
export async function registrationOptions(
  ctx: Context, o: { challenge: string; userId: string; userName: string; exclude: PasskeyCredential[] },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty(ctx.config);
  return generateRegistrationOptions({
    rpName: ctx.config.ui.app_name ?? rp.name, rpID: rp.id, userID: new TextEncoder().encode(o.userId), userName: o.userName,
    userDisplayName: o.userName, challenge: challengeBytes(o.challenge), timeout: TIMEOUT_MS, attestationType: "none",
    excludeCredentials: o.exclude.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
}

/** Options for navigator.credentials.get(): no allow list, the authenticator offers its passkeys (and autofill). */
export async function authenticationOptions(ctx: Context, challenge: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({ rpID: relyingParty(ctx.config).id, challenge: challengeBytes(challenge), timeout: TIMEOUT_MS, userVerification: "required" });
}

type Parsed<T> = { ok: true; value: T; challenge: string } | { ok: false };

/** A credential as the page posts it (JSON of PublicKeyCredential), shape-checked; its challenge read from clientDataJSON. */
function parseCredential<T>(text: string, fields: string[]): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const v = value as { id?: unknown; rawId?: unknown; type?: unknown; response?: Record<string, unknown> };
  if (typeof v !== "object" || v === null || v.type !== "public-key" || typeof v.id !== "string" || !B64U.test(v.id) || v.rawId !== v.id) return { ok: false };
  if (typeof v.response !== "object" || v.response === null) return { ok: false };
  for (const f of ["clientDataJSON", ...fields]) {
    const x = v.response[f];
    if (typeof x !== "string" || !B64U.test(x)) return { ok: false };
  }
  let challenge: unknown;
  try {
    challenge = (JSON.parse(Buffer.from(String(v.response.clientDataJSON), "base64url").toString("utf8")) as { challenge?: unknown }).challenge;
  } catch {
    return { ok: false };
  }
  if (typeof challenge !== "string" || !B64U.test(challenge)) return { ok: false };
  return { ok: true, value: value as T, challenge };
}

export type RegistrationResult =
  | { ok: true; challenge: PasskeyChallenge; credential: Omit<PasskeyCredential, "id" | "userId" | "identityId" | "createdAt" | "updatedAt" | "lastUsedAt"> }
  | { ok: false; reason: "malformed" | "expired" | "invalid" };

/** Checks a registration response against a live challenge of `purpose` (taken out first, whatever the outcome). */
export async function verifyRegistration(ctx: Context, text: string, purpose: "register" | "signup"): Promise<RegistrationResult> {
  const parsed = parseCredential<RegistrationResponseJSON>(text, ["attestationObject"]);
  if (!parsed.ok) return { ok: false, reason: "malformed" };
  const challenge = await ctx.storage.passkeyChallenges.consume(sha256(parsed.challenge), purpose, ctx.now());
  if (!challenge) return { ok: false, reason: "expired" };
  const rp = relyingParty(ctx.config);
  try {
    const r = await verifyRegistrationResponse({
      response: parsed.value, expectedChallenge: parsed.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
    });
    if (!r.verified) return { ok: false, reason: "invalid" };
    const c = r.registrationInfo.credential;
    return {
      ok: true, challenge,
      credential: { credentialId: c.id, publicKey: b64u(c.publicKey), signCount: c.counter, transports: c.transports ?? [], aaguid: r.registrationInfo.aaguid },
    };
  } catch {
    // The library throws for every mismatch (origin, RP ID hash, flags, attestation): all a refusal.
    return { ok: false, reason: "invalid" };
  }
}

export type AssertionResult =
  | { ok: true; passkey: PasskeyCredential }
  | { ok: false; reason: "malformed" | "expired" | "unknown_credential" | "invalid" | "replayed" };

/** Checks an authentication response: live challenge (taken out first), known credential, signature, counter. */
export async function verifyAssertion(ctx: Context, text: string): Promise<AssertionResult> {
  const parsed = parseCredential<AuthenticationResponseJSON>(text, ["authenticatorData", "signature"]);
  if (!parsed.ok) return { ok: false, reason: "malformed" };
  const now = ctx.now();
  if (!(await ctx.storage.passkeyChallenges.consume(sha256(parsed.challenge), "authenticate", now))) return { ok: false, reason: "expired" };
  const passkey = await ctx.storage.passkeys.findByCredentialId(parsed.value.id);
  if (!passkey) return { ok: false, reason: "unknown_credential" };
  // A discoverable credential returns its user handle: it must name the user the credential belongs to.
  const handle = parsed.value.response.userHandle;
  if (handle !== undefined && handle !== null && (typeof handle !== "string" || Buffer.from(handle, "base64url").toString("utf8") !== passkey.userId)) {
    return { ok: false, reason: "invalid" };
  }
  const rp = relyingParty(ctx.config);
  let newCounter: number;
  try {
    const r = await verifyAuthenticationResponse({
      response: parsed.value, expectedChallenge: parsed.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
      credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, "base64url"), counter: passkey.signCount, transports: passkey.transports as never },
    });
    if (!r.verified) return { ok: false, reason: "invalid" };
    newCounter = r.authenticationInfo.newCounter;
  } catch (err) {
    // The library refuses a counter that did not move past the stored one (WebAuthn §7.2 step 22).
    return { ok: false, reason: /counter/i.test(String((err as Error).message)) ? "replayed" : "invalid" };
  }
  if (!(await ctx.storage.passkeys.recordUse(passkey.id, { expectedCount: passkey.signCount, newCount: newCounter, at: now }))) return { ok: false, reason: "replayed" };
  return { ok: true, passkey: { ...passkey, signCount: newCounter, lastUsedAt: now } };
}

/** The identity and credential rows for a verified registration. */
export function passkeyRows(
  userId: string, displayName: string, credential: Extract<RegistrationResult, { ok: true }>["credential"], at: number,
): { identity: Identity; credential: PasskeyCredential } {
  const identityId = randomUUID();
  return {
    identity: {
      id: identityId, userId, type: "passkey", loginIdKey: null, loginIdType: null, loginId: null, originalLoginId: null,
      providerAlias: null, providerSubject: null, claims: { display_name: displayName }, createdAt: at, updatedAt: at,
    },
    credential: { id: randomUUID(), userId, identityId, ...credential, createdAt: at, updatedAt: at, lastUsedAt: null },
  };
}
