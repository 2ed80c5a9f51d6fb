// Fills an Authgear schema (authgear-schema.ts) the way Authgear's code does: a user row, login-ID and
// OAuth identities with their kind's row, a password authenticator whose hash is Authgear's current
// format — `$bcrypt-sha512$` + bcrypt (cost 10, Go's DefaultCost) of the password's SHA-512 digest
// (pkg/util/password/bcrypt_sha512.go) — or a plain `$2a$` bcrypt (what its import API accepts),
// TOTP authenticators with a base32 secret, recovery codes (stored as generated), verified claims,
// roles and groups; passkeys (identity and authenticator, each with the creation options and the
// attestation response JSON, as pkg/lib/authn/identity/passkey/store.go and
// pkg/lib/authn/authenticator/passkey/store.go write them), biometric and anonymous identities (key_id
// and the device's public JWK); and offline grants in Redis as pkg/lib/oauth/redis stores them.
import { createHash, randomUUID } from "node:crypto";
import { hashSync } from "@node-rs/bcrypt";
import type pg from "pg";
import type { Redis } from "ioredis";

export const bcryptSha512 = (password: string): string =>
  `$bcrypt-sha512$${hashSync(createHash("sha512").update(password).digest(), 10)}`;
export const bcryptPlain = (password: string): string => hashSync(password, 10).replace(/^\$2b\$/, "$2a$");

const ts = (epoch: number): string => new Date(epoch * 1000).toISOString().replace("Z", "");

export interface AuthgearUser {
  id?: string;
  appId: string;
  createdAt: number;
  loginIds?: { key: string; type: "email" | "phone" | "username"; value: string; normalized: string }[];
  oauth?: { providerType: string; providerKeys?: Record<string, unknown>; subject: string; claims?: Record<string, unknown> }[];
  passwordHash?: string;
  totpSecret?: string;
  recoveryCodes?: { code: string; consumed: boolean }[];
  verified?: { name: string; value: string }[];
  standardAttributes?: Record<string, unknown>;
  customAttributes?: Record<string, unknown>;
  disabled?: { reason: string | null };
  deleteAt?: number;
  /** is_deactivated: the user asked for the deletion themselves. */
  deactivated?: boolean;
  lastLoginAt?: number;
  roleIds?: string[];
  groupIds?: string[];
  /** `attestationResponse`: the JSON the browser posted; `signCount`: the authenticator row's counter. */
  passkeys?: { credentialId: string; creationOptions: unknown; attestationResponse: string; signCount: number }[];
  biometric?: { keyId: string; jwk: unknown; deviceInfo: unknown }[];
  /** A web anonymous user has neither key_id nor key. */
  anonymous?: { keyId: string | null; jwk: unknown };
}

/** Inserts one user and everything hanging off it; returns its id. */
export async function insertUser(db: pg.ClientBase, u: AuthgearUser): Promise<string> {
  const id = u.id ?? randomUUID();
  const at = ts(u.createdAt);
  const std = { ...(u.standardAttributes ?? {}) };
  const email = u.loginIds?.find((l) => l.type === "email");
  if (email) std.email = email.normalized;
  await db.query(`INSERT INTO _auth_user (id, app_id, created_at, updated_at, is_disabled, disable_reason, standard_attributes, custom_attributes, delete_at, is_deactivated, last_login_at)
    VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10)`,
  [id, u.appId, at, u.disabled !== undefined, u.disabled?.reason ?? null, JSON.stringify(std), JSON.stringify(u.customAttributes ?? {}), u.deleteAt ? ts(u.deleteAt) : null,
    u.deactivated ?? false, u.lastLoginAt ? ts(u.lastLoginAt) : null]);
  const identity = async (type: string): Promise<string> => {
    const iid = randomUUID();
    await db.query("INSERT INTO _auth_identity (id, app_id, type, user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)", [iid, u.appId, type, id, at]);
    return iid;
  };
  for (const l of u.loginIds ?? []) {
    const iid = await identity("login_id");
    const claim = { email: "email", phone: "phone_number", username: "preferred_username" }[l.type];
    await db.query(`INSERT INTO _auth_identity_login_id (id, app_id, login_id_key, login_id, claims, original_login_id, unique_key, login_id_type)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [iid, u.appId, l.key, l.normalized, JSON.stringify({ [claim]: l.normalized }), l.value, l.normalized, l.type]);
  }
  for (const o of u.oauth ?? []) {
    const iid = await identity("oauth");
    await db.query(`INSERT INTO _auth_identity_oauth (id, app_id, provider_type, provider_keys, provider_user_id, claims, profile)
      VALUES ($1, $2, $3, $4, $5, $6, $7)`, [iid, u.appId, o.providerType, JSON.stringify(o.providerKeys ?? {}), o.subject, JSON.stringify(o.claims ?? {}), JSON.stringify({ sub: o.subject })]);
  }
  for (const b of u.biometric ?? []) {
    const iid = await identity("biometric");
    await db.query("INSERT INTO _auth_identity_biometric (id, app_id, key_id, key, device_info) VALUES ($1, $2, $3, $4, $5)", [iid, u.appId, b.keyId, JSON.stringify(b.jwk), JSON.stringify(b.deviceInfo)]);
  }
  if (u.anonymous) {
    const iid = await identity("anonymous");
    await db.query("INSERT INTO _auth_identity_anonymous (id, app_id, key_id, key) VALUES ($1, $2, $3, $4)", [iid, u.appId, u.anonymous.keyId, u.anonymous.jwk === null ? null : JSON.stringify(u.anonymous.jwk)]);
  }
  const passkeyRows: { iid: string; p: NonNullable<AuthgearUser["passkeys"]>[number] }[] = [];
  for (const p of u.passkeys ?? []) passkeyRows.push({ iid: await identity("passkey"), p });
  for (const { iid, p } of passkeyRows) {
    await db.query("INSERT INTO _auth_identity_passkey (id, app_id, credential_id, creation_options, attestation_response) VALUES ($1, $2, $3, $4, $5)",
      [iid, u.appId, p.credentialId, JSON.stringify(p.creationOptions), p.attestationResponse]);
  }
  const authenticator = async (type: string, kind: string): Promise<string> => {
    const aid = randomUUID();
    await db.query("INSERT INTO _auth_authenticator (id, app_id, type, user_id, created_at, updated_at, is_default, kind) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
      [aid, u.appId, type, id, at, kind === "primary", kind]);
    return aid;
  };
  if (u.passwordHash) {
    const aid = await authenticator("password", "primary");
    await db.query("INSERT INTO _auth_authenticator_password (id, app_id, password_hash) VALUES ($1, $2, $3)", [aid, u.appId, u.passwordHash]);
  }
  for (const { p } of passkeyRows) {
    // Authgear's passkey authenticator: kind primary, its own id, the same credential and documents.
    const aid = await authenticator("passkey", "primary");
    await db.query("INSERT INTO _auth_authenticator_passkey (id, app_id, credential_id, creation_options, attestation_response, sign_count) VALUES ($1, $2, $3, $4, $5, $6)",
      [aid, u.appId, p.credentialId, JSON.stringify(p.creationOptions), p.attestationResponse, p.signCount]);
  }
  if (u.totpSecret) {
    const aid = await authenticator("totp", "secondary");
    await db.query("INSERT INTO _auth_authenticator_totp (id, app_id, secret, display_name) VALUES ($1, $2, $3, $4)", [aid, u.appId, u.totpSecret, "My phone"]);
  }
  for (const c of u.recoveryCodes ?? []) {
    await db.query("INSERT INTO _auth_recovery_code (id, app_id, user_id, code, created_at, consumed, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
      [randomUUID(), u.appId, id, c.code, at, c.consumed]);
  }
  for (const v of u.verified ?? []) {
    await db.query("INSERT INTO _auth_verified_claim (id, app_id, user_id, name, value, created_at) VALUES ($1, $2, $3, $4, $5, $6)", [randomUUID(), u.appId, id, v.name, v.value, at]);
  }
  for (const r of u.roleIds ?? []) {
    await db.query("INSERT INTO _auth_user_role (id, app_id, created_at, updated_at, user_id, role_id) VALUES ($1, $2, $3, $3, $4, $5)", [randomUUID(), u.appId, at, id, r]);
  }
  for (const g of u.groupIds ?? []) {
    await db.query("INSERT INTO _auth_user_group (id, app_id, created_at, updated_at, user_id, group_id) VALUES ($1, $2, $3, $3, $4, $5)", [randomUUID(), u.appId, at, id, g]);
  }
  return id;
}

export async function insertRoleOrGroup(db: pg.ClientBase, table: "_auth_role" | "_auth_group", appId: string, key: string, at: number): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO ${table} (id, app_id, created_at, updated_at, key, name, description) VALUES ($1, $2, $3, $3, $4, $5, NULL)`, [id, appId, ts(at), key, key.toUpperCase()]);
  return id;
}

export async function grantRole(db: pg.ClientBase, appId: string, groupId: string, roleId: string, at: number): Promise<void> {
  await db.query("INSERT INTO _auth_group_role (id, app_id, created_at, updated_at, group_id, role_id) VALUES ($1, $2, $3, $3, $4, $5)", [randomUUID(), appId, ts(at), groupId, roleId]);
}

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Authgear's oauth.GenerateToken: 32 characters of letters and digits. */
export function authgearToken(): string {
  let s = "";
  const bytes = createHash("sha256").update(randomUUID()).digest();
  for (let i = 0; i < 32; i++) s += ALNUM[bytes[i] % ALNUM.length];
  return s;
}

/**
 * Stores an offline grant as Authgear's redis store does (SET with the grant's expiry as TTL) and
 * returns the refresh token the app holds: `<grant id>.<token>`, whose SHA-256 hex is in the record.
 */
export async function insertOfflineGrant(redis: Redis, prefix: string, g: {
  appId: string; userId: string; clientId: string; scopes: string[]; createdAt: number; ttlSeconds: number; amr?: string[];
}): Promise<string> {
  const id = randomUUID();
  const token = authgearToken();
  const time = new Date(g.createdAt * 1000).toISOString();
  const access = { time, ip: "203.0.113.7", user_agent: "ExampleApp/1.0" };
  const record = {
    app_id: g.appId, id, client_id: g.clientId, created_at: time, authenticated_at: time,
    attrs: { user_id: g.userId, claims: { amr: g.amr ?? ["pwd"] } },
    access_info: { initial_access: access, last_access: access }, device_info: { ios: { model: "iPhone" } },
    app2app_device_key_jwk_json: "", device_secret_hash: "", device_secret_dpop_jkt: "",
    refresh_tokens: [{ token_hash: createHash("sha256").update(token).digest("hex"), client_id: g.clientId, created_at: time, scopes: g.scopes, authz_id: randomUUID(), dpop_jkt: "", access_info: null, expire_at: null }],
    authz_id: "", scopes: null, token_hash: "",
  };
  await redis.set(`${prefix}app:${g.appId}:offline-grant:${id}`, JSON.stringify(record), "EX", g.ttlSeconds);
  await redis.hset(`${prefix}app:${g.appId}:offline-grant-list:${g.userId}`, id, new Date((g.createdAt + g.ttlSeconds) * 1000).toISOString());
  return `${id}.${token}`;
}
