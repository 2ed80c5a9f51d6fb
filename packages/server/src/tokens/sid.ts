// A token's `sid` names what keeps it alive: an offline grant (refresh token) or an IdP session
// (cookie). Revoking either kills every token that carries its sid, on the next check.
export type SessionRef = { kind: "offline_grant" | "idp_session"; id: string };

export function encodeSid(ref: SessionRef): string {
  return `${ref.kind === "offline_grant" ? "o" : "i"}.${ref.id}`;
}

export function decodeSid(sid: unknown): SessionRef | null {
  if (typeof sid !== "string") return null;
  const m = /^([oi])\.([0-9a-f]{32})$/.exec(sid);
  if (!m) return null;
  return { kind: m[1] === "o" ? "offline_grant" : "idp_session", id: m[2] };
}
