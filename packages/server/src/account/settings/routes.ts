// /settings and its forms. Every route needs the `session` cookie; without it, the login page.
import { withEmail } from "../../domain/user.ts";
import { accountLabel } from "../../identity/service.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clientInfo } from "../../http/client-info.ts";
import type { Context } from "../../context.ts";
import { clearSessionCookie, sessionCookieSettings } from "../../session/cookie.ts";
import type { Caller } from "../../session/caller.ts";
import type { MessageKey } from "../messages/index.ts";
import { hasTotp, qrCodeDataUrl, totpUri } from "../mfa/totp.ts";
import { policyError } from "../policy/describe.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../ui/post.ts";
import { seeOther, sendHtml, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { missingFields } from "../ui/field-errors.ts";
import { sendVerificationCode } from "../verification/service.ts";
import { settingsPage, type SettingsSection } from "./pages.ts";
import { beginTotpSetup, changePassword, confirmTotpSetup, disableTotp, regenerateRecoveryCodes, type Refused } from "./service.ts";
import { listUserSessions, revokeOtherSessions, revokeUserSession } from "../../session/user-sessions.ts";
import { encodeSid } from "../../tokens/sid.ts";
import { recoveryCodesPage, totpSetupPage } from "./totp-pages.ts";
import { recordUserEvent, USER_EVENTS } from "../../audit/events.ts";
import { connectedAccountsSection } from "../../sso/pages.ts";
import { disconnectIdentity } from "../../sso/disconnect.ts";
import { passkeySettingsBlock } from "../passkeys/service.ts";
import { secondFactorSettingsLink } from "../oob-otp/settings-routes.ts";
import { biometricSettingsBlock, registerBiometricSettingsRoutes } from "./biometric-section.ts";

/**
 * Notices the page may be asked to show after a redirect (a fixed list: nothing from the URL is
 * echoed). A Map: `?notice=constructor` must find nothing, not Object.prototype's constructor.
 */
const NOTICES = new Map<string, MessageKey>([
  ["verified", "verify.done"], ["password", "settings.password.changed"], ["mfa_off", "settings.mfa.disabled"], ["revoked", "settings.sessions.revoked"], ["revoked_others", "settings.sessions.revoked_others"],
  ["oauth_linked", "settings.oauth.connected"], ["oauth_already", "settings.oauth.already"], ["oauth_unlinked", "settings.oauth.disconnected"],
  ["passkey_added", "passkey.settings.added"], ["passkey_removed", "passkey.settings.removed"], ["passkey_failed", "passkey.settings.add_failed"], ["passkey_last_way", "passkey.settings.last_way"],
  ["biometric_removed", "settings.biometric.removed"],
]);

/** The browser session this request came with (null when a bearer token, not the cookie, signed it in). */
const currentSession = (caller: Caller): string | null => (caller.session.kind === "idp_session" ? caller.session.id : null);

export function registerSettingsRoutes(app: FastifyInstance, ctx: Context): void {
  const policy = ctx.config.authentication.password_policy;

  async function render(request: FastifyRequest, reply: FastifyReply, ui: Ui, caller: Caller, o: { notice?: string; errors?: Partial<Record<SettingsSection, string>> } = {}, status = 200): Promise<FastifyReply> {
    const user = caller.user;
    const totpOn = await hasTotp(ctx, user.id);
    const identities = await ctx.storage.identities.listByUser(user.id);
    return sendHtml(ctx, reply, settingsPage(ui, {
      csrf: pageCsrf(ctx, request, reply), account: await accountLabel(ctx, user), email: user.email, verified: user.isVerified, totpOn,
      recoveryLeft: totpOn ? await ctx.storage.recoveryCodes.countUnused(user.id) : 0,
      sessions: await listUserSessions(ctx, user.id, { currentSessionId: currentSession(caller) }),
      notice: o.notice ?? null, errors: o.errors ?? {}, policy, identities,
      // OAuth identities are listed (and connected, disconnected) in their own section.
      connected: connectedAccountsSection(ui, ctx.config, { csrf: pageCsrf(ctx, request, reply), identities, error: o.errors?.oauth ?? null })
        + (await passkeySettingsBlock(ctx, ui, { csrf: pageCsrf(ctx, request, reply), user, identities }))
        + secondFactorSettingsLink(ui, ctx)
        + (await biometricSettingsBlock(ctx, ui, { csrf: pageCsrf(ctx, request, reply), user, error: o.errors?.biometric ?? null })),
    }), status);
  }

  const refusal = (ui: Ui, r: Refused, invalid: MessageKey): string =>
    ui.t(r.kind === "invalid" ? invalid : r.kind === "locked" ? "login.error.locked" : "error.too_many.message");
  const refusalStatus = (r: Refused): number => (r.kind === "invalid" ? 400 : 429);

  /** Signed-in routes: a POST also passes CSRF and a strict form read first. */
  function post<S extends Record<string, number>>(path: string, spec: S, handle: (request: FastifyRequest, reply: FastifyReply, ui: Ui, caller: Caller, fields: { [K in keyof S]: string }) => Promise<FastifyReply>): void {
    app.post(path, async (request, reply) => {
      const form = acceptForm(ctx, request, reply, spec);
      if (!form.ok) return form.reply;
      const caller = await sessionCaller(ctx, request);
      if (!caller) return seeOther(ctx, reply, "/login");
      return handle(request, reply, form.ui, caller, form.fields);
    });
  }

  app.get("/settings", async (request, reply) => {
    const caller = await sessionCaller(ctx, request);
    if (!caller) return seeOther(ctx, reply, "/login");
    const ui = uiFor(ctx, request);
    const key = NOTICES.get(String((request.query as Record<string, unknown>).notice ?? ""));
    return render(request, reply, ui, caller, { notice: key ? ui.t(key) : undefined });
  });

  post("/settings/verify", {}, async (request, reply, ui, caller) => {
    const user = withEmail(caller.user);
    if (!user || user.isVerified) return seeOther(ctx, reply, "/settings");
    await sendVerificationCode(ctx, user, { ip: clientInfo(request).ip, t: ui.t });
    return seeOther(ctx, reply, "/verify");
  });

  post("/settings/password", { current: 256, new_password: 256, confirm: 256, username: 254 }, async (request, reply, ui, caller, f) => {
    // What is missing, before anything is checked: an empty current password is not a guess.
    const missing = missingFields(ui.t, { current_password: f.current, new_password: f.new_password, confirm_password: f.confirm });
    if (missing) return render(request, reply, ui, caller, { errors: { password: Object.values(missing).join(" ") } }, 400);
    if (f.new_password !== f.confirm) return render(request, reply, ui, caller, { errors: { password: ui.t("policy.error.mismatch") } }, 400);
    const r = await changePassword(ctx, caller.user, { current: f.current, next: f.new_password, ip: clientInfo(request).ip });
    if (r.kind === "ok") return seeOther(ctx, reply, "/settings?notice=password");
    const message = r.kind === "weak" ? policyError(ui.t, r.rules, policy) : refusal(ui, r, "settings.password.error.current");
    return render(request, reply, ui, caller, { errors: { password: message } }, r.kind === "weak" ? 400 : refusalStatus(r));
  });

  app.get("/settings/totp", async (request, reply) => {
    const caller = await sessionCaller(ctx, request);
    if (!caller) return seeOther(ctx, reply, "/login");
    const secret = await beginTotpSetup(ctx, caller.user);
    if (!secret) return seeOther(ctx, reply, "/settings");
    const ui = uiFor(ctx, request);
    const qr = await qrCodeDataUrl(totpUri(new URL(ctx.issuer).host, await accountLabel(ctx, caller.user), secret));
    return sendHtml(ctx, reply, totpSetupPage(ui, { csrf: pageCsrf(ctx, request, reply), qrDataUrl: qr, secret, error: null }));
  });

  post("/settings/totp", { code: 32 }, async (request, reply, ui, caller, f) => {
    const codes = await confirmTotpSetup(ctx, caller.user, { code: f.code });
    if (codes) return sendHtml(ctx, reply, recoveryCodesPage(ui, codes));
    const pending = await ctx.storage.totp.get(caller.user.id);
    if (!pending || pending.confirmedAt !== null) return seeOther(ctx, reply, "/settings");
    const qr = await qrCodeDataUrl(totpUri(new URL(ctx.issuer).host, await accountLabel(ctx, caller.user), pending.secret));
    return sendHtml(ctx, reply, totpSetupPage(ui, { csrf: pageCsrf(ctx, request, reply), qrDataUrl: qr, secret: pending.secret, error: ui.t("totp_setup.error.invalid") }), 400);
  });

  post("/settings/totp/disable", { proof: 256 }, async (request, reply, ui, caller, f) => {
    const r = await disableTotp(ctx, caller.user, { proof: f.proof, ip: clientInfo(request).ip });
    if (r.kind === "ok") return seeOther(ctx, reply, "/settings?notice=mfa_off");
    return render(request, reply, ui, caller, { errors: { mfa: refusal(ui, r, "settings.mfa.error.proof") } }, refusalStatus(r));
  });

  post("/settings/recovery-codes", { code: 32 }, async (request, reply, ui, caller, f) => {
    const r = await regenerateRecoveryCodes(ctx, caller.user, { code: f.code, ip: clientInfo(request).ip });
    if (r.kind === "ok") return sendHtml(ctx, reply, recoveryCodesPage(ui, r.codes));
    if (r.kind === "rate_limited") return tooMany(ctx, reply, ui, r.retryAfter);
    return render(request, reply, ui, caller, { errors: { recovery: refusal(ui, r, "totp_login.error.invalid") } }, refusalStatus(r));
  });

  post("/settings/sessions/revoke", { kind: 20, id: 64 }, async (request, reply, ui, caller, f) => {
    const kind = f.kind === "idp_session" || f.kind === "offline_grant" ? f.kind : null;
    if (!kind || !(await revokeUserSession(ctx, caller.user.id, encodeSid({ kind, id: f.id })))) {
      return render(request, reply, ui, caller, { errors: { sessions: ui.t("error.bad_form.message") } }, 400);
    }
    await recordUserEvent(ctx, USER_EVENTS.sessionTerminated, caller.user, { sid: encodeSid({ kind, id: f.id }), ip: clientInfo(request).ip });
    // Signing this browser out: its cookie goes too, and the settings page is no longer reachable.
    if (f.kind === "idp_session" && caller.session.kind === "idp_session" && caller.session.id === f.id) {
      const cookie = sessionCookieSettings(ctx.config);
      clearSessionCookie(reply, cookie);
      return seeOther(ctx, reply, "/login");
    }
    return seeOther(ctx, reply, "/settings?notice=revoked");
  });

  post("/settings/oauth/disconnect", { identity: 64 }, async (request, reply, ui, caller, f) => {
    const r = await disconnectIdentity(ctx, caller.user, f.identity);
    if (r.kind === "ok") return seeOther(ctx, reply, "/settings?notice=oauth_unlinked");
    const message = r.kind === "last_way" ? ui.t("settings.oauth.last_way") : ui.t("error.bad_form.message");
    return render(request, reply, ui, caller, { errors: { oauth: message } }, r.kind === "last_way" ? 409 : 400);
  });

  // "Sign out everywhere else": this browser's login stays; everything else ends, in one transaction.
  post("/settings/sessions/revoke-others", {}, async (_request, reply, _ui, caller) => {
    await revokeOtherSessions(ctx, caller.user.id, { keepSessionId: currentSession(caller) });
    await recordUserEvent(ctx, USER_EVENTS.sessionTerminated, caller.user, { type: "all_except_current" });
    return seeOther(ctx, reply, "/settings?notice=revoked_others");
  });

  registerBiometricSettingsRoutes(ctx, post, render);
}
