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
