import { Migration } from '@mikro-orm/migrations';

/**
 * The users list: its orderings by name and by creation time, the active filter in the default (email)
 * order, the search (ILIKE '%term%' on email or name, through pg_trgm like organizations), and the role
 * filter, which reads user_role by role. The email ordering already has the unique email index.
 */
export class Migration20261202090100_user_filters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "user_name_id_index" on "core"."user" ("name", "id");`);
    this.addSql(`create index "user_created_at_id_index" on "core"."user" ("created_at", "id");`);
    this.addSql(
      `create index "user_is_active_email_id_index" on "core"."user" ("is_active", "email", "id");`,
    );
    this.addSql(
      `create index "user_email_trgm_index" on "core"."user" using gin ("email" public.gin_trgm_ops);`,
    );
    this.addSql(
      `create index "user_name_trgm_index" on "core"."user" using gin ("name" public.gin_trgm_ops);`,
    );
    this.addSql(
      `create index "user_role_role_id_user_id_index" on "core"."user_role" ("role_id", "user_id");`,
    );
  }

  override async down(): Promise<void> {
    for (const index of [
      'user_name_id_index',
      'user_created_at_id_index',
      'user_is_active_email_id_index',
      'user_email_trgm_index',
      'user_name_trgm_index',
      'user_role_role_id_user_id_index',
    ]) {
      this.addSql(`drop index if exists "core"."${index}";`);
    }
  }
}
