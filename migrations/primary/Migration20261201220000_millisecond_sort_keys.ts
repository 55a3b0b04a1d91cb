import { Migration } from '@mikro-orm/migrations';

/**
 * The timestamps lists are sorted by are kept to the millisecond, the precision of a JavaScript Date and
 * so of a page cursor. With microseconds, two rows created in the same millisecond compared unequal to
 * the cursor of either, and a page boundary between them skipped or repeated a row. Rounding ties them;
 * the id then orders them. Each ALTER rewrites its table under a short exclusive lock: these tables hold
 * one row per organization, facility, user and run, not per shipment.
 */
export class Migration20261201220000_millisecond_sort_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "core"."organization" alter column "created_at" type timestamptz(3);`);
    this.addSql(`alter table "core"."facility" alter column "created_at" type timestamptz(3);`);
    this.addSql(`alter table "core"."user" alter column "created_at" type timestamptz(3);`);
    this.addSql(`alter table "core"."integration_run" alter column "started_at" type timestamptz(3);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "core"."organization" alter column "created_at" type timestamptz;`);
    this.addSql(`alter table "core"."facility" alter column "created_at" type timestamptz;`);
    this.addSql(`alter table "core"."user" alter column "created_at" type timestamptz;`);
    this.addSql(`alter table "core"."integration_run" alter column "started_at" type timestamptz;`);
  }
}
