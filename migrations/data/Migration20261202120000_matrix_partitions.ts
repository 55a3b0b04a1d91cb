import { Migration } from '@mikro-orm/migrations';

const COLUMNS = `"origin_zip3" char(3) not null, "destination_zip3" char(3) not null, "carrier_service_id" uuid not null, "transit_days" smallint not null`;
const CHECKS = `constraint delivery_matrix_entry_transit_days_check check (transit_days between 0 and 30), constraint delivery_matrix_entry_destination_zip3_check check (destination_zip3 ~ '^[0-9]{3}\$'), constraint delivery_matrix_entry_origin_zip3_check check (origin_zip3 ~ '^[0-9]{3}\$')`;
const FOREIGN_KEY = `constraint "delivery_matrix_entry_carrier_service_id_foreign" foreign key ("carrier_service_id") references "data"."carrier_service" ("id") on update cascade on delete cascade`;

/**
 * The delivery matrix becomes a table partitioned by carrier service (LIST on carrier_service_id): one
 * partition per service, named delivery_matrix_entry_<service id without dashes>, so that an import replaces
 * a service's lanes by swapping in a freshly loaded table and dropping the old one instead of deleting and
 * vacuuming millions of rows. A DEFAULT partition takes the lanes of services that have none yet (rows
 * written other than by an import: the demo seed); an import moves its services out of it. The per-service
 * index is gone: within a partition every row has the same service.
 *
 * The rows are kept: the old table is renamed, a partition is created for each service it holds, its rows
 * are copied through the parent (which routes them) and it is dropped.
 */
export class Migration20261202120000_matrix_partitions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "data"."delivery_matrix_entry_carrier_service_id_index";`);
    this.addSql(
      `alter index "data"."delivery_matrix_entry_pkey" rename to "delivery_matrix_entry_unpartitioned_pkey";`,
    );
    this.addSql(
      `alter table "data"."delivery_matrix_entry" rename to "delivery_matrix_entry_unpartitioned";`,
    );
    this.addSql(
      `create table "data"."delivery_matrix_entry" (${COLUMNS}, constraint "delivery_matrix_entry_pkey" primary key ("origin_zip3", "destination_zip3", "carrier_service_id"), ${CHECKS}, ${FOREIGN_KEY}) partition by list ("carrier_service_id");`,
    );
    this.addSql(
      `create table "data"."delivery_matrix_entry_default" partition of "data"."delivery_matrix_entry" default;`,
    );
    this.addSql(
      `create index "delivery_matrix_entry_default_carrier_service_id_index" on "data"."delivery_matrix_entry_default" ("carrier_service_id");`,
    );
    this.addSql(`do $$
      declare s uuid;
      begin
        for s in select distinct "carrier_service_id" from "data"."delivery_matrix_entry_unpartitioned" loop
          execute format('create table "data".%I partition of "data"."delivery_matrix_entry" for values in (%L)',
                         'delivery_matrix_entry_' || replace(s::text, '-', ''), s);
        end loop;
      end $$;`);
    this.addSql(
      `insert into "data"."delivery_matrix_entry" ("origin_zip3", "destination_zip3", "carrier_service_id", "transit_days")
       select "origin_zip3", "destination_zip3", "carrier_service_id", "transit_days" from "data"."delivery_matrix_entry_unpartitioned";`,
    );
    this.addSql(`drop table "data"."delivery_matrix_entry_unpartitioned";`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create table "data"."delivery_matrix_entry_unpartitioned" (${COLUMNS}, constraint "delivery_matrix_entry_unpartitioned_pkey" primary key ("origin_zip3", "destination_zip3", "carrier_service_id"), ${CHECKS});`,
    );
    this.addSql(
      `insert into "data"."delivery_matrix_entry_unpartitioned" select "origin_zip3", "destination_zip3", "carrier_service_id", "transit_days" from "data"."delivery_matrix_entry";`,
    );
    // Dropping the parent drops every partition with it.
    this.addSql(`drop table "data"."delivery_matrix_entry";`);
    this.addSql(
      `alter table "data"."delivery_matrix_entry_unpartitioned" rename to "delivery_matrix_entry";`,
    );
    this.addSql(
      `alter index "data"."delivery_matrix_entry_unpartitioned_pkey" rename to "delivery_matrix_entry_pkey";`,
    );
    this.addSql(`alter table "data"."delivery_matrix_entry" add ${FOREIGN_KEY};`);
    this.addSql(
      `create index "delivery_matrix_entry_carrier_service_id_index" on "data"."delivery_matrix_entry" ("carrier_service_id");`,
    );
  }
}
