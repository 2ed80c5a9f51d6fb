// The page after a logout that had nowhere to return to (no post_logout_redirect_uri). It must offer
// a way back in: when the logout names an app (client_id or the ID token hint) that registered a
// post-logout page, "Back to <app>" leads there, and the app starts its own sign-in (with its own
// PKCE, state and redirect URI, which we cannot forge for it); "Sign in again" always leads to our
// own sign-in page, which ends on the account page when no app is waiting.
import type { Context } from "../context.ts";
import { escapeHtml } from "../http/html.ts";
import { accountPage } from "../account/ui/layout.ts";
import { pickLocale, translator } from "../account/messages/index.ts";
import { pageResponse } from "../edge/responses.ts";
import type { EdgeResponse } from "../edge/types.ts";
import type { Params } from "./params.ts";
import { idTokenHint } from "./end-session.ts";

/** The app this logout came from, if it names one we know that has a post-logout page. */
function returningApp(ctx: Context, p: Params): { name: string; href: string } | null {
  const clientId = p.client_id ?? idTokenHint(ctx, p.id_token_hint)?.clientId;
  const client = clientId ? ctx.clients.get(clientId) : undefined;
  const href = client?.post_logout_redirect_uris[0];
  return client && href ? { name: client.name || client.client_id, href } : null;
}

export function signedOutResponse(ctx: Context, p: Params, acceptLanguage: string | undefined, headers: Record<string, string | string[]>): EdgeResponse {
  const locale = pickLocale(acceptLanguage);
  const t = translator(locale);
  const app = returningApp(ctx, p);
  const links = [
    app ? `<a href="${escapeHtml(app.href)}">${escapeHtml(t("signed_out.back_to_app", { app: app.name }))}</a>` : "",
    `<a href="/login">${escapeHtml(t("signed_out.sign_in"))}</a>`,
  ].filter(Boolean);
  const body = `<h1>${escapeHtml(t("signed_out.heading"))}</h1>
<p role="status">${escapeHtml(t("signed_out.message"))}</p>
<div class="links">${links.join("\n")}</div>`;
  return pageResponse(200, accountPage({ t, locale, title: t("signed_out.title"), body }), { headers });
}
