/**
 * The permission catalog: the one place permission codes and built-in roles are defined.
 * Migrations seed it into the primary database (see syncPermissionCatalog); resolvers name the codes
 * in @Authorized(...). Adding a code means adding it here and a migration that calls the sync again.
 */
export const Permission = {
  UsersRead: 'users:read',
  UsersWrite: 'users:write',
  RolesRead: 'roles:read',
  RolesWrite: 'roles:write',
  OrganizationsRead: 'organizations:read',
  OrganizationsWrite: 'organizations:write',
  FacilitiesRead: 'facilities:read',
  FacilitiesWrite: 'facilities:write',
  CarriersRead: 'carriers:read',
  CarriersWrite: 'carriers:write',
  ImportsRead: 'imports:read',
  ImportsRun: 'imports:run',
  IntegrationsRead: 'integrations:read',
  SystemRead: 'system:read',
  ExportsRead: 'exports:read',
} as const;
export type PermissionCode = (typeof Permission)[keyof typeof Permission];

export const PERMISSION_DESCRIPTIONS: Record<PermissionCode, string> = {
  'users:read': 'List users and their roles',
  'users:write': 'Create, update and deactivate users and assign roles',
  'roles:read': 'List roles and their permissions',
  'roles:write': 'Create roles',
  'organizations:read': 'Read organizations',
  'organizations:write': 'Create, update and delete organizations',
  'facilities:read': 'Read facilities',
  'facilities:write': 'Create, update and delete facilities',
  'carriers:read': 'Read carriers, services and delivery options',
  'carriers:write': 'Create and update carriers and services',
  'imports:read': 'Read workspace imports',
  'imports:run': 'Upload carrier and delivery-matrix files',
  'integrations:read': 'Read integration runs',
  'system:read': 'Read server information',
  'exports:read': 'Download the carriers file and the delivery matrix as CSV',
};

export const ALL_PERMISSIONS = Object.values(Permission) as PermissionCode[];
const READ_PERMISSIONS = ALL_PERMISSIONS.filter((p) => p.endsWith(':read'));

export const BuiltInRole = { Admin: 'admin', Operator: 'operator', Viewer: 'viewer' } as const;
export type BuiltInRoleName = (typeof BuiltInRole)[keyof typeof BuiltInRole];

export const BUILT_IN_ROLES: Record<BuiltInRoleName, { description: string; permissions: PermissionCode[] }> =
  {
    admin: { description: 'Everything', permissions: ALL_PERMISSIONS },
    operator: {
      description: 'Read everything and run imports',
      permissions: [...READ_PERMISSIONS, Permission.ImportsRun],
    },
    // A viewer reads every record through the API but takes no bulk copy of the carrier data: a whole
    // matrix in one download is a different exposure (docs/SECURITY.md, "Exports").
    viewer: {
      description: 'Read everything; no bulk exports',
      permissions: READ_PERMISSIONS.filter((p) => p !== Permission.ExportsRead),
    },
  };
