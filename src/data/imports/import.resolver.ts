import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { keyOf } from '../../shared/graphql/global-id';
import { ConnectionType, type Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { ImportError } from './import-error.entity';
import { ImportsArgs } from './import.inputs';
import { listImports } from './import-list';
import { WorkspaceImport } from './workspace-import.entity';

const ImportConnection = ConnectionType('Import', WorkspaceImport);

@Resolver(() => WorkspaceImport)
export class ImportResolver {
  @Authorized(Permission.ImportsRead)
  @Query(() => ImportConnection, {
    nullable: true,
    description: 'Workspace imports, newest first; filter by status, kind, uploader and upload time.',
  })
  imports(@Args() args: ImportsArgs, @Ctx() ctx: DataContext): Promise<Connection<WorkspaceImport>> {
    return listImports(ctx.em.data, args);
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
    const key = keyOf('Import', id);
    return key ? ctx.loaders.data.importById.load(key) : Promise.resolve(null);
  }

  @FieldResolver(() => [ImportError], { description: 'The first 1000 row errors, in row order.' })
  errors(@Root() imp: WorkspaceImport, @Ctx() ctx: DataContext): Promise<ImportError[]> {
    return ctx.loaders.data.errorsByImportId.load(imp.id);
  }
}
