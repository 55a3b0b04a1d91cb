import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { keyOf } from '../../shared/graphql/global-id';
import { keysetPage } from '../../shared/pagination/keyset';
import { defineOrderings } from '../../shared/pagination/ordering';
import { ConnectionType, PageArgs, type Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { PrimaryContext } from '../primary.context';
import { IntegrationRun } from './integration-run.entity';

const IntegrationRunConnection = ConnectionType('IntegrationRun', IntegrationRun);

export const integrationRunOrderings = defineOrderings<IntegrationRun>(
  'IntegrationRun',
  { STARTED_AT: { property: 'startedAt', column: 'started_at', type: 'timestamp', label: 'start time' } },
  'STARTED_AT_DESC',
);

@ArgsType()
export class IntegrationRunsArgs extends PageArgs {
  @Field(() => integrationRunOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default STARTED_AT_DESC, newest first).',
  })
  orderBy?: string | null;
}

@Resolver(() => IntegrationRun)
export class IntegrationRunResolver {
  @Authorized(Permission.IntegrationsRead)
  @Query(() => IntegrationRunConnection, { nullable: true, description: 'Integration runs, newest first.' })
  integrationRuns(
    @Args() args: IntegrationRunsArgs,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Connection<IntegrationRun>> {
    return keysetPage(ctx.em.primary, IntegrationRun, {
      args,
      ordering: integrationRunOrderings.get(args.orderBy),
    });
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
