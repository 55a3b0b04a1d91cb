import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { keyOf } from '../../shared/graphql/global-id';
import {
  ConnectionType,
  PageArgs,
  parsePageArgs,
  toConnection,
  type Connection,
} from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { ImportError } from './import-error.entity';
import { ImportsArgs } from './import.inputs';
import { listImports } from './import-list';
import { IMPORT_ERROR_ORDER, type ImportErrorRecord } from './import.loaders';
import { MAX_KEPT_ERRORS } from './pipeline/error-log';
import { WorkspaceImport } from './workspace-import.entity';

const ImportConnection = ConnectionType('Import', WorkspaceImport);
const ImportErrorConnection = ConnectionType('ImportError', ImportError);

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

  @FieldResolver(() => ImportErrorConnection, {
    description: `Its row errors, a page at a time in row order: the first ${MAX_KEPT_ERRORS} found are kept (errorsOmitted counts the rest). Pages of many imports are read in one statement.`,
  })
  errors(
    @Root() imp: WorkspaceImport,
    @Args() args: PageArgs,
    @Ctx() ctx: DataContext,
  ): Promise<Connection<ImportErrorRecord>> {
    const page = parsePageArgs(args, IMPORT_ERROR_ORDER);
    const { errorsByImportId, errorCountsByImportId } = ctx.loaders.data;
    return errorsByImportId(page)
      .load(imp.id)
      .then((rows) => toConnection(rows, page, () => errorCountsByImportId.load(imp.id)));
  }
}
