// The bulk-import port for both adapters (import-ports.ts): plans (plan.ts) of multi-row statements,
// so a batch of users costs a handful of statements whatever its size. A dry run runs the very same
// plan — every uniqueness check made by the database itself — and then rolls it back.
import type { ImportSkip, ImportStore, ImportedRoleOrGroup, ImportedUser } from "./import-ports.ts";
import type { OfflineGrant } from "../domain/session.ts";
import type { Plan } from "./plan.ts";
import { all, run } from "./plan.ts";
import { valueTerms, type RolesDialect } from "./roles-sql.ts";
import type { Row } from "./rows.ts";
import { PASSKEY_COLUMNS, passkeyValues } from "./passkey-rows.ts";
import { DEVICE_KEY_COLUMNS, deviceKeyValues } from "./device-key-stores.ts";

type RunPlan = <T>(plan: () => Plan<T>, options?: { logs?: boolean; read?: boolean }) => T | Promise<T>;

/** Thrown at the end of a dry run's plan: the transaction rolls back and the result is handed out. */
class DryRun<T> extends Error {
  constructor(readonly result: T) {
    super("dry run");
  }
}

/** `INSERT … VALUES (…), (…)` for rows of equal width, `$n` numbered across the whole statement. */
function* insertRows(head: string, rows: unknown[][], tail: string, chunk = 400): Plan<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    let n = 0;
    const values = part.map((r) => `(${r.map(() => `$${++n}`).join(", ")})`).join(", ");
    const sql = `${head} VALUES ${values} ${tail}`;
    // SQLite tells a statement that returns rows from one that does not: only RETURNING is read.
    if (tail.includes("RETURNING")) out.push(...((yield all(sql, part.flat())) as Row[]));
    else yield run(sql, part.flat());
  }
  return out;
}

const inList = (ids: string[], from = 1): string => ids.map((_, i) => `$${i + from}`).join(", ");

function* existing(table: string, column: string, ids: string[]): Plan<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    for (const r of (yield all(`SELECT ${column} AS id FROM ${table} WHERE ${column} IN (${inList(part)})`, part)) as Row[]) found.add(String(r.id));
  }
  return found;
}

function* usersPlan(d: RolesDialect, batch: ImportedUser[]): Plan<{ written: string[]; skipped: ImportSkip[] }> {
  const bool = (b: boolean): unknown => (d.name === "sqlite" ? (b ? 1 : 0) : b);
  const skipped: ImportSkip[] = [];
  const already = yield* existing("users", "id", batch.map((u) => u.user.id));
  const fresh = batch.filter((u) => {
    if (already.has(u.user.id)) skipped.push({ id: u.user.id, reason: "already imported" });
    return !already.has(u.user.id);
  });
  if (fresh.length === 0) return { written: [], skipped };
  const inserted = new Set((yield* insertRows(
    "INSERT INTO users (id, email, is_verified, is_anonymous, disabled, disabled_reason, roles, standard_attributes, custom_attributes, created_at, updated_at)",
    fresh.map(({ user: u }) => [u.id, u.email, bool(u.isVerified), bool(u.isAnonymous), bool(u.disabled), u.disabledReason, JSON.stringify(u.roles),
      JSON.stringify(u.standardAttributes), JSON.stringify(u.customAttributes), u.createdAt, u.updatedAt]),
    "ON CONFLICT DO NOTHING RETURNING id",
  )).map((r) => String(r.id)));
  const done = fresh.filter((u) => {
    if (!inserted.has(u.user.id)) skipped.push({ id: u.user.id, reason: `email ${u.user.email} belongs to another Gatehouse user` });
    return inserted.has(u.user.id);
  });
  yield* insertRows("INSERT INTO passwords (user_id, hash, updated_at)",
    done.filter((u) => u.passwordHash !== null).map((u) => [u.user.id, u.passwordHash, u.user.updatedAt]), "");
  // Passkeys' identities go in with the others; their credentials follow once the identity is in.
  const identities = done.flatMap((u) => [...u.identities, ...u.passkeys.map((p) => p.identity)]);
  const idRows = (yield* insertRows(
    "INSERT INTO identities (id, user_id, type, login_id_key, login_id_type, login_id, original_login_id, provider_alias, provider_subject, claims, created_at, updated_at)",
    identities.map((i) => [i.id, i.userId, i.type, i.loginIdKey, i.loginIdType, i.loginId, i.originalLoginId, i.providerAlias, i.providerSubject,
      JSON.stringify(i.claims), i.createdAt, i.updatedAt]),
    "ON CONFLICT DO NOTHING RETURNING id",
  ));
  const writtenIds = new Set(idRows.map((r) => String(r.id)));
  for (const i of identities) {
    const what = i.type === "passkey" ? `passkey ${i.id}` : `identity ${i.loginId ?? `${i.providerAlias}:${i.providerSubject}`}`;
    if (!writtenIds.has(i.id)) skipped.push({ id: i.userId, reason: `${what} is taken by another Gatehouse user; the user was imported without it` });
  }
  yield* devicesPlan(done, writtenIds, skipped);
  const terms = done.flatMap((u) => [
    ...valueTerms(u.user), ...u.user.roles.map((k) => `r:${k}`), ...u.groupKeys.map((k) => `g:${k}`),
  ].map((t) => [t, u.user.id]));
  yield* insertRows("INSERT INTO user_search_terms (term, user_id)", terms, "ON CONFLICT DO NOTHING");
  yield* insertRows("INSERT INTO totp_authenticators (user_id, secret, created_at, confirmed_at, last_used_step)",
    done.filter((u) => u.totp).map((u) => [u.user.id, u.totp!.secret, u.totp!.createdAt, u.totp!.createdAt, 0]), "");
  yield* insertRows("INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at)",
    done.flatMap((u) => u.recoveryCodes.map((c) => [u.user.id, c.codeHash, c.createdAt, c.usedAt])), "ON CONFLICT DO NOTHING");
  for (const [link, table, column, keysOf] of [
    ["user_roles", "roles", "role_id", (u: ImportedUser) => u.roleKeys],
    ["user_groups", "groups", "group_id", (u: ImportedUser) => u.groupKeys],
  ] as const) {
    const keys = [...new Set(done.flatMap(keysOf))];
    if (keys.length === 0) continue;
    const idOf = new Map(((yield all(`SELECT id, key FROM ${table} WHERE key IN (${inList(keys)})`, keys)) as Row[]).map((r) => [String(r.key), String(r.id)]));
    yield* insertRows(`INSERT INTO ${link} (user_id, ${column}, created_at)`,
      done.flatMap((u) => keysOf(u).filter((k) => idOf.has(k)).map((k) => [u.user.id, idOf.get(k), u.user.createdAt])), "ON CONFLICT DO NOTHING");
  }
  return { written: done.map((u) => u.user.id), skipped };
}

/** Passkey credentials (of the identities written), device keys and scheduled deletions of the users just written. */
function* devicesPlan(done: ImportedUser[], identityIds: Set<string>, skipped: ImportSkip[]): Plan<void> {
  const credentials = done.flatMap((u) => u.passkeys).filter((p) => identityIds.has(p.identity.id)).map((p) => p.credential);
  const credRows = yield* insertRows(`INSERT INTO passkey_credentials (${PASSKEY_COLUMNS.join(", ")})`, credentials.map(passkeyValues), "ON CONFLICT DO NOTHING RETURNING id");
  const credWritten = new Set(credRows.map((r) => String(r.id)));
  const refused = credentials.filter((c) => !credWritten.has(c.id));
  for (const c of refused) skipped.push({ id: c.userId, reason: `passkey credential ${c.credentialId} is another Gatehouse user's; the user was imported without it` });
  // An identity whose credential could not be written would be a passkey that never signs in.
  if (refused.length > 0) yield run(`DELETE FROM identities WHERE id IN (${inList(refused.map((c) => c.identityId))})`, refused.map((c) => c.identityId));
  const keys = done.flatMap((u) => u.deviceKeys);
  const keyRows = yield* insertRows(`INSERT INTO device_keys (${DEVICE_KEY_COLUMNS})`, keys.map(deviceKeyValues), "ON CONFLICT DO NOTHING RETURNING id");
  const keyWritten = new Set(keyRows.map((r) => String(r.id)));
  for (const k of keys) {
    if (!keyWritten.has(k.id)) skipped.push({ id: k.userId, reason: `${k.type} key ${k.keyId} is bound to another Gatehouse user; the user was imported without it` });
  }
  yield* insertRows("INSERT INTO account_deletions (user_id, delete_at, scheduled_at, by_admin, reason)",
    done.filter((u) => u.deletion).map((u) => [u.user.id, u.deletion!.deleteAt, u.deletion!.scheduledAt, u.deletion!.byAdmin ? 1 : 0, u.deletion!.reason]), "ON CONFLICT DO NOTHING");
}

function* grantsPlan(batch: OfflineGrant[]): Plan<{ written: string[]; updated: string[]; skipped: ImportSkip[] }> {
  const skipped: ImportSkip[] = [];
  const updated: string[] = [];
  const users = yield* existing("users", "id", [...new Set(batch.map((g) => g.userId))]);
  const taken = yield* existing("offline_grants", "id", batch.map((g) => g.id));
  for (const g of batch.filter((x) => taken.has(x.id))) {
    // Refreshed on Authgear since the last run (a later use there), and neither used by rotation nor
    // revoked here: Authgear's record is the newer one, so its token and expiry are taken.
    const changed = (yield run(`UPDATE offline_grants SET token_hash = $1, expires_at = $2, last_accessed_at = $3, ip = $4, user_agent = $5
      WHERE id = $6 AND user_id = $7 AND rotated_at IS NULL AND revoked_at IS NULL AND last_accessed_at < $3`,
    [g.tokenHash, g.expiresAt, g.lastAccessedAt, g.ip, g.userAgent, g.id, g.userId])) as number;
    if (changed > 0) updated.push(g.id);
    else skipped.push({ id: g.id, reason: "already imported" });
  }
  const fresh = batch.filter((g) => {
    const reason = taken.has(g.id) ? "" : users.has(g.userId) ? null : `its user ${g.userId} was not imported`;
    if (reason) skipped.push({ id: g.id, reason });
    return reason === null;
  });
  yield* insertRows(
    "INSERT INTO offline_grants (id, client_id, user_id, idp_session_id, scopes, amr, authenticated_at, token_hash, created_at, last_accessed_at, expires_at, ip, user_agent, revoked_at, previous_token_hash, rotated_at, rotation_salt)",
    fresh.map((g) => [g.id, g.clientId, g.userId, g.idpSessionId, JSON.stringify(g.scopes), JSON.stringify(g.amr), g.authenticatedAt, g.tokenHash,
      g.createdAt, g.lastAccessedAt, g.expiresAt, g.ip, g.userAgent, g.revokedAt, g.previousTokenHash, g.rotatedAt, g.rotationSalt]),
    "ON CONFLICT DO NOTHING",
  );
  return { written: fresh.map((g) => g.id), updated, skipped };
}

function* rolesPlan(roles: ImportedRoleOrGroup[], groups: ImportedRoleOrGroup[], links: { groupKey: string; roleKey: string }[], at: number): Plan<void> {
  for (const [table, items] of [["roles", roles], ["groups", groups]] as const) {
    yield* insertRows(`INSERT INTO ${table} (id, key, name, description, created_at, updated_at)`,
      items.map((r) => [r.id, r.key, r.name, r.description, r.createdAt, r.updatedAt]), "ON CONFLICT DO NOTHING");
  }
  for (const l of links) {
    yield run(`INSERT INTO group_roles (group_id, role_id, created_at) SELECT g.id, r.id, $3 FROM groups g, roles r WHERE g.key = $1 AND r.key = $2
      ON CONFLICT DO NOTHING`, [l.groupKey, l.roleKey, at]);
  }
}

export function importStore(runPlan: RunPlan, d: RolesDialect): ImportStore {
  async function maybeDry<T>(plan: () => Plan<T>, dryRun: boolean): Promise<T> {
    if (!dryRun) return runPlan(plan);
    try {
      await runPlan(function* () {
        throw new DryRun(yield* plan());
      });
    } catch (err) {
      if (err instanceof DryRun) return err.result as T;
      throw err;
    }
    throw new Error("unreachable");
  }
  return {
    writeRolesAndGroups: async (roles, groups, links, at) => runPlan(() => rolesPlan(roles, groups, links, at)),
    writeUsers: (batch, o) => maybeDry(() => usersPlan(d, batch), o.dryRun),
    writeGrants: (batch, o) => maybeDry(() => grantsPlan(batch), o.dryRun),
    writeRetiredKey: (k, o) => maybeDry(function* () {
      const found = (yield all("SELECT retired_at FROM signing_keys WHERE kid = $1", [k.kid])) as Row[];
      if (found.length === 0) {
        yield run("INSERT INTO signing_keys (kid, private_jwk, created_at, rotated_at, retired_at) VALUES ($1, $2, $3, $4, $5)",
          [k.kid, k.privateJwk, k.createdAt, k.rotatedAt, k.retiredAt]);
        return true;
      }
      yield run("UPDATE signing_keys SET retired_at = $1 WHERE kid = $2 AND retired_at IS NOT NULL AND retired_at < $1", [k.retiredAt, k.kid]);
      return false;
    }, o.dryRun),
  };
}
