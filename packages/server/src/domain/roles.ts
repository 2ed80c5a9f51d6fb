// Roles and groups as Authgear models them: a role or a group has a key (unique, what tokens
// carry), an optional name and description; a group carries roles; a user holds roles directly and
// through the groups they belong to. The user's effective roles are the union of both.

export interface Role {
  id: string;
  key: string;
  name: string | null;
  description: string | null;
  createdAt: number;
  updatedAt: number;
}

export type Group = Role;

/** Authgear's rule for role and group keys: 1–40 characters, a letter or `_` first, then letters, digits, `:` or `_`. */
export const KEY_PATTERN = /^[a-zA-Z_][a-zA-Z0-9:_]{0,39}$/;

/** What is wrong with a new role or group key, or null. `authgear:` is reserved, as in Authgear. */
export function keyProblem(key: string): string | null {
  if (!KEY_PATTERN.test(key)) return "must be 1-40 characters: a letter or _ first, then letters, digits, : or _";
  if (key.startsWith("authgear:")) return "the prefix authgear: is reserved";
  return null;
}
