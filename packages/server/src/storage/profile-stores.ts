// The profile ports (roles, groups, assignments, user search) for both adapters: the plans of
// profile-plans.ts and search-plan.ts run by the adapter's plan runner (plan.ts), which gives each one
// transaction — IMMEDIATE on SQLite; on PostgreSQL, plans that write the revocation log take its lock
// first (`logs`; SQLite's single writer needs no lock).
import type { ProfileStorage, RoleOrGroupStore } from "./profile-ports.ts";
import type { Role } from "../domain/roles.ts";
import type { Plan } from "./plan.ts";
import * as plans from "./profile-plans.ts";
import { searchUsers } from "./search-plan.ts";
import type { RolesDialect } from "./roles-sql.ts";

type RunPlan = <T>(plan: () => Plan<T>, options?: { logs?: boolean; read?: boolean }) => T | Promise<T>;

export function profileStores(runPlan: RunPlan, d: RolesDialect): ProfileStorage {
  const run = async <T>(plan: () => Plan<T>, options?: { logs?: boolean; read?: boolean }): Promise<T> => runPlan(plan, options);
  const store = (table: plans.Table): RoleOrGroupStore<Role> => ({
    create: (item) => run(() => plans.createItem(table, item)),
    get: (key) => run(() => plans.getItem(table, key), { read: true }),
    list: (o) => run(() => plans.listItems(table, o), { read: true }),
    update: (key, patch, o) => run(() => plans.updateItem(d, table, key, patch, o), { logs: true }),
    delete: (key, o) => run(() => plans.deleteItem(d, table, key, o), { logs: true }),
  });
  return {
    roles: store("roles"),
    groups: store("groups"),
    assignments: {
      change: (link, keys, o) => run(() => plans.change(d, link, keys, o), { logs: true }),
      ofUser: (userId) => run(() => plans.ofUser(userId), { read: true }),
      ofGroup: (groupKey) => run(() => plans.ofGroup(groupKey), { read: true }),
    },
    userSearch: {
      search: (o) => run(() => searchUsers(o), { read: true }),
    },
  };
}
