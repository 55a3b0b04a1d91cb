import type { AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors';
import type { PermissionCode } from '../shared/permissions';
import type { CallerContext } from '../shared/viewer';

/** @Authorized(code, ...) means: signed in, and holding every listed permission. */
export const authChecker: AuthChecker<CallerContext, PermissionCode> = ({ context }, required) => {
  // Fail closed: when sessions cannot be checked nothing protected runs, and nobody is treated as anonymous.
  if (context.authError) throw context.authError;
  if (!context.viewer) throw new UnauthenticatedError();
  const missing = required.find((code) => !context.viewer!.permissions.has(code));
  if (missing) throw new ForbiddenError(missing);
  return true;
};
