import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { BadUserInputError } from '../../platform/errors/errors';
import { fromGlobalId, type NodeType } from '../../shared/graphql/global-id';
import { Node } from '../../shared/graphql/node';
import { requirePermissions } from '../../shared/permissions/authorization';
import { Permission, type PermissionCode } from '../../shared/permissions/permissions';
import type { StitchingContext } from '../stitching.context';

/** The most ids one nodes(ids:) call takes, like a page. */
export const MAX_NODE_IDS = 100;

interface NodeSource {
  permission: PermissionCode;
  load(ctx: StitchingContext, uuid: string): Promise<object | null>;
}

/**
 * Where each type's rows come from: the per-request loader of its database, so ids of one type in one
 * request cost one statement together whatever their number (both databases, 8 statements at most).
 */
const SOURCES: Record<NodeType, NodeSource> = {
  Organization: {
    permission: Permission.OrganizationsRead,
    load: (ctx, id) => ctx.loaders.primary.organizationById.load(id),
  },
  Facility: {
    permission: Permission.FacilitiesRead,
    load: (ctx, id) => ctx.loaders.primary.facilityById.load(id),
  },
  User: { permission: Permission.UsersRead, load: (ctx, id) => ctx.loaders.primary.userById.load(id) },
  Role: { permission: Permission.RolesRead, load: (ctx, id) => ctx.loaders.primary.roleById.load(id) },
  IntegrationRun: {
    permission: Permission.IntegrationsRead,
    load: (ctx, id) => ctx.loaders.primary.integrationRunById.load(id),
  },
  Carrier: { permission: Permission.CarriersRead, load: (ctx, id) => ctx.loaders.data.carrierById.load(id) },
  CarrierService: {
    permission: Permission.CarriersRead,
    load: (ctx, id) => ctx.loaders.data.serviceById.load(id),
  },
  Import: { permission: Permission.ImportsRead, load: (ctx, id) => ctx.loaders.data.importById.load(id) },
  ImportError: {
    permission: Permission.ImportsRead,
    load: (ctx, id) => ctx.loaders.data.errorById.load(id),
  },
};

/**
 * One node by global id: null for an id that names nothing (never given out, or deleted), FORBIDDEN
 * without the read permission of its type. A rejected promise, so in nodes(ids:) the error is located
 * at that id's index and only that entry is null.
 */
export async function loadNode(ctx: StitchingContext, id: string): Promise<object | null> {
  const decoded = fromGlobalId(id);
  if (!decoded) return null;
  const source = SOURCES[decoded.type];
  requirePermissions(ctx, [source.permission]);
  return source.load(ctx, decoded.uuid);
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      "Any object by its global id (Relay's refetch), for a signed-in caller: null when the id names nothing; FORBIDDEN without its type's read permission.",
  })
  node(
    @Arg('id', () => ID, { description: 'A global id, as any Node.id gives it.' }) id: string,
    @Ctx() ctx: StitchingContext,
  ): Promise<object | null> {
    requirePermissions(ctx, []);
    return loadNode(ctx, id);
  }

  @Query(() => [Node], {
    nullable: 'itemsAndList',
    description: `Objects by global id, of any types and both databases, in the order asked (at most ${MAX_NODE_IDS}); an entry is null for an id that names nothing, with FORBIDDEN at its index without its type's read permission.`,
  })
  nodes(
    @Arg('ids', () => [ID], { description: `Global ids, 1 to ${MAX_NODE_IDS}.` }) ids: string[],
    @Ctx() ctx: StitchingContext,
  ): Array<Promise<object | null>> {
    requirePermissions(ctx, []);
    if (ids.length < 1 || ids.length > MAX_NODE_IDS) {
      throw new BadUserInputError('ids', `must hold 1 to ${MAX_NODE_IDS} ids; got ${ids.length}.`);
    }
    return ids.map((id) => loadNode(ctx, id));
  }
}
