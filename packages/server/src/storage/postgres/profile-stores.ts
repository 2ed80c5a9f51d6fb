// PostgreSQL adapter of the profile ports: the plans of profile-plans.ts and search-plan.ts, each in
// one transaction (those that log take the revocation log lock first).
import type pg from "pg";
import type { ProfileStorage, RoleOrGroupStore } from "../profile-ports.ts";
import type { Role } from "../../domain/roles.ts";
import { postgresPlanRunner } from "../plan.ts";
import * as plans from "../profile-plans.ts";
import { searchUsers } from "../search-plan.ts";
import { postgresRoles as d } from "../roles-sql.ts";

export function postgresProfileStores(pool: pg.Pool): ProfileStorage {
  const runPlan = postgresPlanRunner(pool);
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
      return runPlan(() => plans.updateItem(d, table, key, patch, o), { logs: true });
    },
    async delete(key, o) {
      return runPlan(() => plans.deleteItem(d, table, key, o), { logs: true });
    },
  });
  return {
    roles: store("roles"),
    groups: store("groups"),
    assignments: {
      async change(link, keys, o) {
        return runPlan(() => plans.change(d, link, keys, o), { logs: true });
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
