import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { WorkspaceImport } from '../../data/imports/workspace-import.entity';
import { User } from '../../primary/users/user.entity';
import { IntegrationRun } from '../../primary/integration-runs/integration-run.entity';
import { Permission } from '../../shared/permissions/permissions';
import type { StitchingContext } from '../stitching.context';

/**
 * Fields that cross the two databases. Each goes through a per-request DataLoader of the other domain,
 * so a page of N rows costs one statement per field on the other database, not N.
 */
@Resolver(() => WorkspaceImport)
export class ImportLinksResolver {
  @Authorized(Permission.IntegrationsRead)
  @FieldResolver(() => IntegrationRun, {
    nullable: true,
    description: 'The run recording this import (primary).',
  })
  run(@Root() imp: WorkspaceImport, @Ctx() ctx: StitchingContext): Promise<IntegrationRun | null> | null {
    return imp.integrationRunId ? ctx.loaders.primary.integrationRunById.load(imp.integrationRunId) : null;
  }

  @Authorized(Permission.UsersRead)
  @FieldResolver(() => User, { nullable: true, description: 'Who uploaded the file; null from the CLI.' })
  createdBy(@Root() imp: WorkspaceImport, @Ctx() ctx: StitchingContext): Promise<User | null> | null {
    return imp.createdByUserId ? ctx.loaders.primary.userById.load(imp.createdByUserId) : null;
  }
}

@Resolver(() => IntegrationRun)
export class IntegrationRunLinksResolver {
  @Authorized(Permission.ImportsRead)
  @FieldResolver(() => WorkspaceImport, {
    nullable: true,
    description: 'The import this run recorded (data).',
  })
  import(@Root() run: IntegrationRun, @Ctx() ctx: StitchingContext): Promise<WorkspaceImport | null> | null {
    return run.importId ? ctx.loaders.data.importById.load(run.importId) : null;
  }

  @Authorized(Permission.UsersRead)
  @FieldResolver(() => User, { nullable: true, description: 'Who started the run; null from the CLI.' })
  startedBy(@Root() run: IntegrationRun, @Ctx() ctx: StitchingContext): Promise<User | null> | null {
    return run.startedByUserId ? ctx.loaders.primary.userById.load(run.startedByUserId) : null;
  }
}
