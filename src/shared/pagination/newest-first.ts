import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { parsePageArgs, toConnection, type Connection, type CursorValue, type PageArgs } from './pagination';

/**
 * Keyset filter for lists sorted newest first: (timestamp desc, id desc), the cursor being
 * [ISO timestamp, id]. The (timestamp, id) index serves it read backwards.
 */
export function newestFirstAfter(after: CursorValue[] | null, key: string): Record<string, unknown> {
  if (!after) return {};
  const [iso, id] = after;
  const at = new Date(String(iso));
  return { $or: [{ [key]: { $lt: at } }, { [key]: at, id: { $lt: id } }] };
}

/** One page of an entity listed newest first by `key`, with a lazily counted total. */
export async function newestFirstPage<T extends { id: string }, K extends keyof T & string>(
  em: EntityManager,
  entity: EntityName<T>,
  key: K,
  args: PageArgs,
): Promise<Connection<T>> {
  const page = parsePageArgs(args, 2);
  const rows = await em.find(entity, newestFirstAfter(page.after, key) as FilterQuery<T>, {
    orderBy: { [key]: 'desc', id: 'desc' } as never,
    limit: page.limit + 1,
  });
  return toConnection(
    rows,
    page,
    (r) => [(r[key] as Date).toISOString(), r.id],
    () => em.count(entity),
  );
}
