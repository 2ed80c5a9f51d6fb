// The one sweeper for rows that expire: every table whose rows stop mattering at some time is cleaned
// here, through one storage method per aggregate. The app calls sweepExpired on a timer; each pass is
// a handful of indexed DELETEs, so it may run often.
import type { Context } from "../context.ts";

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
    // Unix ms, like the outbox's own times.
    hookDeliveries: await s.hookEvents.deleteDeliveredBefore((now - RETENTION_SECONDS.hookDeliveries) * 1000),
  };
}
