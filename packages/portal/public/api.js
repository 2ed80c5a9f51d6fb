// The admin API client. The key lives in sessionStorage: it survives reloads of this tab and
// is forgotten when the tab closes. It is only ever sent to this origin's /_api/admin.

const STORAGE_KEY = "gatehouse.portal.adminKey";
const BASE = "/_api/admin";

export class ApiError extends Error {
  constructor(status, code, detail, title, errors = []) {
    super(detail || title || `Request failed with status ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.title = title;
    /** Per field: [{ field, code, message }] — `message` is in words ("At least 5 minutes"). */
    this.errors = Array.isArray(errors) ? errors : [];
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
    const err = new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.detail ?? "", data?.title ?? res.statusText, data?.errors);
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
  create: (body) => request("POST", "/users", { body }),
  security: (id) => request("GET", `/users/${seg(id)}/security`),
  resetLockout: (id) => request("DELETE", `/users/${seg(id)}/lockout`),
  removeMfa: (id) => request("DELETE", `/users/${seg(id)}/mfa`),
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
  list: ({ cursor, limit = 50, userId, targetId, action } = {}) =>
    request("GET", `/audit-log${q({ cursor, limit, user_id: userId, target_id: targetId, action })}`),
};

export const adminKeys = {
  list: () => request("GET", "/admin-keys"),
  revoke: (id) => request("DELETE", `/admin-keys/${seg(id)}`),
};

export const hooks = {
  handlers: () => request("GET", "/hooks"),
  deliveries: ({ handler, status, before, limit = 50 } = {}) => request("GET", `/hooks/deliveries${q({ handler, status, before, limit })}`),
  replay: (id) => request("POST", `/hooks/deliveries/${seg(String(id))}/replay`),
  test: (url) => request("POST", "/hooks/test", { body: { url } }),
};

/** "Must be at least …" → "Must be at least ….": a sentence, capitalised and ended. */
const sentence = (text) => {
  const t = String(text).trim();
  if (!t) return t;
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/** access_token_lifetime_seconds → "Access token lifetime", for fields a form did not label. */
const fieldName = (field) => sentence(String(field).split(".").pop().replace(/_seconds$/, "").replace(/_/g, " ")).replace(/\.$/, "");

/** One field's failure in words: "Access token lifetime: At least 5 minutes." */
export function fieldMessage(e, labels = {}) {
  const label = labels[e.field] ?? (e.field ? fieldName(e.field) : "");
  return label ? `${label}: ${sentence(e.message)}` : sentence(e.message);
}

/**
 * The message to show for any failure, in words: per-field messages (with the form's own labels
 * when given), else the problem's detail. Never the validator's own text.
 */
export function errorMessage(err, labels = {}) {
  if (err instanceof ApiError) {
    if (err.status === 401) return "This admin API key is not accepted: it is mistyped, or it has been revoked.";
    if (err.errors.length) return err.errors.map((e) => fieldMessage(e, labels)).join(" ");
    return sentence(err.detail || err.title || err.message);
  }
  return sentence(err?.message || String(err));
}
