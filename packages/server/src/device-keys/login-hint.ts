// Authgear's anonymous login_hint (authgear-sdk-js authgear-web/src/container.ts startPromoteAnonymousUser
// and authgear-react-native/src/index.ts promoteAnonymousUser L888): the user to promote, named by a
// promotion code (web) or a JWT signed by the device's anonymous key with action "promote" (native).
export type AnonymousLoginHint = { promotionCode: string } | { jwt: string };

export function parseAnonymousLoginHint(hint: string | undefined): AnonymousLoginHint | null {
  if (!hint || hint.length > 16_384 || !hint.startsWith("https://authgear.com/login_hint?")) return null;
  let q: URLSearchParams;
  try {
    q = new URL(hint).searchParams;
  } catch {
    return null;
  }
  if (q.get("type") !== "anonymous") return null;
  const code = q.get("promotion_code");
  if (code) return { promotionCode: code };
  const jwt = q.get("jwt");
  return jwt ? { jwt } : null;
}
