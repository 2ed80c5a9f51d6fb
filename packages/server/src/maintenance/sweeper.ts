// The one sweeper for rows that expire: every table whose rows stop mattering at some time is cleaned
// here, through one storage method per aggregate. The app calls sweepExpired on a timer; each pass is
// a handful of indexed DELETEs, so it may run often.
import { deleteUser } from "../session/revocation.ts";
import type { Context } from "../context.ts";
import { deleteDueAccounts } from "../settings-surface/account-deletion.ts";

/** How long rows are kept after they stopped mattering. */
export const RETENTION_SECONDS = {
  /** A used or expired code is kept a while, so a late replay is still recognised as one (RFC 6749 §4.1.2). */
  codes: 3600,
  /** Emailed codes and pending logins: as long, so a late attempt gets "expired", not "unknown". */
  accountState: 3600,
  /** Ended sessions and grants stay listed for support and audit for a month, then go. */
  endedSessions: 30 * 86400,
  /** The local outbox (no SMTP configured) is a development aid, not an archive. */
  outbox: 7 * 86400,
  /** Delivered webhook deliveries (hooks/): a week of history for the admin API; pending and dead ones stay. */
  hookDeliveries: 7 * 86400,
} as const;

/** Deletes (with their sessions and grants, revoked everywhere) the anonymous users inactive for the configured days. */
async function sweepAnonymousUsers(ctx: Context): Promise<number> {
  const days = ctx.config.identity.x_anonymous.cleanup_inactive_after_days;
  if (days === 0) return 0;
  const stale = await ctx.storage.deviceKeys.staleAnonymousUsers(ctx.now() - days * 86400, 500);
  let deleted = 0;
  for (const id of stale) if (await deleteUser(ctx, id)) deleted++;
  return deleted;
}

export interface SweepCounts {
  authorizationCodes: number;
  authFlows: number;
  oneTimeCodes: number;
  pendingLogins: number;
  lockouts: number;
  idpSessions: number;
  offlineGrants: number;
  revocations: number;
  outbox: number;
  appSessionTokens: number;
  settingsActions: number;
  /** Accounts deleted at the end of their scheduled deletion's grace period (not expired rows: users). */
  scheduledDeletions: number;
  passkeyChallenges: number;
  oobCodes: number;
  /** Challenges, promotion codes, pre-authenticated-URL tokens (device-keys/). */
  oneTimeTokens: number;
  /** Anonymous users unseen for identity.x_anonymous.cleanup_inactive_after_days. */
  anonymousUsers: number;
  hookDeliveries: number;
}

/** Deletes every expired row now; returns how many went from each table. */
export async function sweepExpired(ctx: Context): Promise<SweepCounts> {
  const now = ctx.now();
  const s = ctx.storage;
  return {
    authorizationCodes: await s.codes.deleteExpired(now - RETENTION_SECONDS.codes),
    authFlows: await s.authFlows.deleteExpired(now),
    oneTimeCodes: await s.oneTimeCodes.deleteExpired(now - RETENTION_SECONDS.accountState),
    pendingLogins: await s.pendingLogins.deleteExpired(now - RETENTION_SECONDS.accountState),
    lockouts: await s.lockouts.deleteExpired(now),
    idpSessions: await s.sessions.deleteEnded(now - RETENTION_SECONDS.endedSessions),
    offlineGrants: await s.offlineGrants.deleteEnded(now - RETENTION_SECONDS.endedSessions),
    // Each event says when no token it affects can still be valid: after that, no reader needs it.
    revocations: await s.revocations.deleteExpired(now),
    outbox: await s.outbox.deleteOlderThan(now - RETENTION_SECONDS.outbox),
    appSessionTokens: await s.appSessionTokens.deleteExpired(now),
    settingsActions: await s.settingsActions.deleteExpired(now - RETENTION_SECONDS.codes),
    scheduledDeletions: await deleteDueAccounts(ctx),
    passkeyChallenges: await s.passkeyChallenges.deleteExpired(now),
    oobCodes: await s.oobCodes.deleteExpired(now - RETENTION_SECONDS.accountState),
    oneTimeTokens: await s.oneTimeTokens.deleteExpired(now),
    anonymousUsers: await sweepAnonymousUsers(ctx),
    // Unix ms, like the outbox's own times.
    hookDeliveries: await s.hookEvents.deleteDeliveredBefore((now - RETENTION_SECONDS.hookDeliveries) * 1000),
  };
}
