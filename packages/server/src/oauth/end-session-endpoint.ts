// /oauth2/end_session as an edge endpoint, with a guard against logout CSRF: a cross-site page must
// not be able to sign a person out by navigating them here (SameSite=Lax cookies ride along on
// top-level navigations). The session ends at once when the request carries an ID token hint for
// this session's user, or comes from our own site (Sec-Fetch-Site, else Origin/Referer); otherwise
// the person is asked to confirm. The confirmation form carries a token derived from the HttpOnly
// session cookie, which another site cannot read: our pages send no Referer (and so, on plain http
// without Fetch Metadata, a null Origin), so the POST cannot be recognised by where it came from.
import { getDomain } from "tldts";
import type { Context } from "../context.ts";
import { parseSessionCookie } from "../session/idp-sessions.ts";
import { callerFromCookie } from "../session/caller.ts";
import { revokeSession } from "../session/revocation.ts";
import { clearedSessionCookieHeader, sessionCookieSettings } from "../session/cookie.ts";
import { escapeHtml } from "../http/html.ts";
import { accountPage } from "../account/ui/layout.ts";
import { uiForEdge, type Ui } from "../account/ui/ui.ts";
import { pageResponse, redirectResponse } from "../edge/responses.ts";
import type { EdgeRequest, Handler } from "../edge/types.ts";
import { toParams, type Params } from "./params.ts";
import { endSessionRedirect, idTokenHint } from "./end-session.ts";
import { signedOutResponse } from "./signed-out-page.ts";
import { safeEqual, sha256 } from "../crypto/secrets.ts";
import { recordUserEvent, USER_EVENTS } from "../audit/events.ts";

/** Proof that the confirmation page was shown to the browser holding this session cookie. */
const confirmToken = (cookieValue: string): string => sha256(`end_session confirmation:${cookieValue}`);

const siteOf = (origin: string): string | null => {
  try {
    const url = new URL(origin);
    return `${url.protocol}//${getDomain(url.hostname, { allowPrivateDomains: true }) ?? url.hostname}`;
  } catch {
    return null;
  }
};

/** Did this request come from our own site (or from the person, typing or bookmarking the URL)? */
export function fromOwnSite(request: EdgeRequest, issuer: string): boolean {
  const fetchSite = request.headers["sec-fetch-site"];
  if (typeof fetchSite === "string") return fetchSite === "same-origin" || fetchSite === "same-site" || fetchSite === "none";
  // Browsers without Fetch Metadata: the Origin (POST) or Referer must be on our site.
  const from = request.headers.origin ?? request.headers.referer;
  return typeof from === "string" && from !== "null" && siteOf(from) === siteOf(issuer);
}

function confirmPage(ui: Ui, p: Params, token: string): string {
  const keep = ["post_logout_redirect_uri", "state", "client_id", "ui_locales"]
    .filter((k) => p[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k])}">`)
    .join("\n");
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("sign_out_confirm.title"),
    body: `<h1>${escapeHtml(t("sign_out_confirm.title"))}</h1>
<p>${escapeHtml(t("sign_out_confirm.message"))}</p>
<form method="post" action="/oauth2/end_session">
${keep}
<input type="hidden" name="confirm" value="${token}">
<button type="submit">${escapeHtml(t("sign_out_confirm.submit"))}</button>
</form>`,
  });
}

export function endSessionEndpoint(ctx: Context): Handler {
  const cookie = sessionCookieSettings(ctx.config);
  const cleared = clearedSessionCookieHeader(cookie);
  return async (request) => {
    const p = toParams(request.method === "POST" ? request.form() : request.query(), { redirectable: false });
    const location = endSessionRedirect(ctx, p);
    const value = request.cookie(cookie.name);
    const parsed = value ? parseSessionCookie(value) : null;
    const caller = parsed && value ? await callerFromCookie(ctx, value, request.client) : null;
    if (caller && parsed) {
      const hinted = idTokenHint(ctx, p.id_token_hint)?.userId === caller.user.id;
      const confirmed = request.method === "POST" && typeof p.confirm === "string" && safeEqual(p.confirm, confirmToken(value!));
      if (!hinted && !confirmed && !fromOwnSite(request, ctx.issuer)) {
        // CSP form-action must allow the redirect that follows the confirming POST (Chromium applies it to the hop).
        return pageResponse(200, confirmPage(uiForEdge(ctx, request, p.ui_locales), p, confirmToken(value!)), { formTargets: location ? [new URL(location).origin] : [] });
      }
      await revokeSession(ctx, parsed.id, { type: "user.signed_out", origin: { triggeredBy: "user", ip: request.client.ip, userAgent: request.client.userAgent, clientId: p.client_id } });
      await recordUserEvent(ctx, USER_EVENTS.signedOut, caller.user, { sid: `i.${parsed.id}`, ip: request.client.ip });
    }
    const headers: Record<string, string> = value !== undefined ? { "set-cookie": cleared } : {};
    if (location) return redirectResponse(location, headers);
    return signedOutResponse(ctx, request, p, headers);
  };
}
