import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import {
  ConnectionType,
  PageArgs,
  parsePageArgs,
  toConnection,
  type Connection,
} from '../../shared/pagination/pagination';
import { newestFirstAfter } from '../../shared/pagination/newest-first';
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
    const page = parsePageArgs(args, 2);
    const em = ctx.em.primary;
    const rows = await em.find(IntegrationRun, newestFirstAfter(page.after, 'startedAt'), {
      orderBy: { startedAt: 'desc', id: 'desc' },
      limit: page.limit + 1,
    });
    return toConnection(
      rows,
      page,
      (r) => [r.startedAt.toISOString(), r.id],
      () => em.count(IntegrationRun),
    );
  }
}
