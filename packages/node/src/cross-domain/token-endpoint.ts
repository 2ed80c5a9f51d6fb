// Calls to /oauth2/token and /oauth2/revoke for a confidential client.
import { TokenEndpointError } from "./errors.ts";

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

export interface ClientCredentials {
  issuer: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
const formEncode = (s: string): string => encodeURIComponent(s).replace(/%20/g, "+");

function basicAuth(c: ClientCredentials): string {
  return `Basic ${Buffer.from(`${formEncode(c.clientId)}:${formEncode(c.clientSecret)}`).toString("base64")}`;
}

async function post(c: ClientCredentials, path: string, form: Record<string, string>, headers: Record<string, string>): Promise<Response> {
  try {
    return await c.fetch(`${c.issuer}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(c.timeoutMs),
    });
  } catch (err) {
    throw new TokenEndpointError("network_error", `${path} is unreachable`, 0, { cause: err });
  }
}

/** POST /oauth2/token with client_secret_basic. Rejects with TokenEndpointError. */
export async function requestTokens(c: ClientCredentials, form: Record<string, string>): Promise<TokenResponse> {
  const res = await post(c, "/oauth2/token", form, { authorization: basicAuth(c) });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // fall through: reported below as invalid_response
  }
  if (res.status !== 200) {
    const error = typeof body.error === "string" ? body.error : "invalid_response";
    const description = typeof body.error_description === "string" ? body.error_description : `HTTP ${res.status}`;
    throw new TokenEndpointError(error, description, res.status);
  }
  if (typeof body.access_token !== "string" || typeof body.expires_in !== "number" || String(body.token_type).toLowerCase() !== "bearer") {
    throw new TokenEndpointError("invalid_response", "the token response lacks access_token, expires_in or a Bearer token_type", res.status);
  }
  return body as unknown as TokenResponse;
}

/**
 * POST /oauth2/revoke (RFC 7009) with only `token`, exactly as Authgear's SDKs send it; revoking
 * the refresh token ends the whole grant and every access token issued under it.
 */
export async function revokeRefreshToken(c: ClientCredentials, token: string): Promise<void> {
  const res = await post(c, "/oauth2/revoke", { token }, {});
  await res.body?.cancel();
  if (res.status !== 200) throw new TokenEndpointError("revocation_failed", `HTTP ${res.status}`, res.status);
}
