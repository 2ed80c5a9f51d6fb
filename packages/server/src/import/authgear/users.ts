// An Authgear user (its rows in Authgear's database, a page at a time) as a Gatehouse user with the same
// id — the `sub` every backend keys on — and its login IDs, OAuth identities, password hash (verified as
// it is, re-hashed on the next sign-in: users/password-hash.ts), TOTP secret, recovery codes, roles and
// groups, passkeys and device keys (devices.ts), and a scheduled deletion. What has no Gatehouse
// counterpart yet is counted in the tally, never silently dropped.
import type { User } from "../../domain/user.ts";
import { LOGIN_ID_TYPES, type Identity, type LoginIdType } from "../../domain/identity.ts";
import type { ImportedUser } from "../../storage/import-ports.ts";
import { isUserId } from "../../input/ids.ts";
import { sha256 } from "../../crypto/secrets.ts";
import { normalizeRecoveryCode } from "../../account/mfa/recovery-codes.ts";
import { isSupportedPasswordHash } from "../../users/password-hash.ts";
import { epoch, type AuthgearUserPage } from "./database.ts";
import type { Tally } from "./tally.ts";
import { mapDeviceKey, mapPasskey, type ImportedPasskey } from "./devices.ts";
import type { DeviceKey } from "../../storage/device-key-ports.ts";

type Json = Record<string, unknown>;

export interface ProviderRef {
  alias: string;
  type: string;
  config: Json;
}

export interface MappingContext {
  /** `identity.login_id.keys` of authgear.yaml: a login ID row without a type takes its key's. */
  loginIdKeyTypes: Map<string, string>;
  /** `identity.oauth.providers` of authgear.yaml: an OAuth identity names its provider by type and keys. */
  providers: ProviderRef[];
  /** Each group's role keys, for the effective roles kept on the user row. */
  groupRoles: Map<string, string[]>;
  /** Gatehouse's WebAuthn relying party id (passkeys made for another cannot sign in). */
  rpId: string | null;
  now: number;
}

const asObject = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** Authgear's ProviderID: the provider type plus the config values its `provider_keys` name (tenant, team_id, client_id). */
export function providerAlias(providers: ProviderRef[], type: string, keys: Json): string | null {
  const match = providers.filter((p) => p.type === type && Object.entries(keys).every(([k, v]) => p.config[k] === v));
  return match.length === 1 ? match[0].alias : null;
}

const IDENTITY_CLAIMS = new Set(["email", "phone_number", "preferred_username", "email_verified", "phone_number_verified"]);

export function mapUsers(page: AuthgearUserPage, m: MappingContext, tally: Tally): ImportedUser[] {
  const out: ImportedUser[] = [];
  for (const row of page.users) {
    const id = String(row.id);
    if (!isUserId(id)) {
      tally.skip(id, "the user id is not a UUID");
      continue;
    }
    const identities: Identity[] = [];
    const passkeys: ImportedPasskey[] = [];
    const deviceKeys: DeviceKey[] = [];
    let isAnonymous = false;
    const passkeyAuthenticators = (page.authenticators.get(id) ?? []).filter((a) => a.type === "passkey");
    // Authgear's last sign-in of the user: the nearest it keeps to a key's last use.
    const lastLogin = epoch(row.last_login_at) ?? m.now;
    for (const i of page.identities.get(id) ?? []) {
      const at = epoch(i.created_at) ?? m.now;
      const updated = epoch(i.updated_at) ?? at;
      if (i.type === "login_id") {
        const l = asObject(i.login_id);
        const type = str(l.login_id_type) ?? m.loginIdKeyTypes.get(String(l.login_id_key)) ?? null;
        if (!type || !LOGIN_ID_TYPES.includes(type as LoginIdType) || !str(l.login_id)) {
          tally.note(`login IDs of type ${type ?? "unknown"} (not email, phone or username)`);
          continue;
        }
        identities.push({
          id: String(i.id), userId: id, type: "login_id", loginIdKey: String(l.login_id_key), loginIdType: type as LoginIdType,
          loginId: String(l.login_id), originalLoginId: str(l.original_login_id) ?? String(l.login_id), providerAlias: null, providerSubject: null,
          claims: asObject(l.claims), createdAt: at, updatedAt: updated,
        });
      } else if (i.type === "oauth") {
        const o = asObject(i.oauth);
        const alias = providerAlias(m.providers, String(o.provider_type), asObject(o.provider_keys));
        if (!alias) {
          tally.note(`OAuth identities of provider ${String(o.provider_type)} ${JSON.stringify(o.provider_keys ?? {})}: no single provider in authgear.yaml matches (or Gatehouse has no such provider type)`);
          continue;
        }
        identities.push({
          id: String(i.id), userId: id, type: "oauth", loginIdKey: null, loginIdType: null, loginId: null, originalLoginId: null,
          providerAlias: alias, providerSubject: String(o.provider_user_id), claims: asObject(o.claims), createdAt: at, updatedAt: updated,
        });
      } else if (i.type === "passkey" && i.passkey) {
        const p = mapPasskey(id, i, passkeyAuthenticators, { rpId: m.rpId, now: m.now }, tally);
        if (p) passkeys.push(p);
      } else if ((i.type === "biometric" && i.biometric) || (i.type === "anonymous" && i.anonymous)) {
        // An anonymous identity makes its user anonymous, key or not (Authgear deletes it at promotion).
        if (i.type === "anonymous") isAnonymous = true;
        const k = mapDeviceKey(id, i.type, i, i.type === "anonymous" ? lastLogin : (epoch(i.updated_at) ?? lastLogin), tally);
        if (k) deviceKeys.push(k);
      } else {
        tally.note(`${String(i.type)} identities (not carried over yet)`);
      }
    }

    let passwordHash: string | null = null;
    let totp: ImportedUser["totp"] = null;
    for (const a of page.authenticators.get(id) ?? []) {
      if (a.type === "password" && a.kind === "primary" && passwordHash === null) {
        const h = str(a.password_hash);
        if (h && isSupportedPasswordHash(h)) passwordHash = h;
        else tally.note("password hashes in a format Gatehouse cannot verify (the user was imported without a password)");
      } else if (a.type === "totp" && totp === null && str(a.secret)) {
        totp = { secret: String(a.secret), createdAt: epoch(a.created_at) ?? m.now };
      } else if (a.type === "totp") {
        tally.note("second and later TOTP authenticators of a user (Gatehouse keeps one)");
      } else if (a.type === "passkey") {
        // Carried over with its identity (mapPasskey); one without an identity signs nobody in at Authgear either.
        const credential = (a.passkey as Record<string, unknown> | null)?.credential_id;
        if (!passkeys.some((p) => p.credential.credentialId === credential)) tally.note("passkey authenticators without a passkey identity");
      } else {
        tally.note(`${String(a.kind)} ${String(a.type)} authenticators (not carried over yet)`);
      }
    }

    const std = asObject(row.standard_attributes);
    const emails = identities.filter((i) => i.loginIdType === "email").map((i) => i.loginId!);
    const email = typeof std.email === "string" && emails.includes(std.email) ? std.email : (emails[0] ?? null);
    const claims = page.verifiedClaims.get(id) ?? [];
    if (claims.some((c) => c.name === "phone_number")) tally.note("verified phone numbers (Gatehouse records no phone verification yet)");
    const standardAttributes = Object.fromEntries(Object.entries(std).filter(([k]) => !IDENTITY_CLAIMS.has(k)));
    const direct = page.roleKeys.get(id) ?? [];
    const groupKeys = page.groupKeys.get(id) ?? [];
    const roles = [...new Set([...direct, ...groupKeys.flatMap((g) => m.groupRoles.get(g) ?? [])])].sort();
    if (row.anonymize_at) tally.note("scheduled anonymizations (anonymize_at): the users were imported as they are");
    if (row.temporarily_disabled_from || row.temporarily_disabled_until || row.account_valid_from || row.account_valid_until) {
      tally.note("temporary disabling and account validity periods");
    }
    const createdAt = epoch(row.created_at) ?? m.now;
    // Authgear's scheduled deletion: delete_at, with the user disabled meanwhile; is_deactivated marks
    // the ones the user asked for themselves (ScheduleDeletionByEndUser), the others an admin's.
    const deleteAt = epoch(row.delete_at);
    const deletion: ImportedUser["deletion"] = deleteAt === null ? null : {
      deleteAt, scheduledAt: epoch(row.updated_at) ?? createdAt, byAdmin: row.is_deactivated !== true,
      reason: row.is_deactivated === true ? "end user request" : "",
    };
    const user: User = {
      id, email, isVerified: email !== null && claims.some((c) => c.name === "email" && c.value === email), isAnonymous,
      disabled: row.is_disabled === true || row.is_deactivated === true || deletion !== null, disabledReason: str(row.disable_reason),
      roles, standardAttributes, customAttributes: asObject(row.custom_attributes), createdAt, updatedAt: epoch(row.updated_at) ?? createdAt,
    };
    out.push({
      user, passwordHash, identities, totp,
      recoveryCodes: (page.recoveryCodes.get(id) ?? []).map((c) => ({
        codeHash: sha256(normalizeRecoveryCode(String(c.code))), createdAt: epoch(c.created_at) ?? m.now, usedAt: c.consumed === true ? (epoch(c.updated_at) ?? m.now) : null,
      })),
      roleKeys: direct, groupKeys, passkeys, deviceKeys, deletion,
    });
  }
  return out;
}
