// oidc.jwt.pre_create and oidc.id_token.pre_create (Authgear's pkg/api/event/blocking/oidc_*.go): a
// handler sees `{user, identities, jwt: {payload}}` (or `id_token`) and may answer a new payload.
// Its claims are added to the token; the registered and Authgear claims (iss, sub, aud, exp, sid,
// https://authgear.com/claims/…) always keep Gatehouse's values (mint.ts puts them last).
import type { Context } from "../context.ts";
import type { TokenSubject } from "../tokens/mint.ts";
import { OAuthError } from "../oauth/errors.ts";
import { hasBlockingHandler, runBlocking, type BlockingEventType } from "./blocking.ts";
import { userModel } from "./models.ts";
import { hookLog } from "./log.ts";

export function hasTokenHooks(ctx: Pick<Context, "config">): boolean {
  return hasBlockingHandler(ctx.config, "oidc.jwt.pre_create") || hasBlockingHandler(ctx.config, "oidc.id_token.pre_create");
}

/**
 * The claims a token's hooks want added, given the claims it would carry. No handler: the claims as
 * they were. A handler that refuses: access_denied; one that fails: temporarily_unavailable (the
 * session stays: an outage of the hook must not sign people out, which invalid_grant would).
 */
export async function tokenHookClaims(
  ctx: Pick<Context, "config" | "storage">, type: Extract<BlockingEventType, "oidc.jwt.pre_create" | "oidc.id_token.pre_create">,
  subject: TokenSubject, claims: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!hasBlockingHandler(ctx.config, type)) return claims;
  const part = type === "oidc.jwt.pre_create" ? "jwt" : "id_token";
  const payload = { user: userModel(subject.user, ctx.config.user_profile), identities: [], [part]: { payload: claims } };
  const r = await runBlocking({ config: ctx.config, log: hookLog(ctx.storage) }, type, payload, { triggeredBy: "user", clientId: subject.clientId }, subject.user.id);
  if (!r.allowed) {
    if (r.failed) throw new OAuthError("temporarily_unavailable", `the ${type} hook failed; try again shortly`, { status: 503 });
    throw new OAuthError("access_denied", [r.title, r.reason].filter(Boolean).join(": ") || `refused by the ${type} hook`, { status: 403 });
  }
  const mutated = (r.payload[part] as { payload: Record<string, unknown> }).payload;
  return mutated;
}
