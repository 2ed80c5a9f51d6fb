// The pending authorization request kept while the user signs in (auth_flows). Anyone can create one
// with an anonymous GET /oauth2/authorize, so what is stored is bounded: only the parameters a resumed
// request reads, at most MAX_FLOW_BYTES of them, at most oauth.rate_limits.authorize_per_ip new flows
// per client IP, and each flow expires (maintenance/sweeper.ts deletes it then).
import type { Context } from "../../context.ts";
import { isFlowId } from "../../input/ids.ts";
import type { AuthFlow } from "../../domain/authorization.ts";
import { randomToken } from "../../crypto/secrets.ts";
import { accountLimits } from "../../account/limits/buckets.ts";
import { OAuthError } from "../errors.ts";
import type { Params } from "../params.ts";
import type { AuthorizationRequest } from "./request.ts";

export const AUTH_FLOW_LIFETIME_SECONDS = 1800;
/** Everything a flow stores, as JSON. A real request is far smaller; three 3.9 KB `x_` values are not. */
export const MAX_FLOW_BYTES = 8192;

/**
 * The parameters validateAuthorizationRequest and the login pages read (plus the OIDC ones a later
 * step may read); others are dropped, never stored. Authgear's `x_` parameters are kept, within the budget.
 * A step that reads a new parameter must add it here, or it will be missing when the request resumes.
 */
const KEPT = new Set([
  "client_id", "redirect_uri", "response_type", "response_mode", "scope", "state", "nonce", "prompt", "max_age",
  "code_challenge", "code_challenge_method", "login_hint", "ui_locales", "id_token_hint", "acr_values", "claims_locales", "display",
  "dpop_jkt", // RFC 9449 §10: the code is bound when it is finally issued
]);

/** What a flow keeps of a request; too much is refused (RFC 6749 §4.1.2.1 invalid_request, back to the client). */
export function flowParams(raw: Params): Params {
  const kept: Params = {};
  for (const [key, value] of Object.entries(raw)) if (KEPT.has(key) || key.startsWith("x_")) kept[key] = value;
  if (Buffer.byteLength(JSON.stringify(kept)) > MAX_FLOW_BYTES) {
    throw new OAuthError("invalid_request", `the authorization request is too large: its parameters must stay under ${MAX_FLOW_BYTES} bytes`);
  }
  return kept;
}

/**
 * Stores a pending request for the login page. `ip` is the client's, for the per-IP limit; a caller
 * that cannot tell it passes none and gets no limit (one shared bucket would throttle everyone).
 */
export async function createAuthFlow(ctx: Context, req: AuthorizationRequest, o: { ip?: string } = {}): Promise<string> {
  const params = flowParams(req.raw);
  const now = ctx.now();
  if (o.ip !== undefined) {
    const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).authorizeFlowPerIp, o.ip, now);
    if (!limited.ok) throw new OAuthError("temporarily_unavailable", "too many sign-in requests from this network; try again in a minute");
  }
  const id = randomToken();
  await ctx.storage.authFlows.create({ id, clientId: req.client.client_id, params, createdAt: now, expiresAt: now + AUTH_FLOW_LIFETIME_SECONDS });
  return id;
}

/** The live flow a `?flow=` value names, or null (malformed, unknown or expired). */
export async function loadAuthFlow(ctx: Context, flowId: unknown): Promise<AuthFlow | null> {
  // A value of any other shape (NUL, junk, megabytes) never reaches storage.
  if (!isFlowId(flowId)) return null;
  const flow = await ctx.storage.authFlows.get(flowId);
  // An empty client_id marks a social sign-in attempt (sso/upstream.ts), never a request to resume.
  return flow && flow.clientId !== "" && flow.expiresAt > ctx.now() ? flow : null;
}
