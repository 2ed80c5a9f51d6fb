// Validating an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636, RFC 9700).
// Order matters: until client_id and redirect_uri are trusted, errors go to our own page.
import type { Client, ClientRegistry } from "../clients.ts";
import { OAuthError } from "../errors.ts";
import type { Params } from "../params.ts";
import { SUPPORTED_SCOPES, checkClientScopes, parseScope } from "../scopes.ts";
import { parseLoginHint } from "./login-hint.ts";
import { isHostedPageRedirect } from "./hosted-pages.ts";
import { SETTINGS_ACTION_RESPONSE_TYPE } from "../../settings-surface/names.ts";
import { checkDpopJkt } from "../../dpop/binding.ts";

export interface AuthorizationRequest {
  client: Client;
  redirectUri: string;
  /** The settings-action URN: Authgear's settings actions (settings-surface/actions.ts). */
  responseType: "code" | "none" | typeof SETTINGS_ACTION_RESPONSE_TYPE;
  scopes: string[];
  state: string | null;
  nonce: string | null;
  prompt: Set<string>;
  maxAge: number | null;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
  loginHint: string | null;
  uiLocales: string | null;
  /** `dpop_jkt` (RFC 9449 §10): the DPoP key the code is bound to. */
  dpopJkt: string | null;
  /** Authgear's x_* parameters, kept for the UI and the cookie behaviour. */
  extras: Record<string, string>;
  /** Everything as received, to resume the request after login. */
  raw: Params;
}

const PROMPTS = new Set(["none", "login", "consent", "select_account"]);
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;

export function checkClient(clients: ClientRegistry, p: Params): Client {
  const client = p.client_id ? clients.get(p.client_id) : undefined;
  if (!client) throw new OAuthError("invalid_client", "unknown client_id", { redirectable: false });
  return client;
}

/**
 * RFC 9700 §2.1: exact string matching against registered redirect URIs; with `issuer`, also our
 * own hosted pages, which Authgear allows without registration (hosted-pages.ts).
 */
export function checkRedirectUri(client: Client, p: Params, o: { issuer?: string } = {}): string {
  if (p.redirect_uri === undefined) {
    if (client.redirect_uris.length === 1) return client.redirect_uris[0];
    throw new OAuthError("invalid_request", "redirect_uri is required", { redirectable: false });
  }
  if (!client.redirect_uris.includes(p.redirect_uri) && !(o.issuer !== undefined && isHostedPageRedirect(o.issuer, p.redirect_uri))) {
    throw new OAuthError("invalid_request", "redirect_uri is not registered for this client", { redirectable: false });
  }
  return p.redirect_uri;
}

export function checkResponseType(p: Params): AuthorizationRequest["responseType"] {
  if (p.response_type === "code" || p.response_type === "none" || p.response_type === SETTINGS_ACTION_RESPONSE_TYPE) return p.response_type;
  throw new OAuthError("unsupported_response_type", "response_type must be code or none");
}

export function checkScopes(client: Client, p: Params): string[] {
  const scopes = parseScope(p.scope);
  if (!scopes.includes("openid")) throw new OAuthError("invalid_scope", "scope must include openid");
  const unknown = scopes.filter((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new OAuthError("invalid_scope", `unsupported scope: ${unknown[0].slice(0, 100)}`);
  checkClientScopes(client, scopes);
  return scopes;
}

/** RFC 7636 + RFC 9700 §2.1.1: public clients must use PKCE, and only S256. */
export function checkPkce(client: Client, p: Params, responseType: string): { challenge: string | null; method: "S256" | null } {
  const challenge = p.code_challenge;
  if (challenge === undefined || challenge === "") {
    // A settings action ends in a code too (redeemed by the settings-action grant): PKCE as for code.
    if (responseType !== "none" && client.isPublic) throw new OAuthError("invalid_request", "PKCE code_challenge is required for public clients");
    return { challenge: null, method: null };
  }
  if ((p.code_challenge_method ?? "plain") !== "S256") throw new OAuthError("invalid_request", "code_challenge_method must be S256");
  if (!PKCE_CHALLENGE.test(challenge)) throw new OAuthError("invalid_request", "code_challenge is malformed");
  return { challenge, method: "S256" };
}

export function checkPrompt(p: Params): Set<string> {
  const prompt = new Set((p.prompt ?? "").split(" ").filter(Boolean));
  for (const value of prompt) if (!PROMPTS.has(value)) throw new OAuthError("invalid_request", "unsupported prompt value");
  // OIDC Core §3.1.2.1: none may not be combined with any other value.
  if (prompt.has("none") && prompt.size > 1) throw new OAuthError("invalid_request", "prompt=none cannot be combined with other values");
  return prompt;
}

export function checkMaxAge(p: Params): number | null {
  if (p.max_age === undefined || p.max_age === "") return null;
  if (!/^\d{1,10}$/.test(p.max_age)) throw new OAuthError("invalid_request", "max_age must be a non-negative integer");
  return Number(p.max_age);
}

export function validateAuthorizationRequest(clients: ClientRegistry, p: Params, o: { issuer?: string } = {}): AuthorizationRequest {
  const client = checkClient(clients, p);
  const redirectUri = checkRedirectUri(client, p, o);
  const responseType = checkResponseType(p);
  if (p.response_mode !== undefined && p.response_mode !== "query") throw new OAuthError("invalid_request", "only response_mode=query is supported");
  if (p.request !== undefined || p.request_uri !== undefined) throw new OAuthError("invalid_request", "request objects are not supported");
  const scopes = checkScopes(client, p);
  const pkce = checkPkce(client, p, responseType);
  const extras: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (k.startsWith("x_")) extras[k] = v;
  return {
    client, redirectUri, responseType, scopes,
    state: p.state ?? null,
    nonce: p.nonce ?? null,
    prompt: checkPrompt(p),
    maxAge: checkMaxAge(p),
    codeChallenge: pkce.challenge,
    codeChallengeMethod: pkce.method,
    loginHint: parseLoginHint(p.login_hint),
    uiLocales: p.ui_locales ?? null,
    dpopJkt: checkDpopJkt(p),
    extras,
    raw: p,
  };
}
