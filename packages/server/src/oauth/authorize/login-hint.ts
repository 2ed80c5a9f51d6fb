// login_hint is either a plain email or Authgear's URL form:
// https://authgear.com/login_hint?type=login_id&email=… (also login_id=… / phone=… / username=…).
export function parseLoginHint(hint: string | undefined): string | null {
  if (!hint) return null;
  if (!hint.startsWith("https://authgear.com/login_hint")) return hint.slice(0, 254);
  try {
    const q = new URL(hint).searchParams;
    const value = q.get("email") ?? q.get("login_id") ?? q.get("username") ?? q.get("phone");
    return value ? value.slice(0, 254) : null;
  } catch {
    return null;
  }
}

/**
 * The token of Authgear's `…login_hint?type=app_session_token&app_session_token=…` hint, or null
 * for any other hint (settings-surface/app-session-token.ts spends it).
 */
export function appSessionTokenOf(hint: string | undefined): string | null {
  if (!hint || !hint.startsWith("https://authgear.com/login_hint?")) return null;
  try {
    const q = new URL(hint).searchParams;
    return q.get("type") === "app_session_token" ? q.get("app_session_token") ?? "" : null;
  } catch {
    return null;
  }
}
