// The pending authorization request a login page works for (`?flow=`): its app name and hints.
import type { Context } from "../../context.ts";
import { parseLoginHint } from "../../oauth/authorize/login-hint.ts";
import { suppressesIdpSessionCookie } from "../../oauth/authorize/sso.ts";
import { loadAuthFlow } from "../../oauth/authorize/flow.ts";

export interface FlowView {
  id: string;
  appName: string;
  /** The app the login is for (webhook events' context.client_id). */
  clientId: string;
  loginHint: string;
  /** SSO off: the login must not leave a shared `session` cookie (oauth/authorize/sso.ts). */
  suppressCookie: boolean;
  /** The app's ui_locales and x_color_scheme, for the page's language and scheme (ui/respond.ts uiFor). */
  ui: { ui_locales?: string; x_color_scheme?: string };
}

/** The flow id must name a live pending request; anything else (wrong shape, unknown, expired) is null. */
export async function loadFlow(ctx: Context, flowId: string): Promise<FlowView | null> {
  const flow = await loadAuthFlow(ctx, flowId);
  if (!flow) return null;
  return {
    id: flow.id,
    appName: ctx.clients.get(flow.clientId)?.name ?? "",
    clientId: flow.clientId,
    loginHint: parseLoginHint(flow.params.login_hint) ?? "",
    suppressCookie: suppressesIdpSessionCookie(flow.params),
    ui: { ui_locales: flow.params.ui_locales, x_color_scheme: flow.params.x_color_scheme },
  };
}
