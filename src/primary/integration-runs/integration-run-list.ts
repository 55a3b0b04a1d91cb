import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { anyOf } from '../../shared/filtering/any-of';
import { timeBounds } from '../../shared/filtering/date-time-range';
import { keysetPage } from '../../shared/pagination/keyset';
import type { Connection } from '../../shared/pagination/pagination';
import { IntegrationRun } from './integration-run.entity';
import {
  integrationRunOrderings,
  type IntegrationRunFilter,
  type IntegrationRunsArgs,
} from './integration-run.inputs';

/**
 * The ORM filter of an IntegrationRunFilter. Status and kind each have an index ending in the sort key,
 * (status | kind, started_at, id); the span uses (started_at, id).
 */
export function integrationRunWhere(
  filter: IntegrationRunFilter | null | undefined,
): FilterQuery<IntegrationRun> {
  const where: FilterQuery<IntegrationRun>[] = [];
  const status = anyOf(filter?.status, 'filter.status');
  if (status) where.push({ status: { $in: status } });
  const kind = anyOf(filter?.kind, 'filter.kind');
  if (kind) where.push({ kind: { $in: kind } });
  const started = timeBounds(filter?.startedAt, 'filter.startedAt');
  if (started) where.push({ startedAt: started });
  return where.length ? { $and: where } : {};
}

export function listIntegrationRuns(
  em: EntityManager,
  args: IntegrationRunsArgs,
): Promise<Connection<IntegrationRun>> {
  return keysetPage(em, IntegrationRun, {
    args,
    ordering: integrationRunOrderings.get(args.orderBy),
    where: integrationRunWhere(args.filter),
  });
}
