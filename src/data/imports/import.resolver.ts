import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { keyOf } from '../../shared/graphql/global-id';
import { keysetPage } from '../../shared/pagination/keyset';
import { defineOrderings } from '../../shared/pagination/ordering';
import { ConnectionType, PageArgs, type Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { ImportError } from './import-error.entity';
import { WorkspaceImport } from './workspace-import.entity';

const ImportConnection = ConnectionType('Import', WorkspaceImport);

export const importOrderings = defineOrderings<WorkspaceImport>(
  'Import',
  { CREATED_AT: { property: 'createdAt', column: 'created_at', type: 'timestamp', label: 'upload time' } },
  'CREATED_AT_DESC',
);

@ArgsType()
export class ImportsArgs extends PageArgs {
  @Field(() => importOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default CREATED_AT_DESC, newest first).',
  })
  orderBy?: string | null;
}

@Resolver(() => WorkspaceImport)
export class ImportResolver {
  @Authorized(Permission.ImportsRead)
  @Query(() => ImportConnection, { nullable: true, description: 'Workspace imports, newest first.' })
  imports(@Args() args: ImportsArgs, @Ctx() ctx: DataContext): Promise<Connection<WorkspaceImport>> {
    return keysetPage(ctx.em.data, WorkspaceImport, { args, ordering: importOrderings.get(args.orderBy) });
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
