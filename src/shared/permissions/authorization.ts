import { ForbiddenError, UnauthenticatedError } from '../../platform/errors/errors';
import type { PermissionCode } from './permissions';
import type { CallerContext } from './viewer';

/**
 * Signed in, and holding every listed permission; throws UNAUTHENTICATED or FORBIDDEN (naming the first
 * missing permission) otherwise. Synchronous, so a resolver that checks it inline stays synchronous.
 */
export function requirePermissions(context: CallerContext, required: readonly PermissionCode[]): void {
  // Fail closed: when sessions cannot be checked nothing protected runs, and nobody is treated as anonymous.
  if (context.authError) throw context.authError;
  if (!context.viewer) throw new UnauthenticatedError();
  const missing = required.find((code) => !context.viewer!.permissions.has(code));
  if (missing) throw new ForbiddenError(missing);
}
