// identity.biometric.enabled / disabled (Authgear's payload {user, identity}): a biometric key is an
// identity of the user in Authgear's model, so the event carries it in Authgear's identity shape.
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import { emitUserEvent } from "../hooks/user-hooks.ts";
import type { EventOrigin } from "../hooks/event-context.ts";
import type { DeviceKey } from "../storage/device-key-ports.ts";

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export function biometricIdentityModel(key: DeviceKey): Record<string, unknown> {
  return {
    id: key.id, type: "biometric", created_at: iso(key.createdAt), updated_at: iso(key.createdAt),
    claims: { "https://authgear.com/claims/biometric/key_id": key.keyId, "https://authgear.com/claims/biometric/device_info": key.deviceInfo },
  };
}

/** Call inside ctx.storage.atomic, right after the key was stored or deleted. */
export function emitBiometricEvent(ctx: Pick<Context, "config" | "storage">, change: "enabled" | "disabled", user: User, key: DeviceKey, origin: EventOrigin): Promise<void> {
  return emitUserEvent(ctx, `identity.biometric.${change}`, user, origin, { identity: biometricIdentityModel(key) });
}
