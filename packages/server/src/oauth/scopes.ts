export const FULL_ACCESS_SCOPE = "https://authgear.com/scopes/full-access";
export const SUPPORTED_SCOPES = ["openid", "offline_access", "profile", "email", "phone", "address", FULL_ACCESS_SCOPE] as const;

export function parseScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? "").split(" ").filter(Boolean))];
}
