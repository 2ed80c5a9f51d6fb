// `gatehouse import authgear`: an Authgear project — its config, its secrets, its PostgreSQL users and its
// Redis sessions — into a Gatehouse config and database. Batches of users, one transaction each, keyed by
// Authgear's ids: a second run finds every user and grant in place and changes nothing; a run stopped
// half-way is finished by running it again. Reading the next page overlaps writing this one.
import { createPrivateKey } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { Config } from "../../config/schema.ts";
import { parseConfig } from "../../config/load.ts";
import { ConfigError } from "../../config/errors.ts";
import { mergeSecrets, oauthClientSecrets } from "../../config/secrets.ts";
import { openStorage } from "../../storage/open.ts";
import type { Storage } from "../../storage/ports.ts";
import type { SigningKey } from "../../domain/signing-key.ts";
import { convertProject, type ConvertedProject } from "./config.ts";
import { openAuthgearDatabase } from "./database.ts";
import { mapUsers } from "./users.ts";
import { readGrants } from "./redis-grants.ts";
import { Tally } from "./tally.ts";
import { progressBar, summary } from "./progress.ts";
import { relyingParty } from "../../account/passkeys/relying-party.ts";

export interface ImportOptions {
  configFile: string;
  authgearConfig: string;
  authgearSecrets: string;
  databaseUrl: string;
  redisUrl?: string;
  redisPrefix?: string;
  dryRun: boolean;
  batchSize?: number;
  now?: () => number;
  log?: (text: string) => void;
  out?: NodeJS.WriteStream;
}

function readYaml(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Loads the Gatehouse config the import writes into (with the secrets file's client secrets). */
export function loadImportedConfig(raw: unknown, secrets?: unknown): Config {
  if (secrets !== undefined) raw = mergeSecrets(raw, oauthClientSecrets(secrets));
  return parseConfig(raw);
}

/** The secrets file written beside the config: gatehouse.yaml → gatehouse.secrets.yaml. */
export const secretsFileFor = (configFile: string): string => join(dirname(configFile), `${basename(configFile).replace(/\.ya?ml$/i, "")}.secrets.yaml`);

const PUBLIC_PARTS = ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"];

/** Authgear's `oauth` keys as keys that verify (published in the JWKS) until `retiredAt` and never sign. */
function retiredKeys(project: ConvertedProject, at: number, tally: Tally): SigningKey[] {
  const out: SigningKey[] = [];
  for (const jwk of project.signingKeys) {
    const kid = typeof jwk.kid === "string" ? jwk.kid : null;
    const material = Object.fromEntries(Object.entries(jwk).filter(([k]) => PUBLIC_PARTS.includes(k)));
    try {
      if (!kid || jwk.kty !== "RSA") throw new Error("not an RSA key with a kid");
      createPrivateKey({ key: material as never, format: "jwk" });
    } catch (err) {
      tally.skip(kid ?? "(no kid)", `signing key not imported: ${(err as Error).message}`);
      continue;
    }
    // Tokens signed before the move live at most the longest access-token lifetime (and a clock skew).
    out.push({ kid: kid!, privateJwk: JSON.stringify(material), createdAt: at, rotatedAt: at, retiredAt: at + project.longestAccessTokenSeconds + 300 });
  }
  return out;
}

export async function importAuthgear(o: ImportOptions): Promise<{ code: number; tally: Tally }> {
  const log = o.log ?? ((t: string) => process.stdout.write(t));
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  const started = Date.now();
  const tally = new Tally();
  const authgearSecrets = readYaml(o.authgearSecrets, "Authgear secrets");
  // A config written afresh keeps its SQLite database beside it, whatever directory the server starts in.
  const project = convertProject(readYaml(o.authgearConfig, "Authgear config"), authgearSecrets,
    { databaseUrl: `sqlite:${resolve(dirname(o.configFile), "data", "gatehouse.db")}` });

  // Checked before anything is written: a URL that does not reach an Authgear database leaves no config behind.
  const source = await openAuthgearDatabase(o.databaseUrl, project.appId);
  let config: Config;
  try {
    // An existing gatehouse.yaml is the operator's: it is used as it is. Otherwise the converted one is written.
    if (existsSync(o.configFile)) {
      // Social providers' secrets may live in a secrets file beside it: the import needs only the database, so Authgear's do.
      config = loadImportedConfig(readYaml(o.configFile, "config"), authgearSecrets);
      const ours = new Set(config.oauth.clients.map((c) => c.client_id));
      const theirs = ((project.config.oauth as { clients?: { client_id: string }[] } | undefined)?.clients ?? []).map((c) => c.client_id);
      for (const id of theirs.filter((c) => !ours.has(c))) project.notCarried.push(`oauth.clients ${id}: not in ${o.configFile} (its refresh tokens will not work until it is added)`);
    } else {
      config = loadImportedConfig(project.config, project.secrets);
      const secretsFile = secretsFileFor(o.configFile);
      if (!o.dryRun) {
        writeFileSync(o.configFile, `# Converted from ${basename(o.authgearConfig)} by gatehouse import authgear.\n${stringifyYaml(project.config)}`, { mode: 0o600, flag: "wx" });
        writeFileSync(secretsFile, stringifyYaml(project.secrets), { mode: 0o600, flag: "wx" });
      }
      log(`${o.dryRun ? "would write" : "wrote"} ${o.configFile} and ${secretsFile} (start with --secrets ${secretsFile})\n`);
    }
  } catch (err) {
    await source.close();
    throw err;
  }
  const sqliteFile = config.database.url.startsWith("sqlite:") ? config.database.url.slice("sqlite:".length) : null;
  const blank = o.dryRun && sqliteFile !== null && !existsSync(sqliteFile);
  // Batches take longer than a request may: the request limits do not apply to the import.
  let target: Storage = blank ? await openStorage("sqlite::memory:") : await openStorage({ ...config.database, statement_timeout_ms: 120_000, query_timeout_ms: 180_000, idle_in_transaction_timeout_ms: 120_000 });
  try {
    if (!o.dryRun || blank) await target.migrate();
    else if (!(await target.users.get("00000000-0000-4000-8000-000000000000").then(() => true, () => false))) {
      // Nothing may be written, not even the schema: the dry run checks against an empty database instead.
      await target.close();
      target = await openStorage("sqlite::memory:");
      await target.migrate();
      log("the Gatehouse database has no schema yet: the dry run checks against an empty one\n");
    }
    const at = now();
    for (const key of retiredKeys(project, at, tally)) {
      if (await target.importer.writeRetiredKey(key, { dryRun: o.dryRun })) tally.add("signing keys (verify only)", 1);
    }

    const catalogue = await source.rolesAndGroups();
    const asItem = (r: Record<string, unknown>) => ({
      id: String(r.id), key: String(r.key), name: (r.name as string | null) ?? null, description: (r.description as string | null) ?? null, createdAt: at, updatedAt: at,
    });
    if (!o.dryRun) {
      await target.importer.writeRolesAndGroups(catalogue.roles.map(asItem), catalogue.groups.map(asItem),
        catalogue.groupRoles.map((l) => ({ groupKey: l.group_key, roleKey: l.role_key })), at);
    }
    const groupRoles = new Map<string, string[]>();
    for (const l of catalogue.groupRoles) groupRoles.set(l.group_key, [...(groupRoles.get(l.group_key) ?? []), l.role_key]);
    const mapping = { loginIdKeyTypes: project.loginIdKeyTypes, providers: project.providers, groupRoles, rpId: relyingParty(config).id, now: at };

    const total = await source.countUsers();
    const bar = progressBar("users", total, o.out);
    const size = o.batchSize ?? 1000;
    let read = 0;
    let next = source.page("", size);
    for (;;) {
      const page = await next;
      if (page.users.length === 0) break;
      next = source.page(String(page.users[page.users.length - 1].id), size);
      read += page.users.length;
      const batch = mapUsers(page, mapping, tally);
      const result = await target.importer.writeUsers(batch, { dryRun: o.dryRun });
      tally.add("users", result.written.length);
      for (const s of result.skipped) tally.skip(s.id, s.reason);
      const written = new Set(result.written);
      for (const u of batch.filter((b) => written.has(b.user.id))) {
        tally.add("identities", u.identities.length);
        if (u.passwordHash) tally.add("passwords", 1);
        if (u.totp) tally.add("TOTP authenticators", 1);
        if (u.recoveryCodes.length) tally.add("recovery codes", u.recoveryCodes.length);
        if (u.passkeys.length) tally.add("passkeys", u.passkeys.length);
        for (const k of u.deviceKeys.filter((d) => d.keyId !== null)) tally.add(k.type === "biometric" ? "biometric keys" : "anonymous users' keys", 1);
        if (u.user.isAnonymous) tally.add("anonymous users", 1);
        if (u.deletion) tally.add("scheduled deletions", 1);
      }
      bar.update(read);
    }
    bar.finish();

    if (o.redisUrl) {
      for await (const grants of readGrants(o.redisUrl, o.redisPrefix ?? "", project.appId, now(), tally)) {
        const result = await target.importer.writeGrants(grants, { dryRun: o.dryRun });
        tally.add("sessions (offline grants)", result.written.length);
        if (result.updated.length) tally.add("sessions refreshed on Authgear since the last run (updated)", result.updated.length);
        for (const s of result.skipped) tally.skip(s.id, s.reason);
      }
    } else {
      project.notCarried.push("sessions: no --redis-url, so no offline grant was read (apps will have to sign in again)");
    }
    project.notCarried.push("browser sessions (Authgear's IdP session cookies): people sign in again in the browser; apps' refresh tokens keep working");
    log(summary(tally, { dryRun: o.dryRun, seconds: (Date.now() - started) / 1000, users: read, notCarried: project.notCarried }));
    return { code: 0, tally };
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
}
