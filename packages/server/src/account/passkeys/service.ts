// What the passkey pages do, as plain functions: sign up with a passkey, add one, remove one, and
// the blocks the login, sign-up and settings pages show (empty while passkeys are switched off).
import { randomUUID } from "node:crypto";
import type { Context } from "../../context.ts";
import type { Identity } from "../../domain/identity.ts";
import type { User } from "../../domain/user.ts";
import type { LoginIdKeyConfig } from "../../config/identity.ts";
import { accountLabel, buildLoginIds, firstTaken, type LoginIdProblem } from "../../identity/service.ts";
import { loginIdKeys } from "../../identity/login-id/index.ts";
import { signInFieldName } from "../../authui/login-id-fields.ts";
import { deleteUser } from "../../session/revocation.ts";
import { accountLimits } from "../limits/buckets.ts";
import type { Ui } from "../ui/respond.ts";
import { authenticationOptions, newChallenge, passkeyRows, registrationOptions, verifyRegistration } from "./ceremony.ts";
import { passkeyLoginBlock, passkeySettingsSection, passkeySignupBlock } from "./pages.ts";
import { passkeysEnabled } from "./relying-party.ts";

export type PasskeySignupResult =
  | { kind: "created"; user: User }
  | { kind: "taken_hidden"; email: string }
  | { kind: "login_id"; problem: LoginIdProblem }
  | { kind: "login_id_required"; keys: LoginIdKeyConfig[] }
  | { kind: "passkey"; reason: "malformed" | "expired" | "invalid" }
  | { kind: "rate_limited"; retryAfter: number };

/**
 * Sign-up with login IDs and a passkey instead of a password: the login IDs are checked before the
 * challenge is spent, the user is made with the challenge's user id (the passkey's user handle).
 */
export async function signUpWithPasskey(ctx: Context, input: { loginIds: Record<string, string>; credential: string; ip: string }): Promise<PasskeySignupResult> {
  const built = buildLoginIds(ctx, "", input.loginIds);
  if (!built.ok) return { kind: "login_id", problem: built.problem };
  if (built.identities.length === 0) return { kind: "login_id_required", keys: loginIdKeys(ctx.config) };
  const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).signupPerIp, input.ip, ctx.now());
  if (!limited.ok) return { kind: "rate_limited", retryAfter: limited.retryAfter };
  const verified = await verifyRegistration(ctx, input.credential, "signup");
  if (!verified.ok) return { kind: "passkey", reason: verified.reason };
  const now = ctx.now();
  const id = verified.challenge.userId ?? randomUUID();
  const email = built.identities.find((i) => i.loginIdType === "email")?.loginId ?? null;
  const user: User = {
    id, email, isVerified: false, isAnonymous: false, disabled: false, disabledReason: null, roles: [],
    standardAttributes: {}, customAttributes: {}, createdAt: now, updatedAt: now,
  };
  const created = await ctx.storage.users.create(user, null, built.identities.map((i) => ({ ...i, userId: id })));
  if (!created) {
    // The same answers as password sign-up (account/login/signup.ts): a taken email stays hidden when verification is required.
    const taken = await firstTaken(ctx, built.identities);
    const key = loginIdKeys(ctx.config).find((k) => k.key === taken?.loginIdKey) ?? loginIdKeys(ctx.config)[0];
    if (key.type === "email" && taken?.loginId && ctx.config.verification.required) return { kind: "taken_hidden", email: taken.loginId };
    return { kind: "login_id", problem: { key, reason: "taken" } };
  }
  const label = built.identities[0].originalLoginId ?? built.identities[0].loginId ?? id;
  const rows = passkeyRows(id, label, verified.credential, now);
  if (!(await ctx.storage.passkeys.add(rows.identity, rows.credential))) {
    // A credential id someone registered already: this account would have no way in.
    await deleteUser(ctx, id);
    return { kind: "passkey", reason: "invalid" };
  }
  return { kind: "created", user: created };
}

/** Adds a passkey to the signed-in user; the challenge must have been made for this user. */
export async function addPasskey(ctx: Context, user: User, credential: string): Promise<"ok" | "expired" | "invalid"> {
  const verified = await verifyRegistration(ctx, credential, "register");
  if (!verified.ok) return verified.reason === "expired" ? "expired" : "invalid";
  if (verified.challenge.userId !== user.id) return "invalid";
  const rows = passkeyRows(user.id, await accountLabel(ctx, user), verified.credential, ctx.now());
  return (await ctx.storage.passkeys.add(rows.identity, rows.credential)) ? "ok" : "invalid";
}

/** Never the last way in: the user keeps a password, another passkey or a connected account. */
export async function removePasskey(ctx: Context, user: User, identityId: string): Promise<"ok" | "not_found" | "last_way"> {
  const identities = await ctx.storage.identities.listByUser(user.id);
  const target = identities.find((i) => i.id === identityId && i.type === "passkey");
  if (!target) return "not_found";
  const otherWays = identities.some((i) => i.id !== target.id && (i.type === "oauth" || i.type === "passkey"));
  if (!otherWays && (await ctx.storage.passwords.get(user.id)) === null) return "last_way";
  return (await ctx.storage.passkeys.remove(user.id, identityId)) ? "ok" : "not_found";
}

/** The login or sign-up page's passkey block, with a fresh challenge; "" while passkeys are off. */
export async function passkeyAuthBlock(ctx: Context, ui: Ui, which: "login" | "signup", o: { csrf: string; flowId: string | null }): Promise<string> {
  if (!passkeysEnabled(ctx.config)) return "";
  const keys = loginIdKeys(ctx.config);
  if (which === "login") {
    const options = await authenticationOptions(ctx, await newChallenge(ctx, "authenticate", null));
    return passkeyLoginBlock(ui, { ...o, options, fieldId: signInFieldName(keys) });
  }
  const userId = randomUUID();
  // The name is the login ID the person types; the script puts it in before the passkey is made.
  const options = await registrationOptions(ctx, { challenge: await newChallenge(ctx, "signup", userId), userId, userName: ui.t("passkey.settings.heading"), exclude: [] });
  return passkeySignupBlock(ui, { ...o, options, keys: keys.map((k) => k.key) });
}

/** The settings page's passkey section, with a fresh registration challenge; "" while passkeys are off. */
export async function passkeySettingsBlock(ctx: Context, ui: Ui, o: { csrf: string; user: User; identities: Identity[]; error?: string | null }): Promise<string> {
  if (!passkeysEnabled(ctx.config)) return "";
  const passkeys = await ctx.storage.passkeys.listByUser(o.user.id);
  const options = await registrationOptions(ctx, {
    challenge: await newChallenge(ctx, "register", o.user.id), userId: o.user.id, userName: await accountLabel(ctx, o.user), exclude: passkeys,
  });
  return passkeySettingsSection(ui, { csrf: o.csrf, options, identities: o.identities, passkeys, error: o.error ?? null });
}
