// The audit log as operators read it: who by name (the admin key's name, the user's email) and
// what about by name, not bare ids. Names are looked up per page: a page costs one read of the
// (few) keys and one read of the users on it.
import type { Context } from "../context.ts";
import type { AuditEntry } from "../domain/admin.ts";
import { isUserId } from "../input/ids.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();

export async function listAuditLog(ctx: Context, query: { cursor?: string; limit: number; user_id?: string; target_id?: string; action?: string }) {
  const page = await ctx.storage.auditLog.list({ cursor: query.cursor, limit: query.limit, targetId: query.user_id ?? query.target_id, action: query.action });
  const keys = new Map((await ctx.storage.adminKeys.list()).map((k) => [k.id, k.name]));
  const userIds = new Set<string>();
  for (const e of page.items) {
    if (e.actor.startsWith("user:")) userIds.add(e.actor.slice(5));
    if (e.targetType === "user") userIds.add(e.targetId);
  }
  const emails = new Map<string, string>();
  for (const u of await ctx.storage.userDirectory.byIds([...userIds].filter(isUserId))) if (u.email) emails.set(u.id, u.email);
  // A deleted user's entries still read: the email the entry kept, else the id.
  const userName = (id: string, e: AuditEntry): string => emails.get(id) ?? (typeof e.details.email === "string" ? e.details.email : id);
  const actorName = (e: AuditEntry): string => {
    if (e.actor.startsWith("key:")) return keys.get(e.actor.slice(4)) ?? e.actor.slice(4);
    if (e.actor.startsWith("user:")) return userName(e.actor.slice(5), e);
    return e.actor;
  };
  const targetName = (e: AuditEntry): string => {
    if (e.targetType === "user") return userName(e.targetId, e);
    if (e.targetType === "admin_key") return keys.get(e.targetId) ?? e.targetId;
    return e.targetId;
  };
  return {
    items: page.items.map((e) => ({
      id: e.id, at: iso(e.at), actor: e.actor, actor_name: actorName(e), action: e.action,
      target_type: e.targetType, target_id: e.targetId, target_name: targetName(e), details: e.details,
    })),
    next_cursor: page.nextCursor,
  };
}
