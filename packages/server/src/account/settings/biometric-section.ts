// The settings page's "Biometric sign-in": the phones the user set up biometric sign-in on
// (device keys of type biometric, device-keys/biometric-grant.ts), each removable. Shown as
// Authgear's settings page shows them (settings_biometric.html: the device model from
// device_info, and when it was added), and only where Authgear shows them: biometric among
// authentication.identities and identity.biometric.list_enabled on.
import { emitBiometricEvent } from "../../device-keys/identity-events.ts";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import type { User } from "../../domain/user.ts";
import { escapeHtml } from "../../http/html.ts";
import { isUserId } from "../../input/ids.ts";
import { clientInfo } from "../../http/client-info.ts";
import { deviceModel } from "../../device-keys/device-info.ts";
import type { Caller } from "../../session/caller.ts";
import { errorBox, form, hidden } from "../ui/layout.ts";
import { seeOther, sendProblemPage, type Ui } from "../ui/respond.ts";

export const biometricListed = (ctx: Context): boolean =>
  ctx.config.authentication.identities.includes("biometric") && ctx.config.identity.biometric.list_enabled;

const added = (ui: Ui, seconds: number): string =>
  new Intl.DateTimeFormat(ui.locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(seconds * 1000)) + " UTC";

export async function biometricSettingsBlock(ctx: Context, ui: Ui, o: { csrf: string; user: User; error?: string | null }): Promise<string> {
  if (!biometricListed(ctx)) return "";
  const { t } = ui;
  const keys = (await ctx.storage.deviceKeys.listByUser(o.user.id)).filter((k) => k.type === "biometric");
  const rows = keys.map((k) => {
    const name = deviceModel(k.deviceInfo) || t("settings.biometric.unknown_device");
    const remove = form("/settings/biometric/remove", `${hidden("csrf", o.csrf)}${hidden("id", k.id)}<button type="submit" class="secondary" aria-label="${escapeHtml(t("settings.biometric.remove_label", { device: name }))}">${escapeHtml(t("settings.biometric.remove"))}</button>`, { className: "inline" });
    return `<li data-device-key="${escapeHtml(k.id)}"><div><strong>${escapeHtml(name)}</strong><br><span class="muted">${escapeHtml(t("settings.biometric.added", { date: added(ui, k.createdAt) }))}</span></div>${remove}</li>`;
  });
  const list = rows.length ? `<ul class="sessions">${rows.join("\n")}</ul>` : `<p>${escapeHtml(t("settings.biometric.none"))}</p>`;
  return `<section aria-labelledby="biometric-heading"><h2 id="biometric-heading">${escapeHtml(t("settings.biometric.heading"))}</h2>
${errorBox(o.error ?? null, "biometric-error")}
${list}</section>`;
}

/**
 * Removes one of the user's own biometric keys. The key is looked up among the signed-in user's
 * keys, so another user's key id (or an anonymous key) is "not found", never removed. Refresh
 * tokens are not linked to the key that signed them in (offline grants do not record it), so
 * they stay, as with the admin API's removal: the device can no longer sign in with the key.
 */
export async function removeBiometricKey(ctx: Context, user: User, id: string, ip: string): Promise<boolean> {
  if (!isUserId(id)) return false;
  const key = (await ctx.storage.deviceKeys.listByUser(user.id)).find((k) => k.id === id && k.type === "biometric");
  if (!key) return false;
  const removed = await ctx.storage.atomic(async () => {
    const ok = await ctx.storage.deviceKeys.delete(user.id, key.id);
    if (ok) await emitBiometricEvent(ctx, "disabled", user, key, { triggeredBy: "user", ip });
    return ok;
  });
  if (!removed) return false;
  // The same action as the admin API's removal (admin/device-keys.ts), done by the user.
  await ctx.storage.auditLog.append({ at: ctx.now(), actor: `user:${user.id}`, action: "user.device_key.remove", targetType: "user", targetId: user.id, details: { device_key_id: key.id, ip } });
  return true;
}

type Post = (path: string, spec: { id: number }, handle: (request: FastifyRequest, reply: FastifyReply, ui: Ui, caller: Caller, fields: { id: string }) => Promise<FastifyReply>) => void;
type Render = (request: FastifyRequest, reply: FastifyReply, ui: Ui, caller: Caller, o: { errors: { biometric: string } }, status: number) => Promise<FastifyReply>;

/** POST /settings/biometric/remove, through the settings routes' `post` (session, CSRF, strict form). */
export function registerBiometricSettingsRoutes(ctx: Context, post: Post, render: Render): void {
  post("/settings/biometric/remove", { id: 64 }, async (request, reply, ui, caller, f) => {
    // Switched off, there is no section to show an error in: a page of its own says so.
    if (!biometricListed(ctx)) return sendProblemPage(ctx, reply, ui, 404, { title: "settings.biometric.heading", message: "settings.biometric.not_found" }, { href: "/settings", label: "settings.title" });
    if (await removeBiometricKey(ctx, caller.user, f.id, clientInfo(request).ip)) return seeOther(ctx, reply, "/settings?notice=biometric_removed");
    return render(request, reply, ui, caller, { errors: { biometric: ui.t("settings.biometric.not_found") } }, 404);
  });
}
