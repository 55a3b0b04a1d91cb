import { Migration } from '@mikro-orm/migrations';

/**
 * Organizations ordered by creation time, and facilities listed per organization by name or creation time,
 * filtered by active (in the default code order) or searched (ILIKE '%term%' on code, name or city, through
 * pg_trgm like the organization search). (organization_id, code, id) stands beside the unique
 * (organization_id, code): a page ordered by code then id, above all the window query of nested lists, reads
 * it in order instead of sorting every site of an organization.
 */
export class Migration20261202090200_customer_filters extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "organization_created_at_id_index" on "core"."organization" ("created_at", "id");`,
    );
    this.addSql(
      `create index "facility_organization_id_code_id_index" on "core"."facility" ("organization_id", "code", "id");`,
    );
    this.addSql(
      `create index "facility_organization_id_name_id_index" on "core"."facility" ("organization_id", "name", "id");`,
    );
    this.addSql(
      `create index "facility_organization_id_created_at_id_index" on "core"."facility" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "facility_organization_id_is_active_code_id_index" on "core"."facility" ("organization_id", "is_active", "code", "id");`,
    );
    for (const column of ['code', 'name', 'city']) {
      this.addSql(
        `create index "facility_${column}_trgm_index" on "core"."facility" using gin ("${column}" public.gin_trgm_ops);`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const index of [
      'organization_created_at_id_index',
      'facility_organization_id_code_id_index',
      'facility_organization_id_name_id_index',
      'facility_organization_id_created_at_id_index',
      'facility_organization_id_is_active_code_id_index',
      'facility_code_trgm_index',
      'facility_name_trgm_index',
      'facility_city_trgm_index',
    ]) {
      this.addSql(`drop index if exists "core"."${index}";`);
    }
  }
}
