import { Arg, Args, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { keyOf } from '../../shared/graphql/global-id';
import { ConnectionType, type Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { PrimaryContext } from '../primary.context';
import { IntegrationRun } from './integration-run.entity';
import { IntegrationRunsArgs } from './integration-run.inputs';
import { listIntegrationRuns } from './integration-run-list';

const IntegrationRunConnection = ConnectionType('IntegrationRun', IntegrationRun);

@Resolver(() => IntegrationRun)
export class IntegrationRunResolver {
  @Authorized(Permission.IntegrationsRead)
  @Query(() => IntegrationRunConnection, {
    nullable: true,
    description: 'Integration runs, newest first; filter by status, kind and start time.',
  })
  integrationRuns(
    @Args() args: IntegrationRunsArgs,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Connection<IntegrationRun>> {
    return listIntegrationRuns(ctx.em.primary, args);
  }

  @Authorized(Permission.IntegrationsRead)
  @Query(() => IntegrationRun, { nullable: true, description: 'One integration run by id; null if none.' })
  async integrationRun(
    @Arg('id', () => ID, { description: 'An IntegrationRun id.' }) id: string,
    @Ctx() ctx: PrimaryContext,
  ): Promise<IntegrationRun | null> {
    const key = keyOf('IntegrationRun', id);
    return key ? ctx.loaders.primary.integrationRunById.load(key) : null;
  }
}
