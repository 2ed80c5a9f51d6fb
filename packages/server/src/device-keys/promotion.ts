// Promoting an anonymous user to a full account that keeps its `sub`. The app starts an authorization
// request with prompt=login and an anonymous login_hint; the hint is checked and spent there, and the
// user it names is bound to that pending sign-in (a one-time token keyed by the flow id, so nothing
// a client puts in the URL can name a user). The sign-up form then adds its login IDs and password
// to that user instead of making a new one, and the user stops being anonymous.
import { emitUserEvent } from "../hooks/user-hooks.ts";
import { identityModel, userModel } from "../hooks/models.ts";
import type { Context } from "../context.ts";
import type { Identity } from "../domain/identity.ts";
import type { User } from "../domain/user.ts";
import { OAuthError } from "../oauth/errors.ts";
import { announceUserChanged } from "../session/revocation.ts";
import { rememberPassword } from "../account/policy/password-history.ts";
import { consumeOneTimeToken, peekOneTimeToken, randomBase32, storeOneTimeToken } from "./challenges.ts";
import { parseAnonymousLoginHint } from "./login-hint.ts";
import { anonymousEnabled, verifyAnonymousRequest } from "./anonymous-grant.ts";
import { AUTH_FLOW_LIFETIME_SECONDS } from "../oauth/authorize/flow.ts";

/** Authgear's PromotionCodeDuration (duration.Short). */
export const PROMOTION_CODE_TTL_SECONDS = 300;

const flowKey = (flowId: string): string => `promote-flow:${flowId}`;

/** A promotion code for an anonymous user: 32 random characters, stored hashed, used once. */
export async function issuePromotionCode(ctx: Context, userId: string): Promise<{ code: string; expiresAt: number }> {
  const code = randomBase32(32);
  const expiresAt = await storeOneTimeToken(ctx, code, { purpose: "anonymous_promotion", userId, ttl: PROMOTION_CODE_TTL_SECONDS });
  return { code, expiresAt };
}

/**
 * Called when an authorization request becomes a pending sign-in: if its login_hint names an anonymous
 * user, spends the hint and binds the user to the flow. True if the flow promotes someone.
 */
export async function bindAnonymousPromotion(ctx: Context, loginHint: string | undefined, flowId: string): Promise<boolean> {
  const hint = parseAnonymousLoginHint(loginHint);
  if (!hint) return false;
  const refused = (): OAuthError => new OAuthError("invalid_request", "the anonymous user to promote is unknown, or its promotion code or JWT is invalid or expired");
  if (!anonymousEnabled(ctx)) throw new OAuthError("invalid_request", "anonymous users are not enabled");
  let userId: string | null = null;
  if ("promotionCode" in hint) {
    userId = (await consumeOneTimeToken(ctx, hint.promotionCode, "anonymous_promotion"))?.userId ?? null;
  } else {
    try {
      userId = (await verifyAnonymousRequest(ctx, hint.jwt, "promote")).existing?.userId ?? null;
    } catch (err) {
      if (err instanceof OAuthError) throw refused();
      throw err;
    }
  }
  const user = userId ? await ctx.storage.users.get(userId) : null;
  if (!user || !user.isAnonymous || user.disabled) throw refused();
  await storeOneTimeToken(ctx, flowKey(flowId), { purpose: "anonymous_promotion", userId: user.id, ttl: AUTH_FLOW_LIFETIME_SECONDS });
  return true;
}

/** The anonymous user this pending sign-in promotes, if any (not spent: a refused form may be sent again). */
export async function promotionFor(ctx: Context, flowId: string | null): Promise<string | null> {
  if (!flowId) return null;
  return (await peekOneTimeToken(ctx, flowKey(flowId), "anonymous_promotion"))?.userId ?? null;
}

/**
 * Gives the anonymous user the login IDs and password from the sign-up form. Null if a login ID is
 * taken (nothing is kept) or the user was promoted meanwhile.
 */
export async function promoteWithLoginIds(ctx: Context, flowId: string, userId: string, loginIds: Identity[], password: string): Promise<User | null> {
  const added: Identity[] = [];
  const undo = async (): Promise<null> => {
    for (const i of added) await ctx.storage.identities.delete(i.id, ctx.now());
    return null;
  };
  for (const identity of loginIds) {
    const created = await ctx.storage.identities.create({ ...identity, userId });
    if (!created) return undo();
    added.push(created);
  }
  const now = ctx.now();
  // Compare-and-set on is_anonymous: of two forms sent at once, one promotes; the other keeps nothing.
  // user.anonymous.promoted ({anonymous_user, user, identities}, as Authgear) commits with it.
  const anonymous = await ctx.storage.users.get(userId);
  const promoted = await ctx.storage.atomic(async () => {
    const ok = await ctx.storage.deviceKeys.promote(userId, now);
    if (ok && anonymous) {
      await emitUserEvent(ctx, "user.anonymous.promoted", { ...anonymous, isAnonymous: false }, { triggeredBy: "user" }, {
        anonymous_user: userModel(anonymous, ctx.config.user_profile), identities: added.map(identityModel),
      });
    }
    return ok;
  });
  if (!promoted) return undo();
  const hash = await ctx.passwords.hash(password);
  await ctx.storage.passwords.set(userId, hash, now);
  await rememberPassword(ctx, userId, hash);
  await consumeOneTimeToken(ctx, flowKey(flowId), "anonymous_promotion");
  await announceUserChanged(ctx, userId);
  return ctx.storage.users.get(userId);
}
