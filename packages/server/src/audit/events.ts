// What the audit log records about users, besides what operators do. The names are Authgear's audit
// event names where Authgear has one (pkg/api/event/nonblocking); the others follow its style and
// are marked "ours". Operators' own actions keep their `<target>.<verb>` names (admin/operations.ts).
import type { Context } from "../context.ts";

export const USER_EVENTS = {
  /** A login finished: every factor passed and a session was made. */
  signedIn: "user.authenticated",
  passwordFailed: "authentication.failed.primary.password",
  totpFailed: "authentication.failed.secondary.totp",
  recoveryCodeFailed: "authentication.failed.secondary.recovery_code",
  /** A sign-in with an email no user has. */
  unknownLoginId: "authentication.failed.identity.login_id",
  /** The failure that locked the account (authentication.lockout). */
  lockedOut: "authentication.blocked",
  passwordReset: "user.forgot_password.password_changed",
  /** Ours: Authgear has no audit event for a user adding or removing TOTP. */
  mfaAdded: "authenticator.totp.added",
  mfaRemoved: "authenticator.totp.removed",
  sessionTerminated: "user.session.terminated",
  /** Logout at /oauth2/end_session. */
  signedOut: "user.signed_out",
  /** Ours: a rotated refresh token or a spent authorization code came back, and what it names was revoked. */
  tokenReuseDetected: "token.reuse_detected",
  /** Ours, in the style of the above: passkeys (account/passkeys/). */
  passkeyAdded: "identity.passkey.added",
  passkeyRemoved: "identity.passkey.removed",
  passkeyFailed: "authentication.failed.identity.passkey",
  /** Authgear's names: a user added or changed a login ID themselves (settings actions). */
  emailAdded: "identity.email.added",
  emailUpdated: "identity.email.updated",
  phoneAdded: "identity.phone.added",
  phoneUpdated: "identity.phone.updated",
  usernameAdded: "identity.username.added",
  usernameUpdated: "identity.username.updated",
} as const;

export type UserEvent = (typeof USER_EVENTS)[keyof typeof USER_EVENTS];

/** The operators' actions (admin API, CLI) the audit log can be filtered by, besides the user events. */
const OPERATOR_ACTIONS = [
  "user.create", "user.update", "user.disable", "user.enable", "user.delete", "user.set_password", "user.reset_lockout",
  "session.revoke", "session.revoke_all", "client.update", "admin_key.create", "admin_key.revoke", "signing_key.rotate",
] as const;

/** Every action name the log holds: the filter's choices (listed in the OpenAPI document). */
export const AUDIT_ACTIONS: readonly string[] = [...Object.values(USER_EVENTS), ...OPERATOR_ACTIONS];

/** A user event. `actor` is who did it: the user (`user:<id>`) unless an operator or the system did. */
export async function recordUserEvent(
  ctx: Context,
  action: UserEvent,
  user: { id: string; email: string | null } | null,
  details: Record<string, unknown> = {},
  actor = user ? `user:${user.id}` : "anonymous",
): Promise<void> {
  // The email is kept as it was then: the entry still reads right after the user changes or goes.
  const email = user?.email ?? details.email;
  await ctx.storage.auditLog.append({
    at: ctx.now(), actor, action, targetType: user ? "user" : "login_id", targetId: user?.id ?? String(details.email ?? ""),
    details: { ...details, ...(email ? { email } : {}) },
  });
}
