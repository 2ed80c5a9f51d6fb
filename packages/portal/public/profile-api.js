// Admin API calls for roles, groups and user profiles (attributes, role and group assignments).
import { request } from "./api.js";

const seg = encodeURIComponent;
const list = (kind) => ({ query, cursor, limit = 100 } = {}) => {
  const s = new URLSearchParams({ limit: String(limit) });
  if (query) s.set("query", query);
  if (cursor) s.set("cursor", cursor);
  return request("GET", `/${kind}?${s}`);
};
const crud = (kind) => ({
  list: list(kind),
  get: (key) => request("GET", `/${kind}/${seg(key)}`),
  create: (body) => request("POST", `/${kind}`, { body }),
  update: (key, body) => request("PATCH", `/${kind}/${seg(key)}`, { body }),
  remove: (key) => request("DELETE", `/${kind}/${seg(key)}`),
});

export const roles = crud("roles");
export const groups = {
  ...crud("groups"),
  addRoles: (key, roleKeys) => request("POST", `/groups/${seg(key)}/roles`, { body: { roles: roleKeys } }),
  removeRole: (key, role) => request("DELETE", `/groups/${seg(key)}/roles/${seg(role)}`),
};
export const userProfile = {
  attributes: (id) => request("GET", `/users/${seg(id)}/attributes`),
  updateAttributes: (id, patch) => request("PATCH", `/users/${seg(id)}/attributes`, { body: patch }),
  roles: (id) => request("GET", `/users/${seg(id)}/roles`),
  addRoles: (id, keys) => request("POST", `/users/${seg(id)}/roles`, { body: { roles: keys } }),
  removeRole: (id, key) => request("DELETE", `/users/${seg(id)}/roles/${seg(key)}`),
  addGroups: (id, keys) => request("POST", `/users/${seg(id)}/groups`, { body: { groups: keys } }),
  removeGroup: (id, key) => request("DELETE", `/users/${seg(id)}/groups/${seg(key)}`),
};

/** "a, b c" → ["a", "b", "c"] */
export const keyList = (text) => text.split(/[\s,]+/).filter(Boolean);
