// authgear.yaml + authgear.secrets.yaml → a Gatehouse config and secrets file, and the report of every
// setting that could not be carried over. Gatehouse's config takes Authgear's field names (config/schema.ts),
// so the conversion is the Authgear config itself, cut down to what Gatehouse's schema accepts: every
// unknown field, and every value the schema refuses, is removed and reported with its path. What needs
// more than a copy: confidential clients' secrets (Authgear keeps them in the secrets file as JWKs), the
// app id (`id`, which Authgear's admin API tokens carry as their audience) and the secrets Gatehouse reads
// in Authgear's shape (`sso.oauth.client`, `admin-api.auth`, `webhook`). The `oauth` signing keys become
// retired-but-published keys in the database (command.ts), not config.
import { configSchema } from "../../config/schema.ts";
import { unknownKeys } from "../../config/unknown-keys.ts";
import { mergeSecrets, oauthClientSecrets } from "../../config/secrets.ts";
import type { ProviderRef } from "./users.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? null)) as T;

export interface ConvertedProject {
  appId: string;
  /** gatehouse.yaml, as an object (`id` included: the admin API's audience). */
  config: Json;
  /** gatehouse.secrets.yaml, in authgear.secrets.yaml's shape. */
  secrets: Json;
  /** Authgear's token-signing keys (private JWKs with their kid). */
  signingKeys: Json[];
  providers: ProviderRef[];
  loginIdKeyTypes: Map<string, string>;
  /** The longest access-token lifetime of the project's clients: how long tokens it issued may still be presented. */
  longestAccessTokenSeconds: number;
  /** `path: why` for every setting left behind. */
  notCarried: string[];
}

/** The `data` of a secrets-file item by key. */
function secretData(secrets: unknown, key: string): unknown {
  if (!isObject(secrets) || !Array.isArray(secrets.secrets)) return undefined;
  const item = secrets.secrets.find((s: unknown) => isObject(s) && s.key === key);
  return isObject(item) ? item.data : undefined;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("") || "(root)";
}

/** Removes the value at `path` (an array element is spliced out); if nothing is there, its parent goes. */
function removeAt(root: Json, path: ReadonlyArray<PropertyKey>): ReadonlyArray<PropertyKey> {
  if (path.length === 0) return path;
  let parent: unknown = root;
  for (const p of path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown>)?.[p];
  const last = path[path.length - 1];
  if (parent === undefined || parent === null || (parent as Record<PropertyKey, unknown>)[last] === undefined) return removeAt(root, path.slice(0, -1));
  if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
  else delete (parent as Record<PropertyKey, unknown>)[last];
  return path;
}

/** Cuts `candidate` down until Gatehouse's schema accepts it; returns what was cut and why. */
export function pruneToSchema(candidate: Json): string[] {
  const cut: string[] = [];
  for (const u of unknownKeys(configSchema, candidate).reverse()) {
    removeAt(candidate, u.path);
    cut.push(`${formatPath(u.path)}: Gatehouse has no such setting`);
  }
  for (let round = 0; round < 500; round++) {
    const result = configSchema.safeParse(candidate);
    if (result.success) return cut;
    const issue = result.error.issues[0];
    const removed = removeAt(candidate, issue.path);
    cut.push(`${formatPath(removed)}: not accepted (${issue.message})`);
  }
  throw new Error("authgear.yaml could not be converted: too many settings refused");
}

export function convertProject(authgear: unknown, secrets: unknown, options: { databaseUrl?: string } = {}): ConvertedProject {
  if (!isObject(authgear) || typeof authgear.id !== "string" || authgear.id === "") throw new Error("authgear.yaml: needs the app's `id`");
  const appId = authgear.id;
  const candidate = clone(authgear);
  delete candidate.id;
  // Authgear's own operational settings (its database, Redis, …) live in its secrets, not here; Gatehouse's database is ours.
  if (options.databaseUrl) candidate.database = { url: options.databaseUrl };

  const clientSecrets = secretData(secrets, "oauth.client_secrets");
  const secretItems = isObject(clientSecrets) && Array.isArray(clientSecrets.items) ? clientSecrets.items.filter(isObject) : [];
  const oauth = isObject(candidate.oauth) ? candidate.oauth : null;
  const clients = oauth && Array.isArray(oauth.clients) ? oauth.clients.filter(isObject) : [];
  for (const c of clients) {
    const item = secretItems.find((i) => i.client_id === c.client_id);
    const keys = item && Array.isArray(item.keys) ? item.keys.filter(isObject) : [];
    // Authgear's client secret is the raw value of an `oct` JWK (jwkutil.ExtractOctetKeys); the newest first.
    const values = keys.filter((k) => k.kty === "oct" && typeof k.k === "string").map((k) => Buffer.from(String(k.k), "base64url").toString("utf8"));
    if (values.length === 1) c.client_secret = values[0];
    else if (values.length > 1) c.client_secrets = values;
  }
  const longestAccessTokenSeconds = Math.max(1800, ...clients.map((c) => (typeof c.access_token_lifetime_seconds === "number" ? c.access_token_lifetime_seconds : 1800)));

  const identity = isObject(authgear.identity) ? authgear.identity : {};
  const loginId = isObject(identity.login_id) ? identity.login_id : {};
  const loginIdKeyTypes = new Map<string, string>();
  for (const k of Array.isArray(loginId.keys) ? loginId.keys.filter(isObject) : []) {
    if (typeof k.type === "string") loginIdKeyTypes.set(typeof k.key === "string" ? k.key : k.type, k.type);
  }
  const oauthIdentity = isObject(identity.oauth) ? identity.oauth : {};
  const providers: ProviderRef[] = (Array.isArray(oauthIdentity.providers) ? oauthIdentity.providers.filter(isObject) : [])
    .filter((p) => typeof p.alias === "string" && typeof p.type === "string")
    .map((p) => ({ alias: String(p.alias), type: String(p.type), config: p }));

  // Providers' client secrets stay in the secrets file (as in Authgear); merged in only while checking.
  const providerSecrets = oauthClientSecrets(secrets);
  const checked = mergeSecrets(candidate, providerSecrets) as Json;
  const notCarried = pruneToSchema(checked);
  const kept = isObject(checked.identity) && isObject(checked.identity.oauth) && Array.isArray(checked.identity.oauth.providers) ? checked.identity.oauth.providers : [];
  for (const p of kept) if (isObject(p) && typeof p.alias === "string" && providerSecrets.has(p.alias)) delete p.client_secret;
  const config: Json = { id: appId, ...checked };

  const out: Json[] = [];
  for (const key of ["sso.oauth.client", "admin-api.auth", "webhook"]) {
    const data = secretData(secrets, key);
    if (data !== undefined) out.push({ key, data: clone(data) });
  }
  const oauthKeys = secretData(secrets, "oauth");
  const signingKeys = isObject(oauthKeys) && Array.isArray(oauthKeys.keys) ? oauthKeys.keys.filter(isObject).map(clone) : [];
  const carried = new Set(["sso.oauth.client", "admin-api.auth", "webhook", "oauth", "oauth.client_secrets"]);
  if (isObject(secrets) && Array.isArray(secrets.secrets)) {
    for (const s of secrets.secrets) {
      if (isObject(s) && typeof s.key === "string" && !carried.has(s.key)) notCarried.push(`secrets: ${s.key}: not used by Gatehouse (set its own equivalent in gatehouse.yaml where there is one)`);
    }
  }
  return { appId, config, secrets: { secrets: out }, signingKeys, providers, loginIdKeyTypes, longestAccessTokenSeconds, notCarried };
}
