import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { PrimaryContext } from '../primary.context';
import { SessionRejectedError } from './auth.errors';
import { login, logout } from './auth.service';
import { AuthPayload } from './auth.types';
import { SESSION_COOKIE } from './token';
import { User } from '../users/user.entity';

/** The three public operations. Everything else carries @Authorized (and refuses a stale credential). */
@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Starts a new session and sets the HttpOnly session cookie to it. Works whatever credential the ' +
      'request also carries: an expired or ended token or cookie is ignored here.',
  })
  async login(
    @Arg('email', { description: 'The account email, in any case.' }) email: string,
    @Arg('password', {
      description:
        'Wrong credentials are UNAUTHENTICATED with reason BAD_CREDENTIALS (one message for both); 100 failures in a row for an ' +
        'account or 300 from one address within 15 minutes are TOO_MANY_REQUESTS.',
    })
    password: string,
    @Ctx() ctx: PrimaryContext,
  ): Promise<AuthPayload> {
    const result = await login(ctx.em.primary, ctx.services.primary, { email, password }, ctx.http.clientIp);
    ctx.http.setCookie(SESSION_COOKIE, result.token, {
      maxAgeSeconds: ctx.services.primary.sessionTtlDays * 86_400,
    });
    return result;
  }

  @Mutation(() => Boolean, {
    description:
      "Ends the request's session on every instance and clears the session cookie. False, not an error, " +
      'when there is no live session to end: no credential, or one already expired or ended.',
  })
  async logout(@Ctx() ctx: PrimaryContext): Promise<boolean> {
    // A refused credential leaves nothing to end, so signing out always works (and drops a stale cookie).
    // A session that could not be checked (the database is down) fails closed, the cookie kept.
    if (ctx.authError && !(ctx.authError instanceof SessionRejectedError)) throw ctx.authError;
    ctx.http.clearCookie(SESSION_COOKIE);
    return logout(ctx.em.primary, ctx.services.primary, ctx.viewer);
  }

  @Query(() => User, {
    nullable: true,
    description:
      'The signed-in user; null when the request carries no credential. A token or cookie that names no ' +
      'live session is UNAUTHENTICATED with extensions.reason SESSION_EXPIRED or SESSION_INVALID. Served ' +
      'from the session cache.',
  })
  me(@Ctx() ctx: PrimaryContext): Partial<User> | null {
    if (ctx.authError) throw ctx.authError;
    const v = ctx.viewer;
    if (!v) return null;
    return {
      id: v.userId,
      email: v.email,
      name: v.name,
      isActive: true,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
      lastLoginAt: v.lastLoginAt,
    };
  }
}
