// Every endpoint under attack, as data: its method and path, the parameter names it knows (so the
// generators hit them), what a legitimate non-4xx answer is, and which tables it may write when it
// legitimately does something. Admin routes come straight from the admin route table.
import { adminRoutes } from "../../src/admin/routes-table.ts";
import type { Seeds } from "./target.ts";

export interface EndpointSpec {
  name: string;
  method: "GET" | "HEAD" | "POST" | "PATCH" | "DELETE";
  /** Path; `:name` segments are filled with real or hostile values. */
  path: string;
  /** Real values for `:name` path segments. */
  pathValues?: (s: Seeds) => Record<string, string[]>;
  query?: string[];
  /** Body kind and its field names. */
  body?: { kind: "form" | "json"; fields: string[] };
  /** A valid request to start from (hostile pairs are merged in or appended). */
  base?: (s: Seeds) => Record<string, string>;
  /** Forms with the double-submit CSRF pair (cookie gh_csrf = field csrf). */
  csrf?: boolean;
  /** Real cookies and Authorization values the generator may include. */
  cookies?: (s: Seeds) => string[];
  authorizations?: (s: Seeds) => string[];
  /** 2xx/3xx answers that are legitimate for this endpoint. Everything else must be 4xx. */
  accepts: number[];
  /** Tables the endpoint may legitimately change: on an accepted answer, and on a refusal (a failed guess counts). */
  mayWrite?: { accepted?: string[]; refused?: string[] };
  /** The resolver: without a real credential, 200 must say valid: false. */
  resolver?: boolean;
}

const SPA = "test-spa";
const REDIRECT = "http://127.0.0.1:9/callback";
const session = (s: Seeds): string[] => [`session=${s.session}`];
const signedIn = { cookies: session };
const PAGE = [200, 302, 303];
const AUTHORIZE_PARAMS = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "prompt", "max_age", "code_challenge", "code_challenge_method",
  "login_hint", "ui_locales", "response_mode", "request", "request_uri", "id_token_hint", "x_page", "x_sso_enabled", "x_suppress_idp_session_cookie"];
const authorizeBase = (): Record<string, string> => ({
  client_id: SPA, redirect_uri: REDIRECT, response_type: "code", scope: "openid offline_access", code_challenge_method: "S256", code_challenge: "a".repeat(43), state: "s",
});
// A signed-in authorize request that validates issues a code (and may resume a flow).
const AUTHORIZE_WRITES = { accepted: ["auth_flows", "authorization_codes", "idp_sessions"] };
const TOKEN_FIELDS = ["grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier", "refresh_token", "scope", "device_code", "jwt"];
const LOCKOUT = { refused: ["lockouts"] };

const oauth: EndpointSpec[] = [
  { name: "POST /oauth2/token", method: "POST", path: "/oauth2/token", body: { kind: "form", fields: TOKEN_FIELDS }, accepts: [],
    base: () => ({ grant_type: "refresh_token", client_id: SPA, refresh_token: `${"0".repeat(32)}.${"A".repeat(43)}` }),
    authorizations: () => [`Basic ${Buffer.from("test-backend:test-backend-secret-0123456789").toString("base64")}`] },
  { name: "POST /oauth2/revoke", method: "POST", path: "/oauth2/revoke", body: { kind: "form", fields: ["token", "token_type_hint", "client_id"] }, accepts: [200] },
  { name: "GET /oauth2/userinfo", method: "GET", path: "/oauth2/userinfo", accepts: [200], ...signedIn, mayWrite: { accepted: ["idp_sessions"] } },
  { name: "POST /oauth2/userinfo", method: "POST", path: "/oauth2/userinfo", body: { kind: "form", fields: ["access_token"] }, accepts: [200], ...signedIn, mayWrite: { accepted: ["idp_sessions"] } },
  { name: "GET /_resolver/resolve", method: "GET", path: "/_resolver/resolve", accepts: [200], resolver: true, ...signedIn, mayWrite: { accepted: ["idp_sessions"] } },
  { name: "HEAD /_resolver/resolve", method: "HEAD", path: "/_resolver/resolve", accepts: [200], resolver: true, ...signedIn, mayWrite: { accepted: ["idp_sessions"] } },
  { name: "GET /oauth2/jwks", method: "GET", path: "/oauth2/jwks", accepts: [200] },
  { name: "GET /.well-known/openid-configuration", method: "GET", path: "/.well-known/openid-configuration", accepts: [200] },
  { name: "GET /.well-known/oauth-authorization-server", method: "GET", path: "/.well-known/oauth-authorization-server", accepts: [200] },
  { name: "GET /oauth2/authorize", method: "GET", path: "/oauth2/authorize", query: AUTHORIZE_PARAMS, base: authorizeBase, accepts: [302], ...signedIn, mayWrite: AUTHORIZE_WRITES },
  { name: "POST /oauth2/authorize", method: "POST", path: "/oauth2/authorize", body: { kind: "form", fields: AUTHORIZE_PARAMS }, base: authorizeBase, accepts: [302], ...signedIn, mayWrite: AUTHORIZE_WRITES },
  { name: "GET /oauth2/authorize/resume", method: "GET", path: "/oauth2/authorize/resume", query: ["flow"], base: (s) => ({ flow: s.flowId }), accepts: [302], ...signedIn, mayWrite: AUTHORIZE_WRITES },
  // The real session cookie is not offered: a sign-out would end the session every other case uses.
  { name: "GET /oauth2/end_session", method: "GET", path: "/oauth2/end_session", query: ["id_token_hint", "post_logout_redirect_uri", "state", "client_id", "ui_locales"], accepts: [200, 302] },
  { name: "POST /oauth2/end_session", method: "POST", path: "/oauth2/end_session", body: { kind: "form", fields: ["id_token_hint", "post_logout_redirect_uri", "state", "client_id"] }, accepts: [200, 302] },
  { name: "GET /_api/revocations", method: "GET", path: "/_api/revocations", query: ["after", "limit"], accepts: [200] },
];

const pages: EndpointSpec[] = [
  { name: "GET /", method: "GET", path: "/", accepts: PAGE, ...signedIn },
  // With passkeys on, each page offering a ceremony stores its challenge.
  { name: "GET /login", method: "GET", path: "/login", query: ["flow"], base: (s) => ({ flow: s.flowId }), accepts: PAGE, mayWrite: { accepted: ["passkey_challenges"] } },
  { name: "GET /signup", method: "GET", path: "/signup", query: ["flow"], base: (s) => ({ flow: s.flowId }), accepts: PAGE, mayWrite: { accepted: ["passkey_challenges"] } },
  { name: "GET /_gatehouse/passkey.js", method: "GET", path: "/_gatehouse/passkey.js", accepts: [200] },
  { name: "GET /forgot", method: "GET", path: "/forgot", accepts: PAGE },
  { name: "GET /reset", method: "GET", path: "/reset", query: ["token"], accepts: PAGE },
  { name: "GET /verify", method: "GET", path: "/verify", accepts: PAGE, cookies: (s) => [`gh_pending=${s.pendingVerify}`, `session=${s.session}`] },
  { name: "GET /login/totp", method: "GET", path: "/login/totp", accepts: PAGE, cookies: (s) => [`gh_pending=${s.pendingTotp}`] },
  { name: "GET /login/recovery", method: "GET", path: "/login/recovery", accepts: PAGE, cookies: (s) => [`gh_pending=${s.pendingTotp}`] },
  { name: "GET /settings", method: "GET", path: "/settings", query: ["notice"], accepts: PAGE, ...signedIn, mayWrite: { accepted: ["passkey_challenges"] } },
  { name: "GET /settings", method: "GET", path: "/settings", query: ["notice"], accepts: PAGE, ...signedIn },
  { name: "GET /login/otp", method: "GET", path: "/login/otp", query: ["flow"], base: (s) => ({ flow: s.flowId }), accepts: PAGE },
  { name: "GET /login/otp/code", method: "GET", path: "/login/otp/code", accepts: PAGE, cookies: (s) => [`gh_pending=${s.pendingTotp}`] },
  { name: "GET /login/link", method: "GET", path: "/login/link", query: ["token"], accepts: PAGE },
  { name: "GET /login/mfa", method: "GET", path: "/login/mfa", accepts: PAGE, cookies: (s) => [`gh_pending=${s.pendingTotp}`] },
  { name: "GET /login/mfa/setup", method: "GET", path: "/login/mfa/setup", accepts: PAGE, cookies: (s) => [`gh_pending=${s.pendingTotp}`] },
  // Opening the TOTP page starts a setup (a pending authenticator row).
  { name: "GET /settings/totp", method: "GET", path: "/settings/totp", accepts: PAGE, ...signedIn, mayWrite: { accepted: ["totp_authenticators"] } },
  // Social sign-in: a start stores an attempt and goes to the provider; no forged callback is ever
  // anything but a page saying why (its POST form is Apple's form_post, turned into the GET).
  { name: "GET /sso/oauth2/start/:alias", method: "GET", path: "/sso/oauth2/start/:alias", pathValues: () => ({ alias: ["github"] }), query: ["flow", "intent", "csrf"], base: (s) => ({ flow: s.flowId }), accepts: [302], mayWrite: { accepted: ["auth_flows"] }, ...signedIn },
  { name: "GET /sso/oauth2/callback/:alias", method: "GET", path: "/sso/oauth2/callback/:alias", pathValues: () => ({ alias: ["github"] }), query: ["state", "code", "error", "user"], accepts: [] },
  { name: "POST /sso/oauth2/callback/:alias", method: "POST", path: "/sso/oauth2/callback/:alias", pathValues: () => ({ alias: ["github"] }), body: { kind: "form", fields: ["state", "code", "error", "user"] }, accepts: [303] },
];

const form = (path: string, fields: string[], extra: Partial<EndpointSpec> = {}): EndpointSpec =>
  ({ name: `POST ${path}`, method: "POST", path, body: { kind: "form", fields: [...fields, "csrf"] }, csrf: true, accepts: PAGE, ...extra });
const pendingTotp = (s: Seeds): string[] => [`gh_pending=${s.pendingTotp}`];
const forms: EndpointSpec[] = [
  form("/login", ["email", "password", "flow"], { mayWrite: LOCKOUT, base: (s) => ({ email: s.email, flow: s.flowId }) }),
  form("/signup", ["email", "password", "flow"], { mayWrite: { accepted: ["users", "identities", "passwords", "pending_logins", "one_time_codes", "outbox", "idp_sessions"] } }),
  form("/forgot", ["email"], { base: (s) => ({ email: s.email }), mayWrite: { accepted: ["one_time_codes", "outbox"] } }),
  form("/reset/code", ["email", "code"], { base: (s) => ({ email: s.email }), mayWrite: { refused: ["one_time_codes"] } }),
  form("/reset", ["token", "password", "confirm"]),
  form("/verify", ["code"], { cookies: (s) => [`gh_pending=${s.pendingVerify}`], mayWrite: { refused: ["one_time_codes"] } }),
  form("/verify/resend", [], { cookies: (s) => [`gh_pending=${s.pendingVerify}`], mayWrite: { accepted: ["one_time_codes", "outbox"] } }),
  form("/verify/skip", [], { cookies: (s) => [`gh_pending=${s.pendingVerify}`], mayWrite: { accepted: ["pending_logins", "idp_sessions"] } }),
  form("/login/totp", ["code"], { cookies: pendingTotp, mayWrite: LOCKOUT }),
  form("/login/recovery", ["recovery_code"], { cookies: pendingTotp, mayWrite: LOCKOUT }),
  form("/login/otp", ["login_id", "flow"], { base: (s) => ({ login_id: s.email, flow: s.flowId }), mayWrite: { accepted: ["pending_logins", "oob_otp_codes", "outbox"] } }),
  form("/login/otp/code", ["code"], { cookies: pendingTotp }),
  form("/login/otp/resend", [], { cookies: pendingTotp }),
  form("/login/otp/link", [], { cookies: pendingTotp }),
  form("/login/link", ["token"]),
  form("/login/mfa/send", ["id"], { cookies: pendingTotp }),
  form("/login/mfa/code", ["id", "code"], { cookies: pendingTotp }),
  form("/login/mfa/password", ["password"], { cookies: pendingTotp, mayWrite: LOCKOUT }),
  form("/login/mfa/setup/send", ["channel", "target"], { cookies: pendingTotp }),
  form("/login/mfa/setup/code", ["channel", "target", "code"], { cookies: pendingTotp }),
  form("/settings/verify", [], signedIn),
  form("/settings/password", ["current", "new_password", "confirm", "username"], { ...signedIn, mayWrite: LOCKOUT }),
  form("/settings/totp", ["code"], signedIn),
  form("/settings/totp/disable", ["proof"], { ...signedIn, mayWrite: LOCKOUT }),
  form("/settings/recovery-codes", ["code"], { ...signedIn, mayWrite: LOCKOUT }),
  form("/settings/sessions/revoke", ["kind", "id"], signedIn),
  form("/settings/oauth/disconnect", ["identity"], { ...signedIn, mayWrite: { accepted: ["identities"] } }),
  // Passkeys: no forged credential ever verifies; a refusal is audited (and spends a challenge, if it named one).
  form("/login/passkey", ["credential", "flow"], { base: (s) => ({ flow: s.flowId }), mayWrite: { refused: ["audit_log", "passkey_challenges"] } }),
  form("/signup/passkey", ["email", "credential", "flow"], { mayWrite: { refused: ["passkey_challenges"], accepted: ["pending_logins", "outbox"] } }),
  form("/settings/passkeys", ["credential"], { ...signedIn, mayWrite: { accepted: ["passkey_challenges"] } }),
  form("/settings/passkeys/remove", ["identity"], signedIn),
];

// Admin routes with a valid key. Write routes get hostile ids only (a real id would let a valid
// body delete or change the seeded user, which the other endpoints need); reads also get real ids.
const ADMIN_WRITES = ["users", "identities", "passwords", "audit_log", "client_settings", "revocations", "idp_sessions", "offline_grants", "authorization_codes", "totp_authenticators", "recovery_codes", "one_time_codes", "pending_logins", "lockouts"];
const admin: EndpointSpec[] = [
  { name: "GET /_api/admin/openapi.json", method: "GET", path: "/_api/admin/openapi.json", accepts: [200], authorizations: (s) => [`Bearer ${s.adminKey}`] },
  ...adminRoutes.map((r): EndpointSpec => {
    const fields = r.body ? Object.keys((r.body as unknown as { shape?: Record<string, unknown> }).shape ?? {}) : [];
    const query = r.query ? Object.keys((r.query as unknown as { shape?: Record<string, unknown> }).shape ?? {}) : [];
    const read = r.method === "GET";
    return {
      name: `${r.method} /_api/admin${r.path}`, method: r.method, path: `/_api/admin${r.path}`,
      pathValues: read ? (s) => ({ id: [s.userId, SPA], sid: [] }) : undefined,
      query, body: r.body ? { kind: "json", fields } : undefined,
      authorizations: (s) => [`Bearer ${s.adminKey}`],
      accepts: [r.status ?? 200],
      // Any request with the key may record its last use (admin/keys.ts, once per resolution window).
      mayWrite: { accepted: read ? ["admin_keys"] : [...ADMIN_WRITES, "admin_keys"] },
    };
  }),
  // Authgear's admin API (admin/graphql/): a read to start from; hostile text gets a 400 or a 200 carrying errors.
  { name: "POST /_api/admin/graphql", method: "POST", path: "/_api/admin/graphql", body: { kind: "json", fields: ["query", "variables", "operationName"] },
    base: () => ({ query: "{ users(first: 2) { edges { node { id standardAttributes } } } }" }),
    authorizations: (s) => [`Bearer ${s.adminKey}`], accepts: [200], mayWrite: { accepted: ["admin_keys"], refused: ["admin_keys"] } },
];

// With passkeys on, a sign-in, sign-up or settings form that answers with its page again (an
// error, a refusal) stores that page's new WebAuthn challenge, like the GET.
const CEREMONY_FORMS = /^\/(login|signup|settings)(\/|$)/;
const withChallenges = (spec: EndpointSpec): EndpointSpec => (!CEREMONY_FORMS.test(spec.path) ? spec : {
  ...spec,
  mayWrite: { accepted: [...(spec.mayWrite?.accepted ?? []), "passkey_challenges"], refused: [...(spec.mayWrite?.refused ?? []), "passkey_challenges"] },
});

export const ENDPOINTS: EndpointSpec[] = [...oauth, ...pages, ...forms.map(withChallenges), ...admin];
