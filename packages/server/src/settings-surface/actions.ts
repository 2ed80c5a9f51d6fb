// Settings actions (Authgear's response_type …:settings-action): the app asks for one action, the
// browser lands on a page that does exactly that, and the page sends the browser back to the app's
// redirect URI with a code, which the app redeems with the settings-action grant (200 `{}`). The
// pending action is a row (storage/settings-surface-ports.ts) bound to the user who started it.
import type { Context } from "../context.ts";
import { randomToken, sha256 } from "../crypto/secrets.ts";
import { OAuthError } from "../oauth/errors.ts";
import { redirectWith } from "../oauth/authorize/redirect.ts";
import type { AuthorizationRequest } from "../oauth/authorize/request.ts";
import type { SettingsActionRow } from "../storage/settings-surface-ports.ts";
import { SETTINGS_ACTIONS, SETTINGS_ACTION_ID_PARAM, SETTINGS_ACTION_RESPONSE_TYPE } from "./names.ts";
import { providerByAlias } from "../sso/providers/index.ts";
import { LOGIN_ID_ACTIONS, actionQueryLoginId, modifiableKeys } from "./login-id-actions.ts";

/** How long the page may take (as a pending sign-in), and the code's life (Authgear's duration.Short). */
export const SETTINGS_ACTION_LIFETIME_SECONDS = 1800;
export const SETTINGS_ACTION_CODE_LIFETIME_SECONDS = 300;

/** The actions this server has a page for, and the page. */
export const ACTION_PAGES: ReadonlyMap<string, string> = new Map([
  ["change_password", "/settings/change_password"],
  ["delete_account", "/settings/delete_account"],
  ["unlink_oauth", "/settings/unlink_oauth"],
  ["link_oauth", "/settings/link_oauth"],
  ...[...LOGIN_ID_ACTIONS.keys()].map((a): [string, string] => [a, `/settings/${a}`]),
]);

/**
 * Authgear's checks of a settings-action request (validateRequest, BuildSettingsActionURL), as
 * invalid_request errors that go back to the app: an unknown action, delete_account while
 * account_deletion.scheduled_by_end_user_enabled is off, an action with no page here.
 */
export function checkSettingsAction(ctx: Context, req: AuthorizationRequest): void {
  if (req.responseType !== SETTINGS_ACTION_RESPONSE_TYPE) return;
  const action = req.extras.x_settings_action ?? "";
  if (!(SETTINGS_ACTIONS as readonly string[]).includes(action)) throw new OAuthError("invalid_request", "invalid settings action");
  if (action === "delete_account" && !ctx.config.account_deletion.scheduled_by_end_user_enabled) {
    throw new OAuthError("invalid_request", "account deletion by end user is disabled");
  }
  // Authgear's BuildSettingsActionURL wording.
  if ((action === "link_oauth" || action === "unlink_oauth") && !req.extras.x_oauth_provider_alias) {
    throw new OAuthError("invalid_request", `oauthProviderAlias is required for ${action}`);
  }
  if (action === "link_oauth" && !providerByAlias(ctx.config, req.extras.x_oauth_provider_alias)) {
    throw new OAuthError("invalid_request", "oauthProviderAlias is not a configured provider");
  }
  // A login ID type that is not configured, or only under keys with modify_disabled: nothing to do here.
  const loginId = LOGIN_ID_ACTIONS.get(action);
  if (loginId && modifiableKeys(ctx, loginId.type).length === 0) throw new OAuthError("invalid_request", `settings action ${action} is not available on this server`);
  if (!ACTION_PAGES.has(action)) throw new OAuthError("invalid_request", `settings action ${action} is not available on this server`);
}

/** Stores the pending action for `userId`; returns the page to send the browser to. */
export async function beginSettingsAction(ctx: Context, req: AuthorizationRequest, userId: string): Promise<string> {
  const action = req.extras.x_settings_action ?? "";
  const page = ACTION_PAGES.get(action);
  if (!page) throw new OAuthError("invalid_request", "invalid settings action");
  const now = ctx.now();
  const id = randomToken();
  await ctx.storage.settingsActions.create({
    id, clientId: req.client.client_id, userId, action, redirectUri: req.redirectUri, state: req.state, codeChallenge: req.codeChallenge,
    providerAlias: req.extras.x_oauth_provider_alias?.slice(0, 100) ?? null,
    createdAt: now, expiresAt: now + SETTINGS_ACTION_LIFETIME_SECONDS, codeHash: null, codeExpiresAt: null, usedAt: null,
  });
  const q = new URLSearchParams({ [SETTINGS_ACTION_ID_PARAM]: id });
  if (req.uiLocales) q.set("ui_locales", req.uiLocales);
  // Which login ID to change preselects the page's choice; the page only offers the user's own.
  const qLoginId = LOGIN_ID_ACTIONS.get(action)?.mode === "change" ? actionQueryLoginId(req.extras.x_settings_action_query) : null;
  if (qLoginId) q.set("q_login_id", qLoginId);
  return `${page}?${q.toString()}`;
}

/** The pending, unfinished action `id` of `action` for `userId`, or null (unknown, expired, finished, someone else's). */
export async function pendingAction(ctx: Context, id: unknown, o: { action: string; userId: string }): Promise<SettingsActionRow | null> {
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const row = await ctx.storage.settingsActions.get(id);
  const live = row && row.action === o.action && row.userId === o.userId && row.codeHash === null && row.expiresAt > ctx.now();
  return live ? row : null;
}

/** The page did its work: mint the code and give the redirect back to the app (null if already finished). */
export async function finishSettingsAction(ctx: Context, row: SettingsActionRow): Promise<string | null> {
  const code = randomToken();
  const now = ctx.now();
  if (!(await ctx.storage.settingsActions.complete(row.id, row.userId, { codeHash: sha256(code), codeExpiresAt: now + SETTINGS_ACTION_CODE_LIFETIME_SECONDS, now }))) return null;
  return redirectWith(row.redirectUri, { code, state: row.state, iss: ctx.issuer });
}
