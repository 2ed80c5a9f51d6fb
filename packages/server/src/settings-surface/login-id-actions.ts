// Which settings actions add or change a login ID, which keys they may touch, and the login ID the
// app named. No page code: the authorization request's checks (actions.ts) read these too.
import type { Context } from "../context.ts";
import type { LoginIdKeyConfig } from "../config/identity.ts";
import type { LoginIdType } from "../domain/identity.ts";
import { loginIdKeys } from "../identity/login-id/index.ts";

export const LOGIN_ID_ACTIONS: ReadonlyMap<string, { mode: "add" | "change"; type: LoginIdType }> = new Map([
  ["add_email", { mode: "add", type: "email" }], ["add_phone", { mode: "add", type: "phone" }], ["add_username", { mode: "add", type: "username" }],
  ["change_email", { mode: "change", type: "email" }], ["change_phone", { mode: "change", type: "phone" }], ["change_username", { mode: "change", type: "username" }],
] as const);

/** The keys of `type` users may modify themselves (identity.login_id.keys[].modify_disabled off). */
export const modifiableKeys = (ctx: Context, type: LoginIdType): LoginIdKeyConfig[] =>
  loginIdKeys(ctx.config).filter((k) => k.type === type && !k.modify_disabled);

/**
 * q_login_id from x_settings_action_query: @authgear/web URL-encodes the query object (q_login_id=…);
 * a JSON object ({"q_login_id": "…"}) is read too. Anything else is ignored: the page lets the user choose.
 */
export function actionQueryLoginId(raw: string | undefined): string | null {
  if (!raw || raw.length > 2000) return null;
  let value: unknown = null;
  if (raw.trimStart().startsWith("{")) {
    try { value = (JSON.parse(raw) as Record<string, unknown>)?.q_login_id; } catch { value = null; }
  } else value = new URLSearchParams(raw).get("q_login_id");
  return typeof value === "string" && value.length > 0 && value.length <= 320 ? value : null;
}
