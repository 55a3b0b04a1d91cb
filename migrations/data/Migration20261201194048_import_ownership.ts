import { Migration } from '@mikro-orm/migrations';

/**
 * Imports get an owner (the gateway process that processes them) and a heartbeat, so recovery can tell an
 * import whose process is gone from one another instance is still serving (docs/IMPORTS.md, "Recovery").
 */
export class Migration20261201194048_import_ownership extends Migration {
  override async up(): Promise<void> {
    // Added without a default first, so the rows already there keep a null heartbeat: an import left
    // PENDING or RUNNING before this migration has no owner to vouch for it and counts as stale at once.
    this.addSql(
      `alter table "data"."workspace_import" add column "owner_id" uuid null, add column "heartbeat_at" timestamptz null;`,
    );
    // From now on every new row starts with a fresh heartbeat on the database's clock, also one inserted by an
    // instance still on the previous version during the rolling deploy that brings this migration.
    this.addSql(`alter table "data"."workspace_import" alter column "heartbeat_at" set default now();`);
    // The heartbeat and the recovery sweep read only unfinished imports: a handful of rows, however long the
    // history grows.
    this.addSql(
      `create index "workspace_import_unfinished_owner_index" on "data"."workspace_import" ("owner_id") where "status" in ('PENDING', 'RUNNING');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "data"."workspace_import_unfinished_owner_index";`);
    this.addSql(`alter table "data"."workspace_import" drop column "owner_id", drop column "heartbeat_at";`);
  }
}
