// Sessions for a server-rendered app on another domain (another eTLD+1), which cannot share
// Gatehouse's cookie. The app is a confidential client: authorization code + PKCE at login, its
// own encrypted cookie holding the tokens, refresh on expiry, and the session dropped as soon as
// refresh answers invalid_grant (revoked in Gatehouse). Works on node:http req/res, so Express too.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRemoteJWKSet, decodeJwt } from "jose";
import { appendSetCookie, requestCookie, serializeCookie } from "../http/cookies.ts";
import { endpoint, normalizeIssuer } from "../issuer.ts";
import { toAccessTokenClaims, type AccessTokenClaims } from "../verify/claims.ts";
import { CrossDomainError, TokenEndpointError } from "./errors.ts";
import { sameString, validateIdToken } from "./id-token.ts";
import { createRefreshCoalescer } from "./refresh-coalescer.ts";
import { createSealer } from "./sealed-cookie.ts";
import { requestTokens, revokeRefreshToken, type ClientCredentials, type TokenResponse } from "./token-endpoint.ts";

export interface CrossDomainOptions {
  /** The Gatehouse public origin. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This app's callback URL, registered in the client's `redirect_uris`. */
  redirectUri: string;
  /** Where Gatehouse sends the browser after logout; registered in `post_logout_redirect_uris`. */
  postLogoutRedirectUri?: string;
  /** The app's session cookie. Default `app_session`; the login cookie is `<name>_tx`. */
  cookieName?: string;
  /** At least 32 characters. An array rotates secrets: the first seals, all open. */
  cookieSecret: string | string[];
  /** Default `['openid', 'offline_access']`; `openid` is required, `offline_access` gives a refresh token. */
  scopes?: string[];
  /** Lifetime of the app cookie, renewed at every refresh. Default 30 days (Gatehouse's refresh idle timeout). */
  sessionMaxAgeSeconds?: number;
  /** Refresh when the access token expires within this many seconds. Default 30. */
  refreshLeewaySeconds?: number;
  clockToleranceSeconds?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The clock, in ms since the epoch. For tests. */
  now?: () => number;
}

export interface CrossDomainSession {
  userId: string;
  accessToken: string;
  expiresAt: Date;
  /** Claims of the access token (received directly from the token endpoint); null if it is opaque. */
  claims: AccessTokenClaims | null;
}

export interface CrossDomainSessions {
  /** Redirects to /oauth2/authorize. `returnTo` (a local path) is where the callback lands. */
  startLogin(req: IncomingMessage, res: ServerResponse, options?: { returnTo?: string; params?: Record<string, string> }): void;
  /** Completes login at the redirect URI: sets the app cookie and redirects to `returnTo`. Throws CrossDomainError. */
  handleCallback(req: IncomingMessage, res: ServerResponse): Promise<CrossDomainSession>;
  /** The session, refreshed if due; null when signed out or revoked (the cookie is then cleared). */
  getSession(req: IncomingMessage, res: ServerResponse): Promise<CrossDomainSession | null>;
  /** Revokes the grant, clears the cookie and redirects to Gatehouse's end_session. */
  logout(req: IncomingMessage, res: ServerResponse, options?: { state?: string }): Promise<void>;
}

interface Transaction { state: string; nonce: string; verifier: string; returnTo: string }
// id_token: the latest ID token, kept only to send as id_token_hint at logout (OIDC RP-Initiated
// Logout §2): it proves to Gatehouse that the logout comes from the app, not a cross-site page.
interface StoredSession { access_token: string; refresh_token: string | null; expires_at: number; sub: string; id_token?: string }
type RefreshOutcome = { kind: "refreshed"; session: StoredSession } | { kind: "revoked" };

const TRANSACTION_SECONDS = 600;
const random = (): string => randomBytes(32).toString("base64url");
const s256 = (verifier: string): string => createHash("sha256").update(verifier).digest("base64url");
// Refresh tokens are credentials: the in-memory coalescer is keyed by their hash.
const refreshKey = (token: string): string => createHash("sha256").update(`rt ${token}`).digest("base64url");
// Only local paths: an absolute or protocol-relative returnTo would be an open redirect.
const safeReturnTo = (p: string | undefined): string => (p && /^\/(?![/\\])/.test(p) ? p : "/");

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "cache-control": "no-store" }).end();
}

export function createCrossDomainSession(options: CrossDomainOptions): CrossDomainSessions {
  const issuer = normalizeIssuer(options.issuer);
  const now = options.now ?? Date.now;
  const sealer = createSealer(options.cookieSecret, now);
  const scopes = options.scopes ?? ["openid", "offline_access"];
  if (!scopes.includes("openid")) throw new TypeError("scopes must include openid: the ID token carries the nonce check");
  const cookieName = options.cookieName ?? "app_session";
  const txCookie = `${cookieName}_tx`;
  const secure = new URL(options.redirectUri).protocol === "https:";
  const maxAge = options.sessionMaxAgeSeconds ?? 30 * 86400;
  const leeway = options.refreshLeewaySeconds ?? 30;
  const client: ClientCredentials = { issuer, clientId: options.clientId, clientSecret: options.clientSecret, fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 10_000 };
  const keys = createRemoteJWKSet(new URL(endpoint(issuer, "/oauth2/jwks")), { cacheMaxAge: 5 * 60_000, cooldownDuration: 30_000 });
  const refresher = createRefreshCoalescer<RefreshOutcome>({ graceMs: 60_000, maxEntries: 10_000, now });
  const nowSeconds = (): number => Math.floor(now() / 1000);

  const writeSession = (res: ServerResponse, s: StoredSession): void =>
    appendSetCookie(res, serializeCookie(cookieName, sealer.seal(cookieName, s, now() + maxAge * 1000), { maxAgeSeconds: maxAge, secure }));
  const clear = (res: ServerResponse, name: string): void => appendSetCookie(res, serializeCookie(name, "", { maxAgeSeconds: 0, secure }));

  function present(s: StoredSession): CrossDomainSession {
    let claims: AccessTokenClaims | null = null;
    try {
      claims = toAccessTokenClaims(decodeJwt(s.access_token));
    } catch {
      // An opaque access token: the app still has the user id from the ID token.
    }
    return { userId: s.sub, accessToken: s.access_token, expiresAt: new Date(s.expires_at * 1000), claims };
  }

  const stored = (tokens: TokenResponse, sub: string, previousRefreshToken: string | null, previousIdToken?: string): StoredSession => ({
    access_token: tokens.access_token,
    // Without rotation the server sends no new refresh token: the old one stays valid.
    refresh_token: tokens.refresh_token ?? previousRefreshToken,
    // Our own clock plus expires_in: immune to clock skew between the app and Gatehouse.
    expires_at: nowSeconds() + tokens.expires_in,
    sub,
    id_token: tokens.id_token ?? previousIdToken,
  });

  async function refresh(s: StoredSession & { refresh_token: string }): Promise<RefreshOutcome> {
    try {
      const tokens = await requestTokens(client, { grant_type: "refresh_token", refresh_token: s.refresh_token });
      return { kind: "refreshed", session: stored(tokens, s.sub, s.refresh_token, s.id_token) };
    } catch (err) {
      // RFC 6749 §5.2: invalid_grant = the refresh token is revoked, expired or unknown.
      if (err instanceof TokenEndpointError && err.error === "invalid_grant") return { kind: "revoked" };
      throw err;
    }
  }

  return {
    startLogin(req, res, loginOptions = {}) {
      const tx: Transaction = { state: random(), nonce: random(), verifier: random(), returnTo: safeReturnTo(loginOptions.returnTo) };
      appendSetCookie(res, serializeCookie(txCookie, sealer.seal(txCookie, tx, now() + TRANSACTION_SECONDS * 1000), { maxAgeSeconds: TRANSACTION_SECONDS, secure }));
      const url = new URL(endpoint(issuer, "/oauth2/authorize"));
      const params: Record<string, string> = {
        ...loginOptions.params,
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        response_type: "code",
        scope: scopes.join(" "),
        state: tx.state,
        nonce: tx.nonce,
        code_challenge: s256(tx.verifier),
        code_challenge_method: "S256",
      };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      redirect(res, url.toString());
    },

    async handleCallback(req, res) {
      const query = new URL(req.url ?? "/", "http://callback.invalid").searchParams;
      const sealed = requestCookie(req, txCookie);
      // The login cookie is single-use, whatever happens next.
      if (sealed !== undefined) clear(res, txCookie);
      const tx = sealed ? sealer.unseal<Transaction>(txCookie, sealed) : null;
      if (!tx) throw new CrossDomainError("missing_transaction", "no login in progress (or it expired): start the login again");
      const state = query.get("state");
      if (!state || !sameString(state, tx.state)) throw new CrossDomainError("state_mismatch", "the callback's state does not match the login request");
      const iss = query.get("iss");
      if (iss !== null && iss !== issuer) throw new CrossDomainError("issuer_mismatch", "the callback's iss is not our issuer");
      const error = query.get("error");
      if (error) throw new CrossDomainError("authorization_failed", `${error}: ${query.get("error_description") ?? "authorization failed"}`, { oauthError: error });
      const code = query.get("code");
      if (!code) throw new CrossDomainError("authorization_failed", "the callback has no code", { oauthError: "invalid_request" });

      let tokens: TokenResponse;
      try {
        tokens = await requestTokens(client, { grant_type: "authorization_code", code, redirect_uri: options.redirectUri, code_verifier: tx.verifier });
      } catch (err) {
        const oauthError = err instanceof TokenEndpointError ? err.error : null;
        throw new CrossDomainError("token_request_failed", `the code exchange failed: ${(err as Error).message}`, { oauthError, cause: err });
      }
      const idToken = await validateIdToken(tokens.id_token, {
        keys, issuer, clientId: options.clientId, nonce: tx.nonce, nowMs: now(), clockToleranceSeconds: options.clockToleranceSeconds ?? 30,
      });
      const session = stored(tokens, idToken.sub, null);
      writeSession(res, session);
      redirect(res, tx.returnTo);
      return present(session);
    },

    async getSession(req, res) {
      const sealed = requestCookie(req, cookieName);
      if (!sealed) return null;
      const s = sealer.unseal<StoredSession>(cookieName, sealed);
      if (!s) {
        clear(res, cookieName);
        return null;
      }
      const current = nowSeconds();
      if (s.expires_at - leeway > current) return present(s);
      if (!s.refresh_token) {
        if (s.expires_at > current) return present(s);
        clear(res, cookieName);
        return null;
      }
      const rt = s.refresh_token;
      let outcome: RefreshOutcome;
      try {
        outcome = await refresher.run(refreshKey(rt), () => refresh({ ...s, refresh_token: rt }));
      } catch (err) {
        // Gatehouse unreachable: an access token that is still valid keeps working meanwhile.
        if (s.expires_at > current) return present(s);
        throw err;
      }
      if (outcome.kind === "revoked") {
        clear(res, cookieName);
        return null;
      }
      writeSession(res, outcome.session);
      return present(outcome.session);
    },

    async logout(req, res, logoutOptions = {}) {
      const sealed = requestCookie(req, cookieName);
      const s = sealed ? sealer.unseal<StoredSession>(cookieName, sealed) : null;
      if (s?.refresh_token) {
        refresher.forget(refreshKey(s.refresh_token));
        // Best effort: the local session ends either way; a grant left alive expires on its own.
        await revokeRefreshToken(client, s.refresh_token).catch(() => undefined);
      }
      if (sealed !== undefined) clear(res, cookieName);
      // OIDC RP-Initiated Logout 1.0 §2: client_id lets Gatehouse check the registered URI.
      const url = new URL(endpoint(issuer, "/oauth2/end_session"));
      if (options.postLogoutRedirectUri) {
        url.searchParams.set("post_logout_redirect_uri", options.postLogoutRedirectUri);
        url.searchParams.set("client_id", options.clientId);
        if (logoutOptions.state) url.searchParams.set("state", logoutOptions.state);
      }
      // Without the hint Gatehouse asks the person to confirm (the app is on another site).
      if (s?.id_token) url.searchParams.set("id_token_hint", s.id_token);
      redirect(res, url.toString());
    },
  };
}
