import { BUILT_IN_ROLES, PERMISSION_DESCRIPTIONS } from '../../shared/permissions/permissions';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Idempotent SQL that brings the permission table and the built-in roles in line with the catalog in
 * src/shared/permissions/permissions.ts. Migrations call it whenever the catalog changes; custom roles are left alone.
 */
export function permissionCatalogSql(): string[] {
  const permissions = Object.entries(PERMISSION_DESCRIPTIONS)
    .map(([code, description]) => `(${quote(code)}, ${quote(description)})`)
    .join(', ');
  const statements = [
    `insert into "core"."permission" ("code", "description") values ${permissions}
       on conflict ("code") do update set "description" = excluded."description";`,
  ];
  for (const [name, role] of Object.entries(BUILT_IN_ROLES)) {
    const codes = role.permissions.map(quote).join(', ');
    statements.push(
      `insert into "core"."role" ("id", "name", "description", "built_in") values (gen_random_uuid(), ${quote(name)}, ${quote(role.description)}, true)
         on conflict ("name") do update set "description" = excluded."description", "built_in" = true;`,
      `delete from "core"."role_permission" rp using "core"."role" r
         where rp."role_id" = r."id" and r."name" = ${quote(name)} and rp."permission_code" not in (${codes});`,
      `insert into "core"."role_permission" ("role_id", "permission_code")
         select r."id", p."code" from "core"."role" r join "core"."permission" p on p."code" in (${codes})
         where r."name" = ${quote(name)} on conflict do nothing;`,
    );
  }
  return statements;
}
