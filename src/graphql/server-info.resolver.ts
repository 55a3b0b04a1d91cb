import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { Permission } from '../shared/permissions/permissions';
import { ServerInfo } from '../shared/graphql/server-info.types';
import { APP_VERSION } from '../platform/version';
import type { GatewayContext } from './context';

/** Root of serverInfo; its database fields are resolved by each domain on its own EntityManager. */
@Resolver(() => ServerInfo)
export class ServerInfoResolver {
  @Authorized(Permission.SystemRead)
  @Query(() => ServerInfo, { nullable: true, description: 'The gateway version and database layout.' })
  serverInfo(@Ctx() ctx: GatewayContext): ServerInfo {
    const sameDatabase = ctx.em.primary.config.get('clientUrl') === ctx.em.data.config.get('clientUrl');
    return { mode: sameDatabase ? 'single' : 'split', version: APP_VERSION };
  }
}
