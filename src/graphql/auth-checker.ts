import type { AuthChecker } from 'type-graphql';
import { requirePermissions } from '../shared/permissions/authorization';
import type { PermissionCode } from '../shared/permissions/permissions';
import type { CallerContext } from '../shared/permissions/viewer';

/** @Authorized(code, ...) means: signed in, and holding every listed permission. */
export const authChecker: AuthChecker<CallerContext, PermissionCode> = ({ context }, required) => {
  requirePermissions(context, required);
  return true;
};
