// `gatehouse import authgear --ndjson FILE`: Authgear's user export (pkg/lib/userexport, one JSON Record a
// line) into the Gatehouse database the config names, keeping each user's `sub`. The export carries no
// password hashes (nor recovery codes or sessions): those users sign in by a reset, a code or a social
// account. Written in batches through storage.importer.writeUsers, so a second run skips who is there.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Context } from "../../context.ts";
import { isUserId } from "../../input/ids.ts";
import { ConfigError } from "../../config/errors.ts";
import { buildUser, knownRolesAndGroups, type UserFields } from "./records.ts";
import { Tally } from "./tally.ts";
import { summary } from "./progress.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const STANDARD = ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "address"];
const BY_TYPE: Record<string, "email" | "phone_number" | "preferred_username"> = { email: "email", phone: "phone_number", username: "preferred_username" };

/** One export line as the fields of a user, or the reason it cannot be one. */
async function fieldsOf(ctx: Context, r: Json, tally: Tally): Promise<UserFields | string> {
  const sub = typeof r.sub === "string" ? r.sub : "";
  if (!isUserId(sub)) return "sub is not a UUID";
  const loginIds: UserFields["loginIds"] = {};
  const oauth: UserFields["oauth"] = [];
  const aliases = new Set(ctx.config.identity.oauth.providers.map((p) => p.alias));
  const identities = Array.isArray(r.identities) ? r.identities.filter(isObject) : [];
  for (const i of identities) {
    // Authgear writes an OAuth identity's details under `login_id` too (its Identity struct's LoginID field).
    const d = isObject(i.login_id) ? i.login_id : isObject(i.oauth) ? i.oauth : {};
    if (i.type === "login_id") {
      const as = BY_TYPE[String(d.type)];
      const value = typeof d.original_value === "string" && d.original_value ? d.original_value : d.value;
      if (!as || typeof value !== "string") tally.note(`login IDs of type ${String(d.type)} (not email, phone or username)`);
      else if (loginIds[as]) tally.note(`a second ${as} login ID of one user (the first was kept)`);
      else loginIds[as] = value;
    } else if (i.type === "oauth") {
      const alias = String(d.provider_alias ?? "");
      if (!aliases.has(alias) || typeof d.provider_subject_id !== "string") tally.note(`OAuth identities of provider ${alias || "(no alias)"} not in identity.oauth.providers`);
      else oauth.push({ alias, subject: d.provider_subject_id, claims: isObject(i.claims) ? i.claims : {} });
    } else tally.note(`${String(i.type)} identities (not carried over)`);
  }
  // Records exported before identities were listed: the top-level claims are the login IDs.
  if (identities.length === 0) for (const k of ["email", "phone_number", "preferred_username"] as const) if (typeof r[k] === "string" && r[k]) loginIds[k] = r[k] as string;
  const mfa = isObject(r.mfa) ? r.mfa : {};
  const totps = Array.isArray(mfa.totps) ? mfa.totps.filter(isObject) : [];
  if (totps.length > 1) tally.note("second and later TOTP authenticators of one user (the first was kept)");
  if ((Array.isArray(mfa.emails) && mfa.emails.length) || (Array.isArray(mfa.phone_numbers) && mfa.phone_numbers.length)) tally.note("MFA email/SMS authenticators (codes go to the user's login IDs)");
  if (Number(r.biometric_count) > 0 || Number(r.passkey_count) > 0) tally.note("biometric and passkey identities (not in the export: enrol again)");
  // Authgear writes delete_at as RFC 3339 (a Go time.Time); the schedule keeps it to the second.
  const deleteAt = typeof r.delete_at === "string" && Number.isFinite(Date.parse(r.delete_at)) ? Math.floor(Date.parse(r.delete_at) / 1000) : null;
  if (r.delete_at && deleteAt === null) tally.note("scheduled deletions whose delete_at is not a date (the users were imported unscheduled)");
  const warnings: string[] = [];
  const rg = await knownRolesAndGroups(ctx, strings(r.roles), strings(r.groups), warnings);
  for (const w of warnings) tally.note(w);
  return {
    id: sub, loginIds, oauth, emailVerified: r.email_verified === true,
    standardAttributes: Object.fromEntries(STANDARD.filter((k) => k in r).map((k) => [k, r[k]])),
    customAttributes: isObject(r.custom_attributes) ? r.custom_attributes : {}, roles: rg.roles, groups: rg.groups, groupRoles: rg.groupRoles,
    disabled: r.disabled === true, deleteAt, passwordHash: null, totpSecret: typeof totps[0]?.secret === "string" ? totps[0].secret : null,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x !== "") : []);

export async function importNdjson(ctx: Context, o: { file: string; dryRun: boolean; batchSize?: number; log?: (t: string) => void }): Promise<{ code: number; tally: Tally }> {
  const log = o.log ?? ((t: string) => process.stdout.write(t));
  const started = Date.now();
  const tally = new Tally();
  const stream = createReadStream(o.file, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => { stream.once("open", () => resolve()); stream.once("error", reject); });
  try {
    await opened;
  } catch (err) {
    throw new ConfigError(`cannot read the Authgear export ${o.file}: ${(err as Error).message}`);
  }
  let batch: Awaited<ReturnType<typeof buildUser>>[] = [];
  let lineNo = 0;
  let users = 0;
  const flush = async () => {
    const ok = batch.flatMap((b) => (b.ok ? [b.user] : []));
    batch = [];
    if (ok.length === 0) return;
    const result = await ctx.storage.importer.writeUsers(ok, { dryRun: o.dryRun });
    tally.add("users", result.written.length);
    for (const s of result.skipped) tally.skip(s.id, s.reason);
    const written = new Set(result.written);
    for (const u of ok.filter((x) => written.has(x.user.id))) {
      tally.add("identities", u.identities.length);
      if (u.totp) tally.add("TOTP authenticators", 1);
      if (u.deletion) tally.add("scheduled deletions", 1);
    }
  };
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === "") continue;
    users++;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      tally.skip(`line ${lineNo}`, "not a JSON object");
      continue;
    }
    if (!isObject(record)) {
      tally.skip(`line ${lineNo}`, "not a JSON object");
      continue;
    }
    const fields = await fieldsOf(ctx, record, tally);
    if (typeof fields === "string") {
      tally.skip(`line ${lineNo}`, fields);
      continue;
    }
    const built = buildUser(ctx, fields);
    if (!built.ok) {
      tally.skip(fields.id!, built.reason);
      continue;
    }
    for (const w of built.warnings) tally.note(w);
    batch.push(built);
    if (batch.length >= (o.batchSize ?? 500)) await flush();
  }
  await flush();
  log(summary(tally, {
    dryRun: o.dryRun, seconds: (Date.now() - started) / 1000, users,
    notCarried: ["passwords: Authgear's export has no password hashes; these users set one by a reset link or sign in by a code or a social account (import from the database to keep passwords)",
      "sessions: the export has none (apps will have to sign in again)"],
  }));
  return { code: 0, tally };
}
