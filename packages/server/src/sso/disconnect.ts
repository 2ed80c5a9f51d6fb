// Disconnecting a social account from the settings page. Never the last way in: the user keeps a
// password, a passkey, or another connected account, or the identity stays.
import { emitIdentityEvent } from "../hooks/user-hooks.ts";
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";

export type DisconnectResult = { kind: "ok" } | { kind: "not_found" } | { kind: "last_way" };

export async function disconnectIdentity(ctx: Context, user: User, identityId: string): Promise<DisconnectResult> {
  const identities = await ctx.storage.identities.listByUser(user.id);
  const target = identities.find((i) => i.id === identityId && i.type === "oauth");
  if (!target) return { kind: "not_found" };
  const otherWays = identities.some((i) => i.id !== target.id && (i.type === "oauth" || i.type === "passkey"));
  if (!otherWays && (await ctx.storage.passwords.get(user.id)) === null) return { kind: "last_way" };
  const removed = await ctx.storage.atomic(async () => {
    const gone = await ctx.storage.identities.delete(target.id, ctx.now());
    if (gone) await emitIdentityEvent(ctx, "removed", user, target, { triggeredBy: "user" });
    return gone;
  });
  return removed ? { kind: "ok" } : { kind: "not_found" };
}
