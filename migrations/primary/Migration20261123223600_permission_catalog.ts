import { Migration } from '@mikro-orm/migrations';
import { permissionCatalogSql } from '../../src/primary/users/permission-catalog.sql';

/** Seeds the permission catalog and the built-in roles admin, operator and viewer. */
export class Migration20261123223600_permission_catalog extends Migration {
  override async up(): Promise<void> {
    for (const sql of permissionCatalogSql()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "core"."role" where "built_in";`);
    this.addSql(`delete from "core"."permission";`);
  }
}
