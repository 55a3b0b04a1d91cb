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
    description:
      'The integration run recording this import, from the primary database (the import is in data); ' +
      'null with a FORBIDDEN error without integrations:read.',
  })
  run(@Root() imp: WorkspaceImport, @Ctx() ctx: StitchingContext): Promise<IntegrationRun | null> | null {
    return imp.integrationRunId ? ctx.loaders.primary.integrationRunById.load(imp.integrationRunId) : null;
  }

  @Authorized(Permission.UsersRead)
  @FieldResolver(() => User, {
    nullable: true,
    description:
      'Who uploaded the file, from the primary database; null for an import run from the CLI, and with a ' +
      'FORBIDDEN error without users:read.',
  })
  createdBy(@Root() imp: WorkspaceImport, @Ctx() ctx: StitchingContext): Promise<User | null> | null {
    return imp.createdByUserId ? ctx.loaders.primary.userById.load(imp.createdByUserId) : null;
  }
}

@Resolver(() => IntegrationRun)
export class IntegrationRunLinksResolver {
  @Authorized(Permission.ImportsRead)
  @FieldResolver(() => WorkspaceImport, {
    nullable: true,
    description:
      'The import this run records, from the data database (the run is in primary); null with a FORBIDDEN ' +
      'error without imports:read.',
  })
  import(@Root() run: IntegrationRun, @Ctx() ctx: StitchingContext): Promise<WorkspaceImport | null> | null {
    return run.importId ? ctx.loaders.data.importById.load(run.importId) : null;
  }

  @Authorized(Permission.UsersRead)
  @FieldResolver(() => User, {
    nullable: true,
    description:
      'Who started the run (same primary database); null for a run started from the CLI, and with a ' +
      'FORBIDDEN error without users:read.',
  })
  startedBy(@Root() run: IntegrationRun, @Ctx() ctx: StitchingContext): Promise<User | null> | null {
    return run.startedByUserId ? ctx.loaders.primary.userById.load(run.startedByUserId) : null;
  }
}
