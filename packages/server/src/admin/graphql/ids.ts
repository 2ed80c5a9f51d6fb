// Relay global IDs as Authgear makes them (pkg/graphqlgo/relay): base64url without padding of
// `<Type>:<id>`. A user's global ID is base64url("User:<uuid>").
export type NodeType = "User" | "Identity" | "Session" | "Role" | "Group" | "AuditLog" | "Authenticator";

const TYPES: ReadonlySet<string> = new Set(["User", "Identity", "Session", "Role", "Group", "AuditLog", "Authenticator"]);

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

/** The type and id a global ID names, or null if it is not one we make. */
export function fromGlobalId(globalId: string): { type: NodeType; id: string } | null {
  if (globalId.length > 300 || !/^[A-Za-z0-9_-]+={0,2}$/.test(globalId)) return null;
  const text = Buffer.from(globalId, "base64url").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 1) return null;
  const type = text.slice(0, colon);
  const id = text.slice(colon + 1);
  return TYPES.has(type) && id.length > 0 ? { type: type as NodeType, id } : null;
}
