// Device SSO (Authgear's scope device_sso): an offline grant with that scope holds a device secret,
// handed to the app in the token response (`device_secret`) and named in every ID token of the grant
// by its SHA-256 (`ds_hash`). The app later proves it holds both (token exchange, pre-authenticated
// URLs). As Authgear's handler_token.go: a new secret with the grant; on refresh, a new one only when
// the current one is presented; every token exchange rotates it.
import type { Context } from "../context.ts";
import { createHash } from "node:crypto";
import { randomToken, safeEqual } from "../crypto/secrets.ts";
import { DEVICE_SSO_SCOPE } from "../oauth/scopes.ts";

/** Authgear's oauth.HashToken: SHA-256 in hex (so hashes imported from Authgear keep matching). */
export function hashDeviceSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface DeviceSecretIssue {
  /** A new secret, for the token response. */
  deviceSecret?: string;
  /** The grant's current secret's hash, for the ID token's ds_hash. */
  dsHash?: string;
}

export async function rotateDeviceSecret(ctx: Context, grantId: string): Promise<Required<DeviceSecretIssue>> {
  const deviceSecret = randomToken();
  const dsHash = hashDeviceSecret(deviceSecret);
  await ctx.storage.deviceSecrets.set(grantId, dsHash, ctx.now());
  return { deviceSecret, dsHash };
}

/** For a new grant (authorization code, device-key grants). */
export async function deviceSecretForNewGrant(ctx: Context, grantId: string, scopes: readonly string[]): Promise<DeviceSecretIssue> {
  return scopes.includes(DEVICE_SSO_SCOPE) ? rotateDeviceSecret(ctx, grantId) : {};
}

/** For a refresh: rotated if the request presents the current secret, else the current hash only. */
export async function deviceSecretForRefresh(ctx: Context, grantId: string, scopes: readonly string[], presented: string | undefined): Promise<DeviceSecretIssue> {
  if (!scopes.includes(DEVICE_SSO_SCOPE)) return {};
  const current = await ctx.storage.deviceSecrets.get(grantId);
  if (presented && current && safeEqual(hashDeviceSecret(presented), current)) return rotateDeviceSecret(ctx, grantId);
  return current ? { dsHash: current } : {};
}

/** Does `secret` bind to the grant? Constant-time. */
export async function deviceSecretMatches(ctx: Context, grantId: string, secret: string): Promise<boolean> {
  const current = await ctx.storage.deviceSecrets.get(grantId);
  return current !== null && safeEqual(hashDeviceSecret(secret), current);
}
