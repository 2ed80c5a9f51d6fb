// SQLite adapter of the profile ports: the plans of profile-plans.ts and search-plan.ts, each in
// one IMMEDIATE transaction.
import type Database from "better-sqlite3";
import type { ProfileStorage, RoleOrGroupStore } from "../profile-ports.ts";
import type { Role } from "../../domain/roles.ts";
import { sqlitePlanRunner } from "../plan.ts";
import * as plans from "../profile-plans.ts";
import { searchUsers } from "../search-plan.ts";
import { sqliteRoles as d } from "../roles-sql.ts";

export function sqliteProfileStores(db: Database.Database): ProfileStorage {
  const runPlan = sqlitePlanRunner(db);
  const store = (table: plans.Table): RoleOrGroupStore<Role> => ({
    async create(item) {
      return runPlan(() => plans.createItem(table, item));
    },
    async get(key) {
      return runPlan(() => plans.getItem(table, key), { read: true });
    },
    async list(o) {
      return runPlan(() => plans.listItems(table, o), { read: true });
    },
    async update(key, patch, o) {
      return runPlan(() => plans.updateItem(d, table, key, patch, o));
    },
    async delete(key, o) {
      return runPlan(() => plans.deleteItem(d, table, key, o));
    },
  });
  return {
    roles: store("roles"),
    groups: store("groups"),
    assignments: {
      async change(link, keys, o) {
        return runPlan(() => plans.change(d, link, keys, o));
      },
      async ofUser(userId) {
        return runPlan(() => plans.ofUser(userId), { read: true });
      },
      async ofGroup(groupKey) {
        return runPlan(() => plans.ofGroup(groupKey), { read: true });
      },
    },
    userSearch: {
      async search(o) {
        return runPlan(() => searchUsers(o), { read: true });
      },
    },
  };
}
