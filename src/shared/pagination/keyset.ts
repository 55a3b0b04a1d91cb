import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { raw, type EntityName } from '@mikro-orm/core';
import { parsePageArgs, toConnection, type Connection, type PageArgs, type PageRequest } from './pagination';
import type { Ordering } from './ordering';

/** The direction rows are read in: the ordering's, reversed when paging backward. */
function travel(page: PageRequest<unknown>): 'asc' | 'desc' {
  const { direction } = page.ordering;
  if (!page.backward) return direction;
  return direction === 'asc' ? 'desc' : 'asc';
}

/**
 * The ORM filter for the rows strictly past the cursor, in the direction of travel: a row comparison
 * `(key, id) > (?, ?)` rather than `key > ? or (key = ? and id > ?)`, so the (…, key, id) index of a
 * filter or an ordering starts its range at the cursor instead of reading every row before it.
 */
export function keysetWhere<T>(page: PageRequest<T>): FilterQuery<T> {
  if (!page.cursor) return {} as FilterQuery<T>;
  const ascending = travel(page as PageRequest<unknown>) === 'asc';
  const { column } = page.ordering;
  const { key, id } = page.cursor;
  if (!column) return { id: { [ascending ? '$gt' : '$lt']: id } } as FilterQuery<T>;
  const op = ascending ? '>' : '<';
  // A raw key is read once by the query it is in (MikroORM then forgets it): built anew for each page.
  const past = raw((alias: string) => `(${alias}."${column}", ${alias}."id") ${op} (?, ?)`, [key, id]);
  return { [past]: [] } as FilterQuery<T>;
}

/** The ORM order for reading a page: sort key then id, in the direction of travel. */
export function keysetOrderBy<T>(page: PageRequest<T>): Record<string, 'asc' | 'desc'> {
  const dir = travel(page as PageRequest<unknown>);
  return page.ordering.property ? { [page.ordering.property]: dir, id: dir } : { id: dir };
}

/**
 * The same keyset in plain SQL for a table alias, as a row comparison that one (key, id) index serves:
 * `("code", "id") > (?, ?)`; and its ORDER BY. For the window queries of nested lists.
 */
export function keysetSql(
  page: PageRequest<unknown>,
  alias: string,
): { where: string; orderBy: string; params: unknown[] } {
  const dir = travel(page);
  const cols = page.ordering.column
    ? [`${alias}."${page.ordering.column}"`, `${alias}."id"`]
    : [`${alias}."id"`];
  const orderBy = cols.map((c) => `${c} ${dir}`).join(', ');
  if (!page.cursor) return { where: 'true', orderBy, params: [] };
  const op = dir === 'asc' ? '>' : '<';
  const params = page.ordering.column ? [page.cursor.key, page.cursor.id] : [page.cursor.id];
  return { where: `(${cols.join(', ')}) ${op} (${params.map(() => '?').join(', ')})`, orderBy, params };
}

/**
 * One page of an entity under a filter and an ordering, with a lazily counted total: limit + 1 rows
 * past the cursor, read along a (key, id) index.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  options: { args: PageArgs; ordering: Ordering<T>; where?: FilterQuery<T>; max?: number },
): Promise<Connection<T>> {
  const page = parsePageArgs(options.args, options.ordering, options.max);
  const where = options.where ?? ({} as FilterQuery<T>);
  const rows = await em.find(entity, { $and: [where, keysetWhere(page)] } as FilterQuery<T>, {
    orderBy: keysetOrderBy(page) as never,
    limit: page.limit + 1,
  });
  return toConnection(rows, page, () => em.count(entity, where));
}
