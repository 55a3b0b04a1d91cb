import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { PrimaryContext } from '../primary.context';
import { login, logout } from './auth.service';
import { AuthPayload } from './auth.types';
import { SESSION_COOKIE } from './token';
import { User } from '../users/user.entity';

/** The three public operations. Everything else carries @Authorized. */
@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Starts a session; also sets the HttpOnly session cookie.' })
  async login(
    @Arg('email', { description: 'The account email, in any case.' }) email: string,
    @Arg('password', {
      description:
        'Wrong credentials are UNAUTHENTICATED (one message for both); 100 failures in a row for an ' +
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

  @Mutation(() => Boolean, { description: 'Ends the current session everywhere; false when there was none.' })
  async logout(@Ctx() ctx: PrimaryContext): Promise<boolean> {
    ctx.http.clearCookie(SESSION_COOKIE);
    return logout(ctx.em.primary, ctx.services.primary, ctx.viewer);
  }

  @Query(() => User, {
    nullable: true,
    description: 'The signed-in user, or null when anonymous. Served from the session cache.',
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
