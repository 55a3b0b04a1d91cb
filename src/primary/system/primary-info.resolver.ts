import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { DatabaseInfo, ServerInfo } from '../../shared/graphql/server-info.types';
import { readDatabaseInfo } from '../../platform/db/database-info';
import type { PrimaryContext } from '../primary.context';

@Resolver(() => ServerInfo)
export class PrimaryInfoResolver {
  @FieldResolver(() => DatabaseInfo, {
    nullable: true,
    description: 'The primary database, read through its own EntityManager.',
  })
  primaryDatabase(@Ctx() ctx: PrimaryContext): Promise<DatabaseInfo> {
    return readDatabaseInfo(ctx.em.primary);
  }
}
