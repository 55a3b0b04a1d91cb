import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { newestFirstPage } from '../../shared/pagination/newest-first';
import { ConnectionType, PageArgs, type Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { ImportError } from './import-error.entity';
import { WorkspaceImport } from './workspace-import.entity';
import { isUuid } from '../../platform/ids';

const ImportConnection = ConnectionType('Import', WorkspaceImport);
@Resolver(() => WorkspaceImport)
export class ImportResolver {
  @Authorized(Permission.ImportsRead)
  @Query(() => ImportConnection, { nullable: true, description: 'Workspace imports, newest first.' })
  async imports(@Args() args: PageArgs, @Ctx() ctx: DataContext): Promise<Connection<WorkspaceImport>> {
    return newestFirstPage(ctx.em.data, WorkspaceImport, 'createdAt', args);
  }

  @Authorized(Permission.ImportsRead)
  @Query(() => WorkspaceImport, {
    nullable: true,
    description: 'One import by id; null if none. Poll it for progress.',
  })
  import(
    @Arg('id', () => ID, { description: 'The id an import mutation returned.' }) id: string,
    @Ctx() ctx: DataContext,
  ): Promise<WorkspaceImport | null> {
    return isUuid(id) ? ctx.loaders.data.importById.load(id) : Promise.resolve(null);
  }

  @FieldResolver(() => [ImportError], { description: 'The first 1000 row errors, in row order.' })
  errors(@Root() imp: WorkspaceImport, @Ctx() ctx: DataContext): Promise<ImportError[]> {
    return ctx.loaders.data.errorsByImportId.load(imp.id);
  }
}
