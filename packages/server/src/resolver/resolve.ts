// Turns a request's credentials into resolver headers: the bearer token first, then the cookie.
import type { Context } from "../context.ts";
import { callerFromBearer, callerFromCookie } from "../session/caller.ts";
import { presentedAccessToken, resourceProof } from "../dpop/resource.ts";
import type { ProofTarget, VerifiedProof } from "../dpop/proof.ts";
import type { ClientInfo } from "../session/idp-sessions.ts";
import { INVALID, resolverHeaders, type ResolverHeaders } from "./headers.ts";

export interface ResolveInput {
  authorization: string | undefined;
  sessionCookie: string | undefined;
  /** Authgear's app_access_token cookie, set by a pre-authenticated URL (device-keys/pre-authenticated-url.ts). */
  appAccessTokenCookie?: string;
  client: ClientInfo;
  /** The app request's `DPoP` header, forwarded by the proxy (docs/dpop.md). */
  dpop?: string;
  /** The app request a proof must name; asked only when a proof or the DPoP scheme came. */
  dpopTarget?: () => ProofTarget | null;
}

export interface ResolveResult {
  headers: ResolverHeaders;
  /** True when a session cookie was presented but is dead: the caller clears it. */
  clearCookie: boolean;
}

export async function resolveRequest(ctx: Context, input: ResolveInput): Promise<ResolveResult> {
  if (input.authorization !== undefined) {
    const token = presentedAccessToken(input.authorization);
    let proof: (VerifiedProof & { boundOnly: boolean }) | null = null;
    if (token && (input.dpop !== undefined || token.scheme === "dpop")) {
      // A bad proof is "not valid", like a bad token: the resolver answers with headers only.
      proof = await resourceProof(ctx, input.dpop, token, input.dpopTarget?.() ?? null).catch(() => null);
      if (!proof) return { headers: INVALID, clearCookie: false };
    }
    const result = token ? await callerFromBearer(ctx, token.token, input.client, proof) : null;
    // A presented bearer token decides: a bad one is not rescued by a cookie (no mixed identities).
    return { headers: result?.ok ? resolverHeaders(result.caller) : INVALID, clearCookie: false };
  }
  // As Authgear's resolver: after the Authorization header, the app access token cookie.
  if (input.appAccessTokenCookie !== undefined) {
    const result = await callerFromBearer(ctx, input.appAccessTokenCookie, input.client);
    if (result.ok) return { headers: resolverHeaders(result.caller), clearCookie: false };
    if (input.sessionCookie === undefined) return { headers: INVALID, clearCookie: false };
  }
  if (input.sessionCookie === undefined) return { headers: {}, clearCookie: false };
  const caller = await callerFromCookie(ctx, input.sessionCookie, input.client);
  return caller ? { headers: resolverHeaders(caller), clearCookie: false } : { headers: INVALID, clearCookie: true };
}
