import DataLoader from 'dataloader';
import { byIdLoader } from '../../platform/db/by-id-loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from './role.entity';

/** Batch loaders for users' roles and roles' permissions: one statement per batch, results in key order. */
export function createAuthLoaders(em: EntityManager) {
  return {
    rolesByUserId: new DataLoader<string, Role[]>(async (userIds) => {
      const rows = await em
        .getConnection()
        .execute<{ user_id: string; role_id: string }[]>(
          `select "user_id", "role_id" from "core"."user_role" where "user_id" in (${userIds.map(() => '?').join(',')})`,
          [...userIds],
        );
      const roles = rows.length
        ? await em.find(Role, { id: { $in: [...new Set(rows.map((r) => r.role_id))] } })
        : [];
      const byId = new Map(roles.map((r) => [r.id, r]));
      return userIds.map((id) =>
        rows
          .filter((r) => r.user_id === id)
          .map((r) => byId.get(r.role_id)!)
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
    }),
    roleById: byIdLoader((ids) => em.find(Role, { id: { $in: ids } })),
    permissionsByRoleId: new DataLoader<string, string[]>(async (roleIds) => {
      const rows = await em
        .getConnection()
        .execute<{ role_id: string; permission_code: string }[]>(
          `select "role_id", "permission_code" from "core"."role_permission" where "role_id" in (${roleIds.map(() => '?').join(',')}) order by "permission_code"`,
          [...roleIds],
        );
      return roleIds.map((id) => rows.filter((r) => r.role_id === id).map((r) => r.permission_code));
    }),
  };
}
