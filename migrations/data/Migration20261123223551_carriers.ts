import { Migration } from '@mikro-orm/migrations';

export class Migration20261123223551_carriers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "data";`);
    this.addSql(
      `create table "data"."carrier" ("id" uuid not null, "code" text not null, "name" text not null, "is_active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "carrier_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "data"."carrier" add constraint "carrier_code_unique" unique ("code");`);

    this.addSql(
      `create table "data"."carrier_service" ("id" uuid not null, "carrier_id" uuid not null, "code" text not null, "name" text not null, constraint "carrier_service_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "data"."carrier_service" add constraint "carrier_service_carrier_id_code_unique" unique ("carrier_id", "code");`,
    );

    this.addSql(
      `alter table "data"."carrier_service" add constraint "carrier_service_carrier_id_foreign" foreign key ("carrier_id") references "data"."carrier" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "data"."carrier_service" drop constraint "carrier_service_carrier_id_foreign";`);

    this.addSql(`drop table if exists "data"."carrier" cascade;`);

    this.addSql(`drop table if exists "data"."carrier_service" cascade;`);

    this.addSql(`drop schema if exists "data";`);
  }
}
