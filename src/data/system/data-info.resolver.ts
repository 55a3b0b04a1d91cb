import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { DatabaseInfo, ServerInfo } from '../../shared/graphql/server-info.types';
import { readDatabaseInfo } from '../../platform/db/database-info';
import type { DataContext } from '../data.context';

@Resolver(() => ServerInfo)
export class DataInfoResolver {
  @FieldResolver(() => DatabaseInfo, {
    nullable: true,
    description: 'The data database, read through its own EntityManager.',
  })
  dataDatabase(@Ctx() ctx: DataContext): Promise<DatabaseInfo> {
    return readDatabaseInfo(ctx.em.data);
  }
}
