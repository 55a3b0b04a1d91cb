import { OptionalProps, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Consecutive failed logins per key ("account:<email>" or "ip:<address>"). Kept in the database, not in
 * memory, so the limit holds across instances and restarts.
 */
@Entity({ tableName: 'login_attempt' })
export class LoginAttempt {
  [OptionalProps]?: 'failures' | 'lastFailureAt';

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  failures: number = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  lastFailureAt: Date = new Date();
}
