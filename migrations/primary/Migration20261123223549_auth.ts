import { Migration } from '@mikro-orm/migrations';

export class Migration20261123223549_auth extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists "core";`);
    this.addSql(
      `create table "core"."login_attempt" ("key" text not null, "failures" int not null default 0, "last_failure_at" timestamptz not null default now(), constraint "login_attempt_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "core"."permission" ("code" text not null, "description" text not null, constraint "permission_pkey" primary key ("code"));`,
    );

    this.addSql(
      `create table "core"."role" ("id" uuid not null, "name" text not null, "description" text not null default '', "built_in" boolean not null default false, "created_at" timestamptz not null default now(), constraint "role_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "core"."role" add constraint "role_name_unique" unique ("name");`);

    this.addSql(
      `create table "core"."role_permission" ("role_id" uuid not null, "permission_code" text not null, constraint "role_permission_pkey" primary key ("role_id", "permission_code"));`,
    );

    this.addSql(
      `create table "core"."user" ("id" uuid not null, "email" text not null, "name" text not null, "password_hash" text not null, "is_active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "last_login_at" timestamptz null, constraint "user_pkey" primary key ("id"), constraint user_email_lower_check check (email = lower(email)));`,
    );
    this.addSql(`alter table "core"."user" add constraint "user_email_unique" unique ("email");`);

    this.addSql(
      `create table "core"."session" ("id" text not null, "user_id" uuid not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "last_seen_at" timestamptz not null default now(), constraint "session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "session_user_id_index" on "core"."session" ("user_id");`);
    this.addSql(`create index "session_expires_at_index" on "core"."session" ("expires_at");`);

    this.addSql(
      `create table "core"."user_role" ("user_id" uuid not null, "role_id" uuid not null, constraint "user_role_pkey" primary key ("user_id", "role_id"));`,
    );

    this.addSql(
      `alter table "core"."role_permission" add constraint "role_permission_role_id_foreign" foreign key ("role_id") references "core"."role" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "core"."role_permission" add constraint "role_permission_permission_code_foreign" foreign key ("permission_code") references "core"."permission" ("code") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "core"."session" add constraint "session_user_id_foreign" foreign key ("user_id") references "core"."user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "core"."user_role" add constraint "user_role_user_id_foreign" foreign key ("user_id") references "core"."user" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "core"."user_role" add constraint "user_role_role_id_foreign" foreign key ("role_id") references "core"."role" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "core"."role_permission" drop constraint "role_permission_permission_code_foreign";`,
    );

    this.addSql(`alter table "core"."role_permission" drop constraint "role_permission_role_id_foreign";`);

    this.addSql(`alter table "core"."user_role" drop constraint "user_role_role_id_foreign";`);

    this.addSql(`alter table "core"."session" drop constraint "session_user_id_foreign";`);

    this.addSql(`alter table "core"."user_role" drop constraint "user_role_user_id_foreign";`);

    this.addSql(`drop table if exists "core"."login_attempt" cascade;`);

    this.addSql(`drop table if exists "core"."permission" cascade;`);

    this.addSql(`drop table if exists "core"."role" cascade;`);

    this.addSql(`drop table if exists "core"."role_permission" cascade;`);

    this.addSql(`drop table if exists "core"."user" cascade;`);

    this.addSql(`drop table if exists "core"."session" cascade;`);

    this.addSql(`drop table if exists "core"."user_role" cascade;`);

    this.addSql(`drop schema if exists "core";`);
  }
}
