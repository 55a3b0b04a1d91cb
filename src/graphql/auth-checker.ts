import type { AuthChecker } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors';
import type { PermissionCode } from '../shared/permissions';
import type { Viewer } from '../shared/viewer';

/** @Authorized(code, ...) means: signed in, and holding every listed permission. */
export const authChecker: AuthChecker<{ viewer: Viewer | null }, PermissionCode> = (
  { context },
  required,
) => {
  if (!context.viewer) throw new UnauthenticatedError();
  const missing = required.find((code) => !context.viewer!.permissions.has(code));
  if (missing) throw new ForbiddenError(missing);
  return true;
};
