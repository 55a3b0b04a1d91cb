import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../../platform/errors/errors';
import { anyOf } from '../../shared/filtering/any-of';
import { timeBounds } from '../../shared/filtering/date-time-range';
import { keyOf } from '../../shared/graphql/global-id';
import { keysetPage } from '../../shared/pagination/keyset';
import type { Connection } from '../../shared/pagination/pagination';
import { importOrderings, type ImportFilter, type ImportsArgs } from './import.inputs';
import { WorkspaceImport } from './workspace-import.entity';

/**
 * The ORM filter of an ImportFilter. Each field has an index leading with its column and ending in the
 * list's sort key, (status | kind | created_by_user_id, created_at, id), so a filtered page is one index
 * range in either direction; the span uses (created_at, id) itself.
 */
export function importWhere(filter: ImportFilter | null | undefined): FilterQuery<WorkspaceImport> {
  const where: FilterQuery<WorkspaceImport>[] = [];
  const status = anyOf(filter?.status, 'filter.status');
  if (status) where.push({ status: { $in: status } });
  const kind = anyOf(filter?.kind, 'filter.kind');
  if (kind) where.push({ kind: { $in: kind } });
  if (filter?.createdBy != null) {
    // The uploader lives in the primary database: only the id can be checked here, not that the user exists.
    const userId = keyOf('User', filter.createdBy, 'filter.createdBy');
    if (!userId) throw new BadUserInputError('filter.createdBy', 'is not a User id.');
    where.push({ createdByUserId: userId });
  }
  const created = timeBounds(filter?.createdAt, 'filter.createdAt');
  if (created) where.push({ createdAt: created });
  return where.length ? { $and: where } : {};
}

export function listImports(em: EntityManager, args: ImportsArgs): Promise<Connection<WorkspaceImport>> {
  return keysetPage(em, WorkspaceImport, {
    args,
    ordering: importOrderings.get(args.orderBy),
    where: importWhere(args.filter),
  });
}
