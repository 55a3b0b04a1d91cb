import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError, UnauthenticatedReason } from '../../platform/errors/errors';
import { normalizeEmail, requireLength } from '../../shared/validation';
import type { Viewer } from '../../shared/permissions/viewer';
import type { PrimaryServices } from '../primary.services';
import { reserveLoginAttempt, settleSuccessfulLogin } from './login-throttle';
import { verifyPassword } from './password';
import { Session } from './session.entity';
import { generateToken, hashToken } from './token';
import { User } from '../users/user.entity';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: User;
}

/** One message for a wrong email and a wrong password, so a caller cannot learn which emails exist. */
const BAD_CREDENTIALS = 'The email or password is incorrect.';

export async function login(
  em: EntityManager,
  services: PrimaryServices,
  input: { email: string; password: string },
  clientIp: string,
): Promise<LoginResult> {
  const email = normalizeEmail('email', input.email);
  requireLength('password', input.password, 1, 256);
  await reserveLoginAttempt(em, email, clientIp);

  const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
  const ok = await verifyPassword(user?.isActive ? user.passwordHash : null, input.password);
  if (!user || !ok) throw new UnauthenticatedError(UnauthenticatedReason.BadCredentials, BAD_CREDENTIALS);

  const token = generateToken();
  const expiresAt = new Date(Date.now() + services.sessionTtlDays * 86_400_000);
  em.create(Session, { id: hashToken(token), user, expiresAt });
  user.lastLoginAt = new Date();
  await em.flush();
  await settleSuccessfulLogin(em, email, clientIp);
  return { token, expiresAt, user };
}

/** Ends the caller's session here and on every other instance. */
export async function logout(
  em: EntityManager,
  services: PrimaryServices,
  viewer: Viewer | null,
): Promise<boolean> {
  if (!viewer) return false;
  await em.nativeDelete(Session, { id: viewer.sessionId });
  await services.revocations.publish(em, { kind: 'sessions', ids: [viewer.sessionId] });
  return true;
}

/** Ends every session of a user (password reset, deactivation). */
export async function endUserSessions(
  em: EntityManager,
  services: PrimaryServices,
  userId: string,
): Promise<void> {
  await em.nativeDelete(Session, { user: userId });
  await services.revocations.publish(em, { kind: 'user', userId });
}
