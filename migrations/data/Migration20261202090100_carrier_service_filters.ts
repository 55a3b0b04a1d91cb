import { Migration } from '@mikro-orm/migrations';

/**
 * Carrier services listed across carriers: ordered by (code, id) or (name, id), searched with ILIKE '%term%'
 * on code or name through pg_trgm. In split mode the data database has not had the extension yet (the
 * primary migration creates it in its own database); as there, it goes in public, `if not exists` (one per
 * database in single mode), and is never dropped on the way down: another schema may use it.
 */
export class Migration20261202090100_carrier_service_filters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm with schema public;`);
    this.addSql(`create index "carrier_service_code_id_index" on "data"."carrier_service" ("code", "id");`);
    this.addSql(`create index "carrier_service_name_id_index" on "data"."carrier_service" ("name", "id");`);
    for (const column of ['code', 'name']) {
      this.addSql(
        `create index "carrier_service_${column}_trgm_index" on "data"."carrier_service" using gin ("${column}" public.gin_trgm_ops);`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const index of [
      'carrier_service_code_id_index',
      'carrier_service_name_id_index',
      'carrier_service_code_trgm_index',
      'carrier_service_name_trgm_index',
    ]) {
      this.addSql(`drop index if exists "data"."${index}";`);
    }
  }
}
