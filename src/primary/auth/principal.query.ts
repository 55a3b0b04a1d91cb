import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedReason } from '../../platform/errors/errors';
import type { Viewer } from '../../shared/permissions/viewer';
import type { SessionRefusal } from './auth.errors';

interface PrincipalRow {
  session_id: string;
  user_id: string;
  email: string;
  name: string;
  expires_at: Date;
  live: boolean;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  roles: string[];
  permissions: string[];
}

/**
 * The one statement a session-cache miss costs: session, user, roles and permissions together. The CTE
 * slides the session's expiry, writing at most once an hour, inside that same statement. Expired sessions
 * and inactive users are read too (and refused below), so a refusal can say which it was.
 */
const PRINCIPAL_SQL = `
with touched as (
  update "core"."session"
     set "last_seen_at" = now(), "expires_at" = now() + make_interval(days => ?)
   where "id" = ? and "expires_at" > now() and "last_seen_at" < now() - interval '1 hour'
  returning "id", "expires_at"
)
select s."id" as session_id, u."id" as user_id, u."email", u."name",
       coalesce((select t."expires_at" from touched t), s."expires_at") as expires_at,
       s."expires_at" > now() as live, u."is_active",
       u."created_at", u."updated_at", u."last_login_at",
       coalesce(array_agg(distinct r."name") filter (where r."name" is not null), '{}') as roles,
       coalesce(array_agg(distinct rp."permission_code") filter (where rp."permission_code" is not null), '{}') as permissions
  from "core"."session" s
  join "core"."user" u on u."id" = s."user_id"
  left join "core"."user_role" ur on ur."user_id" = u."id"
  left join "core"."role" r on r."id" = ur."role_id"
  left join "core"."role_permission" rp on rp."role_id" = r."id"
 where s."id" = ?
 group by s."id", u."id"`;

/**
 * The session's principal, or why there is none. Sessions are never pruned, so an expired one is told
 * apart from one that was deleted (logout, deactivation, password change) or never existed. A session of
 * a deactivated user is invalid, not expired: deactivation ends sessions, and its row only outlives that
 * in a race.
 */
export async function loadPrincipal(
  em: EntityManager,
  sessionId: string,
  sessionTtlDays: number,
): Promise<Viewer | SessionRefusal> {
  const [row] = await em
    .getConnection()
    .execute<PrincipalRow[]>(PRINCIPAL_SQL, [sessionTtlDays, sessionId, sessionId]);
  if (!row || !row.is_active) return UnauthenticatedReason.SessionInvalid;
  if (!row.live) return UnauthenticatedReason.SessionExpired;
  return {
    sessionId: row.session_id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    permissions: new Set(row.permissions),
    expiresAt: new Date(row.expires_at).getTime(),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    lastLoginAt: row.last_login_at ? new Date(row.last_login_at) : null,
  };
}
