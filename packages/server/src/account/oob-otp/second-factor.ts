// Which second factor a login asks for, by authentication.secondary_authenticators and
// secondary_authentication_mode as Authgear defines them: disabled never asks; if_exists asks users
// who have one of the allowed factors; required asks everyone, and a user with none must set one up
// before the login finishes. A password is a second factor only after a first factor that was not
// the password itself (a passwordless sign-in).
import type { Context } from "../../context.ts";
import type { User } from "../../domain/user.ts";
import type { OobAuthenticator, OobChannel } from "../../storage/oob-ports.ts";
import { hasTotp } from "../mfa/totp.ts";

export interface SecondFactors {
  totp: boolean;
  oob: OobAuthenticator[];
  password: boolean;
}

const NAME: Record<OobChannel, "oob_otp_email" | "oob_otp_sms"> = { email: "oob_otp_email", sms: "oob_otp_sms" };

export async function secondFactorsOf(ctx: Context, user: User, firstAmr: string[]): Promise<SecondFactors> {
  const allowed = new Set<string>(ctx.config.authentication.secondary_authenticators);
  const [totp, oob, password] = await Promise.all([
    allowed.has("totp") ? hasTotp(ctx, user.id) : false,
    ctx.storage.oobAuthenticators.listByUser(user.id),
    allowed.has("password") && !firstAmr.includes("pwd") ? ctx.storage.passwords.get(user.id).then((h) => h !== null) : false,
  ]);
  return { totp, oob: oob.filter((a) => a.kind === "secondary" && allowed.has(NAME[a.channel])), password };
}

export type SetupOption = { kind: "totp" } | { kind: "oob"; channel: OobChannel; target: string };

/** What a user without a second factor may set up at sign-in: an app, or a code to an email or phone they have. */
export async function setupOptions(ctx: Context, user: User): Promise<SetupOption[]> {
  const allowed = ctx.config.authentication.secondary_authenticators;
  const identities = await ctx.storage.identities.listByUser(user.id);
  const phones = identities.flatMap((i) => (i.loginIdType === "phone" && i.loginId ? [i.loginId] : []));
  return allowed.flatMap((a): SetupOption[] => {
    if (a === "totp") return [{ kind: "totp" }];
    if (a === "oob_otp_email" && user.email) return [{ kind: "oob", channel: "email", target: user.email }];
    if (a === "oob_otp_sms") return phones.map((target) => ({ kind: "oob" as const, channel: "sms" as const, target }));
    return [];
  });
}

/** The page of the second step this login needs, or null when it needs none. */
export async function secondFactorPath(ctx: Context, user: User, firstAmr: string[]): Promise<string | null> {
  const mode = ctx.config.authentication.secondary_authentication_mode;
  if (mode === "disabled") return null;
  const f = await secondFactorsOf(ctx, user, firstAmr);
  if (f.totp) return "/login/totp";
  if (f.oob.length > 0 || f.password) return "/login/mfa";
  return mode === "required" ? "/login/mfa/setup" : null;
}

/** Hides most of a target on screen: j•••@example.com, +44•••••••89. */
export function maskTarget(target: string): string {
  const at = target.indexOf("@");
  if (at > 0) return `${target[0]}•••${target.slice(at)}`;
  return `${target.slice(0, 3)}${"•".repeat(Math.max(0, target.length - 5))}${target.slice(-2)}`;
}
