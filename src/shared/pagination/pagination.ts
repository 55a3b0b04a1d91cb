import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { BadUserInputError } from '../../platform/errors/errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}.`,
  })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

@ObjectType({
  description:
    "Where a connection's page ends and whether another follows. Pages go forward only (first/after): " +
    'hasPreviousPage and startCursor are not offered yet.',
})
export class PageInfo {
  @Field({ description: 'True when more items follow this page: pass endCursor as `after` to read them.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The cursor of the page's last edge; null when the page is empty.",
  })
  endCursor!: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  /** Counted only when a client selects it (see toConnection). */
  readonly totalCount: Promise<number>;
}

/** A Relay connection type for one node type: `<Name>Connection` with `<Name>Edge`. */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `An edge of ${name}Connection: one ${name} and its cursor.` })
  class Edge {
    @Field({
      description: 'Opaque position of this item in the list; pass it as `after` to read the items after it.',
    })
    cursor!: string;

    @Field(() => node, { description: `The ${name} at this position.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${name} items (a Relay connection): page forward with first and after.`,
  })
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge], { description: "The page's items in list order; at most `first` of them." })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursor to continue from.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Every item matching the filter, across all pages.' })
    totalCount!: Promise<number>;
  }
  return ConnectionClass;
}

export type CursorValue = string | number;

/** Cursors are opaque to clients: base64url of the sort key of the last row. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): CursorValue[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the client error below
  }
  throw new BadUserInputError(
    'after',
    'is not a cursor this list gave out; pass pageInfo.endCursor of the previous page.',
  );
}

export interface PageRequest {
  limit: number;
  after: CursorValue[] | null;
}

/** Validates first/after; the caller fetches limit + 1 rows to learn whether another page follows. */
export function parsePageArgs(args: PageArgs, arity: number, max = MAX_PAGE_SIZE): PageRequest {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new BadUserInputError('first', `must be between 1 and ${max}; got ${args.first}.`);
  }
  return { limit, after: args.after ? decodeCursor(args.after, arity) : null };
}

/**
 * Turns limit + 1 fetched rows into a connection. `count` runs the first time `totalCount` is read, that is
 * only when a client selects it: a full count of a large table is often the most expensive statement of a
 * page, and most pages (infinite scroll, nested reads) never show it.
 */
export function toConnection<T>(
  rows: T[],
  page: PageRequest,
  cursorOf: (row: T) => CursorValue[],
  count: () => Promise<number>,
): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > page.limit, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return (counted ??= count());
    },
  };
}

/** MikroORM filter for keyset pagination over (sortKey, id) ascending. */
export function keysetAfter<K extends string>(
  after: CursorValue[] | null,
  sortKey: K,
): Record<string, unknown> {
  if (!after) return {};
  const [value, id] = after;
  if (sortKey === ('id' as K)) return { id: { $gt: value } };
  return { $or: [{ [sortKey]: { $gt: value } }, { [sortKey]: value, id: { $gt: id } }] };
}
