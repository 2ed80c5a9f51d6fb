// Migration 8 (issue 13): the user profile — standard and custom attributes as JSON columns on
// users — roles and groups as Authgear models them, and the search side table. The JSON `roles`
// column on users stays, as the cache of the user's *effective* roles (direct and through groups):
// the hot paths (tokens, userinfo, resolver) read it with the user row, so roles cost them no query.
// Every role or group change rewrites it in the same transaction (storage/roles-sql.ts).
//
// user_search_terms holds one row per searchable value of a user (normalised login IDs — kept by
// triggers on identities, so every writer of login IDs keeps search right — attribute
// values: `v:<value>`; effective roles: `r:<key>`; groups: `g:<key>`). Its primary key is the index
// every search walks: an exact match or a prefix is one range scan, on SQLite and PostgreSQL alike.

export interface ProfileDialect {
  bigint: string;
  /** A new random id, as an SQL expression. */
  newId: string;
  /** Unix seconds now, as an SQL expression. */
  now: string;
  /** `FROM users u <join> …` yielding `j.key` for each element of u.roles. */
  eachRole: string;
  /** Binary collation, so that `term >= x AND term < x || max` is a prefix range in both dialects. */
  binary: string;
  /** SQLite: the terms table is its primary key (clustered), with no rowid copy beside it. */
  clustered: string;
  /**
   * Triggers that keep, whoever writes the identities table, the login-ID search terms and the
   * phone_number / preferred_username standard attributes (the user's oldest login ID of that type,
   * as users.email is their primary email) in step with it.
   */
  identityTriggers: string;
}

// The standard attribute a phone or username login ID stands for (domain/identity.ts LOGIN_ID_CLAIM).
const claimOf = (row: "NEW" | "OLD"): string => `CASE ${row}.login_id_type WHEN 'phone' THEN 'phone_number' ELSE 'preferred_username' END`;
const claimPath = (row: "NEW" | "OLD"): string => `'$.' || ${claimOf(row)}`;
// When one goes, the user's oldest other login ID of the same type takes its place.
const nextOfType = "(SELECT login_id FROM identities WHERE user_id = OLD.user_id AND login_id_type = OLD.login_id_type ORDER BY created_at LIMIT 1)";

// A login ID's search term (roles-sql.ts normalizeTerm: login IDs arrive normalised already).
const loginTerm = (row: "NEW" | "OLD"): string => `'v:' || substr(lower(${row}.login_id), 1, 200)`;

export const sqliteProfile: ProfileDialect = {
  bigint: "INTEGER",
  newId: "lower(hex(randomblob(16)))",
  now: "CAST(strftime('%s','now') AS INTEGER)",
  eachRole: "JOIN (SELECT u2.id AS uid, je.value AS key FROM users u2, json_each(u2.roles) je) j ON j.uid = u.id",
  binary: "",
  clustered: " WITHOUT ROWID",
  identityTriggers: `
CREATE TRIGGER identities_terms_insert AFTER INSERT ON identities WHEN NEW.login_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO user_search_terms (term, user_id) VALUES (${loginTerm("NEW")}, NEW.user_id);
END;
CREATE TRIGGER identities_terms_delete AFTER DELETE ON identities WHEN OLD.login_id IS NOT NULL BEGIN
  DELETE FROM user_search_terms WHERE term = ${loginTerm("OLD")} AND user_id = OLD.user_id;
END;
CREATE TRIGGER identities_claims_insert AFTER INSERT ON identities WHEN NEW.login_id_type IN ('phone', 'username') BEGIN
  UPDATE users SET standard_attributes = json_set(standard_attributes, ${claimPath("NEW")}, NEW.login_id)
    WHERE id = NEW.user_id AND json_extract(standard_attributes, ${claimPath("NEW")}) IS NULL;
END;
CREATE TRIGGER identities_claims_delete AFTER DELETE ON identities WHEN OLD.login_id_type IN ('phone', 'username') BEGIN
  UPDATE users SET standard_attributes = CASE WHEN ${nextOfType} IS NULL
      THEN json_remove(standard_attributes, ${claimPath("OLD")}) ELSE json_set(standard_attributes, ${claimPath("OLD")}, ${nextOfType}) END
    WHERE id = OLD.user_id AND json_extract(standard_attributes, ${claimPath("OLD")}) = OLD.login_id;
END;
CREATE TRIGGER identities_terms_update AFTER UPDATE OF login_id ON identities BEGIN
  DELETE FROM user_search_terms WHERE OLD.login_id IS NOT NULL AND term = ${loginTerm("OLD")} AND user_id = OLD.user_id;
  INSERT OR IGNORE INTO user_search_terms (term, user_id) SELECT ${loginTerm("NEW")}, NEW.user_id WHERE NEW.login_id IS NOT NULL;
END;
`,
};

export const postgresProfile: ProfileDialect = {
  bigint: "BIGINT",
  newId: "replace(gen_random_uuid()::text, '-', '')",
  now: "CAST(extract(epoch FROM now()) AS BIGINT)",
  eachRole: "CROSS JOIN LATERAL jsonb_array_elements_text(u.roles::jsonb) AS j(key)",
  binary: ' COLLATE "C"',
  clustered: "",
  identityTriggers: `
CREATE FUNCTION identities_search_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.login_id IS NOT NULL THEN
    DELETE FROM user_search_terms WHERE term = ${loginTerm("OLD")} AND user_id = OLD.user_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.login_id IS NOT NULL THEN
    INSERT INTO user_search_terms (term, user_id) VALUES (${loginTerm("NEW")}, NEW.user_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER identities_search_terms AFTER INSERT OR DELETE OR UPDATE OF login_id ON identities FOR EACH ROW EXECUTE FUNCTION identities_search_terms();
CREATE FUNCTION identities_user_claims() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  claim text;
  next_id text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.login_id_type IN ('phone', 'username') THEN
      claim := ${claimOf("NEW")};
      UPDATE users SET standard_attributes = jsonb_set(standard_attributes::jsonb, ARRAY[claim], to_jsonb(NEW.login_id))::text
        WHERE id = NEW.user_id AND (standard_attributes::jsonb ->> claim) IS NULL;
    END IF;
  ELSIF OLD.login_id_type IN ('phone', 'username') THEN
    claim := ${claimOf("OLD")};
    next_id := ${nextOfType};
    UPDATE users SET standard_attributes = (CASE WHEN next_id IS NULL THEN standard_attributes::jsonb - claim
        ELSE jsonb_set(standard_attributes::jsonb, ARRAY[claim], to_jsonb(next_id)) END)::text
      WHERE id = OLD.user_id AND (standard_attributes::jsonb ->> claim) = OLD.login_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER identities_user_claims AFTER INSERT OR DELETE ON identities FOR EACH ROW EXECUTE FUNCTION identities_user_claims();
`,
};

const table = (name: string, d: ProfileDialect): string => `
CREATE TABLE ${name} (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  name TEXT,
  description TEXT,
  created_at ${d.bigint} NOT NULL,
  updated_at ${d.bigint} NOT NULL
);
CREATE UNIQUE INDEX ${name}_key ON ${name} (key);
`;

const link = (name: string, left: string, leftTable: string, right: string, rightTable: string, d: ProfileDialect): string => `
CREATE TABLE ${name} (
  ${left} TEXT NOT NULL REFERENCES ${leftTable}(id) ON DELETE CASCADE,
  ${right} TEXT NOT NULL REFERENCES ${rightTable}(id) ON DELETE CASCADE,
  created_at ${d.bigint} NOT NULL,
  PRIMARY KEY (${left}, ${right})
);
CREATE INDEX ${name}_${right} ON ${name} (${right}, ${left});
`;

export const profileMigration = (d: ProfileDialect): string => `
ALTER TABLE users ADD COLUMN standard_attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN custom_attributes TEXT NOT NULL DEFAULT '{}';
${table("roles", d)}
${table("groups", d)}
${link("group_roles", "group_id", "groups", "role_id", "roles", d)}
${link("user_roles", "user_id", "users", "role_id", "roles", d)}
${link("user_groups", "user_id", "users", "group_id", "groups", d)}
CREATE TABLE user_search_terms (
  term TEXT${d.binary} NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (term, user_id)
)${d.clustered};
-- (user_id, term): a per-user check "has a value with this prefix" is one index range, not a filter.
CREATE INDEX user_search_terms_user ON user_search_terms (user_id, term);
-- Every role a user held (users.roles, JSON) becomes a role and a direct assignment: nothing is lost.
INSERT INTO roles (id, key, name, description, created_at, updated_at)
  SELECT ${d.newId}, k.key, NULL, NULL, ${d.now}, ${d.now} FROM (SELECT DISTINCT j.key AS key FROM users u ${d.eachRole}) k;
INSERT INTO user_roles (user_id, role_id, created_at)
  SELECT DISTINCT u.id, r.id, u.updated_at FROM users u ${d.eachRole} JOIN roles r ON r.key = j.key;
-- Every login ID (migration 7 made one per email) and every email, normalised already; roles as they were.
INSERT INTO user_search_terms (term, user_id) SELECT DISTINCT 'v:' || substr(lower(login_id), 1, 200), user_id FROM identities WHERE login_id IS NOT NULL;
INSERT INTO user_search_terms (term, user_id) SELECT 'v:' || email, id FROM users WHERE email IS NOT NULL ON CONFLICT DO NOTHING;
INSERT INTO user_search_terms (term, user_id) SELECT DISTINCT 'r:' || j.key, u.id FROM users u ${d.eachRole};
${d.identityTriggers}`;
