import type { EntityManager } from '@mikro-orm/postgresql';
import { TooManyRequestsError } from '../../platform/errors/errors';

/** NIST SP 800-63B: no more than 100 consecutive failed attempts on one account. */
export const ACCOUNT_FAILURE_LIMIT = 100;
/** Per client address, across accounts (password spraying). */
export const ADDRESS_FAILURE_LIMIT = 300;
/** A key over its limit is refused until this long after its last failure. */
export const LOCKOUT_SECONDS = 15 * 60;

const RESERVE_SQL = `
insert into "core"."login_attempt" ("key", "failures", "last_failure_at") values (?, 1, now())
on conflict ("key") do update set
  "failures" = case when "core"."login_attempt"."last_failure_at" < now() - make_interval(secs => ?)
                    and "core"."login_attempt"."failures" >= ? then 1
               else "core"."login_attempt"."failures" + 1 end,
  "last_failure_at" = now()
returning "failures"`;

/**
 * Counts the attempt before the password is checked, in one atomic statement per key, so attempts sent in
 * parallel (aliases in one document, concurrent requests) each count and none slips past the limit.
 * A success clears the account's count.
 */
export async function reserveLoginAttempt(em: EntityManager, email: string, clientIp: string): Promise<void> {
  const conn = em.getConnection();
  const limits: Array<[string, number]> = [
    [`account:${email}`, ACCOUNT_FAILURE_LIMIT],
    [`ip:${clientIp}`, ADDRESS_FAILURE_LIMIT],
  ];
  for (const [key, limit] of limits) {
    const [row] = await conn.execute<{ failures: number }[]>(RESERVE_SQL, [key, LOCKOUT_SECONDS, limit]);
    if (row.failures > limit) {
      throw new TooManyRequestsError('Too many failed sign-in attempts; try again later.', LOCKOUT_SECONDS);
    }
  }
}

/** A success clears the account's count and gives the address its reserved attempt back. */
export async function settleSuccessfulLogin(
  em: EntityManager,
  email: string,
  clientIp: string,
): Promise<void> {
  await em.getConnection().execute(
    `with cleared as (delete from "core"."login_attempt" where "key" = ?)
     update "core"."login_attempt" set "failures" = greatest("failures" - 1, 0) where "key" = ?`,
    [`account:${email}`, `ip:${clientIp}`],
  );
}
