// Admin API for a user's device keys (device-keys/): anonymous and biometric keys, listed, and
// removed one at a time (a lost or replaced phone). A removed biometric key signs nobody in again.
import { emitBiometricEvent } from "../device-keys/identity-events.ts";
import { z } from "zod";
import type { DeviceKey } from "../storage/device-key-ports.ts";
import { isUserId } from "../input/ids.ts";
import { deviceModel } from "../device-keys/device-info.ts";
import { notFound } from "./errors.ts";
import * as op from "./operations.ts";
import { emptySchema } from "./schemas.ts";
import type { AdminRoute } from "./route.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();

export const deviceKeySchema = z.object({
  id: z.string(),
  type: z.enum(["anonymous", "biometric"]),
  key_id: z.string().nullable().describe("The kid the device signs with; null for a web anonymous user"),
  device_model: z.string().describe("From the device_info sent at setup (biometric); empty if none"),
  created_at: z.string().describe("ISO 8601"),
  last_used_at: z.string().describe("ISO 8601"),
}).meta({ id: "DeviceKey" });
const deviceKeyListSchema = z.object({ items: z.array(deviceKeySchema) }).meta({ id: "DeviceKeyList" });

function present(k: DeviceKey) {
  return { id: k.id, type: k.type, key_id: k.keyId, device_model: deviceModel(k.deviceInfo), created_at: iso(k.createdAt), last_used_at: iso(k.lastUsedAt) };
}

export const deviceKeyAdminRoutes: AdminRoute[] = [
  { method: "GET", path: "/users/:id/device-keys", summary: "List a user's device keys (anonymous and biometric)", response: deviceKeyListSchema,
    async handle(ctx, { params }) {
      await op.mustGetUser(ctx, params.id);
      return { items: (await ctx.storage.deviceKeys.listByUser(params.id)).map(present) };
    } },
  { method: "DELETE", path: "/users/:id/device-keys/:keyId", summary: "Remove one device key (e.g. disable biometric sign-in on a lost phone)", response: emptySchema,
    async handle(ctx, { actor, params }) {
      const user = await op.mustGetUser(ctx, params.id);
      const key = isUserId(params.keyId) ? (await ctx.storage.deviceKeys.listByUser(params.id)).find((k) => k.id === params.keyId) : undefined;
      const removed = key !== undefined && await ctx.storage.atomic(async () => {
        const ok = await ctx.storage.deviceKeys.delete(params.id, key.id);
        if (ok && key.type === "biometric") await emitBiometricEvent(ctx, "disabled", user, key, { triggeredBy: "admin_api" });
        return ok;
      });
      if (!removed) throw notFound("device key");
      await op.audit(ctx, actor, "user.device_key.remove", "user", params.id, { device_key_id: params.keyId });
      return {};
    } },
];
