import { Migration } from '@mikro-orm/migrations';
import { permissionCatalogSql } from '../../src/primary/users/permission-catalog.sql';

/** Adds `exports:read` (CSV downloads of the carrier data) and grants it to admin and operator. */
export class Migration20261202090000_export_permission extends Migration {
  override async up(): Promise<void> {
    for (const sql of permissionCatalogSql()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "core"."role_permission" where "permission_code" = 'exports:read';`);
    this.addSql(`delete from "core"."permission" where "code" = 'exports:read';`);
    this.addSql(
      `update "core"."role" set "description" = 'Read everything' where "name" = 'viewer' and "built_in";`,
    );
  }
}
