// Authgear's user-import JSON (pkg/lib/userimport/model.go): `{identifier, upsert, records}`. Each record
// is looked up by its identifier's login ID: absent → inserted (through storage.importer, as the database
// import writes users); present → skipped, or with `upsert` updated through the same ports the admin API
// uses. The outcome per record is Authgear's Detail {index, record (secrets redacted), outcome, user_id,
// warnings, errors}, and the summary counts them.
import type { Context } from "../../context.ts";
import { isSupportedPasswordHash } from "../../users/password-hash.ts";
import { announceUserChanged, disableUser } from "../../session/revocation.ts";
import { buildUser, customAttributes, IDENTIFIER_TYPES, knownRolesAndGroups, normalised, standardAttributes } from "./records.ts";

type Json = Record<string, unknown>;
export type Outcome = "inserted" | "updated" | "skipped" | "failed";
export interface Detail {
  index: number;
  record: Json;
  outcome: Outcome;
  user_id?: string;
  warnings?: { message: string }[];
  errors?: { name: string; reason: string; message: string; code: number }[];
}
export interface ImportResult {
  summary: { total: number; inserted: number; updated: number; skipped: number; failed: number };
  details: Detail[];
}

const STANDARD = ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "address"];
const ALLOWED = new Set([...STANDARD, "email", "phone_number", "preferred_username", "disabled", "email_verified", "phone_number_verified",
  "custom_attributes", "roles", "groups", "password", "mfa"]);

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const invalid = (message: string) => ({ name: "Invalid", reason: "ValidationFailed", message, code: 400 });

/** Authgear's Record.Redact: a password hash or TOTP secret never goes back out, not even in a job's status. */
function redact(record: unknown): Json {
  if (!isObject(record)) return {};
  const out: Json = JSON.parse(JSON.stringify(record));
  if ("password" in out) out.password = isObject(out.password) ? { ...out.password, password_hash: "REDACTED" } : "REDACTED";
  if (isObject(out.mfa)) {
    const mfa = { ...out.mfa };
    if ("password" in mfa) mfa.password = isObject(mfa.password) ? { ...mfa.password, password_hash: "REDACTED" } : "REDACTED";
    if ("totp" in mfa) mfa.totp = isObject(mfa.totp) ? { ...mfa.totp, secret: "REDACTED" } : "REDACTED";
    out.mfa = mfa;
  }
  return out;
}

/** The record schema Authgear applies per identifier: a problem in words, or null. */
function checkRecord(identifier: string, r: unknown): string | null {
  if (!isObject(r)) return "a record must be an object";
  const extra = Object.keys(r).find((k) => !ALLOWED.has(k));
  if (extra) return `${extra}: not a field of an import record`;
  if (typeof r[identifier] !== "string" || r[identifier] === "") return `${identifier} is required (the identifier)`;
  for (const k of ["email", "phone_number", "preferred_username"]) if (r[k] !== undefined && r[k] !== null && typeof r[k] !== "string") return `${k} must be a string`;
  for (const k of ["disabled", "email_verified", "phone_number_verified"]) if (r[k] !== undefined && typeof r[k] !== "boolean") return `${k} must be a boolean`;
  for (const k of ["roles", "groups"]) {
    if (r[k] !== undefined && !(Array.isArray(r[k]) && (r[k] as unknown[]).every((x) => typeof x === "string" && x !== ""))) return `${k} must be an array of non-empty strings`;
  }
  if (r.custom_attributes !== undefined && !isObject(r.custom_attributes)) return "custom_attributes must be an object";
  for (const [where, p] of [["password", r.password], ["mfa.password", isObject(r.mfa) ? r.mfa.password : undefined]] as const) {
    if (p === undefined || (where === "mfa.password" && p === null)) continue;
    if (!isObject(p) || p.type !== "bcrypt" || typeof p.password_hash !== "string" || p.password_hash === "") return `${where} must be {type: "bcrypt", password_hash}`;
    if (Object.keys(p).some((k) => !["type", "password_hash", "expire_after"].includes(k))) return `${where}: only type, password_hash and expire_after`;
    if (!/^\$2[aby]\$/.test(p.password_hash) || !isSupportedPasswordHash(p.password_hash)) return `${where}.password_hash is not a bcrypt hash`;
  }
  if (r.mfa !== undefined) {
    if (!isObject(r.mfa)) return "mfa must be an object";
    const t = r.mfa.totp;
    if (t !== undefined && t !== null && !(isObject(t) && typeof t.secret === "string" && /^[A-Z2-7]+=*$/i.test(t.secret))) return "mfa.totp must be {secret} (base32)";
  }
  return null;
}

const hashOf = (r: Json): string | null => (isObject(r.password) ? String(r.password.password_hash) : null);
const totpOf = (r: Json): string | null => (isObject(r.mfa) && isObject(r.mfa.totp) ? String(r.mfa.totp.secret).toUpperCase() : null);

async function importOne(ctx: Context, identifier: string, upsert: boolean, r: Json): Promise<Omit<Detail, "index" | "record">> {
  const n = normalised(ctx, identifier, String(r[identifier]));
  if ("problem" in n) return { outcome: "failed", errors: [invalid(n.problem)] };
  const found = await ctx.storage.identities.findByLoginId(n.key, n.loginId);
  const warnings: string[] = [];
  if (isObject(r.mfa) && (r.mfa.email || r.mfa.phone_number)) warnings.push("mfa.email and mfa.phone_number are not imported (Gatehouse sends codes to the user's login IDs)");
  if (isObject(r.mfa) && r.mfa.password) warnings.push("mfa.password (a secondary password) is not imported");
  if (isObject(r.password) && r.password.expire_after) warnings.push("password.expire_after is not imported");
  const done = (o: Omit<Detail, "index" | "record" | "warnings">) => ({ ...o, ...(warnings.length ? { warnings: warnings.map((message) => ({ message })) } : {}) });

  if (!found) {
    const rg = await knownRolesAndGroups(ctx, (r.roles as string[]) ?? [], (r.groups as string[]) ?? [], warnings);
    const loginIds = Object.fromEntries(Object.keys(IDENTIFIER_TYPES).filter((k) => typeof r[k] === "string").map((k) => [k, r[k] as string]));
    const built = buildUser(ctx, {
      loginIds, emailVerified: r.email_verified === true, standardAttributes: Object.fromEntries(STANDARD.filter((k) => k in r).map((k) => [k, r[k]])),
      customAttributes: isObject(r.custom_attributes) ? r.custom_attributes : {}, roles: rg.roles, groups: rg.groups, groupRoles: rg.groupRoles,
      disabled: r.disabled === true, passwordHash: hashOf(r), totpSecret: totpOf(r), oauth: [],
    });
    if (!built.ok) return done({ outcome: "failed", errors: [invalid(built.reason)] });
    warnings.push(...built.warnings);
    const written = await ctx.storage.importer.writeUsers([built.user], { dryRun: false });
    if (written.written.length === 0) {
      return done({ outcome: "failed", errors: [{ name: "AlreadyExists", reason: "DuplicatedIdentity", message: written.skipped[0]?.reason ?? "a login ID is taken", code: 409 }] });
    }
    for (const s of written.skipped) warnings.push(s.reason);
    return done({ outcome: "inserted", user_id: built.user.user.id });
  }

  const userId = found.userId;
  if (!upsert) return done({ outcome: "skipped", user_id: userId });
  // Upsert: the fields the record gives replace the user's; what it leaves out is kept (Authgear's semantics).
  const user = await ctx.storage.users.get(userId);
  if (!user) return done({ outcome: "failed", errors: [invalid("the user was deleted meanwhile")] });
  const patch: Parameters<typeof ctx.storage.users.update>[1] = {};
  const std = standardAttributes(Object.fromEntries(STANDARD.filter((k) => k in r).map((k) => [k, r[k]])), warnings);
  if (STANDARD.some((k) => k in r)) {
    const merged: Json = { ...user.standardAttributes, ...std };
    for (const k of STANDARD.filter((x) => x in r && r[x] === null)) delete merged[k];
    patch.standardAttributes = merged;
  }
  if (isObject(r.custom_attributes)) {
    const merged: Json = { ...user.customAttributes, ...customAttributes(ctx, r.custom_attributes, warnings) };
    for (const a of ctx.config.user_profile.custom_attributes.attributes) if (r.custom_attributes[a.pointer.slice(1)] === null) delete merged[a.id];
    patch.customAttributes = merged;
  }
  if (typeof r.email_verified === "boolean" && user.email !== null) patch.isVerified = r.email_verified;
  for (const k of ["email", "phone_number", "preferred_username"].filter((x) => x !== identifier && typeof r[x] === "string")) {
    warnings.push(`${k} of an existing user is not changed by an upsert (use the admin API's login-ID endpoints)`);
  }
  if (r.roles !== undefined || r.groups !== undefined) warnings.push("roles and groups of an existing user are not changed by an upsert (use the roles and groups endpoints)");
  if (totpOf(r)) warnings.push("mfa.totp of an existing user is not changed by an upsert");
  if (Object.keys(patch).length) await ctx.storage.users.update(userId, patch, ctx.now());
  const hash = hashOf(r);
  if (hash) await ctx.storage.passwords.set(userId, hash, ctx.now());
  if (r.disabled === true && !user.disabled) await disableUser(ctx, userId, null);
  else if (r.disabled === false && user.disabled) await ctx.storage.users.update(userId, { disabled: false, disabledReason: null }, ctx.now());
  await announceUserChanged(ctx, userId);
  return done({ outcome: "updated", user_id: userId });
}

/** Authgear's Request after its RequestSchema: a problem in words, or the options and records. */
export function checkRequest(body: unknown): { ok: true; identifier: string; upsert: boolean; records: unknown[] } | { ok: false; problem: string; field: string } {
  if (!isObject(body)) return { ok: false, problem: "the body must be a JSON object", field: "" };
  const extra = Object.keys(body).find((k) => !["identifier", "upsert", "records"].includes(k));
  if (extra) return { ok: false, problem: `${extra}: unknown field (identifier, upsert, records)`, field: extra };
  if (typeof body.identifier !== "string" || !(body.identifier in IDENTIFIER_TYPES)) {
    return { ok: false, problem: "identifier must be one of preferred_username, email, phone_number", field: "identifier" };
  }
  if (body.upsert !== undefined && typeof body.upsert !== "boolean") return { ok: false, problem: "upsert must be a boolean", field: "upsert" };
  if (!Array.isArray(body.records) || body.records.length === 0) return { ok: false, problem: "records must be a non-empty array of objects", field: "records" };
  const bad = body.records.findIndex((r) => !isObject(r));
  if (bad >= 0) return { ok: false, problem: `records.${bad} must be an object`, field: `records.${bad}` };
  return { ok: true, identifier: body.identifier, upsert: body.upsert === true, records: body.records };
}

/** Runs the records one after another (each its own transaction): one record's failure never stops the rest. */
export async function importRecords(ctx: Context, o: { identifier: string; upsert: boolean; records: unknown[] }): Promise<ImportResult> {
  const details: Detail[] = [];
  // Two records for the same identifier in one request: Authgear processes them in order, so the second
  // finds the first. The same happens here because each record is written before the next is read.
  for (const [index, raw] of o.records.entries()) {
    const problem = checkRecord(o.identifier, raw);
    let detail: Omit<Detail, "index" | "record">;
    if (problem) detail = { outcome: "failed", errors: [invalid(problem)] };
    else {
      try {
        detail = await importOne(ctx, o.identifier, o.upsert, raw as Json);
      } catch (err) {
        detail = { outcome: "failed", errors: [{ name: "InternalError", reason: "UnexpectedError", message: "unexpected error", code: 500 }] };
      }
    }
    details.push({ index, record: redact(raw), ...detail });
  }
  const count = (x: Outcome) => details.filter((d) => d.outcome === x).length;
  return { summary: { total: details.length, inserted: count("inserted"), updated: count("updated"), skipped: count("skipped"), failed: count("failed") }, details };
}
