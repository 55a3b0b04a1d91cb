import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { ConnectionType, PageArgs, type Connection } from '../../shared/pagination/pagination';
import { newestFirstPage } from '../../shared/pagination/newest-first';
import { Permission } from '../../shared/permissions/permissions';
import type { PrimaryContext } from '../primary.context';
import { IntegrationRun } from './integration-run.entity';

const IntegrationRunConnection = ConnectionType('IntegrationRun', IntegrationRun);

@Resolver(() => IntegrationRun)
export class IntegrationRunResolver {
  @Authorized(Permission.IntegrationsRead)
  @Query(() => IntegrationRunConnection, { nullable: true, description: 'Integration runs, newest first.' })
  async integrationRuns(
    @Args() args: PageArgs,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Connection<IntegrationRun>> {
    return newestFirstPage(ctx.em.primary, IntegrationRun, 'startedAt', args);
  }
}
