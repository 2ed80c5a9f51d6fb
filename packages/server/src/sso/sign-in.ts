// Who a verified upstream profile signs in as: the user its identity belongs to, a new user, or —
// when it matches an existing account — what `account_linking.oauth` says (Authgear's names):
// `error` refuses; `login_and_link` asks the user to sign in to that account first, then links.
import { emitIdentityEvent, emitUserEvent, preCreate } from "../hooks/user-hooks.ts";
import { logOptions } from "../session/revocation.ts";
import { identityModel } from "../hooks/models.ts";
import { randomUUID } from "node:crypto";
import type { Context } from "../context.ts";
import { IDENTITY_ATTRIBUTES, STANDARD_CHECKS } from "../attributes/standard.ts";
import type { User } from "../domain/user.ts";
import type { Identity } from "../domain/identity.ts";
import { DEFAULT_ACCOUNT_LINKING, type AccountLinkingOAuthItem, type OAuthProviderConfig } from "../config/oauth-providers.ts";
import { isValidEmail } from "../users/users.ts";
import { loginIdKeys, normaliseLoginId } from "../identity/login-id/index.ts";
import type { UpstreamProfile } from "./providers/types.ts";

export type SignInOutcome =
  | { kind: "signed_in"; user: User; justSignedUp: boolean }
  /** The identity's user is disabled (or was deleted under us). */
  | { kind: "disabled" }
  /** The provider shared no (usable) email and `claims.email.required` is on. */
  | { kind: "no_email" }
  /** Matches an existing account and the linking action is `error` (or the upstream email is unverified). */
  | { kind: "account_exists" }
  /** A user.pre_create hook refused the new account (title and reason to show), or failed. */
  | { kind: "hook_denied"; title: string | null; reason: string | null; failed: boolean }
  /** Matches an existing account and the action is `login_and_link`: sign in to it, then link. */
  | { kind: "login_and_link"; user: User };

/** The `account_linking.oauth` entry for this alias, else Authgear's default (email ↔ email, error). */
export function linkingRule(ctx: Context, alias: string): Omit<AccountLinkingOAuthItem, "alias"> {
  return ctx.config.account_linking.oauth.find((item) => item.alias === alias) ?? DEFAULT_ACCOUNT_LINKING;
}

/**
 * The new OAuth identity for a user (not stored). Its claims are the provider's standard claims plus
 * `provider_type`, which the identities claim reports as `oauth_provider_type` (identity/claims.ts).
 */
export function oauthIdentity(ctx: Context, o: { userId: string; alias: string; subject: string; claims: Record<string, unknown> }): Identity {
  const now = ctx.now();
  const providerType = ctx.config.identity.oauth.providers.find((p) => p.alias === o.alias)?.type ?? null;
  return {
    id: randomUUID(), userId: o.userId, type: "oauth", loginIdKey: null, loginIdType: null, loginId: null, originalLoginId: null,
    providerAlias: o.alias, providerSubject: o.subject, claims: { ...o.claims, provider_type: providerType }, createdAt: now, updatedAt: now,
  };
}

/**
 * The existing user whose profile value at `pointer` is `value` (the pointers Authgear allows): the
 * email through the users store, a phone number or username through each configured login-ID key of
 * that type, normalised as sign-in normalises what is typed.
 */
async function userByProfile(ctx: Context, pointer: string, value: string): Promise<User | null> {
  if (pointer === "/email") return ctx.storage.users.findByEmail(value);
  const type = pointer === "/phone_number" ? "phone" : "username";
  for (const key of loginIdKeys(ctx.config).filter((k) => k.type === type)) {
    const normalised = normaliseLoginId(ctx.config, key, value);
    const identity = normalised.ok ? await ctx.storage.identities.findByLoginId(key.key, normalised.loginId) : null;
    if (identity) return ctx.storage.users.get(identity.userId);
  }
  return null;
}

export async function signInWithProfile(ctx: Context, p: OAuthProviderConfig, profile: UpstreamProfile): Promise<SignInOutcome> {
  const known = await ctx.storage.identities.findByProvider(p.alias, profile.subject);
  if (known) {
    const user = await ctx.storage.users.get(known.userId);
    return user && !user.disabled ? { kind: "signed_in", user, justSignedUp: false } : { kind: "disabled" };
  }
  const email = profile.email !== null && isValidEmail(profile.email) ? profile.email : null;
  if (email === null && p.claims.email.required) return { kind: "no_email" };

  const rule = linkingRule(ctx, p.alias);
  const claimKey = rule.oauth_claim.pointer.slice(1);
  const value = claimKey === "email" ? email : profile.claims[claimKey];
  if (typeof value === "string" && value !== "") {
    const match = await userByProfile(ctx, rule.user_profile.pointer, value);
    // An address the provider has not verified proves nothing about who owns the account.
    if (match) return rule.action === "login_and_link" && !match.disabled && (claimKey !== "email" || profile.emailVerified) ? { kind: "login_and_link", user: match } : { kind: "account_exists" };
  }
  return createSocialUser(ctx, p, profile, email);
}

/**
 * A new user for a first sign-in. A verified email becomes its email login ID (and the account is
 * verified); an unverified one is kept only in the identity's claims, so nobody claims an address
 * through a provider that did not check it.
 */
async function createSocialUser(ctx: Context, p: OAuthProviderConfig, profile: UpstreamProfile, email: string | null): Promise<SignInOutcome> {
  const now = ctx.now();
  const primary = email !== null && profile.emailVerified ? email : null;
  const draft: User = {
    id: randomUUID(), email: primary, isVerified: primary !== null, isAnonymous: false, disabled: false, disabledReason: null,
    roles: [], standardAttributes: populatedAttributes(ctx, profile.claims), customAttributes: {}, createdAt: now, updatedAt: now,
  };
  const newIdentity = oauthIdentity(ctx, { userId: draft.id, alias: p.alias, subject: profile.subject, claims: profile.claims });
  // user.pre_create, as for any sign-up: it may refuse, or change the attributes, roles and groups.
  const gate = await preCreate(ctx, draft, [newIdentity], { triggeredBy: "user" });
  if (!gate.ok) return { kind: "hook_denied", title: gate.title, reason: gate.reason, failed: gate.failed };
  const user = gate.user;
  // The user, its identity, the hook's groups and user.created commit together (hooks/emit.ts).
  const lostRace = new Error("identity taken");
  const noSuchGroup = new Error("no such group");
  let created: User | null | "race";
  try {
    created = await ctx.storage.atomic(async () => {
      let u = await ctx.storage.users.create(user, null);
      if (!u) return null;
      const identity = await ctx.storage.identities.create(newIdentity);
      if (!identity) throw lostRace;
      if (gate.groups) {
        if (!(await ctx.storage.assignments.change({ kind: "user_group", userId: u.id }, gate.groups, logOptions(ctx))).ok) throw noSuchGroup;
        u = (await ctx.storage.users.get(u.id)) ?? u;
      }
      await emitUserEvent(ctx, "user.created", u, { triggeredBy: "user" }, { identities: [identityModel(identity)] });
      return u;
    });
  } catch (err) {
    if (err === noSuchGroup) return { kind: "hook_denied", title: null, reason: null, failed: true };
    if (err !== lostRace) throw err;
    created = "race";
  }
  // The address was free a moment ago and is taken now: another sign-up won the race.
  if (created === null) return { kind: "account_exists" };
  if (created === "race") {
    // The same upstream account finished a first sign-in in another tab: use that user (ours was rolled back).
    const winner = await ctx.storage.identities.findByProvider(p.alias, profile.subject);
    const user2 = winner ? await ctx.storage.users.get(winner.userId) : null;
    return user2 && !user2.disabled ? { kind: "signed_in", user: user2, justSignedUp: false } : { kind: "disabled" };
  }
  return { kind: "signed_in", user: created, justSignedUp: true };
}

export type LinkOutcome = { kind: "linked" } | { kind: "already_linked" } | { kind: "taken" };

/** Links the upstream account to a signed-in user (settings, or the end of login_and_link). */
export async function linkToUser(ctx: Context, user: User, alias: string, profile: Pick<UpstreamProfile, "subject" | "claims">): Promise<LinkOutcome> {
  const known = await ctx.storage.identities.findByProvider(alias, profile.subject);
  if (known) return known.userId === user.id ? { kind: "already_linked" } : { kind: "taken" };
  const created = await ctx.storage.atomic(async () => {
    const c = await ctx.storage.identities.create(oauthIdentity(ctx, { userId: user.id, alias, subject: profile.subject, claims: profile.claims }));
    if (c) await emitIdentityEvent(ctx, "added", user, c, { triggeredBy: "user" });
    return c;
  });
  return created ? { kind: "linked" } : { kind: "taken" };
}

/**
 * Authgear's `user_profile.standard_attributes.population.strategy: on_signup`: the provider's
 * standard claims (name, picture, locale…) become the new user's attributes, each only if it passes
 * the same check an admin edit would. Login-ID claims (email, phone, username) come from identities.
 */
function populatedAttributes(ctx: Context, claims: Record<string, unknown>): Record<string, unknown> {
  if (ctx.config.user_profile.standard_attributes.population.strategy !== "on_signup") return {};
  const out: Record<string, unknown> = {};
  for (const [name, check] of Object.entries(STANDARD_CHECKS)) {
    if (IDENTITY_ATTRIBUTES.has(name) || claims[name] === undefined) continue;
    if (check(claims[name]) === null) out[name] = claims[name];
  }
  return out;
}
