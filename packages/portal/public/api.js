// The admin API client. The key lives in sessionStorage: it survives reloads of this tab and
// is forgotten when the tab closes. It is only ever sent to this origin's /_api/admin.

const STORAGE_KEY = "gatehouse.portal.adminKey";
const BASE = "/_api/admin";

export class ApiError extends Error {
  constructor(status, code, detail, title) {
    super(detail || title || `Request failed with status ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.title = title;
  }
}

export function getKey() {
  try { return sessionStorage.getItem(STORAGE_KEY); } catch { return null; }
}

export function setKey(key) {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function clearKey() {
  try { sessionStorage.removeItem(STORAGE_KEY); } catch { /* storage unavailable */ }
}

/** Called when a stored key stops working (revoked while signed in). */
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function request(method, path, { body, key = getKey(), signal } = {}) {
  const headers = { accept: "application/json, application/problem+json" };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let res;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: "no-store",
      credentials: "omit",
      signal,
    });
  } catch (err) {
    if (err?.name === "AbortError") throw err;
    throw new ApiError(0, "NETWORK", "Could not reach the server. Check your connection and try again.");
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.detail ?? "", data?.title ?? res.statusText);
    if (res.status === 401 && key === getKey()) onUnauthorized(err);
    throw err;
  }
  return data;
}

const q = (params) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : "";
};
const seg = encodeURIComponent;

/** Checks a key without storing it. */
export const verifyKey = (key) => request("GET", `/users${q({ limit: 1 })}`, { key });

export const users = {
  list: ({ query, role, group, cursor, limit = 25 } = {}, signal) => request("GET", `/users${q({ query, role, group, cursor, limit })}`, { signal }),
  get: (id) => request("GET", `/users/${seg(id)}`),
  disable: (id, reason) => request("POST", `/users/${seg(id)}/disable`, { body: { reason } }),
  enable: (id) => request("POST", `/users/${seg(id)}/enable`),
  remove: (id) => request("DELETE", `/users/${seg(id)}`),
  setPassword: (id, password) => request("POST", `/users/${seg(id)}/password`, { body: { password } }),
  sessions: (id) => request("GET", `/users/${seg(id)}/sessions`),
  revokeSession: (id, sid) => request("DELETE", `/users/${seg(id)}/sessions/${seg(sid)}`),
  revokeAllSessions: (id) => request("DELETE", `/users/${seg(id)}/sessions`),
};

export const clients = {
  list: () => request("GET", "/clients"),
  get: (id) => request("GET", `/clients/${seg(id)}`),
  update: (id, patch) => request("PATCH", `/clients/${seg(id)}`, { body: patch }),
};

export const auditLog = {
  list: ({ cursor, limit = 50, targetId } = {}) => request("GET", `/audit-log${q({ cursor, limit, target_id: targetId })}`),
};

/** The message to show for any failure: the problem's detail, else its title. */
export function errorMessage(err) {
  if (err instanceof ApiError) return err.detail || err.title || err.message;
  return err?.message || String(err);
}
